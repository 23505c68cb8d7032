"""Admin mechanism: every admin page restricted like the rest of the site, its "view on site"
shortcut too; audit trail read-only."""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.choices import Action, Role
from core.params import path_pk

from .models import AuditRecord


class ScopedModelAdmin(admin.ModelAdmin):
    """Bureau administrators manage their own district here; nothing outside it is listed."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, Action.VIEW)

    def get_exclude(self, request, obj=None):
        # Files are served only by the scoped download views (core.uploads.serve); the admin would
        # link each to a storage URL that nothing serves.
        files = [f.name for f in self.model._meta.fields if isinstance(f, models.FileField)]
        return [*(super().get_exclude(request, obj) or ()), *files]

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

    def get_queryset(self, request):
        # Nobody else finds a record here, so an existing one is "not found" like a missing one.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.none()

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


def view_on_site(request, content_type_id, object_id):
    """The admin's /admin/r/<type>/<id>/ shortcut, answering only for objects the user may see: an
    object of another district is "not found" exactly like one that does not exist (Django's own
    shortcut redirects to any object it can find)."""
    content_type = get_object_or_404(ContentType, pk=path_pk(ContentType, content_type_id))
    model = content_type.model_class()
    queryset = model._default_manager.all() if model is not None else None
    if hasattr(model, "access_policy") and hasattr(queryset, "restrict"):
        get_object_or_404(queryset.restrict(request.user, Action.VIEW), pk=path_pk(model, object_id))
    elif not request.user.is_superuser:
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)


# ---------------------------------------------------------------- periodic schedules (Celery beat)
# DESIGN §1: the bureau administrator keeps the schedules (reminder times, nightly jobs). The
# schedules are deployment-wide, so an administrator may change when a job runs or switch it off,
# but not create arbitrary tasks or delete the ones the deployment defines; every change is audited.


class ScheduleAdminMixin:
    may_add = False

    def _is_bureau_admin(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role == Role.BUREAU_ADMIN)

    def has_module_permission(self, request):
        return self._is_bureau_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_bureau_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_bureau_admin(request)

    def has_add_permission(self, request):
        return request.user.is_superuser or (self.may_add and self._is_bureau_admin(request))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from core import audit
        from core.choices import AuditAction

        with transaction.atomic():
            before = None
            if change:
                before = audit.snapshot(type(obj).objects.select_for_update().get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                obj=obj,
                before=before,
            )


def _register_schedule_admins():
    from django_celery_beat import admin as beat_admin
    from django_celery_beat import models as beat_models

    pairs = [
        (beat_models.PeriodicTask, beat_admin.PeriodicTaskAdmin, False),
        (beat_models.CrontabSchedule, beat_admin.CrontabScheduleAdmin, True),
        (beat_models.IntervalSchedule, beat_admin.IntervalScheduleAdmin, True),
        (beat_models.ClockedSchedule, beat_admin.ClockedScheduleAdmin, True),
        (beat_models.SolarSchedule, beat_admin.SolarScheduleAdmin, True),
    ]
    for model, base, may_add in pairs:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(
            model, type(base.__name__, (ScheduleAdminMixin, base), {"may_add": may_add, "__module__": __name__})
        )


_register_schedule_admins()
