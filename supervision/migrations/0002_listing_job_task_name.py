"""The nightly listing job moved from registry.tasks to supervision.tasks: schedules stored in the
database (django_celery_beat) that name the old task are pointed at the new one; the old settings
entry, which beat would otherwise keep firing, is removed (beat recreates it under its new key)."""

from django.db import migrations

OLD, NEW = "registry.tasks.listings_daily", "supervision.tasks.listings_daily"


def forwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=OLD, name="registry-listings-daily").delete()
    PeriodicTask.objects.filter(task=OLD).update(task=NEW)


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=NEW).update(task=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
