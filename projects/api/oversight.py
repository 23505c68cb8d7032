"""API of the oversight of projects: the funder's reviews (/api/v1/project-reviews/), supervision
visits (/api/v1/supervision-visits/) with their rectifications. The same FilterSets and services as
the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from core.choices import Action

from .. import filtersets, services
from ..choices import ReviewConclusion, ReviewStage, VisitKind
from ..models import Project, ProjectReview, SupervisionVisit
from .views import _Base


class _ProjectInput(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user)


# ------------------------------------------------------------------------------------- reviews


class ProjectReviewSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    conclusion_display = serializers.CharField(source="get_conclusion_display", read_only=True)

    class Meta:
        model = ProjectReview
        fields = [
            "id",
            "project",
            "project_code",
            "stage",
            "stage_display",
            "conclusion",
            "conclusion_display",
            "score",
            "remarks",
            "reviewed_on",
            "created_at",
        ]


class ProjectReviewCreateSerializer(_ProjectInput):
    """As sent; the service checks the stage against the project's state, the score and the date."""

    stage = serializers.ChoiceField(choices=ReviewStage.choices)
    conclusion = serializers.ChoiceField(choices=ReviewConclusion.choices)
    score = serializers.CharField(max_length=20)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")
    reviewed_on = serializers.DateField(required=False, allow_null=True, default=None)


class ProjectReviewViewSet(mixins.CreateModelMixin, _Base):
    queryset = ProjectReview.objects.select_related("project")
    serializer_class = ProjectReviewSerializer
    filterset_class = filtersets.ProjectReviewFilterSet
    ordering_fields = ["reviewed_on", "score"]

    @extend_schema(request=ProjectReviewCreateSerializer, responses={201: ProjectReviewSerializer})
    def create(self, request):
        data = self._input(ProjectReviewCreateSerializer)
        return self._answer(services.project_review_record(by=request.user, **data), status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- supervision visits


class SupervisionVisitSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    rectification_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = SupervisionVisit
        fields = [
            "id",
            "project",
            "project_code",
            "kind",
            "kind_display",
            "visited_on",
            "supervisor",
            "findings",
            "rectification",
            "rectification_due",
            "rectified_on",
            "rectification_note",
            "rectification_open",
            "created_at",
        ]


class SupervisionVisitCreateSerializer(_ProjectInput):
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    visited_on = serializers.DateField()
    supervisor = serializers.CharField(max_length=100)
    findings = serializers.CharField()
    rectification = serializers.CharField(required=False, allow_blank=True, default="")
    rectification_due = serializers.DateField(required=False, allow_null=True, default=None)


class RectificationSerializer(serializers.Serializer):
    rectified_on = serializers.DateField()
    rectification_note = serializers.CharField(allow_blank=True)


class SupervisionVisitViewSet(mixins.CreateModelMixin, _Base):
    queryset = SupervisionVisit.objects.select_related("project")
    serializer_class = SupervisionVisitSerializer
    filterset_class = filtersets.SupervisionVisitFilterSet
    ordering_fields = ["visited_on", "rectification_due", "rectified_on"]

    @extend_schema(request=SupervisionVisitCreateSerializer, responses={201: SupervisionVisitSerializer})
    def create(self, request):
        data = self._input(SupervisionVisitCreateSerializer)
        return self._answer(services.supervision_visit_record(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=RectificationSerializer, responses=SupervisionVisitSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        visit = self.get_object()  # another's visit is not found, whatever the body says
        serializer = RectificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visit = services.supervision_visit_rectify(
            by=request.user, visit=visit, rectified_on=data["rectified_on"], note=data["rectification_note"]
        )
        return self._answer(visit)

    rectify.scoped_action = Action.CHANGE
