"""The evaluation API's viewsets. ROUTES lists (prefix, viewset, basename) for config.api_router's
router; URLS the plain paths (the anonymous survey answer under surveys/<token>/responses/).

Scoped like the pages (core's base viewset: `restrict` per action, so another district's id is a
404 and a role without the action a 403), every write through evaluation.services, a refused rule a
403 with its reason, bad input a 400 with Chinese field messages, a step someone else already took
a 409 (core.api.exceptions)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api.views import ScopedModelViewSet
from core.choices import Action

from ..choices import AssignmentMethod
from ..models import (
    Assignment,
    CommunityReview,
    Expert,
    Objection,
    OrgGrade,
    Round,
    RoundProject,
    Scheme,
    Score,
)
from ..services import community, experts, grades, objections, rounds, schemes, scoring
from ..workflows import ASSIGNMENT, COMMUNITY_REVIEW, OBJECTION, ROUND
from . import serializers as s
from .filters import (
    AssignmentFilterSet,
    ObjectionFilterSet,
    OrgGradeFilterSet,
    RoundResultFilterSet,
    ScoreFilterSet,
)
from .surveys import SurveyResponseView


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """List and retrieve; the writes below read their input with `_input` and answer the row as the
    list shows it with `_answer`."""

    def _input(self, serializer_class, *, partial=False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, user=self.request.user)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _step(self, serializer_class=s.StepSerializer) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.get_queryset_for_answer().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)

    def get_queryset_for_answer(self):
        return self.queryset

    def _region(self, data: dict) -> dict:
        """The district a new row belongs to: the one given, else the user's own."""
        if data.get("region") is None:
            data["region"] = self.request.user.region
        return data


def _unknown_step(workflow, obj, name, user):
    """A step the API does not offer under that name: the engine's own message (choose one of …),
    or the state/permission it refuses for."""
    workflow.check(obj, name, by=user)
    raise AssertionError(f"{workflow} offers {name} but the API does not route it")  # pragma: no cover


# --------------------------------------------------------------------------------------- schemes


class SchemeViewSet(_Base):
    """Evaluation schemes (评定方案): indicators with their sources and weights, rater dimensions,
    star thresholds; `in_use` ones cannot change (copy them). The default scheme is everyone's."""

    queryset = (
        Scheme.objects.select_related("region")
        .prefetch_related("indicators", "dimensions")
        .annotate(in_use=Exists(Round.objects.filter(scheme=OuterRef("pk"))))
    )
    serializer_class = s.SchemeSerializer
    filterset_fields = ["region", "is_active"]
    ordering_fields = ["name"]

    @extend_schema(request=s.SchemeWriteSerializer, responses={201: s.SchemeSerializer})
    def create(self, request):
        data = self._region(self._input(s.SchemeWriteSerializer))
        data.setdefault("dimensions", [])
        scheme = schemes.scheme_create(by=request.user, **_scheme_parts(data))
        return self._answer(scheme, status.HTTP_201_CREATED)

    @extend_schema(request=s.SchemeWriteSerializer, responses=s.SchemeSerializer)
    def partial_update(self, request, pk=None):
        """Changes a scheme of your district not yet in use. The default scheme is found (everyone
        reads it) and refused with the reason: copy it instead."""
        scheme = get_object_or_404(self.queryset.restrict(request.user, Action.VIEW), pk=pk)
        data = self._input(s.SchemeWriteSerializer, partial=True)
        data.pop("region", None)
        return self._answer(schemes.scheme_update(scheme, by=request.user, **_scheme_parts(data)))

    @extend_schema(request=s.SchemeCopySerializer, responses={201: s.SchemeSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """A new scheme of your district with everything of this one (which may be the default)."""

        scheme = self.get_object()
        data = self._region(self._input(s.SchemeCopySerializer))
        return self._answer(schemes.scheme_copy(scheme, by=request.user, **data), status.HTTP_201_CREATED)


def _scheme_parts(data: dict) -> dict:
    for key in ("indicators", "dimensions"):
        if key in data:
            data[key] = [dict(item) for item in data[key]]
    if data.get("thresholds") is not None:
        data["thresholds"] = dict(data["thresholds"])
    return data


# --------------------------------------------------------------------------------------- experts


class ExpertViewSet(_Base):
    """The expert pool (专家库) of the district; an expert sees only their own record."""

    queryset = Expert.objects.select_related("region", "organization", "funder", "user")
    serializer_class = s.ExpertSerializer
    filterset_fields = ["region", "dimension", "affiliation_kind", "is_active"]
    ordering_fields = ["name"]

    @extend_schema(request=s.ExpertWriteSerializer, responses={201: s.ExpertSerializer})
    def create(self, request):
        data = self._region(self._input(s.ExpertWriteSerializer))
        return self._answer(experts.expert_create(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=s.ExpertWriteSerializer, responses=s.ExpertSerializer)
    def partial_update(self, request, pk=None):
        expert = self.get_object()
        data = self._input(s.ExpertWriteSerializer, partial=True)
        data.pop("region", None)
        data.pop("username", None)
        return self._answer(experts.expert_update(expert, by=request.user, **data))


# ---------------------------------------------------------------------------------------- rounds


class RoundViewSet(_Base):
    """Evaluation rounds (评定轮次): draft → scoring → publicity → closed. POST creates a draft, PATCH
    changes it while a draft; /projects/ adds projects, /auto-assign/ assigns experts, /transitions/
    moves it (start_scoring, publish, close)."""

    queryset = (
        Round.objects.select_related("region", "scheme")
        .annotate(project_count=Count("entries"))
        .order_by("-year", "-pk")  # a GROUP BY drops the model's default ordering
    )
    serializer_class = s.RoundSerializer
    filterset_fields = ["region", "status", "year", "scheme"]
    ordering_fields = ["year", "name"]

    @extend_schema(request=s.RoundWriteSerializer, responses={201: s.RoundSerializer})
    def create(self, request):
        data = self._region(self._input(s.RoundWriteSerializer))
        return self._answer(rounds.round_create(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=s.RoundWriteSerializer, responses=s.RoundSerializer)
    def partial_update(self, request, pk=None):
        round_ = self.get_object()
        data = self._input(s.RoundWriteSerializer, partial=True)
        data.pop("region", None)
        return self._answer(rounds.round_update(round_, by=request.user, **data))

    @extend_schema(request=s.StepSerializer, responses=s.RoundSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Workflow step by name: start_scoring, publish (computes every result) or close."""

        round_ = self.get_object()
        name = self._step()["name"]
        steps = {
            "start_scoring": rounds.round_start_scoring,
            "publish": rounds.round_publish,
            "close": rounds.round_close,
        }
        if name not in steps:
            _unknown_step(ROUND, round_, name, request.user)
        steps[name](round_, by=request.user)
        return self._answer(round_)

    transitions.scoped_action = Action.CHANGE

    @extend_schema(request=None, responses=s.AutoAssignResultSerializer)
    @action(detail=True, methods=["post"], url_path="auto-assign", url_name="auto-assign")
    def auto_assign(self, request, pk=None):
        """Tops every project's weighted dimensions up to the round's experts per dimension, least
        loaded first, never an expert with a conflict; says where too few experts were free."""
        result = rounds.auto_assign(self.get_object(), by=request.user)
        return Response(s.AutoAssignResultSerializer(result).data)

    auto_assign.scoped_action = Action.CHANGE

    @extend_schema(request=s.RoundProjectsSerializer, responses={201: s.RoundResultSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def projects(self, request, pk=None):
        """Adds projects to the draft round (each gets its beneficiary survey)."""

        round_ = self.get_object()
        data = self._input(s.RoundProjectsSerializer)
        entries = rounds.round_add_projects(round_, by=request.user, projects=data["projects"])
        rows = RoundProject.objects.select_related("round", "project__organization").filter(
            pk__in=[entry.pk for entry in entries]
        )
        return Response(s.RoundResultSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    projects.scoped_action = Action.CHANGE


# ------------------------------------------------------------------------------- round results


class RoundResultViewSet(_Base):
    """The projects of rounds and, once computed, their results: final score, stars and the
    computation of every number. Others than the bureau see them once published."""

    queryset = RoundProject.objects.select_related("round", "project__organization")
    serializer_class = s.RoundResultSerializer
    filterset_class = RoundResultFilterSet
    ordering_fields = ["final_score", "stars"]


# ------------------------------------------------------------------------ assignments and scores


class AssignmentViewSet(_Base):
    """Experts assigned to projects of rounds; an expert sees only their own. POST assigns by hand
    (a conflict of interest is refused with the reason); /transitions/ submit locks the scores."""

    queryset = Assignment.objects.select_related("round__region", "round_project__project", "expert")
    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilterSet
    ordering_fields = ["submitted_at"]

    @extend_schema(request=s.AssignmentCreateSerializer, responses={201: s.AssignmentSerializer})
    def create(self, request):
        data = self._input(s.AssignmentCreateSerializer)
        assignment = rounds.assign_expert(
            data["round_project"], data["expert"], by=request.user, method=AssignmentMethod.MANUAL
        )
        return self._answer(assignment, status.HTTP_201_CREATED)

    @extend_schema(request=s.StepSerializer, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Workflow step by name: submit (every expert indicator scored; the scores lock)."""

        assignment = self.get_object()
        name = self._step()["name"]
        if name != "submit":
            _unknown_step(ASSIGNMENT, assignment, name, request.user)
        scoring.scores_submit(assignment, by=request.user)
        return self._answer(assignment)

    transitions.scoped_action = Action.CHANGE


class ScoreViewSet(_Base):
    """Experts' scores: an expert's own (they save them), the bureau's to read. POST saves an
    assignment's scores by indicator id; submitted scores are locked."""

    queryset = Score.objects.select_related("indicator", "assignment")
    serializer_class = s.ScoreSerializer
    filterset_class = ScoreFilterSet

    @extend_schema(request=s.ScoresSaveSerializer, responses=s.ScoreSerializer(many=True))
    def create(self, request):
        data = self._input(s.ScoresSaveSerializer)
        assignment = data["assignment"]
        values = {key: dict(item) for key, item in data["values"].items()}
        scoring.scores_save(assignment, by=request.user, values=values)
        rows = self.queryset.filter(assignment=assignment)
        return Response(s.ScoreSerializer(rows, many=True).data)


# ------------------------------------------------------------------------------------ objections


class ObjectionViewSet(_Base):
    """Objections (异议) to published results: the project's organization lodges one during the
    publicity (POST); the bureau answers it (/transitions/ answer with the answer as `reason` and
    the `outcome`)."""

    queryset = Objection.objects.select_related("round_project__round__region", "round_project__project")
    serializer_class = s.ObjectionSerializer
    filterset_class = ObjectionFilterSet
    ordering_fields = ["created_at"]

    @extend_schema(request=s.ObjectionCreateSerializer, responses={201: s.ObjectionSerializer})
    def create(self, request):
        data = self._input(s.ObjectionCreateSerializer)
        objection = objections.objection_lodge(data.pop("round_project"), by=request.user, **data)
        return self._answer(objection, status.HTTP_201_CREATED)

    @extend_schema(request=s.ObjectionStepSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Workflow step by name: answer (`reason`: the answer; `outcome`: maintained or revised)."""

        objection = self.get_object()
        data = self._step(s.ObjectionStepSerializer)
        if data["name"] != "answer":
            _unknown_step(OBJECTION, objection, data["name"], request.user)
        if not data.get("outcome"):
            OBJECTION.check(objection, "answer", by=request.user, reason=data["reason"])
            raise ValidationError({"outcome": _("Outcome: choose whether the result is maintained or revised.")})
        objections.objection_answer(objection, by=request.user, answer=data["reason"], outcome=data["outcome"])
        return self._answer(objection)

    transitions.scoped_action = Action.CHANGE


# -------------------------------------------------------------------- grades and community reviews


class OrgGradeViewSet(_Base):
    """Organization grades (社会组织评估等级 1A–5A): `?current=true` the ones in force today,
    `?expiring=true` those lapsing within the warning period. POST awards one (the bureau);
    /revoke/ revokes it with the reason."""

    queryset = OrgGrade.objects.select_related("organization")
    serializer_class = s.OrgGradeSerializer
    filterset_class = OrgGradeFilterSet
    ordering_fields = ["awarded_on", "valid_until", "score"]

    @extend_schema(request=s.OrgGradeCreateSerializer, responses={201: s.OrgGradeSerializer})
    def create(self, request):
        data = self._input(s.OrgGradeCreateSerializer)
        grade = grades.grade_award(data.pop("organization"), by=request.user, **data)
        return self._answer(grade, status.HTTP_201_CREATED)

    @extend_schema(request=s.RevokeSerializer, responses=s.OrgGradeSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        grade = self.get_object()
        data = self._step(s.RevokeSerializer)
        return self._answer(grades.grade_revoke(grade, by=request.user, reason=data["reason"]))

    revoke.scoped_action = Action.CHANGE


class CommunityReviewViewSet(_Base):
    """The annual 评估评议 of filed community organizations: the street scores it (POST, PATCH while
    scored), the community party secretary gives the opinion (/transitions/ give_opinion with the
    opinion as `reason`)."""

    queryset = CommunityReview.objects.select_related("organization__region")
    serializer_class = s.CommunityReviewSerializer
    filterset_fields = ["organization", "year", "conclusion", "status"]
    ordering_fields = ["year", "total"]

    @extend_schema(request=s.CommunityReviewWriteSerializer, responses={201: s.CommunityReviewSerializer})
    def create(self, request):
        data = self._input(s.CommunityReviewWriteSerializer)
        review = community.community_review_score(data.pop("organization"), by=request.user, **data)
        return self._answer(review, status.HTTP_201_CREATED)

    @extend_schema(request=s.CommunityReviewWriteSerializer, responses=s.CommunityReviewSerializer)
    def partial_update(self, request, pk=None):
        review = self.get_object()
        data = self._input(s.CommunityReviewWriteSerializer, partial=True)
        data.pop("organization", None)
        return self._answer(community.community_review_update(review, by=request.user, **data))

    @extend_schema(request=s.StepSerializer, responses=s.CommunityReviewSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Workflow step by name: give_opinion (`reason`: the party organization's opinion)."""
        review = self.get_object()
        data = self._step()
        if data["name"] != "give_opinion":
            _unknown_step(COMMUNITY_REVIEW, review, data["name"], request.user)
        return self._answer(community.community_review_opinion(review, by=request.user, opinion=data["reason"]))

    transitions.scoped_action = Action.CHANGE


ROUTES: list = [
    ("evaluation-schemes", SchemeViewSet, "evaluation-scheme"),
    ("experts", ExpertViewSet, "expert"),
    ("evaluation-rounds", RoundViewSet, "evaluation-round"),
    ("round-results", RoundResultViewSet, "round-result"),
    ("assignments", AssignmentViewSet, "assignment"),
    ("scores", ScoreViewSet, "score"),
    ("objections", ObjectionViewSet, "objection"),
    ("org-grades", OrgGradeViewSet, "org-grade"),
    ("community-reviews", CommunityReviewViewSet, "community-review"),
]
URLS: list = [
    path("surveys/<str:token>/responses/", SurveyResponseView.as_view(), name="survey-responses"),
]
