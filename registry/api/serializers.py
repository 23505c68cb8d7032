"""Serializers of the registry API: organizations and applications. Writes go through services;
serializers only shape input and output."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Region
from core.api.fields import OffersField, UploadField
from registry import selectors
from registry.choices import ApplicationKind, AttachmentKind, Category, FounderKind, LegalForm
from registry.models import Application, ApplicationStep, Attachment, Founder, Organization
from registry.uploads import ATTACHMENT_UPLOADS
from registry.workflows import APPLICATION


class OrganizationSerializer(serializers.ModelSerializer):
    legal_form_display = serializers.CharField(source="get_legal_form_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    street = serializers.SerializerMethodField()
    community = serializers.SerializerMethodField()
    in_abnormal_list = serializers.BooleanField(read_only=True, default=False)
    in_serious_list = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "uscc",
            "uscc_override_reason",
            "filing_number",
            "legal_form",
            "legal_form_display",
            "registration_level",
            "category",
            "category_display",
            "region",
            "street",
            "community",
            "district",
            "registration_authority",
            "supervising_unit",
            "legal_representative",
            "phone",
            "address",
            "established_on",
            "funds",
            "business_scope",
            "activity_area",
            "member_count",
            "staff_count",
            "volunteer_count",
            "status",
            "status_display",
            "status_changed_on",
            "status_document",
            "in_abnormal_list",
            "in_serious_list",
        ]
        read_only_fields = fields

    def get_street(self, obj) -> str | None:
        street = selectors.street_of(obj.region)
        return street.name if street else None

    def get_community(self, obj) -> str | None:
        community = selectors.community_of(obj.region)
        return community.name if community else None


class OrganizationCreateSerializer(serializers.Serializer):
    """Enter an organization directly (the bureau's own register); the service validates it."""

    name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    uscc_override_reason = serializers.CharField(required=False, allow_blank=True)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    supervising_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    established_on = serializers.DateField(required=False, allow_null=True)
    funds = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    business_scope = serializers.CharField(required=False, allow_blank=True)
    activity_area = serializers.CharField(max_length=200, required=False, allow_blank=True)
    member_count = serializers.IntegerField(min_value=0, required=False)
    staff_count = serializers.IntegerField(min_value=0, required=False)
    volunteer_count = serializers.IntegerField(min_value=0, required=False)


class ApplicationStepSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ApplicationStep
        fields = ["action", "from_state", "to_state", "actor", "at", "reason"]


class ApplicationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    organization_name = serializers.CharField(source="display_name", read_only=True)
    applicant = serializers.StringRelatedField()
    decided_at = serializers.DateTimeField(source="reviewed_at", read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "organization",
            "organization_name",
            "legal_form",
            "region",
            "district",
            "applicant",
            "data",
            "current",
            "liquidation_conclusion",
            "remarks",
            "submitted_at",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "kind_display",
            "original_name",
            "extension",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return reverse("registry:attachment_download", args=[obj.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = UploadField(policy=ATTACHMENT_UPLOADS)


class FounderSerializer(serializers.ModelSerializer):
    """A founder (发起人) of an establishment: a resident or a unit in the community."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Founder
        fields = ["name", "kind", "kind_display", "community", "community_name", "address", "contact"]
        read_only_fields = fields


class FounderInputSerializer(serializers.Serializer):
    """A founder as the API takes it; the service checks it (registry.services.founders)."""

    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=FounderKind.choices)
    community = serializers.IntegerField(required=False, allow_null=True, default=None)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=50)


class ApplicationDetailSerializer(ApplicationSerializer):
    steps = ApplicationStepSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    founders = FounderSerializer(many=True, read_only=True)
    transitions = OffersField(APPLICATION)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "founders", "steps", "attachments", "transitions"]
        read_only_fields = fields

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj):
        return AttachmentSerializer(obj.attachments.filter(is_removed=False), many=True).data


class ApplicationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    organization = serializers.IntegerField(required=False, allow_null=True)
    data = serializers.DictField(required=False, default=dict)
    liquidation_conclusion = serializers.CharField(required=False, allow_blank=True, default="")
    remarks = serializers.CharField(required=False, allow_blank=True, default="")
    founders = FounderInputSerializer(many=True, required=False, help_text="An establishment's founders (发起人).")


class ApplicationUpdateSerializer(serializers.Serializer):
    data = serializers.DictField(required=False)
    liquidation_conclusion = serializers.CharField(required=False, allow_blank=True)
    remarks = serializers.CharField(required=False, allow_blank=True)
    founders = FounderInputSerializer(
        many=True, required=False, help_text="Replaces the founders (发起人) of an establishment."
    )


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    uscc = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    uscc_override_reason = serializers.CharField(required=False, allow_blank=True, default="")
