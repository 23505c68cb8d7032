"""Who may do what with the evaluation app's rows (core.scoping).

- Schemes: the bureau admin defines them; staff and viewers read them; the default scheme (no
  region) is read by every district.
- Experts (专家库), rounds, assignments, feedback: the district bureau; an expert reads their own
  record, the rounds they sit in and their own assignments and scores, and nothing else.
- Results (one row per project in a round): the bureau always; once published (publicity, closed)
  also the street and community of the project's organization, the organization itself and the
  funder paying for the project.
- Objections: the bureau; an organization lodges and reads its own.
- Grades (1A–5A) and community reviews (评估评议): by the organization's node; the street scores a
  filed organization's review and the community party secretary gives the opinion.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from core.choices import Action, Role
from core.scoping import AccessPolicy

from ..choices import RoundStatus

ALL = frozenset(Action.values)
READ = frozenset({Action.VIEW})
KEEP = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})

PUBLISHED = (RoundStatus.PUBLICITY, RoundStatus.CLOSED)

BUREAU = {Role.BUREAU_ADMIN: ALL, Role.BUREAU_STAFF: KEEP, Role.BUREAU_VIEWER: READ}


def _expert_assignments(user, **lookups):
    """Whether the user, an expert, holds an assignment matching `lookups` (correlated subquery; the
    model is looked up by name, as rounds.py imports this module)."""
    assignment = apps.get_model("evaluation", "Assignment")
    return Exists(assignment.objects.filter(expert__user=user, **lookups))


def _read_only(rule):
    def extra(user, action):
        return rule(user) if action == Action.VIEW else None

    return extra


def _in_subtree(prefix: str):
    def rule(user):
        if user.region_id is None:
            return None
        return Q(**{f"{prefix}__path__startswith": user.region.path})

    return rule


SCHEME_POLICY = AccessPolicy(
    region="region",
    role_actions={Role.BUREAU_ADMIN: ALL, Role.BUREAU_STAFF: READ, Role.BUREAU_VIEWER: READ},
    shared=lambda: Q(region__isnull=True),
)
# Scheme parts follow their scheme.
SCHEME_PART_POLICY = AccessPolicy(
    region="scheme__region",
    role_actions=SCHEME_POLICY.role_actions,
    shared=lambda: Q(scheme__region__isnull=True),
)

EXPERT_POLICY = AccessPolicy(
    region="region",
    role_actions={**BUREAU, Role.EXPERT: READ},
    extra={Role.EXPERT: _read_only(lambda user: Q(user=user))},
)

ROUND_POLICY = AccessPolicy(
    region="region",
    role_actions={**BUREAU, Role.EXPERT: READ},
    extra={Role.EXPERT: _read_only(lambda user: Q(_expert_assignments(user, round=OuterRef("pk"))))},
)


def _published(prefix: str, scope):
    def rule(user):
        base = scope(user)
        if base is None:
            return None
        return base & Q(**{f"{prefix}status__in": PUBLISHED})

    return rule


def _own_organization(prefix: str):
    def rule(user):
        organization_id = getattr(user, "organization_id", None)
        return None if organization_id is None else Q(**{f"{prefix}organization_id": organization_id})

    return rule


def _own_funder(prefix: str):
    def rule(user):
        funder_id = getattr(user, "funder_id", None)
        return None if funder_id is None else Q(**{f"{prefix}funder_id": funder_id})

    return rule


# A project's place in a round and its result.
RESULT_POLICY = AccessPolicy(
    region="round__region",
    role_actions={
        **BUREAU,
        Role.STREET_OFFICER: READ,
        Role.COMMUNITY_PARTY: READ,
        Role.ORG_USER: READ,
        Role.FUNDER_USER: READ,
        Role.EXPERT: READ,
    },
    extra={
        Role.STREET_OFFICER: _read_only(_published("round__", _in_subtree("project__organization__region"))),
        Role.COMMUNITY_PARTY: _read_only(_published("round__", _in_subtree("project__organization__region"))),
        Role.ORG_USER: _read_only(_published("round__", _own_organization("project__"))),
        Role.FUNDER_USER: _read_only(_published("round__", _own_funder("project__"))),
        Role.EXPERT: _read_only(lambda user: Q(_expert_assignments(user, round_project=OuterRef("pk")))),
    },
)

ASSIGNMENT_POLICY = AccessPolicy(
    region="round__region",
    role_actions={**BUREAU, Role.EXPERT: frozenset({Action.VIEW, Action.CHANGE})},
    extra={Role.EXPERT: lambda user, action: Q(expert__user=user)},
)

# Scores are the expert's own: the bureau reads them, and only their expert writes them.
SCORE_POLICY = AccessPolicy(
    region="assignment__round__region",
    role_actions={
        Role.BUREAU_ADMIN: READ,
        Role.BUREAU_STAFF: READ,
        Role.BUREAU_VIEWER: READ,
        Role.EXPERT: KEEP,
    },
    extra={Role.EXPERT: lambda user, action: Q(assignment__expert__user=user)},
)

# Beneficiary feedback and its codes and paper batches: the bureau's.
SURVEY_POLICY = AccessPolicy(region="round_project__round__region", role_actions=BUREAU)
FEEDBACK_POLICY = AccessPolicy(region="survey__round_project__round__region", role_actions=BUREAU)

OBJECTION_POLICY = AccessPolicy(
    region="round_project__round__region",
    organization="round_project__project__organization",
    role_actions={**BUREAU, Role.ORG_USER: frozenset({Action.VIEW, Action.ADD})},
)

GRADE_POLICY = AccessPolicy(
    region="organization__region",
    organization="organization",
    role_actions={
        **BUREAU,
        Role.STREET_OFFICER: READ,
        Role.COMMUNITY_PARTY: READ,
        Role.ORG_USER: READ,
    },
)

COMMUNITY_REVIEW_POLICY = AccessPolicy(
    region="organization__region",
    organization="organization",
    role_actions={
        Role.BUREAU_ADMIN: ALL,
        Role.BUREAU_STAFF: READ,
        Role.BUREAU_VIEWER: READ,
        Role.STREET_OFFICER: KEEP,
        Role.COMMUNITY_PARTY: KEEP,
        Role.ORG_USER: READ,
    },
)
