"""Menu entries of the accounts app."""

from django.utils.translation import gettext_lazy as _

from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

register(
    _("System"),
    90,
    MenuItem(_("Notifications"), "core:notification_list", frozenset(Role.values), "bell"),
    MenuItem(_("Users"), "accounts:user_list", BUREAU_ROLES, "people"),
    MenuItem(
        _("Audit log"), "core:auditrecord_list", frozenset({Role.BUREAU_ADMIN, Role.BUREAU_VIEWER}), "journal-text"
    ),
    MenuItem(
        _("Regions"), "accounts:region_list", BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY}, "diagram-3"
    ),
)
