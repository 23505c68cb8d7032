"""Serializers of the projects API: read shapes, and input shapes whose data a service writes."""

from django.urls import reverse
from rest_framework import serializers

from accounts.models import Region
from core.api.fields import OffersField, UploadField
from registry.models import Organization

from ..choices import EntryKind, FundingSource, IndicatorSource, TargetGroup
from ..models import (
    BudgetLine,
    Expenditure,
    Funder,
    Indicator,
    LedgerEntry,
    MajorActivityReport,
    Project,
    QuarterlySubmission,
)
from ..rules import ENTRY_FIELDS
from ..uploads import VOUCHER_UPLOADS
from ..workflows import LEDGER_ENTRY, MAJOR_ACTIVITY, PROJECT, QUARTERLY_SUBMISSION


class ProjectSerializer(serializers.ModelSerializer):
    transitions = OffersField(PROJECT)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    funder_name = serializers.CharField(source="funder.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "organization",
            "organization_name",
            "funding_source",
            "funder",
            "funder_name",
            "amount",
            "start_date",
            "end_date",
            "target_groups",
            "service_communities",
            "objectives",
            "status",
            "status_display",
            "status_reason",
            "transitions",
        ]


class ProjectCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    title = serializers.CharField(max_length=200)
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)
    funder = serializers.PrimaryKeyRelatedField(queryset=Funder.objects.all())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices), required=False)
    service_communities = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), many=True, required=False)
    objectives = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user)


class StepNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "project", "category", "name", "amount"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "project", "name", "unit", "target", "source", "entered_value"]


class IndicatorCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=20)
    target = serializers.DecimalField(max_digits=12, decimal_places=2)
    source = serializers.ChoiceField(choices=IndicatorSource.choices)


class LedgerEntrySerializer(serializers.ModelSerializer):
    transitions = OffersField(LEDGER_ENTRY)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    return_reason = serializers.CharField(source="review_reason", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "project",
            *ENTRY_FIELDS,
            "status",
            "status_display",
            "return_reason",
            "version",
            "previous_version",
            "is_current",
            "submitted_at",
            "reviewed_at",
            "transitions",
        ]


class LedgerEntryInputSerializer(serializers.Serializer):
    """Entry fields as sent; the service validates them (period, counts, locked quarters)."""

    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    title = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    participants = serializers.IntegerField(required=False, default=0)
    beneficiaries = serializers.IntegerField(required=False, default=0)
    volunteers = serializers.IntegerField(required=False, default=0)
    volunteer_hours = serializers.DecimalField(max_digits=8, decimal_places=1, required=False, default=0)
    foreign_involvement = serializers.BooleanField(required=False, default=False)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class LedgerEntryCreateSerializer(LedgerEntryInputSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user)


class ExpenditureSerializer(serializers.ModelSerializer):
    voucher_url = serializers.SerializerMethodField()
    # A reversal (红冲) names the expenditure it cancels (`reverses`); a reversed one its reversal.
    reversal = serializers.SerializerMethodField()

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "project",
            "budget_line",
            "date",
            "amount",
            "payee",
            "purpose",
            "voucher_number",
            "voucher_name",
            "voucher_url",
            "reverses",
            "reversal",
            "reversal_reason",
        ]

    def get_voucher_url(self, obj) -> str | None:
        """The scoped download view; files are never served from a media URL."""
        return reverse("projects:expenditure_voucher", args=[obj.pk]) if obj.voucher else None

    def get_reversal(self, obj) -> int | None:
        """The reversal that cancels this expenditure, if any."""
        reversal = getattr(obj, "reversal", None)
        return reversal.pk if reversal is not None else None


class ExpenditureCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    budget_line = serializers.PrimaryKeyRelatedField(queryset=BudgetLine.objects.none())
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)
    payee = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    voucher_number = serializers.CharField(max_length=50)
    voucher = UploadField(policy=VOUCHER_UPLOADS, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user)
        self.fields["budget_line"].queryset = BudgetLine.objects.restrict(user)


class ExpenditureReverseSerializer(serializers.Serializer):
    """A reversal (红冲) as sent: the reason, and a date (empty: today); the service checks both."""

    reason = serializers.CharField(allow_blank=True)
    date = serializers.DateField(required=False, allow_null=True, default=None)


class IndicatorValueSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=30)


class QuarterlySubmissionSerializer(serializers.ModelSerializer):
    transitions = OffersField(QUARTERLY_SUBMISSION)
    return_reason = serializers.CharField(source="review_reason", read_only=True)
    timeliness = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True)

    class Meta:
        model = QuarterlySubmission
        fields = [
            "id",
            "project",
            "year",
            "quarter",
            "narrative",
            "status",
            "first_submitted_at",
            "submitted_at",
            "due_date",
            "timeliness",
            "return_reason",
            "reviewed_at",
            "transitions",
        ]


class QuarterlySubmissionCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    narrative = serializers.CharField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user)


class MajorActivityReportSerializer(serializers.ModelSerializer):
    transitions = OffersField(MAJOR_ACTIVITY)

    class Meta:
        model = MajorActivityReport
        fields = [
            "id",
            "organization",
            "project",
            "title",
            "planned_date",
            "place",
            "expected_participants",
            "foreign_involvement",
            "foreign_details",
            "content",
            "reported_on",
            "is_late",
            "status",
            "review_reason",
            "reviewed_at",
            "transitions",
        ]


class MajorActivityReportCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.none(), required=False, allow_null=True, default=None
    )
    title = serializers.CharField(max_length=200)
    planned_date = serializers.DateField()
    place = serializers.CharField(max_length=200)
    expected_participants = serializers.IntegerField()
    foreign_involvement = serializers.BooleanField(required=False, default=False)
    foreign_details = serializers.CharField(required=False, allow_blank=True, default="")
    content = serializers.CharField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user)
