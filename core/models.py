"""Base models and the audit trail."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import bounds
from .choices import Action, AuditAction, ExportJobStatus, JobOutcome, Role
from .scoping import AccessPolicy, RestrictedManager
from .uploads import UploadPolicy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class ScopedModel(TimeStampedModel):
    """A row that belongs to a node of the jurisdiction tree; subclasses set `access_policy`."""

    access_policy = AccessPolicy()
    objects = RestrictedManager()

    class Meta:
        abstract = True


class Reviewed(models.Model):
    """Who decided on an item, when and why: the fields every reviewed model carries, set by the
    workflow engine when a deciding transition is applied (core.workflows)."""

    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    review_reason = models.TextField(_("review reason"), blank=True, validators=bounds.SHORT_TEXT)

    class Meta:
        abstract = True


class AuditRecord(models.Model):
    """Who did what to which object, when, from which request, with the state before and after."""

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_records",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    region_path = models.CharField(_("region path"), max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)

    # Bureau administrators and auditors read the trail of everything in their district; the
    # region path is stored at write time, so records of since-moved objects stay where they were.
    access_policy = AccessPolicy(
        region=None,
        role_actions={Role.BUREAU_ADMIN: frozenset({Action.VIEW}), Role.BUREAU_VIEWER: frozenset({Action.VIEW})},
        extra={
            Role.BUREAU_ADMIN: lambda user, action: models.Q(region_path__startswith=user.region.path),
            Role.BUREAU_VIEWER: lambda user, action: models.Q(region_path__startswith=user.region.path),
        },
    )
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-timestamp"]),
            models.Index(fields=["timestamp", "id"], name="auditrecord_timestamp_id"),
        ]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """Fields whose value differs between before and after, as (field, before, after)."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


# Written by the export job only, kept under a random name that no URL serves (core.uploads).
EXPORT_FILES = UploadPolicy(allowed=("xlsx",), prefix="exports")


class ExportJobQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The user's own jobs. Never `restrict()`: not even a superuser gets another's file."""
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(owner_id=user.pk)


class ExportJob(models.Model):
    """A list export too large for a request: the list view and query are kept, a Celery worker
    re-runs that view's scoping, filter and table for the owner and writes the file, which only
    the owner downloads until it expires."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    view = models.CharField(_("list view"), max_length=200)
    view_kwargs = models.JSONField(_("list view arguments"), default=dict, blank=True)
    path = models.CharField(_("list address"), max_length=500)
    query = models.TextField(_("query"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("filters"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportJobStatus.choices, default=ExportJobStatus.QUEUED, db_index=True
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to=EXPORT_FILES.upload_to, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    # Only for the audit trail (a bureau sees who exported what in its district): jobs are read
    # through `owned_by`, never through `restrict()`.
    access_policy = AccessPolicy(region="owner__region", role_actions={})
    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("core:exportjob_list")

    @property
    def is_active(self) -> bool:
        return self.status in (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == ExportJobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return max(0, min(99, self.rows_done * 100 // self.rows_total))


def _own(user, action):
    return models.Q(recipient=user)


class Notification(models.Model):
    """A notice to one person: a decision on their organization's item, or a reminder. `item_key`
    and `sent_on` make a reminder at most one per item per day (core.notifications)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    item_key = models.CharField(_("item"), max_length=100)
    sent_on = models.DateField(_("sent on"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True, validators=bounds.SHORT_TEXT)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    # Everyone reads their own notices and nobody else's.
    access_policy = AccessPolicy(
        region=None,
        role_actions=dict.fromkeys(Role.values, frozenset({Action.VIEW})),
        extra=dict.fromkeys(Role.values, _own),
    )
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "item_key", "sent_on"], name="notice_once_per_item_per_day"),
        ]
        indexes = [
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx")
        ]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """A kind of notice a person does not want by e-mail (they still see it in the site)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user} {self.kind}"


class CalendarOverride(TimeStampedModel):
    """A day whose status the bureau sets itself: a public holiday or a make-up working day (调休) of
    a year the holiday package does not cover yet, or a correction to it. It wins over the package
    (core.calendar); written through core.calendar.calendar_override_save, audited."""

    date = models.DateField(_("date"), unique=True, validators=bounds.PLAUSIBLE_DATE)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Ticked: a make-up working day (调休) on a weekend. Not ticked: a public holiday, a day off."),
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. 国庆节, 国庆节调休"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["date"]
        constraints = [
            bounds.check_between("date", bounds.DATE_MIN, bounds.DATE_MAX, name="calendar_override_date_plausible"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class JobRun(models.Model):
    """One run of a periodic job (core.periodic): when it started and ended, how it went, what it
    did. Written by the Celery signal handlers for every registered job's task, however it was
    started (beat, the status page's "run now", a test calling `apply()`); the 任务状态 page reads the
    latest per job."""

    job = models.CharField(_("job"), max_length=100, db_index=True)
    task = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    outcome = models.CharField(
        pgettext_lazy("job run", "outcome"),
        max_length=16,
        choices=JobOutcome.choices,
        default=JobOutcome.RUNNING,
        db_index=True,
    )
    summary = models.TextField(_("result"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "-started_at"], name="core_jobrun_job_started")]

    def __str__(self):
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"
