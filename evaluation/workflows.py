"""The evaluation app's workflows, declared on the one engine (core.workflows):

    round:           draft ─start_scoring→ scoring ─publish→ publicity ─close→ closed
    assignment:      assigned ─submit→ submitted (its scores lock)
    survey response: held ─count→ counted | held ─exclude (reason)→ excluded
    objection:       open ─answer (the answer)→ answered
    community review: scored ─give_opinion→ final

The services move them (evaluation.services); their preconditions (every project has its experts,
results computed, publicity over, every objection answered) are the services' `effect`s. The pages'
buttons and the API's `transitions` read the offers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflows import Transition, Workflow

from . import permissions as rules
from .choices import AssignmentStatus as A
from .choices import CommunityReviewStatus as C
from .choices import ObjectionStatus as O
from .choices import ResponseStatus as S
from .choices import RoundStatus as R
from .models import Assignment, CommunityReview, Objection, Round, SurveyResponse

ROUND = Workflow(
    Round,
    (
        Transition("start_scoring", {R.DRAFT}, R.SCORING, _("Start scoring"), permission=rules.may_run_round),
        Transition("publish", {R.SCORING}, R.PUBLICITY, _("Compute and publish"), permission=rules.may_run_round),
        Transition(
            "close", {R.PUBLICITY}, R.CLOSED, _("Close the round"), button="success", permission=rules.may_run_round
        ),
    ),
    kind="evaluation_round",
    url_name="evaluation:round_transition",
    lock_related=("region",),
)

ASSIGNMENT = Workflow(
    Assignment,
    (
        Transition(
            "submit",
            {A.ASSIGNED},
            A.SUBMITTED,
            _("Submit scores"),
            button="success",
            permission=lambda user, obj: rules.may_score(user, obj),
        ),
    ),
    url_name="evaluation:assignment_transition",
    lock_related=("round", "expert"),
)

RESPONSE = Workflow(
    SurveyResponse,
    (
        Transition(
            "count",
            {S.HELD},
            S.COUNTED,
            _("Count it"),
            button="success",
            decides=True,
            notify=False,
            permission=lambda user, obj: rules.may_keep_feedback(user, obj.survey.round_project.round),
        ),
        Transition(
            "exclude",
            {S.HELD},
            S.EXCLUDED,
            _("Leave it out"),
            button="danger",
            needs_reason=True,
            decides=True,
            notify=False,
            permission=lambda user, obj: rules.may_keep_feedback(user, obj.survey.round_project.round),
        ),
    ),
    url_name="evaluation:surveyresponse_transition",
    lock_related=("survey__round_project__round",),
)

OBJECTION = Workflow(
    Objection,
    (
        Transition(
            "answer",
            {O.OPEN},
            O.ANSWERED,
            _("Answer"),
            needs_reason=True,
            decides=True,
            permission=rules.may_answer_objection,
        ),
    ),
    kind="evaluation_objection",
    audience=lambda objection: [objection.lodged_by] if objection.lodged_by_id else [],
    url_name="evaluation:objection_transition",
    lock_related=("round_project__round",),
)

COMMUNITY_REVIEW = Workflow(
    CommunityReview,
    (
        Transition(
            "give_opinion",
            {C.SCORED},
            C.FINAL,
            _("Give the party organization's opinion"),
            needs_reason=True,
            permission=rules.may_give_party_opinion,
        ),
    ),
    url_name="evaluation:communityreview_transition",
    lock_related=("organization",),
)
