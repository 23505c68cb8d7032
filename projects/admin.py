"""Admin of the projects app: read through the scoped admin; writes go through the pages' services."""

from django.contrib import admin

from core.admin import ScopedModelAdmin

from .models import Expenditure, LedgerEntry, MajorActivityReport, Project, QuarterlySubmission


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyScopedAdmin):
    list_display = ["code", "title", "organization", "funder", "amount", "status"]
    list_filter = ["status", "funding_source"]
    search_fields = ["code", "title"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyScopedAdmin):
    list_display = ["date", "title", "project", "status", "version", "is_current"]
    list_filter = ["status", "kind"]


@admin.register(Expenditure)
class ExpenditureAdmin(ReadOnlyScopedAdmin):
    list_display = ["date", "project", "budget_line", "amount", "payee"]


@admin.register(QuarterlySubmission)
class QuarterlySubmissionAdmin(ReadOnlyScopedAdmin):
    list_display = ["project", "year", "quarter", "status", "first_submitted_at"]
    list_filter = ["status", "year", "quarter"]


@admin.register(MajorActivityReport)
class MajorActivityReportAdmin(ReadOnlyScopedAdmin):
    list_display = ["planned_date", "title", "organization", "status", "is_late"]
    list_filter = ["status", "is_late"]
