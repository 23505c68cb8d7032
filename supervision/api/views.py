"""API of annual reports and the two lists: scoped and filtered exactly like the pages (same
FilterSets, same `restrict`); writes go through the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.views import ScopedModelViewSet
from core.choices import Action
from registry.models import Organization

from .. import services
from ..filtersets import (
    AbnormalListingFilterSet,
    AnnualReportFilterSet,
    RevocationFilterSet,
    SeriousViolationListingFilterSet,
)
from ..models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing
from ..services.clock import with_clock_start
from .serializers import (
    AbnormalListingCreateSerializer,
    AbnormalListingSerializer,
    AbnormalRemoveSerializer,
    AnnualReportCreateSerializer,
    AnnualReportSerializer,
    AnnualReportWriteSerializer,
    KeepSerializer,
    ReviewSerializer,
    RevocationCreateSerializer,
    RevocationSerializer,
    RevocationStepSerializer,
    RevocationWriteSerializer,
    SeriousListingCreateSerializer,
    SeriousRemoveSerializer,
    SeriousViolationListingSerializer,
)


def _organization(request, pk, action_name=Action.VIEW) -> Organization:
    """An organization the user may see, or 404 (never revealing others' existence)."""
    organization = Organization.objects.restrict(request.user, action_name).select_related("region").filter(pk=pk)
    found = organization.first()
    if found is None:
        raise NotFound()
    return found


# ---- viewsets ----


class AnnualReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Annual reports in the user's jurisdiction (an organization's own, for its account)."""

    queryset = AnnualReport.objects.select_related("organization__region")
    serializer_class = AnnualReportSerializer
    filterset_class = AnnualReportFilterSet
    ordering_fields = ["year", "due_on", "submitted_at"]

    @extend_schema(request=AnnualReportCreateSerializer, responses={201: AnnualReportSerializer})
    def create(self, request):
        serializer = AnnualReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = _organization(request, data.pop("organization"))
        report = services.annual_report_create(
            organization=organization, year=data.pop("year"), by=request.user, **data
        )
        return Response(
            AnnualReportSerializer(report, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AnnualReportWriteSerializer, responses=AnnualReportSerializer)
    def partial_update(self, request, pk=None):
        report = self.get_object()
        serializer = AnnualReportWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        report = services.annual_report_update(report=report, by=request.user, **serializer.validated_data)
        return Response(AnnualReportSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=AnnualReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = services.annual_report_submit(report=self.get_object(), by=request.user)
        return Response(AnnualReportSerializer(report, context=self.get_serializer_context()).data)

    submit.scoped_action = Action.CHANGE

    @extend_schema(request=ReviewSerializer, responses=AnnualReportSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.annual_report_conclude(
            report=self.get_object(), by=request.user, conclusion=serializer.validated_data.get("conclusion", ""),
            remarks=serializer.validated_data["remarks"],
        )  # fmt: skip
        return Response(AnnualReportSerializer(report, context=self.get_serializer_context()).data)

    conclude.scoped_action = Action.CHANGE

    @extend_schema(request=ReviewSerializer, responses=AnnualReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.annual_report_return(
            report=self.get_object(), by=request.user, reason=serializer.validated_data["remarks"]
        )
        return Response(AnnualReportSerializer(report, context=self.get_serializer_context()).data)

    return_.scoped_action = Action.CHANGE


class AbnormalListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """The abnormal-activity list: current and ended entries. POST lists; /remove/ ends a listing."""

    queryset = AbnormalListing.objects.select_related("organization__region", "listed_by", "ended_by")
    serializer_class = AbnormalListingSerializer
    filterset_class = AbnormalListingFilterSet
    ordering_fields = ["listed_on", "ended_on"]

    @extend_schema(request=AbnormalListingCreateSerializer, responses={201: AbnormalListingSerializer})
    def create(self, request):
        serializer = AbnormalListingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        listing = services.abnormal_listing_create(
            organization=_organization(request, data["organization"]), reason=data["reason"],
            note=data["listing_note"], report_year=data.get("report_year"), by=request.user,
        )  # fmt: skip
        return Response(AbnormalListingSerializer(listing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AbnormalRemoveSerializer, responses=AbnormalListingSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        serializer = AbnormalRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services.abnormal_listing_remove(
            listing=self.get_object(), by=request.user, end_reason=serializer.validated_data["end_reason"],
            note=serializer.validated_data["end_note"],
        )  # fmt: skip
        return Response(AbnormalListingSerializer(listing).data)

    remove.scoped_action = Action.CHANGE

    @extend_schema(request=KeepSerializer, responses=AbnormalListingSerializer)
    @action(detail=True, methods=["post"])
    def keep(self, request, pk=None):
        """Decide against a proposed removal: the organization stays listed, with the grounds."""
        serializer = KeepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services.abnormal_listing_keep(
            listing=self.get_object(), by=request.user, note=serializer.validated_data["note"]
        )
        return Response(AbnormalListingSerializer(listing).data)

    keep.scoped_action = Action.CHANGE


class SeriousViolationListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """The serious-violation list. POST lists (a serious violation); /remove/ ends a listing."""

    queryset = with_clock_start(
        SeriousViolationListing.objects.select_related("organization__region", "listed_by", "ended_by")
    )
    serializer_class = SeriousViolationListingSerializer
    filterset_class = SeriousViolationListingFilterSet
    ordering_fields = ["listed_on", "ended_on"]

    @extend_schema(request=SeriousListingCreateSerializer, responses={201: SeriousViolationListingSerializer})
    def create(self, request):
        serializer = SeriousListingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        listing = services.serious_listing_create(
            organization=_organization(request, data["organization"]), note=data["listing_note"], by=request.user
        )
        return Response(SeriousViolationListingSerializer(listing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SeriousRemoveSerializer, responses=SeriousViolationListingSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        serializer = SeriousRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services.serious_listing_remove(
            listing=self.get_object(), by=request.user, end_reason=serializer.validated_data["end_reason"],
            note=serializer.validated_data["end_note"],
        )  # fmt: skip
        return Response(SeriousViolationListingSerializer(listing).data)

    remove.scoped_action = Action.CHANGE


def _revocation_step(name):
    """An @action taking one step of the revocation's workflow (supervision.workflows.REVOCATION)."""

    @extend_schema(request=RevocationStepSerializer, responses=RevocationSerializer)
    def take(self, request, pk=None):
        serializer = RevocationStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revocation = services.revocation_transition(
            revocation=self.get_object(), by=request.user, name=name, reason=serializer.validated_data["reason"]
        )
        return Response(RevocationSerializer(revocation, context=self.get_serializer_context()).data)

    take.__name__ = "return_" if name == "return" else name
    take.__doc__ = f"Workflow step “{name}” (see supervision.workflows.REVOCATION)."
    take.scoped_action = Action.CHANGE
    return action(detail=True, methods=["post"], url_path=name, url_name=name)(take)


class RevocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Revocations (撤销登记) and licence revocations (吊销登记证书) of registered organizations: drafted
    and proposed by a clerk of the bureau, decided by another person."""

    queryset = Revocation.objects.select_related("organization__region", "created_by", "submitted_by", "reviewed_by")
    serializer_class = RevocationSerializer
    filterset_class = RevocationFilterSet
    ordering_fields = ["decision_date", "decision_number"]

    @extend_schema(request=RevocationCreateSerializer, responses={201: RevocationSerializer})
    def create(self, request):
        serializer = RevocationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = _organization(request, data.pop("organization"))
        revocation = services.revocation_create(organization=organization, by=request.user, **data)
        return Response(
            RevocationSerializer(revocation, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=RevocationWriteSerializer, responses=RevocationSerializer)
    def partial_update(self, request, pk=None):
        revocation = self.get_object()
        serializer = RevocationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        revocation = services.revocation_update(revocation=revocation, by=request.user, **serializer.validated_data)
        return Response(RevocationSerializer(revocation, context=self.get_serializer_context()).data)

    submit = _revocation_step("submit")
    approve = _revocation_step("approve")
    reject = _revocation_step("reject")
    return_ = _revocation_step("return")
