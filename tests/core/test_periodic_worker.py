"""A real Celery worker process records the runs of a periodic job's task (core.periodic.runs):
sent as beat sends it (with the schedule's name in the headers) and as "run now" does."""

import pytest
from django.contrib.sessions.backends.db import SessionStore

from core.models import JobRun
from core.tasks import clear_expired_sessions, export_job_run
from core.testing import celery_worker_process

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_records_each_run_of_a_job_and_not_other_tasks():
    SessionStore().create()
    with celery_worker_process() as queue:
        beat = clear_expired_sessions.apply_async(queue=queue, headers={"periodic_task_name": "clear-expired-sessions"})
        assert beat.get(timeout=60) == 0
        by_hand = clear_expired_sessions.apply_async(queue=queue)
        assert by_hand.get(timeout=60) == 0
        other = export_job_run.apply_async(args=[0], queue=queue)  # not a periodic job
        other.get(timeout=60, propagate=False)

    runs = list(JobRun.objects.order_by("started_at"))
    assert [(r.job, r.task_id, r.outcome, r.summary) for r in runs] == [
        ("clear-expired-sessions", beat.id, "succeeded", "0"),
        ("clear-expired-sessions", by_hand.id, "succeeded", "0"),
    ]
    assert all(r.finished_at >= r.started_at and r.duration_ms is not None for r in runs)
