"""API of the projects app: the same querysets, FilterSets and services as the pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ScopedModelViewSet
from core.choices import Action

from .. import filtersets, services
from ..models import (
    BudgetLine,
    Expenditure,
    Indicator,
    LedgerEntry,
    MajorActivityReport,
    Project,
    QuarterlySubmission,
)
from . import serializers as s


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, user=self.request.user, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.queryset.model.objects.get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)


class ProjectViewSet(_Base):
    queryset = Project.objects.select_related("organization__region", "funder").prefetch_related("service_communities")
    serializer_class = s.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet
    ordering_fields = ["code", "title", "amount", "start_date", "end_date"]

    @extend_schema(request=s.ProjectCreateSerializer, responses={201: s.ProjectSerializer})
    def create(self, request):
        data = self._input(s.ProjectCreateSerializer)
        return self._answer(services.project_create(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=s.StepNameSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        serializer = s.StepNameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            services.project_transition(project=self.get_object(), by=request.user, **serializer.validated_data)
        )


class BudgetLineViewSet(_Base):
    queryset = BudgetLine.objects.select_related("project")
    serializer_class = s.BudgetLineSerializer
    filterset_fields = ["project", "category"]
    ordering_fields = ["amount"]


class IndicatorViewSet(_Base):
    queryset = Indicator.objects.select_related("project")
    serializer_class = s.IndicatorSerializer
    filterset_fields = ["project", "source"]

    @extend_schema(request=s.IndicatorValueSerializer, responses=s.IndicatorSerializer)
    @action(detail=True, methods=["post"])
    def value(self, request, pk=None):
        """Enter the achieved value: the organization or the funder; of an indicator from beneficiary
        feedback (满意度 …) the funder only."""
        indicator = self.get_object()
        serializer = s.IndicatorValueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        indicator = services.indicator_enter_value(
            indicator=indicator, by=request.user, value=serializer.validated_data["value"]
        )
        return self._answer(indicator)


class LedgerEntryViewSet(mixins.CreateModelMixin, _Base):
    queryset = LedgerEntry.objects.select_related("project__organization", "project__funder")
    serializer_class = s.LedgerEntrySerializer
    filterset_class = filtersets.LedgerEntryFilterSet
    ordering_fields = ["date"]

    @extend_schema(request=s.LedgerEntryCreateSerializer, responses={201: s.LedgerEntrySerializer})
    def create(self, request):
        data = self._input(s.LedgerEntryCreateSerializer)
        return self._answer(services.ledger_entry_create(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=s.LedgerEntryInputSerializer, responses=s.LedgerEntrySerializer)
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        serializer = s.LedgerEntryInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.ledger_entry_update(entry=entry, by=request.user, **serializer.validated_data))

    @extend_schema(request=None, responses=s.LedgerEntrySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.ledger_entry_submit(entry=self.get_object(), by=request.user))

    @extend_schema(request=None, responses=s.LedgerEntrySerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(services.ledger_entry_accept(entry=self.get_object(), by=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.LedgerEntrySerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            services.ledger_entry_return(
                entry=self.get_object(), by=request.user, reason=serializer.validated_data["reason"]
            )
        )

    @extend_schema(request=s.LedgerEntryInputSerializer, responses={201: s.LedgerEntrySerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        entry = self.get_object()
        serializer = s.LedgerEntryInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        correction = services.ledger_entry_correct(entry=entry, by=request.user, **serializer.validated_data)
        return self._answer(correction, status.HTTP_201_CREATED)


class ExpenditureViewSet(mixins.CreateModelMixin, _Base):
    queryset = Expenditure.objects.select_related("project", "budget_line", "reversal")
    serializer_class = s.ExpenditureSerializer
    filterset_class = filtersets.ExpenditureFilterSet
    ordering_fields = ["date", "amount"]

    @extend_schema(
        # A voucher file comes as multipart; without one, JSON will do.
        request={
            "application/json": s.ExpenditureCreateSerializer,
            "multipart/form-data": s.ExpenditureCreateSerializer,
        },
        responses={201: s.ExpenditureSerializer},
    )
    def create(self, request):
        data = self._input(s.ExpenditureCreateSerializer)
        return self._answer(services.expenditure_create(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=s.ExpenditureReverseSerializer, responses={201: s.ExpenditureSerializer})
    @action(detail=True, methods=["post"], url_path="reverse", url_name="reverse")
    def reverse_(self, request, pk=None):
        """Reverse (红冲) the expenditure: answers the new counter-entry."""
        expenditure = self.get_object()
        serializer = s.ExpenditureReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reversal = services.expenditure_reverse(by=request.user, expenditure=expenditure, **serializer.validated_data)
        return self._answer(reversal, status.HTTP_201_CREATED)

    reverse_.scoped_action = Action.ADD


class QuarterlySubmissionViewSet(mixins.CreateModelMixin, _Base):
    queryset = QuarterlySubmission.objects.select_related("project__organization", "project__funder")
    serializer_class = s.QuarterlySubmissionSerializer
    filterset_class = filtersets.QuarterlySubmissionFilterSet
    ordering_fields = ["first_submitted_at"]

    @extend_schema(request=s.QuarterlySubmissionCreateSerializer, responses={201: s.QuarterlySubmissionSerializer})
    def create(self, request):
        data = self._input(s.QuarterlySubmissionCreateSerializer)
        submission = services.quarterly_submission_submit(by=request.user, **data)
        return self._answer(submission, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.QuarterlySubmissionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(services.quarterly_submission_accept(submission=self.get_object(), by=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.QuarterlySubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            services.quarterly_submission_return(
                submission=self.get_object(), by=request.user, reason=serializer.validated_data["reason"]
            )
        )


class MajorActivityReportViewSet(mixins.CreateModelMixin, _Base):
    queryset = MajorActivityReport.objects.select_related("organization__region", "project")
    serializer_class = s.MajorActivityReportSerializer
    filterset_class = filtersets.MajorActivityReportFilterSet
    ordering_fields = ["planned_date", "reported_on"]

    @extend_schema(request=s.MajorActivityReportCreateSerializer, responses={201: s.MajorActivityReportSerializer})
    def create(self, request):
        from registry.models import Organization

        data = self._input(s.MajorActivityReportCreateSerializer)
        organization = Organization.objects.filter(pk=request.user.organization_id).first()
        if organization is None:
            raise PermissionDenied(_("Only an organization's account may report a major activity."))
        report = services.major_activity_report_create(by=request.user, organization=organization, **data)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.MajorActivityReportSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._answer(services.major_activity_acknowledge(report=self.get_object(), by=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.MajorActivityReportSerializer)
    @action(detail=True, methods=["post"], url_path="object", url_name="object")
    def object_(self, request, pk=None):
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            services.major_activity_object(
                report=self.get_object(), by=request.user, reason=serializer.validated_data["reason"]
            )
        )
