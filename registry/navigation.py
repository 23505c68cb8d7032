"""Menu entries of the registry."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets import ApplicationFilterSet
from .filtersets_reports import AnnualReportFilterSet

register(
    _("Registry"),
    10,
    MenuItem(
        _("Organizations"),
        "registry:organization_list",
        BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER},
        "buildings",
    ),
    MenuItem(
        _("Applications"),
        "registry:application_list",
        BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER},
        "file-earmark-text",
    ),
    MenuItem(
        _("Public register"),
        "registry_public:organization_list",
        BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER},
        "globe",
    ),
)

_AREA_ROLES = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY}

register(
    _("Oversight"),
    15,
    MenuItem(_("Annual reports"), "registry_lists:annualreport_list", _AREA_ROLES | {Role.ORG_USER}, "journal-check"),
    MenuItem(_("Owing reports"), "registry_lists:annualreport_owing", _AREA_ROLES, "hourglass-split"),
    MenuItem(_("Abnormal-activity list"), "registry_lists:abnormallisting_list", _AREA_ROLES | {Role.ORG_USER},
             "exclamation-triangle"),
    MenuItem(_("Serious-violation list"), "registry_lists:seriousviolationlisting_list", _AREA_ROLES | {Role.ORG_USER},
             "x-octagon"),
    MenuItem(_("Roster import"), "registry_lists:rosterimport_list", BUREAU_ROLES, "upload"),
)  # fmt: skip

todos.register(
    todos.TodoSource(
        _("Applications awaiting my review"),
        "registry:application_list",
        ApplicationFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.STREET_OFFICER}),
        {"awaiting_me": "true"},
    ),
    todos.TodoSource(
        _("Applications returned for correction"),
        "registry:application_list",
        ApplicationFilterSet,
        frozenset({Role.ORG_USER}),
        {"awaiting_me": "true"},
    ),
    todos.TodoSource(
        _("Annual reports awaiting a conclusion"),
        "registry_lists:annualreport_list",
        AnnualReportFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
        {"status": "submitted"},
    ),
    todos.TodoSource(
        _("Annual reports returned for correction"),
        "registry_lists:annualreport_list",
        AnnualReportFilterSet,
        frozenset({Role.ORG_USER}),
        {"status": "returned"},
    ),
)
