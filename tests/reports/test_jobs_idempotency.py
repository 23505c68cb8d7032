"""Every periodic job is idempotent: run twice the same day on the demo district, the second run
changes nothing (no row of any table added or removed, no notice, no audit record); each run is
recorded as a success."""

import pytest
from django.apps import apps

from core import periodic
from core.models import JobRun, Notification


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model is not JobRun and not model._meta.proxy
    }


def _no_rollups():
    from reports.models import Rollup

    Rollup.objects.all().delete()


# Jobs whose first run must write rows whatever the day, once the demo's are cleared (the others'
# work depends on the date).
ACTS_ON_THE_DEMO = {"reports-rollups-refresh": _no_rollups}


def _task(job):
    from celery import current_app

    current_app.loader.import_default_modules()
    return current_app.tasks[job.task]


@pytest.mark.parametrize("key", [job.key for job in periodic.jobs()])
def test_a_second_run_the_same_day_changes_nothing(seeded_demo, key, django_capture_on_commit_callbacks):
    job = periodic.get(key)
    task = _task(job)
    if key in ACTS_ON_THE_DEMO:
        ACTS_ON_THE_DEMO[key]()
    before = _counts()
    with django_capture_on_commit_callbacks(execute=False):  # nothing sent to the broker or by mail
        first = task.apply()
        assert first.successful(), first.traceback
        after_first = _counts()
        second = task.apply()
        assert second.successful(), second.traceback
    assert _counts() == after_first
    if key in ACTS_ON_THE_DEMO:
        assert after_first != before
    runs = JobRun.objects.filter(job=key)
    assert [run.outcome for run in runs] == ["succeeded", "succeeded"]
    assert Notification.objects.filter(kind="job-failure").count() == 0
