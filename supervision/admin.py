"""Admin views of supervision: read-only and scoped; reports and listings change only through
their services."""

from django.contrib import admin

from core.admin import ScopedModelAdmin

from .models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyScopedAdmin):
    list_display = ["organization", "year", "status", "conclusion", "submitted_at", "reviewed_at"]
    list_filter = ["status", "conclusion", "year"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]


@admin.register(AbnormalListing)
class AbnormalListingAdmin(ReadOnlyScopedAdmin):
    list_display = ["organization", "reason", "listed_on", "ended_on", "end_reason"]
    list_filter = ["reason", "end_reason"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]


@admin.register(SeriousViolationListing)
class SeriousViolationListingAdmin(ReadOnlyScopedAdmin):
    list_display = ["organization", "reason", "listed_on", "ended_on", "end_reason"]
    list_filter = ["reason", "end_reason"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyScopedAdmin):
    list_display = ["organization", "kind", "decision_number", "decision_date", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["organization__name", "decision_number"]
    list_select_related = ["organization"]
