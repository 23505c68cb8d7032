"""API of annual reports and the two lists: scoped and filtered exactly like the pages (same
FilterSets, same `restrict`); writes go through the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.views import ScopedModelViewSet
from core.choices import Action

from . import services_listings, services_reports
from .choices_reports import (
    AnnualReportConclusion,
    ListingEndReason,
    ListingReason,
    PartyStatus,
    SeriousListingEndReason,
)
from .filtersets_reports import AbnormalListingFilterSet, AnnualReportFilterSet, SeriousViolationListingFilterSet
from .models import AbnormalListing, AnnualReport, Organization, SeriousViolationListing
from .services_reports import REPORT_FIELDS

# ---- serializers ----


class _OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    number = serializers.CharField()


class AnnualReportSerializer(serializers.ModelSerializer):
    organization = _OrganizationRefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Blank until the report is concluded, or when no party status was given: declared so that
    # the schema allows "" too.
    conclusion = serializers.ChoiceField(choices=AnnualReportConclusion.choices, allow_blank=True, read_only=True)
    party_status = serializers.ChoiceField(choices=PartyStatus.choices, allow_blank=True, read_only=True)
    conclusion_display = serializers.CharField(source="get_conclusion_display", read_only=True)
    party_status_display = serializers.CharField(source="get_party_status_display", read_only=True)

    class Meta:
        model = AnnualReport
        fields = [
            "id", "organization", "year", "status", "status_display", "due_on", *REPORT_FIELDS,
            "party_status_display", "submitted_at", "return_reason", "conclusion", "conclusion_display",
            "conclusion_remarks", "concluded_at",
        ]  # fmt: skip
        read_only_fields = fields


class AnnualReportWriteSerializer(serializers.Serializer):
    """The particulars; the service validates them (with the same messages as the form)."""

    activities = serializers.CharField(required=False, allow_blank=True)
    activity_count = serializers.IntegerField(required=False, min_value=0)
    beneficiaries = serializers.IntegerField(required=False, min_value=0)
    income = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    expenditure = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    net_assets = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    staff_count = serializers.IntegerField(required=False, min_value=0)
    volunteer_count = serializers.IntegerField(required=False, min_value=0)
    party_status = serializers.ChoiceField(choices=PartyStatus.choices, required=False, allow_blank=True)
    party_member_count = serializers.IntegerField(required=False, min_value=0)


class AnnualReportCreateSerializer(AnnualReportWriteSerializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField()


class ReviewSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=AnnualReportConclusion.choices, required=False)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")


class _ListingSerializer(serializers.ModelSerializer):
    organization = _OrganizationRefSerializer(read_only=True)
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    end_reason_display = serializers.CharField(source="get_end_reason_display", read_only=True)
    listed_by = serializers.CharField(source="listed_by_display", read_only=True)
    ended_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)

    common = [
        "id", "organization", "reason", "reason_display", "is_active", "listed_on", "listed_by", "listing_note",
        "ended_on", "ended_by", "end_reason", "end_reason_display", "end_note",
    ]  # fmt: skip


class AbnormalListingSerializer(_ListingSerializer):
    # Blank while the organization is listed: declared so that the schema allows "" too.
    end_reason = serializers.ChoiceField(choices=ListingEndReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = AbnormalListing
        fields = [*_ListingSerializer.common, "report_year", "serious_listing"]
        read_only_fields = fields


class SeriousViolationListingSerializer(_ListingSerializer):
    end_reason = serializers.ChoiceField(choices=SeriousListingEndReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = SeriousViolationListing
        fields = _ListingSerializer.common
        read_only_fields = fields


class AbnormalListingCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=ListingReason.choices)
    listing_note = serializers.CharField(allow_blank=True, default="")
    report_year = serializers.IntegerField(required=False, allow_null=True)


class SeriousListingCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    listing_note = serializers.CharField(allow_blank=True, default="")


class AbnormalRemoveSerializer(serializers.Serializer):
    end_reason = serializers.ChoiceField(choices=ListingEndReason.choices)
    end_note = serializers.CharField(allow_blank=True, default="")


class SeriousRemoveSerializer(serializers.Serializer):
    end_reason = serializers.ChoiceField(choices=SeriousListingEndReason.choices)
    end_note = serializers.CharField(allow_blank=True, default="")


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
    ordering_fields = ["year", "due_on", "submitted_at", "status", "organization__name"]

    @extend_schema(request=AnnualReportCreateSerializer, responses={201: AnnualReportSerializer})
    def create(self, request):
        serializer = AnnualReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = _organization(request, data.pop("organization"))
        report = services_reports.annual_report_create(
            organization=organization, year=data.pop("year"), by=request.user, **data
        )
        return Response(AnnualReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnnualReportWriteSerializer, responses=AnnualReportSerializer)
    def partial_update(self, request, pk=None):
        report = self.get_object()
        serializer = AnnualReportWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        report = services_reports.annual_report_update(report=report, by=request.user, **serializer.validated_data)
        return Response(AnnualReportSerializer(report).data)

    @extend_schema(request=None, responses=AnnualReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = services_reports.annual_report_submit(report=self.get_object(), by=request.user)
        return Response(AnnualReportSerializer(report).data)

    submit.scoped_action = Action.CHANGE

    @extend_schema(request=ReviewSerializer, responses=AnnualReportSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services_reports.annual_report_conclude(
            report=self.get_object(), by=request.user, conclusion=serializer.validated_data.get("conclusion", ""),
            remarks=serializer.validated_data["remarks"],
        )  # fmt: skip
        return Response(AnnualReportSerializer(report).data)

    conclude.scoped_action = Action.CHANGE

    @extend_schema(request=ReviewSerializer, responses=AnnualReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services_reports.annual_report_return(
            report=self.get_object(), by=request.user, reason=serializer.validated_data["remarks"]
        )
        return Response(AnnualReportSerializer(report).data)

    return_.scoped_action = Action.CHANGE


class AbnormalListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """The abnormal-activity list: current and ended entries. POST lists; /remove/ ends a listing."""

    queryset = AbnormalListing.objects.select_related("organization__region", "listed_by", "ended_by")
    serializer_class = AbnormalListingSerializer
    filterset_class = AbnormalListingFilterSet
    ordering_fields = ["listed_on", "ended_on", "organization__name", "reason"]

    @extend_schema(request=AbnormalListingCreateSerializer, responses={201: AbnormalListingSerializer})
    def create(self, request):
        serializer = AbnormalListingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        listing = services_listings.abnormal_listing_create(
            organization=_organization(request, data["organization"]), reason=data["reason"],
            note=data["listing_note"], report_year=data.get("report_year"), by=request.user,
        )  # fmt: skip
        return Response(AbnormalListingSerializer(listing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AbnormalRemoveSerializer, responses=AbnormalListingSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        serializer = AbnormalRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services_listings.abnormal_listing_remove(
            listing=self.get_object(), by=request.user, end_reason=serializer.validated_data["end_reason"],
            note=serializer.validated_data["end_note"],
        )  # fmt: skip
        return Response(AbnormalListingSerializer(listing).data)

    remove.scoped_action = Action.CHANGE


class SeriousViolationListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """The serious-violation list. POST lists (a serious violation); /remove/ ends a listing."""

    queryset = SeriousViolationListing.objects.select_related("organization__region", "listed_by", "ended_by")
    serializer_class = SeriousViolationListingSerializer
    filterset_class = SeriousViolationListingFilterSet
    ordering_fields = ["listed_on", "ended_on", "organization__name"]

    @extend_schema(request=SeriousListingCreateSerializer, responses={201: SeriousViolationListingSerializer})
    def create(self, request):
        serializer = SeriousListingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        listing = services_listings.serious_listing_create(
            organization=_organization(request, data["organization"]), note=data["listing_note"], by=request.user
        )
        return Response(SeriousViolationListingSerializer(listing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SeriousRemoveSerializer, responses=SeriousViolationListingSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        serializer = SeriousRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services_listings.serious_listing_remove(
            listing=self.get_object(), by=request.user, end_reason=serializer.validated_data["end_reason"],
            note=serializer.validated_data["end_note"],
        )  # fmt: skip
        return Response(SeriousViolationListingSerializer(listing).data)

    remove.scoped_action = Action.CHANGE
