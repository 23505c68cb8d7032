"""Menu entries of the projects app."""

from django.utils.translation import gettext_lazy as _

from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

_FUNDERS_AND_ORGS = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER}
_REVIEWERS = BUREAU_ROLES | {Role.STREET_OFFICER}

register(
    _("Projects"),
    40,
    MenuItem(_("Projects"), "projects:project_list", _FUNDERS_AND_ORGS, "kanban"),
    MenuItem(_("Ledger entries"), "projects:ledgerentry_list", _FUNDERS_AND_ORGS, "journal-text"),
    MenuItem(_("Expenditures"), "projects:expenditure_list", _FUNDERS_AND_ORGS, "cash-coin"),
    MenuItem(_("Quarterly submissions"), "projects:quarterlysubmission_list", _FUNDERS_AND_ORGS, "calendar3"),
    MenuItem(_("Ledger timeliness"), "projects:timeliness", _REVIEWERS, "speedometer2"),
    MenuItem(_("Major-activity reports"), "projects:majoractivity_list", _FUNDERS_AND_ORGS, "megaphone"),
    MenuItem(_("Notifications"), "projects:notification_list", frozenset(Role.values), "bell"),
)
