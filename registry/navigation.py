"""Menu entries of the registry."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets import ApplicationFilterSet

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
    MenuItem(_("Roster import"), "registry:rosterimport_list", BUREAU_ROLES, "upload"),
)

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
)
