"""A real Celery worker process, started by the test, runs a task end to end through Redis."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.tasks import clear_expired_sessions
from core.testing import celery_worker_process

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_clears_expired_sessions_through_redis():
    expired = SessionStore()
    expired["x"] = 1
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - dt.timedelta(days=1))
    live = SessionStore()
    live["y"] = 2
    live.create()

    with celery_worker_process() as queue:
        result = clear_expired_sessions.apply_async(queue=queue)
        deleted = result.get(timeout=60)

    assert deleted == 1
    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert Session.objects.filter(session_key=live.session_key).exists()


def test_celery_configuration_is_json_bounded_and_late_acking():
    from config.celery_app import app

    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    # The schedules live in the database (core.periodic), never in settings beat would re-apply.
    assert conf.beat_schedule == {}
