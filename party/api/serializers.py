"""Serializers of the party API: the read shapes, and the input shapes whose data the services write
(the services check again, with the same messages as the pages). Referenced rows are chosen among
those the requesting user may see (a row of another district answers like one that does not exist)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Region
from core import bounds
from core.api.fields import OffersField, ScopedInputSerializer, UploadField
from registry.choices import PartyForm
from registry.models import Organization

from ..choices import ActivityKind, ContactForm, DecisionStatus, Formation, PartyLevel
from ..models import (
    ContactAttachment,
    ContactRecord,
    JointMeeting,
    MeetingDecision,
    PartyActivity,
    PartyCoverage,
    PartyOrganization,
)
from ..uploads import CONTACT_ATTACHMENT_UPLOADS, MEETING_MINUTES_UPLOADS
from ..workflows import DECISION, PARTY_ORGANIZATION


def _limits(model, name: str) -> dict:
    return bounds.limits(model, name)


class _Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class _ScopedInput(ScopedInputSerializer):
    """An input serializer whose related fields offer only the rows the user may see."""

    scoped = {
        "region": Region,
        "parent": PartyOrganization,
        "host_organization": Organization,
        "organizations": Organization,
        "organization": Organization,
        "party_organization": PartyOrganization,
        "host": PartyOrganization,
    }


def _pk(model, **kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=model.objects.none(), **kwargs)


# ------------------------------------------------------------------------- party organizations


class PartyOrganizationSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    formation_display = serializers.CharField(source="get_formation_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)
    organizations = serializers.SerializerMethodField(help_text="the organizations it covers now")
    transitions = OffersField(PARTY_ORGANIZATION)

    class Meta:
        model = PartyOrganization
        fields = [
            "id", "name", "level", "level_display", "formation", "formation_display", "region", "region_name",
            "is_area_body", "parent", "parent_name", "secretary", "secretary_phone", "established_on",
            "term_ends_on", "full_member_count", "probationary_member_count", "host_organization", "rotation",
            "status", "status_display", "dissolved_on", "organizations", "transitions",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(_Ref(many=True))
    def get_organizations(self, obj):
        rows = getattr(obj, "current_coverages", None)
        if rows is None:
            rows = obj.coverages.filter(valid_to__isnull=True).select_related("organization")
        return [{"id": row.organization_id, "name": row.organization.name} for row in rows]


class PartyOrganizationWriteSerializer(_ScopedInput):
    """The particulars (all optional when changing); `organizations` is the covered set."""

    name = serializers.CharField(**_limits(PartyOrganization, "name"))
    level = serializers.ChoiceField(choices=PartyLevel.choices)
    formation = serializers.ChoiceField(choices=Formation.choices)
    region = _pk(Region)
    is_area_body = serializers.BooleanField(required=False)
    parent = _pk(PartyOrganization, required=False, allow_null=True)
    secretary = serializers.CharField(required=False, allow_blank=True, **_limits(PartyOrganization, "secretary"))
    secretary_phone = serializers.CharField(
        required=False, allow_blank=True, **_limits(PartyOrganization, "secretary_phone")
    )
    established_on = serializers.DateField(**_limits(PartyOrganization, "established_on"))
    term_ends_on = serializers.DateField(required=False, allow_null=True, **_limits(PartyOrganization, "term_ends_on"))
    full_member_count = serializers.IntegerField(required=False, **_limits(PartyOrganization, "full_member_count"))
    probationary_member_count = serializers.IntegerField(
        required=False, **_limits(PartyOrganization, "probationary_member_count")
    )
    host_organization = _pk(Organization, required=False, allow_null=True)
    rotation = serializers.CharField(required=False, allow_blank=True, **_limits(PartyOrganization, "rotation"))
    organizations = _pk(Organization, many=True, required=False)
    covers_from = serializers.DateField(required=False, allow_null=True, **_limits(PartyCoverage, "valid_from"))


class DissolveSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="", max_length=bounds.SHORT_TEXT_MAX)


# ------------------------------------------------------------------------------------- coverage


class PartyCoverageSerializer(serializers.ModelSerializer):
    organization = _Ref(read_only=True)
    form_display = serializers.CharField(source="get_form_display", read_only=True)
    party_organization_name = serializers.CharField(
        source="party_organization.name", read_only=True, allow_null=True, default=None
    )
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = PartyCoverage
        fields = [
            "id", "organization", "form", "form_display", "party_organization", "party_organization_name",
            "full_party_members", "probationary_party_members", "head_is_party_member", "management_on_committee",
            "committee_in_management", "instructor", "instructor_phone", "planned_on", "no_party_reason",
            "trade_union_on", "youth_league_on", "women_org_on", "valid_from", "valid_to", "is_current", "note",
        ]  # fmt: skip
        read_only_fields = fields


def _text(model, name):
    return serializers.CharField(required=False, allow_blank=True, **_limits(model, name))


def _day(model, name):
    return serializers.DateField(required=False, allow_null=True, **_limits(model, name))


class PartyCoverageWriteSerializer(_ScopedInput):
    """A new version of an organization's coverage; fields not given carry over from the current one."""

    organization = _pk(Organization)
    valid_from = serializers.DateField(required=False, **_limits(PartyCoverage, "valid_from"))
    form = serializers.ChoiceField(choices=PartyForm.choices, required=False)
    party_organization = _pk(PartyOrganization, required=False, allow_null=True)
    full_party_members = serializers.IntegerField(required=False, **_limits(PartyCoverage, "full_party_members"))
    probationary_party_members = serializers.IntegerField(
        required=False, **_limits(PartyCoverage, "probationary_party_members")
    )
    head_is_party_member = serializers.BooleanField(required=False)
    management_on_committee = _text(PartyCoverage, "management_on_committee")
    committee_in_management = _text(PartyCoverage, "committee_in_management")
    instructor = _text(PartyCoverage, "instructor")
    instructor_phone = _text(PartyCoverage, "instructor_phone")
    planned_on = _day(PartyCoverage, "planned_on")
    no_party_reason = _text(PartyCoverage, "no_party_reason")
    trade_union_on = _day(PartyCoverage, "trade_union_on")
    youth_league_on = _day(PartyCoverage, "youth_league_on")
    women_org_on = _day(PartyCoverage, "women_org_on")
    note = _text(PartyCoverage, "note")


# ------------------------------------------------------------------------------------- contacts


class ContactAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ContactAttachment
        fields = ["id", "original_name", "url"]
        read_only_fields = fields


class ContactRecordSerializer(serializers.ModelSerializer):
    organization = _Ref(read_only=True)
    party_organization_name = serializers.CharField(
        source="party_organization.name", read_only=True, allow_null=True, default=None
    )
    form_display = serializers.CharField(source="get_form_display", read_only=True)
    recorded_by = serializers.StringRelatedField(read_only=True)
    attachments = ContactAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ContactRecord
        fields = [
            "id", "organization", "party_organization", "party_organization_name", "contacted_on", "form",
            "form_display", "topics", "issues", "follow_up", "recorded_by", "attachments",
        ]  # fmt: skip
        read_only_fields = fields


class ContactWriteSerializer(serializers.Serializer):
    contacted_on = serializers.DateField(**_limits(ContactRecord, "contacted_on"))
    form = serializers.ChoiceField(choices=ContactForm.choices)
    topics = serializers.CharField(**_limits(ContactRecord, "topics"))
    issues = _text(ContactRecord, "issues")
    follow_up = _text(ContactRecord, "follow_up")


class ContactCreateSerializer(_ScopedInput, ContactWriteSerializer):
    organization = _pk(Organization)
    attachments = serializers.ListField(
        child=UploadField(policy=CONTACT_ATTACHMENT_UPLOADS), required=False, allow_empty=True
    )


class ContactAttachmentUploadSerializer(serializers.Serializer):
    file = UploadField(policy=CONTACT_ATTACHMENT_UPLOADS)


# ---------------------------------------------------------------------- activities and meetings


class PartyActivitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    host_name = serializers.CharField(source="host.name", read_only=True)
    organizations = _Ref(many=True, read_only=True)

    class Meta:
        model = PartyActivity
        fields = [
            "id", "kind", "kind_display", "held_on", "host", "host_name", "region", "topic", "organizations",
            "head_count", "note",
        ]  # fmt: skip
        read_only_fields = fields


class PartyActivityWriteSerializer(_ScopedInput):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    held_on = serializers.DateField(**_limits(PartyActivity, "held_on"))
    host = _pk(PartyOrganization)
    topic = serializers.CharField(**_limits(PartyActivity, "topic"))
    head_count = serializers.IntegerField(required=False, **_limits(PartyActivity, "head_count"))
    note = _text(PartyActivity, "note")
    organizations = _pk(Organization, many=True, required=False)


class MeetingDecisionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    status = serializers.ChoiceField(choices=DecisionStatus.choices, read_only=True)
    transitions = OffersField(DECISION)

    class Meta:
        model = MeetingDecision
        fields = [
            "id", "content", "responsible", "due_on", "status", "status_display", "follow_up", "done_on",
            "transitions",
        ]  # fmt: skip
        read_only_fields = fields


class DecisionInputSerializer(serializers.Serializer):
    content = serializers.CharField(**_limits(MeetingDecision, "content"))
    responsible = _text(MeetingDecision, "responsible")
    due_on = _day(MeetingDecision, "due_on")


class DecisionCompleteSerializer(serializers.Serializer):
    decision = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    follow_up = serializers.CharField(allow_blank=True, default="", max_length=bounds.SHORT_TEXT_MAX)


class JointMeetingSerializer(serializers.ModelSerializer):
    host_name = serializers.CharField(source="host.name", read_only=True)
    organizations = _Ref(many=True, read_only=True)
    decisions = MeetingDecisionSerializer(many=True, read_only=True)
    minutes_file = serializers.SerializerMethodField(help_text="where the minutes file is downloaded, if any")

    class Meta:
        model = JointMeeting
        fields = ["id", "host", "host_name", "region", "held_on", "topic", "organizations", "minutes",
                  "minutes_file", "decisions"]  # fmt: skip
        read_only_fields = fields

    def get_minutes_file(self, obj) -> str | None:
        return reverse("party:jointmeeting_minutes", args=[obj.pk]) if obj.minutes_file else None


class JointMeetingWriteSerializer(_ScopedInput):
    host = _pk(PartyOrganization)
    held_on = serializers.DateField(**_limits(JointMeeting, "held_on"))
    topic = serializers.CharField(**_limits(JointMeeting, "topic"))
    minutes = _text(JointMeeting, "minutes")
    minutes_file = UploadField(policy=MEETING_MINUTES_UPLOADS, required=False)
    organizations = _pk(Organization, many=True, required=False)
    decisions = DecisionInputSerializer(many=True, required=False)
