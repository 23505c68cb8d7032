"""Admin mechanism: every admin page restricted like the rest of the site; audit trail read-only."""

from django.contrib import admin

from core.choices import Action, Role

from .models import AuditRecord


class ScopedModelAdmin(admin.ModelAdmin):
    """Bureau administrators manage their own district here; nothing outside it is listed."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, Action.VIEW)

    def _allows(self, request, action):
        return self.model.access_policy.allows(request.user, action)

    def has_module_permission(self, request):
        return request.user.is_active and (request.user.is_superuser or request.user.role == Role.BUREAU_ADMIN)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._allows(request, Action.VIEW)

    def has_add_permission(self, request):
        return self.has_module_permission(request) and self._allows(request, Action.ADD)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._allows(request, Action.CHANGE)

    def has_delete_permission(self, request, obj=None):
        # Records are ended through services, never deleted from the admin.
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "actor_name", "action", "content_type", "object_repr", "request_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name", "request_id"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
