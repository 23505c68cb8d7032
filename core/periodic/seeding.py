"""Seeding the declared jobs into django-celery-beat once: what is missing is created, a row that
exists (perhaps edited by the bureau administrator) is left as it is."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

from .registry import jobs


def beat_tables_exist(using: str = DEFAULT_DB_ALIAS) -> bool:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from core.models import AuditRecord

    tables = set(connections[using].introspection.table_names())
    return {PeriodicTask._meta.db_table, CrontabSchedule._meta.db_table, AuditRecord._meta.db_table} <= tables


def crontab_for(fields: dict[str, str], using: str = DEFAULT_DB_ALIAS):
    """The stored crontab with these fields in the project's time zone (created when missing)."""
    from django_celery_beat.models import CrontabSchedule

    spec = {**fields, "timezone": settings.CELERY_TIMEZONE}
    found = CrontabSchedule.objects.using(using).filter(**spec).order_by("pk").first()
    return found or CrontabSchedule.objects.using(using).create(**spec)


def seed(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the beat row (named by the job's key) of every declared job that has none; returns
    the keys created. Idempotent; never changes an existing row."""
    from django_celery_beat.models import PeriodicTask

    from core import audit
    from core.choices import AuditAction

    declared = jobs()
    existing = set(
        PeriodicTask.objects.using(using).filter(name__in=[j.key for j in declared]).values_list("name", flat=True)
    )
    created = []
    with transaction.atomic(using=using), translation.override(settings.LANGUAGE_CODE):
        for job in declared:
            if job.key in existing:
                continue
            row = PeriodicTask(
                name=job.key,
                task=job.task,
                crontab=crontab_for(job.schedule.crontab(), using),
                description=str(job.description),
            )
            row.save(using=using)
            created.append(row)
        if created and using == DEFAULT_DB_ALIAS:
            audit.record_many(actor=None, action=AuditAction.CREATE, objs=created, message="seed_jobs")
    return [row.name for row in created]


def seed_after_migrate(sender=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: seed once the beat tables are there (a partial migration may lack them)."""
    from django.contrib.contenttypes.models import ContentType

    if beat_tables_exist(using):
        # A flush (tests) recreates the content types under new ids: the cached ones are gone.
        ContentType.objects.clear_cache()
        seed(using)
