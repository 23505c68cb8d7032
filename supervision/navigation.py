"""Menu entries and to-dos of supervision."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets import AbnormalListingFilterSet, AnnualReportFilterSet, OwingReportFilterSet, RevocationFilterSet

_AREA_ROLES = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY}

register(
    _("Oversight"),
    15,
    MenuItem(_("Annual reports"), "supervision:annualreport_list", _AREA_ROLES | {Role.ORG_USER}, "journal-check"),
    MenuItem(_("Owing reports"), "supervision:annualreport_owing", _AREA_ROLES, "hourglass-split"),
    MenuItem(_("Abnormal-activity list"), "supervision:abnormallisting_list", _AREA_ROLES | {Role.ORG_USER},
             "exclamation-triangle"),
    MenuItem(_("Serious-violation list"), "supervision:seriousviolationlisting_list", _AREA_ROLES | {Role.ORG_USER},
             "x-octagon"),
    MenuItem(_("Revocations"), "supervision:revocation_list", _AREA_ROLES, "slash-circle"),
)  # fmt: skip

todos.register(
    todos.TodoSource(
        _("Annual reports awaiting a conclusion"),
        "supervision:annualreport_list",
        AnnualReportFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
        {"kind": "work_report", "status": "submitted"},
    ),
    # A filed community organization reports to its street: the officer reviews what comes in and
    # follows up what is overdue (never a listing).
    todos.TodoSource(
        _("Annual status reports awaiting my review"),
        "supervision:annualreport_list",
        AnnualReportFilterSet,
        frozenset({Role.STREET_OFFICER}),
        {"kind": "status_report", "status": "submitted"},
    ),
    todos.TodoSource(
        _("Filed organizations whose annual status report is overdue"),
        "supervision:annualreport_owing",
        OwingReportFilterSet,
        frozenset({Role.STREET_OFFICER}),
        {"registration_level": "filed", "overdue": "true"},
    ),
    # A listing that may end is proposed by the report's submission or the nightly job; a person decides.
    todos.TodoSource(
        _("Abnormal-activity listings proposed for removal"),
        "supervision:abnormallisting_list",
        AbnormalListingFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
        {"removal": "proposed"},
    ),
    todos.TodoSource(
        _("Revocations awaiting a decision"),
        "supervision:revocation_list",
        RevocationFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
        {"status": "submitted"},
    ),
    todos.TodoSource(
        _("Annual reports returned for correction"),
        "supervision:annualreport_list",
        AnnualReportFilterSet,
        frozenset({Role.ORG_USER}),
        {"status": "returned"},
    ),
)
