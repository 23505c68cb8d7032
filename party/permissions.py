"""Who may act on the party app's records; each rule answers (allowed, reason), so a page can say why
a button is missing and a service can refuse with the same words. Which rows a user sees at all is
the models' AccessPolicy (party.models.policies); these rules decide actions on one row.

Party secretaries (community_party, at a community or a street) keep the party building of their
subtree together with the bureau's administrators and clerks; a user at a city node reads and acts
on nothing (core.scoping.city_refusal). Regular contacts (定期联系) are the responsible secretaries'
and the bureau administrator's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.choices import Role
from core.scoping import subtree_rule

Result = tuple[bool, str]
OK: Result = (True, "")

# Who keeps party organizations, coverage, activities and meetings.
KEEPERS = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.COMMUNITY_PARTY})
# Who records the regular contacts with an organization.
CONTACT_RECORDERS = frozenset({Role.BUREAU_ADMIN, Role.COMMUNITY_PARTY})


def may_keep_node(user, region) -> Result:
    """Record or change the party building at `region` (a party organization, an activity or a
    meeting held there): a party secretary or the bureau's administrators and clerks over it."""
    return subtree_rule(
        user, region, KEEPERS, _("Only party secretaries and the bureau keep the records of party building.")
    )


def may_keep_organization(user, party_organization) -> Result:
    """Change a party organization: a party secretary or bureau administrator or clerk whose subtree
    holds it."""
    return may_keep_node(user, party_organization.region)


def may_keep_coverage(user, organization) -> Result:
    """Record how an organization is covered by party building: the keepers of its node."""
    return may_keep_node(user, organization.region)


def may_record_contact(user, organization) -> Result:
    """Record a regular contact with an organization: the party secretaries of its subtree (at its
    community or its street) and the bureau administrator."""
    return subtree_rule(
        user,
        organization.region,
        CONTACT_RECORDERS,
        _("Only the responsible party secretary or the bureau administrator records contacts."),
    )


def may_edit_contact(user, contact) -> Result:
    return may_record_contact(user, contact.organization)


def may_dissolve(user, party_organization) -> Result:
    """The workflow's rule for dissolving a party organization (the state is the workflow's to
    check)."""
    return may_keep_organization(user, party_organization)


def may_keep_meeting(user, meeting) -> Result:
    return may_keep_node(user, meeting.region)


def may_complete_decision(user, decision) -> Result:
    """Record a joint meeting's decision done, with its follow-up: the keepers of the meeting's
    node."""
    return may_keep_node(user, decision.meeting.region)
