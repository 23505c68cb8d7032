"""Who may do what with the party app's rows (core.scoping). Party secretaries (community_party, at a
community or a street) and the bureau keep the records of their subtree; the street officer and the
bureau's viewers read them; an organization's account reads its own coverage, contacts and
activities."""

from core.choices import Action, Role
from core.scoping import AccessPolicy

_ALL = frozenset(Action.values)
_READ = frozenset({Action.VIEW})
_KEEP = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})

ROLE_ACTIONS = {
    Role.BUREAU_ADMIN: _ALL,
    Role.BUREAU_STAFF: _KEEP,
    Role.BUREAU_VIEWER: _READ,
    Role.STREET_OFFICER: _READ,
    Role.COMMUNITY_PARTY: _KEEP,
    Role.ORG_USER: _READ,
}

# Party organizations, activities and meetings sit at a node; organizations' accounts do not read them.
NODE_POLICY = AccessPolicy(region="region", role_actions={k: v for k, v in ROLE_ACTIONS.items() if k != Role.ORG_USER})
# An organization's coverage and contacts: scoped by the organization's node; its own account reads them.
ORGANIZATION_POLICY = AccessPolicy(
    region="organization__region", organization="organization", role_actions=ROLE_ACTIONS
)
# A contact's attachments follow their contact.
CONTACT_ATTACHMENT_POLICY = AccessPolicy(
    region="contact__organization__region", organization="contact__organization", role_actions=ROLE_ACTIONS
)
# A meeting's decisions follow their meeting.
DECISION_POLICY = AccessPolicy(
    region="meeting__region", role_actions={k: v for k, v in ROLE_ACTIONS.items() if k != Role.ORG_USER}
)
