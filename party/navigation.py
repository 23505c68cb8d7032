"""Menu entries and to-dos of party building (党建)."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets import OverdueFilterSet, PartyOrganizationFilterSet

_PARTY_ROLES = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY}

register(
    _("Party building"),
    18,
    MenuItem(_("Party organizations"), "party:partyorganization_list", _PARTY_ROLES, "flag"),
    MenuItem(_("Party coverage"), "party:partycoverage_list", _PARTY_ROLES, "diagram-3"),
    MenuItem(_("Should form their own"), "party:unformed_list", _PARTY_ROLES, "exclamation-diamond"),
    MenuItem(_("Regular contacts"), "party:contactrecord_list", _PARTY_ROLES, "telephone"),
    MenuItem(_("Overdue for a contact"), "party:overdue_list", _PARTY_ROLES, "alarm"),
    MenuItem(_("Party activities"), "party:partyactivity_list", _PARTY_ROLES, "people"),
    MenuItem(_("Joint meetings"), "party:jointmeeting_list", _PARTY_ROLES, "chat-square-text"),
    MenuItem(_("Coverage statistics"), "party:statistics", _PARTY_ROLES, "bar-chart"),
)

todos.register(
    todos.TodoSource(
        _("Organizations overdue for a contact"),
        "party:overdue_list",
        OverdueFilterSet,
        frozenset({Role.COMMUNITY_PARTY}),
        {},
    ),
    todos.TodoSource(
        _("Party organizations whose term ends within 90 days"),
        "party:partyorganization_list",
        PartyOrganizationFilterSet,
        frozenset({Role.COMMUNITY_PARTY}),
        {"term_due": "true"},
    ),
)
