"""Queueing a Celery task from a service, by the task's name, once the transaction commits.

Services never import their app's `tasks` module (tasks import services: IDs in, a service
called), so the two cannot form an import cycle; a service names the task instead. The job is
sent only after the commit, so a worker never looks for a row that is not there yet, and a
rolled-back change queues nothing.
"""

from __future__ import annotations

from celery import current_app
from django.db import transaction


def _send(task_name: str, args: tuple, options: dict) -> None:
    task = current_app.tasks.get(task_name)
    if task is None:  # not imported in this process: the broker routes it by name
        current_app.send_task(task_name, args=args, **options)
    elif options:
        task.apply_async(args=args, **options)
    else:
        task.delay(*args)


def enqueue(task_name: str, *args, **options) -> None:
    """Send `task_name` with `args` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(task_name, args, options))
