"""Menu entries of the registry."""

from django.utils.translation import gettext_lazy as _

from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

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
