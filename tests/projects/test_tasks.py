"""The reminder task: once per item per day, in-app and by e-mail (locmem outbox)."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail

from core.models import Notification
from projects import tasks

pytestmark = pytest.mark.django_db


def test_reminder_task_is_scheduled_daily():
    from core import periodic

    assert periodic.get("projects-due-reminders").task == "projects.tasks.send_due_reminders"


def test_reminder_task_sends_once_per_day(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with (
        mock.patch("projects.services.reminders.timezone.localdate", return_value=dt.date(2026, 7, 8)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = tasks.send_due_reminders.apply().get()
        second = tasks.send_due_reminders.apply().get()
    assert first["ledger"] > 0 and sum(second.values()) == 0
    to_org = [m for m in mail.outbox if m.to == ["org@example.cn"]]
    # Two projects: Q1 is overdue, Q2 is due on Friday 10 July.
    subjects = sorted(m.subject for m in to_org)
    assert len(subjects) == 4
    assert sum("已逾期" in s and "2026年第一季度" in s for s in subjects) == 2
    assert sum("即将到期" in s and "2026年第二季度" in s for s in subjects) == 2
    assert Notification.objects.filter(recipient=world.org_user, sent_on=dt.date(2026, 7, 8)).count() == 4


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_reminder_task_runs_in_a_real_worker(world):
    from core.testing import celery_worker_process

    with celery_worker_process() as queue:
        result = tasks.send_due_reminders.apply_async(queue=queue)
        sent = result.get(timeout=60)
    # Whatever today is, the 2026 projects have quarters due or overdue until they are submitted.
    reminders = Notification.objects.filter(kind="ledger-quarter-due")  # not the notices of the projects' approval
    assert sent["ledger"] == reminders.count()
    assert reminders.filter(recipient=world.org_user).exists() == (sent["ledger"] > 0)
    kinds = ["ledger-quarter-due", "contract-milestone-due", "major-activity-review"]
    assert sum(sent.values()) == Notification.objects.filter(kind__in=kinds).count()
