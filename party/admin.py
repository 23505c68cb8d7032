"""Admin views of the party app: read-only and scoped; party building changes only through its
services (party.services), which check, audit and keep the coverage history."""

from django.contrib import admin

from core.admin import ScopedModelAdmin

from .models import (
    ContactAttachment,
    ContactRecord,
    JointMeeting,
    MeetingDecision,
    PartyActivity,
    PartyCoverage,
    PartyOrganization,
)


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "level", "formation", "region", "is_area_body", "full_member_count", "status"]
    list_filter = ["level", "formation", "status", "is_area_body"]
    search_fields = ["name", "secretary"]
    list_select_related = ["region"]


@admin.register(PartyCoverage)
class PartyCoverageAdmin(ReadOnlyScopedAdmin):
    list_display = ["organization", "form", "party_organization", "full_party_members", "valid_from", "valid_to"]
    list_filter = ["form"]
    search_fields = ["organization__name", "instructor"]
    list_select_related = ["organization", "party_organization"]


@admin.register(ContactRecord)
class ContactRecordAdmin(ReadOnlyScopedAdmin):
    list_display = ["organization", "contacted_on", "form", "party_organization", "recorded_by"]
    list_filter = ["form"]
    search_fields = ["organization__name", "topics"]
    list_select_related = ["organization", "party_organization", "recorded_by"]


@admin.register(ContactAttachment)
class ContactAttachmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["original_name", "contact"]
    search_fields = ["original_name"]
    list_select_related = ["contact__organization"]


@admin.register(PartyActivity)
class PartyActivityAdmin(ReadOnlyScopedAdmin):
    list_display = ["topic", "kind", "held_on", "host", "head_count"]
    list_filter = ["kind"]
    search_fields = ["topic"]
    list_select_related = ["host"]


@admin.register(JointMeeting)
class JointMeetingAdmin(ReadOnlyScopedAdmin):
    list_display = ["topic", "held_on", "host"]
    search_fields = ["topic"]
    list_select_related = ["host"]


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(ReadOnlyScopedAdmin):
    list_display = ["content", "meeting", "responsible", "due_on", "status", "done_on"]
    list_filter = ["status"]
    search_fields = ["content", "responsible"]
    list_select_related = ["meeting"]
