"""Menu entries of the projects app."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets import LedgerEntryFilterSet, MajorActivityReportFilterSet, QuarterlySubmissionFilterSet

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
)

todos.register(
    todos.TodoSource(
        _("Quarters awaiting my acceptance"),
        "projects:quarterlysubmission_list",
        QuarterlySubmissionFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.STREET_OFFICER}),
        {"awaiting_me": "true"},
    ),
    todos.TodoSource(
        _("Major activities awaiting acknowledgement"),
        "projects:majoractivity_list",
        MajorActivityReportFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
        {"status": "submitted"},
    ),
    todos.TodoSource(
        _("Major activities held without a report"),
        "projects:ledgerentry_list",
        LedgerEntryFilterSet,
        frozenset({Role.STREET_OFFICER}),
        {"unreported_major": "true"},
    ),
    todos.TodoSource(
        _("Ledger entries returned for correction"),
        "projects:ledgerentry_list",
        LedgerEntryFilterSet,
        frozenset({Role.ORG_USER}),
        {"status": "returned"},
    ),
    todos.TodoSource(
        _("Quarters returned for correction"),
        "projects:quarterlysubmission_list",
        QuarterlySubmissionFilterSet,
        frozenset({Role.ORG_USER}),
        {"status": "returned"},
    ),
)
