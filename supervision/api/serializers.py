"""Serializers of annual reports and the two lists: what the API shows, and what it accepts (the
services validate)."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from core.api.fields import OffersField
from registry.choices import PartyForm

from ..choices import (
    AnnualReportConclusion,
    ListingEndReason,
    ListingReason,
    RemovalProposal,
    RevocationKind,
    SeriousListingEndReason,
)
from ..models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing
from ..services import REPORT_FIELDS, serious_removable_from
from ..workflows import ANNUAL_REPORT, REVOCATION


class _OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    number = serializers.CharField()


class AnnualReportSerializer(serializers.ModelSerializer):
    organization = _OrganizationRefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Blank until the report is concluded, or when no party status was given: declared so that
    # the schema allows "" too.
    conclusion = serializers.ChoiceField(choices=AnnualReportConclusion.choices, allow_blank=True, read_only=True)
    party_status = serializers.ChoiceField(choices=PartyForm.choices, allow_blank=True, read_only=True)
    conclusion_display = serializers.CharField(source="get_conclusion_display", read_only=True)
    party_status_display = serializers.CharField(source="get_party_status_display", read_only=True)

    # The review fields (core.models.Reviewed) under the names the API has always used.
    return_reason = serializers.CharField(source="review_reason", read_only=True)
    concluded_at = serializers.DateTimeField(source="reviewed_at", read_only=True, allow_null=True)
    transitions = OffersField(ANNUAL_REPORT)

    class Meta:
        model = AnnualReport
        fields = [
            "id", "organization", "year", "kind", "kind_display", "status", "status_display", "due_on", *REPORT_FIELDS,
            "party_status_display", "submitted_at", "return_reason", "conclusion", "conclusion_display",
            "conclusion_remarks", "concluded_at", "transitions",
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
    party_status = serializers.ChoiceField(choices=PartyForm.choices, required=False, allow_blank=True)
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
    removal_proposal = serializers.ChoiceField(choices=RemovalProposal.choices, allow_blank=True, read_only=True)
    removal_proposal_display = serializers.CharField(source="get_removal_proposal_display", read_only=True)
    removal_pending = serializers.BooleanField(read_only=True)
    removal_declined_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = AbnormalListing
        fields = [
            *_ListingSerializer.common, "report_year", "serious_listing", "removal_proposal",
            "removal_proposal_display", "removal_proposed_on", "removal_pending", "removal_declined_on",
            "removal_declined_by", "removal_decline_note",
        ]  # fmt: skip
        read_only_fields = fields


class SeriousViolationListingSerializer(_ListingSerializer):
    end_reason = serializers.ChoiceField(choices=SeriousListingEndReason.choices, allow_blank=True, read_only=True)
    removable_from = serializers.SerializerMethodField(
        help_text="While listed: the first day the listing may be removed (two years after it began, or after "
        "the latest new listing since)."
    )

    class Meta:
        model = SeriousViolationListing
        fields = [*_ListingSerializer.common, "removable_from"]
        read_only_fields = fields

    def get_removable_from(self, obj) -> dt.date | None:
        return serious_removable_from(obj) if obj.is_active else None


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
    end_reason = serializers.ChoiceField(
        choices=[c for c in SeriousListingEndReason.choices if c[0] != SeriousListingEndReason.SUPERSEDED]
    )
    end_note = serializers.CharField(allow_blank=True, default="")


class KeepSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, default="", help_text="Grounds for keeping the organization listed.")


class RevocationSerializer(serializers.ModelSerializer):
    """A revocation (撤销登记) or licence revocation (吊销登记证书) and the steps offered to the user."""

    organization = _OrganizationRefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    created_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    submitted_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    decided_by = serializers.StringRelatedField(source="reviewed_by", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(source="reviewed_at", read_only=True, allow_null=True)
    decision_reason = serializers.CharField(source="review_reason", read_only=True)
    transitions = OffersField(REVOCATION)

    class Meta:
        model = Revocation
        fields = [
            "id", "organization", "kind", "kind_display", "legal_basis", "facts", "decision_number", "decision_date",
            "status", "status_display", "created_by", "submitted_at", "submitted_by", "decided_at", "decided_by",
            "decision_reason", "serious_listing", "transitions",
        ]  # fmt: skip
        read_only_fields = fields


class RevocationWriteSerializer(serializers.Serializer):
    """The particulars; the service validates them (with the same messages as the form)."""

    kind = serializers.ChoiceField(choices=RevocationKind.choices, required=False)
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    facts = serializers.CharField(required=False, allow_blank=True)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    decision_date = serializers.DateField(required=False)


class RevocationCreateSerializer(RevocationWriteSerializer):
    organization = serializers.IntegerField()


class RevocationStepSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
