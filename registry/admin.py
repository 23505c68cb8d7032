"""Admin views of the registry: read-only and scoped; the register changes only through
applications and the other services, never by editing rows here."""

from django.contrib import admin

from core.admin import ScopedModelAdmin

from .models import Application, Organization


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "uscc", "filing_number", "legal_form", "category", "region", "status"]
    list_filter = ["legal_form", "category", "status"]
    search_fields = ["name", "uscc", "filing_number"]
    list_select_related = ["region"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyScopedAdmin):
    list_display = ["number", "kind", "state", "organization", "region", "submitted_at", "reviewed_at"]
    list_filter = ["kind", "state"]
    search_fields = ["number", "organization__name"]
    list_select_related = ["organization", "region"]
