"""Serializers of the evaluation API: the read shapes, and the input shapes whose data the services
write (evaluation.services.*; they check again, with the same Chinese messages as the pages).
Referenced rows are chosen among those the requesting user may see, so another district's row
answers like one that does not exist."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Region
from core import bounds
from core.api.fields import OffersField, ScopedInputSerializer
from projects.models import Funder, Project
from registry.models import Organization

from ..choices import AffiliationKind, Dimension, Grade, IndicatorSource, ObjectionOutcome
from ..models import (
    Assignment,
    CommunityReview,
    Expert,
    Objection,
    OrgGrade,
    Round,
    RoundProject,
    Scheme,
    SchemeDimension,
    SchemeIndicator,
    Score,
    SurveyResponse,
)
from ..models.grades import PART_MAX
from ..selectors import scheme_in_use
from ..workflows import ASSIGNMENT, COMMUNITY_REVIEW, OBJECTION, ROUND


def _limits(model, name: str) -> dict:
    return bounds.limits(model, name)


def _text(model, name: str, **kwargs) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(**_limits(model, name), **kwargs)


def _pk(model, **kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=model.objects.none(), **kwargs)


class EvaluationRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EvaluationProjectRef(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class _ScopedInput(ScopedInputSerializer):
    """An input serializer whose related fields offer only the rows the user may see."""

    scoped = {
        "region": Region,
        "organization": Organization,
        "funder": Funder,
        "scheme": Scheme,
        "projects": Project,
        "round_project": RoundProject,
        "expert": Expert,
        "assignment": Assignment,
    }


class StepSerializer(serializers.Serializer):
    """A workflow step by name (the `transitions` offered on the row), with its reason where it
    needs one."""

    name = serializers.CharField(max_length=40)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=bounds.SHORT_TEXT_MAX)


# --------------------------------------------------------------------------------------- schemes


class SchemeIndicatorSerializer(serializers.ModelSerializer):
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = SchemeIndicator
        fields = ["id", "name", "source", "source_display", "weight", "sequence", "guidance"]
        read_only_fields = fields


class SchemeDimensionSerializer(serializers.ModelSerializer):
    dimension_display = serializers.CharField(source="get_dimension_display", read_only=True)

    class Meta:
        model = SchemeDimension
        fields = ["id", "dimension", "dimension_display", "weight"]
        read_only_fields = fields


class SchemeSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True, default=None)
    indicators = SchemeIndicatorSerializer(many=True, read_only=True)
    dimensions = SchemeDimensionSerializer(many=True, read_only=True)
    in_use = serializers.SerializerMethodField(help_text="used by a round: cannot change, copy it instead")

    class Meta:
        model = Scheme
        fields = [
            "id", "name", "region", "region_name", "description", "copied_from", "five_star_min", "four_star_min",
            "three_star_min", "two_star_min", "is_active", "in_use", "indicators", "dimensions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_in_use(self, obj) -> bool:
        in_use = getattr(obj, "in_use", None)
        if in_use is None:
            in_use = scheme_in_use(obj)
        return bool(in_use)


class IndicatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(**_limits(SchemeIndicator, "name"))
    source = serializers.ChoiceField(choices=IndicatorSource.choices)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    guidance = _text(SchemeIndicator, "guidance", default="")


class DimensionInputSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class ThresholdsSerializer(serializers.Serializer):
    five_star_min = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    four_star_min = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    three_star_min = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    two_star_min = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class SchemeWriteSerializer(_ScopedInput):
    """A scheme: its indicators in order (weights summing to 100), its rater dimensions (weights
    summing to 100 when any indicator is scored by experts) and its star thresholds (default
    90/80/70/60). When changing, each part given replaces the old one."""

    region = _pk(Region, required=False, help_text="the district (default: yours)")
    name = serializers.CharField(**_limits(Scheme, "name"))
    description = _text(Scheme, "description")
    indicators = IndicatorInputSerializer(many=True, allow_empty=False, max_length=30)
    dimensions = DimensionInputSerializer(many=True, required=False, max_length=len(Dimension.choices))
    thresholds = ThresholdsSerializer(required=False, allow_null=True)


class SchemeCopySerializer(_ScopedInput):
    region = _pk(Region, required=False, help_text="the district of the copy (default: yours)")
    name = _text(Scheme, "name", default="", help_text="default: the scheme's name with （副本）")


# --------------------------------------------------------------------------------------- experts


class ExpertSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    dimension_display = serializers.CharField(source="get_dimension_display", read_only=True)
    affiliation_kind_display = serializers.CharField(source="get_affiliation_kind_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True, allow_null=True, default=None)
    funder_name = serializers.CharField(source="funder.name", read_only=True, allow_null=True, default=None)
    username = serializers.CharField(source="user.username", read_only=True, allow_null=True, default=None)
    email = serializers.CharField(read_only=True, help_text='"" when none is known')

    class Meta:
        model = Expert
        fields = [
            "id", "region", "region_name", "name", "dimension", "dimension_display", "affiliation_kind",
            "affiliation_kind_display", "affiliation", "organization", "organization_name", "funder", "funder_name",
            "title", "specialty", "phone", "email", "is_active", "user", "username",
        ]  # fmt: skip
        read_only_fields = fields


class ExpertWriteSerializer(_ScopedInput):
    """An expert of the pool; with `username` (when adding) their user account is created too."""

    region = _pk(Region, required=False, help_text="the district (default: yours)")
    name = serializers.CharField(**_limits(Expert, "name"))
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    affiliation_kind = serializers.ChoiceField(choices=AffiliationKind.choices)
    affiliation = _text(Expert, "affiliation")
    organization = _pk(Organization, required=False, allow_null=True)
    funder = _pk(Funder, required=False, allow_null=True)
    title = _text(Expert, "title")
    specialty = _text(Expert, "specialty")
    phone = _text(Expert, "phone")
    email = serializers.EmailField(required=False, allow_blank=True, **_limits(Expert, "email"))
    is_active = serializers.BooleanField(required=False)
    username = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text="creates the expert's user account (adding only)"
    )


# ---------------------------------------------------------------------------------------- rounds


class RoundSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    project_count = serializers.IntegerField(read_only=True, help_text="projects in the round")
    transitions = OffersField(ROUND)

    class Meta:
        model = Round
        fields = [
            "id", "name", "region", "region_name", "year", "scheme", "scheme_name", "status", "status_display",
            "experts_per_dimension", "scoring_due", "publicity_days", "publicity_starts_on", "publicity_ends_on",
            "computed_at", "closed_at", "notes", "project_count", "transitions",
        ]  # fmt: skip
        read_only_fields = fields


class RoundWriteSerializer(_ScopedInput):
    region = _pk(Region, required=False, help_text="the district (default: yours); adding only")
    name = serializers.CharField(**_limits(Round, "name"))
    year = serializers.IntegerField(**_limits(Round, "year"))
    scheme = _pk(Scheme)
    experts_per_dimension = serializers.IntegerField(required=False, **_limits(Round, "experts_per_dimension"))
    scoring_due = serializers.DateField(required=False, allow_null=True, **_limits(Round, "scoring_due"))
    publicity_days = serializers.IntegerField(required=False, **_limits(Round, "publicity_days"))
    notes = _text(Round, "notes")


class RoundProjectsSerializer(_ScopedInput):
    projects = _pk(Project, many=True, allow_empty=False)

    def validate_projects(self, value):
        if len(value) > 500:
            raise serializers.ValidationError(
                _("Projects: at most %(max)d at a time, %(n)d given.") % {"max": 500, "n": len(value)}
            )
        return value


class AutoAssignResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="assignments made")
    shortfalls = serializers.ListField(child=serializers.CharField(), help_text="where too few experts were free")


# ------------------------------------------------------------------------------- round results


class RoundResultSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name", read_only=True)
    round_status = serializers.CharField(source="round.status", read_only=True)
    project = EvaluationProjectRef(read_only=True)
    organization = serializers.SerializerMethodField()
    computation = serializers.JSONField(read_only=True, help_text="every number of the result and its rule")

    class Meta:
        model = RoundProject
        fields = [
            "id", "round", "round_name", "round_status", "project", "organization", "final_score", "stars",
            "computed_at", "computation",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(EvaluationRef)
    def get_organization(self, obj):
        organization = obj.project.organization
        return {"id": organization.pk, "name": organization.name}


# ------------------------------------------------------------------------ assignments and scores


class AssignmentSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name", read_only=True)
    project = EvaluationProjectRef(source="round_project.project", read_only=True)
    expert = EvaluationRef(read_only=True)
    dimension_display = serializers.CharField(source="get_dimension_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    transitions = OffersField(ASSIGNMENT)

    class Meta:
        model = Assignment
        fields = [
            "id", "round", "round_name", "round_project", "project", "expert", "dimension", "dimension_display",
            "method", "method_display", "status", "status_display", "submitted_at", "transitions",
        ]  # fmt: skip
        read_only_fields = fields


class AssignmentCreateSerializer(_ScopedInput):
    """Assign an expert by hand; an expert with a conflict of interest is refused with the reason."""

    round_project = _pk(RoundProject, help_text="the project's place in the round (a round result's id)")
    expert = _pk(Expert)


class ScoreSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    round = serializers.IntegerField(source="assignment.round_id", read_only=True)
    expert = serializers.IntegerField(source="assignment.expert_id", read_only=True)

    class Meta:
        model = Score
        fields = ["id", "assignment", "round", "expert", "indicator", "indicator_name", "value", "comment"]
        read_only_fields = fields


class ScoreValueSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=20, allow_blank=True, help_text="0–100, at most 2 decimals")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=bounds.SHORT_TEXT_MAX)


class ScoresSaveSerializer(_ScopedInput):
    """The expert's scores of one assignment, by indicator id: {"12": {"value": "85", "comment": ""}}."""

    assignment = _pk(Assignment)
    values = serializers.DictField(child=ScoreValueSerializer(), allow_empty=False)

    def validate_values(self, value):
        values = {}
        for key, item in value.items():
            if not str(key).isdigit() or len(str(key)) > 9:
                raise serializers.ValidationError(_("Scores: “%(key)s” is not an indicator number.") % {"key": key})
            values[int(key)] = item
        return values


# ---------------------------------------------------------------------------------------- survey


class SurveyAnswerSerializer(serializers.Serializer):
    """A resident's anonymous answer to a project's beneficiary survey."""

    knew = serializers.BooleanField(help_text="knew of the project")
    took_part = serializers.BooleanField(help_text="took part in it")
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, help_text="1 (very unsatisfied) – 5")
    comment = _text(SurveyResponse, "comment", default="")
    code = serializers.CharField(required=False, allow_blank=True, default="", max_length=12)


class ReceivedSerializer(serializers.Serializer):
    received = serializers.BooleanField()


# ------------------------------------------------------------------------------------ objections


class ObjectionSerializer(serializers.ModelSerializer):
    project = EvaluationProjectRef(source="round_project.project", read_only=True)
    round = serializers.IntegerField(source="round_project.round_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # "" until the objection is answered.
    outcome = serializers.ChoiceField(choices=ObjectionOutcome.choices, allow_blank=True, read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    transitions = OffersField(OBJECTION)

    class Meta:
        model = Objection
        fields = [
            "id", "round", "round_project", "project", "name", "contact", "content", "status", "status_display",
            "outcome", "outcome_display", "answer", "created_at", "reviewed_at", "transitions",
        ]  # fmt: skip
        read_only_fields = fields


class ObjectionCreateSerializer(_ScopedInput):
    """An objection to a published result, by the project's organization (name and contact default
    to the account's)."""

    round_project = _pk(RoundProject, help_text="the result objected to")
    content = serializers.CharField(**_limits(Objection, "content"))
    name = _text(Objection, "name", default="")
    contact = _text(Objection, "contact", default="")


class ObjectionStepSerializer(StepSerializer):
    outcome = serializers.ChoiceField(choices=ObjectionOutcome.choices, required=False)


# -------------------------------------------------------------------- grades and community reviews


class OrgGradeSerializer(serializers.ModelSerializer):
    organization = EvaluationRef(read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = OrgGrade
        fields = [
            "id", "organization", "score", "grade", "grade_display", "awarded_on", "decision_number", "valid_from",
            "valid_until", "revoked_on", "revocation_reason",
        ]  # fmt: skip
        read_only_fields = fields


class OrgGradeCreateSerializer(_ScopedInput):
    organization = _pk(Organization)
    score = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=1000)
    grade = serializers.ChoiceField(choices=Grade.choices)
    awarded_on = serializers.DateField(**_limits(OrgGrade, "awarded_on"))
    decision_number = _text(OrgGrade, "decision_number", default="")


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=bounds.SHORT_TEXT_MAX)


class CommunityReviewSerializer(serializers.ModelSerializer):
    organization = EvaluationRef(read_only=True)
    conclusion_display = serializers.CharField(source="get_conclusion_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    transitions = OffersField(COMMUNITY_REVIEW)

    class Meta:
        model = CommunityReview
        fields = [
            "id", "organization", "year", "governance", "activities", "contribution", "residents_view", "total",
            "conclusion", "conclusion_display", "street_opinion", "party_opinion", "party_opinion_at", "status",
            "status_display", "transitions",
        ]  # fmt: skip
        read_only_fields = fields


def _part() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=PART_MAX)


class CommunityReviewWriteSerializer(_ScopedInput):
    organization = _pk(Organization, help_text="adding only")
    year = serializers.IntegerField(**_limits(CommunityReview, "year"))
    governance = _part()
    activities = _part()
    contribution = _part()
    residents_view = _part()
    street_opinion = serializers.CharField(**_limits(CommunityReview, "street_opinion"))
