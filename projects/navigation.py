"""Menu entries of the projects app."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets import (
    LedgerEntryFilterSet,
    MajorActivityReportFilterSet,
    MilestoneFilterSet,
    QuarterlySubmissionFilterSet,
    SupervisionVisitFilterSet,
)

_FUNDERS_AND_ORGS = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER}
_REVIEWERS = BUREAU_ROLES | {Role.STREET_OFFICER}
# A funder's accounts see what their funder pays for (core.scoping: AccessPolicy.funder).
_WITH_FUNDERS = _FUNDERS_AND_ORGS | {Role.FUNDER_USER}
# Those who accept ledgers and milestones for a funder (permissions.funders_acted_for).
_FUNDER_SIDE = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.STREET_OFFICER, Role.FUNDER_USER})

register(
    _("Projects"),
    40,
    MenuItem(_("Projects"), "projects:project_list", _WITH_FUNDERS, "kanban"),
    MenuItem(_("Ledger entries"), "projects:ledgerentry_list", _WITH_FUNDERS, "journal-text"),
    MenuItem(_("Expenditures"), "projects:expenditure_list", _WITH_FUNDERS, "cash-coin"),
    MenuItem(_("Quarterly submissions"), "projects:quarterlysubmission_list", _WITH_FUNDERS, "calendar3"),
    MenuItem(_("Contracts"), "projects:contract_list", _WITH_FUNDERS, "file-earmark-text"),
    MenuItem(_("Milestones"), "projects:milestone_list", _WITH_FUNDERS, "flag"),
    MenuItem(_("Payments"), "projects:payment_list", _WITH_FUNDERS, "wallet2"),
    MenuItem(_("Funders"), "projects:funder_list", _REVIEWERS | {Role.COMMUNITY_PARTY, Role.FUNDER_USER}, "bank"),
    MenuItem(_("Ledger timeliness"), "projects:timeliness", _REVIEWERS, "speedometer2"),
    MenuItem(_("Major-activity reports"), "projects:majoractivity_list", _FUNDERS_AND_ORGS, "megaphone"),
)

todos.register(
    todos.TodoSource(
        _("Quarters awaiting my acceptance"),
        "projects:quarterlysubmission_list",
        QuarterlySubmissionFilterSet,
        _FUNDER_SIDE,
        {"awaiting_me": "true"},
    ),
    todos.TodoSource(
        _("Ledger entries awaiting my review"),
        "projects:ledgerentry_list",
        LedgerEntryFilterSet,
        _FUNDER_SIDE,
        {"awaiting_me": "true"},
    ),
    todos.TodoSource(
        _("Milestones awaiting my acceptance"),
        "projects:milestone_list",
        MilestoneFilterSet,
        _FUNDER_SIDE,
        {"awaiting_me": "true"},
    ),
    todos.TodoSource(
        _("Milestones returned for rework"),
        "projects:milestone_list",
        MilestoneFilterSet,
        frozenset({Role.ORG_USER}),
        {"status": "returned"},
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

# Oversight: the funder's reviews and supervision visits with their rectifications. Overdue
# rectifications wait for the supervisors over the project (by jurisdiction) and the organization.
_OVERSIGHT_READERS = _FUNDERS_AND_ORGS | {Role.FUNDER_USER}
register(
    _("Projects"),
    40,
    MenuItem(_("Funder reviews"), "projects:projectreview_list", _OVERSIGHT_READERS, "clipboard-check"),
    MenuItem(_("Supervision visits"), "projects:supervisionvisit_list", _OVERSIGHT_READERS, "binoculars"),
)
todos.register(
    todos.TodoSource(
        _("Supervision rectifications overdue"),
        "projects:supervisionvisit_list",
        SupervisionVisitFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.STREET_OFFICER, Role.ORG_USER}),
        {"overdue": "1"},
    ),
)
