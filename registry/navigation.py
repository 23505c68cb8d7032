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
