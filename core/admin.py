"""Admin mechanism: every admin page restricted like the rest of the site, its "view on site"
shortcut too; audit trail read-only."""

from django.contrib import admin, messages
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import calendar
from core.choices import Action, Role
from core.params import path_pk

from .models import AuditRecord, CalendarOverride


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


# ---------------------------------------------------------------- the holiday calendar (core.calendar)
# Deployment-wide like the schedules: the State Council's holidays are the same for every district.


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScheduleAdminMixin, admin.ModelAdmin):
    may_add = True
    list_display = ["date", "weekday", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]
    fields = ["date", "is_working_day", "name"]

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj):
        return date_format(obj.date, "l")

    def save_model(self, request, obj, form, change):
        calendar.calendar_override_save(override=obj, by=request.user)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._say_coverage(request)
        return super().changelist_view(request, extra_context)

    def _say_coverage(self, request):
        """Which years' holidays the deadlines know, and which fall back to plain weekends."""
        self.message_user(
            request,
            _(
                "Public holidays and make-up working days (调休) of %(first)d–%(last)d come from the "
                "chinese-calendar package; a day entered here wins over it."
            )
            % {"first": calendar.PACKAGE_FIRST_YEAR, "last": calendar.PACKAGE_LAST_YEAR},
            messages.INFO,
        )
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            source = calendar.coverage(year)
            if source == "table":
                self.message_user(request, _("%(year)d: the holidays come from this table.") % {"year": year})
            elif source == "weekends":
                self.message_user(
                    request,
                    _(
                        "%(year)d: neither the holiday package nor this table has the year's holidays, so "
                        "deadlines count only Saturdays and Sundays as days off. Enter the year's public "
                        "holidays and make-up working days here once the State Council publishes them."
                    )
                    % {"year": year},
                    messages.WARNING,
                )
