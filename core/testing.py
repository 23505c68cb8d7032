"""Test toolkit shared by every app: query counts, the role × view matrix, a real Celery worker,
concurrent calls."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation


@contextlib.contextmanager
def assert_num_queries(expected: int) -> Iterator[CaptureQueriesContext]:
    """Exactly `expected` queries inside the block; on failure, lists the queries run."""
    with CaptureQueriesContext(connection) as context:
        yield context
    executed = len(context.captured_queries)
    if executed != expected:
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(context.captured_queries, start=1))
        raise AssertionError(f"{executed} queries executed, {expected} expected:\n{listing}")


def assert_role_matrix(
    client_for, method: str, url: str, expected: Mapping[str, int | tuple[int, ...]], data=None
) -> None:
    """Request `url` as each user in `expected` (name → expected status) and compare all at once.

    `client_for(name)` returns a logged-in test client for that user (None name: anonymous).
    Every mismatch is reported together, so one run shows the whole matrix.
    """
    mismatches = []
    for name, status in expected.items():
        client = client_for(name)
        response = (
            getattr(client, method.lower())(url, data) if data is not None else getattr(client, method.lower())(url)
        )
        allowed = status if isinstance(status, tuple) else (status,)
        if response.status_code not in allowed:
            mismatches.append(f"{name}: {response.status_code} (expected {status})")
    if mismatches:
        raise AssertionError(f"{method} {url}:\n  " + "\n  ".join(mismatches))


def worker_environment(**extra: str) -> dict:
    """The environment of a Celery worker process on the test database (and `extra` variables)."""
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        **extra,
    }


def worker_command(name: str, *, threads: int = 1, queue: str | None = None, heartbeat: bool = True) -> list[str]:
    """The argv of a real Celery worker named `name`: one process (solo) or `threads` threads,
    consuming `queue` only when given."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--pool={'threads' if threads > 1 else 'solo'}",
        f"--concurrency={threads}",
        "--without-gossip",
        "--without-mingle",
        *([] if heartbeat else ["--without-heartbeat"]),
        "--loglevel=INFO",
        *(["-Q", queue] if queue else []),
        "-n",
        f"{name}@%h",
    ]


@contextlib.contextmanager
def celery_worker_process(queue: str | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Start a real Celery worker process on the test database and Redis; yields its queue name.

    The test must commit its data (`transaction=True`) for the worker to see it.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        worker_command(queue, queue=queue),
        cwd=settings.BASE_DIR,
        env=worker_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        for line in process.stdout:
            if "ready." in line:
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("The Celery worker did not start.")
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def run_concurrently(*calls, timeout: float = 30.0) -> list:
    """Run the calls in threads released together (real concurrent transactions: use with
    `transaction=True`); returns each call's result, or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    language = translation.get_language()

    def run(index, call):
        translation.activate(language or settings.LANGUAGE_CODE)
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def split_outcomes(results: list) -> tuple[list, list]:
    """(results that succeeded, exceptions raised) of `run_concurrently`."""
    errors = [r for r in results if isinstance(r, Exception)]
    return [r for r in results if not isinstance(r, Exception)], errors
