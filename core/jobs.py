"""Queueing a Celery task from a service, by the task's name, once the transaction commits; and what
keeps background work whole when a worker or the broker fails.

Services never import their app's `tasks` module (tasks import services: IDs in, a service
called), so the two cannot form an import cycle; a service names the task instead. The job is
sent only after the commit, so a worker never looks for a row that is not there yet, and a
rolled-back change queues nothing.

Faults:
- The broker (Redis) is down when a job is sent: `enqueue` logs it and carries on, the request
  succeeds. The job's row (an export job, a workbook version) stays "queued", and the watchdog
  (`resend_waiting`, run by the hourly core.tasks.jobs_watch) sends the task again for every row
  waiting longer than JOBS_RESEND_AFTER_MINUTES. An app declares its waiting rows with
  `resend_when_waiting(task, "dotted.path.of.a.function")`. The tasks are idempotent, so a row
  whose first message was only slow is built once all the same.
- A worker is killed (SIGKILL, OOM) in the middle of a job: the task is acknowledged late, so
  Redis delivers it again after the broker's visibility timeout. The job holds `exclusive(kind,
  pk)`, a PostgreSQL advisory lock of its connection, while it runs: the lock dies with the killed
  worker's connection, so the redelivered task takes the job over at once, while a task delivered
  twice to live workers finds the lock held and leaves the job to the worker that has it.
- `checkpoint(name)` marks a point of a long job where a fault test can hold a worker
  (settings.JOBS_PAUSE_AT, empty outside those tests).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def _send(task_name: str, args: tuple, options: dict) -> None:
    task = current_app.tasks.get(task_name)
    if task is None:  # not imported in this process: the broker routes it by name
        current_app.send_task(task_name, args=args, **options)
    elif options:
        task.apply_async(args=args, **options)
    else:
        task.delay(*args)


def send(task_name: str, args: tuple = (), options: dict | None = None) -> bool:
    """Send the task now; False (logged) when the broker cannot be reached."""
    try:
        _send(task_name, args, options or {})
    except Exception:  # kombu's OperationalError, redis' ConnectionError, a socket's OSError…
        logger.warning("Could not send %s%r to the broker; it is sent again later.", task_name, args, exc_info=True)
        return False
    return True


def enqueue(task_name: str, *args, **options) -> None:
    """Send `task_name` with `args` after the current transaction commits (at once outside one).
    A broker that is down does not fail the caller: the row the task works on stays waiting and
    `resend_waiting` sends it again."""
    transaction.on_commit(lambda: send(task_name, args, options))


# ------------------------------------------------------------------------------- lost messages

# task name → dotted path of `waiting(before: datetime) -> iterable of argument tuples`: the rows
# queued before `before` that no worker has taken yet.
_WAITING: dict[str, str] = {}


def resend_when_waiting(task_name: str, waiting: str) -> None:
    _WAITING[task_name] = waiting


def resend_after() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "JOBS_RESEND_AFTER_MINUTES", 10))


def resend_waiting(now: dt.datetime | None = None) -> int:
    """Send again (as `enqueue` does) the task of every row still waiting for a worker
    RESEND_AFTER after it was queued: its message was lost, or never reached a broker that was
    down. Returns how many."""
    before = (now or timezone.now()) - resend_after()
    count = 0
    for task_name, path in sorted(_WAITING.items()):
        for args in import_string(path)(before):
            enqueue(task_name, *args)
            count += 1
    return count


resend_when_waiting("core.tasks.export_job_run", "core.services_exports.waiting_jobs")


# ---------------------------------------------------------------------------------- exclusivity


def lock_key(kind: str) -> int:
    return zlib.crc32(kind.encode()) - 2**31  # PostgreSQL's advisory lock keys are signed int4


@contextlib.contextmanager
def exclusive(kind: str, pk: int) -> Iterator[bool]:
    """Hold PostgreSQL's session advisory lock on (kind, pk) while the block runs, if no other
    connection holds it; yields whether this one does. The lock belongs to the connection, so it is
    released when its process dies, however it dies."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [lock_key(kind), pk])
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [lock_key(kind), pk])
            except DatabaseError:  # the connection is gone, and the lock with it
                logger.warning("Could not release the lock of %s %s", kind, pk, exc_info=True)


def holder_alive(kind: str, pk: int) -> bool:
    """Whether a connection holds the lock of (kind, pk): a worker is running that job."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::oid"
            " AND objid = %s::oid AND objsubid = 2 AND granted)",
            [lock_key(kind) % 2**32, pk],
        )
        return cursor.fetchone()[0]


# ---------------------------------------------------------------------------------- fault tests


def checkpoint(name: str) -> None:
    """Where a fault test may hold this job: with `name` in settings.JOBS_PAUSE_AT (the worker's
    environment variable, names separated by commas), the first time a job reaches `name` it writes the file
    JOBS_PAUSE_DIR/<name>.reached and waits (at most a minute) for JOBS_PAUSE_DIR/<name>.go. The
    test kills the worker there, or lets it go on."""
    if not name or name not in getattr(settings, "JOBS_PAUSE_AT", "").split(","):
        return
    folder = Path(settings.JOBS_PAUSE_DIR)
    reached, go = folder / f"{name}.reached", folder / f"{name}.go"
    if reached.exists():
        return
    reached.write_text(str(time.time()))
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
