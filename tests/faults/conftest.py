"""What the fault tests share: a private Redis server the test may kill, the site and Celery pointed
at it, and real Celery worker processes the test may SIGKILL.

The workers consume the default queue of the private server: it is no other test's, so a worker
with a short visibility timeout never hands another test's unacknowledged task around."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.test import override_settings

from core.testing import worker_command, worker_environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own (no persistence), on a free port; `kill` and `start` again."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


def _reset_celery_connections(app) -> None:
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture
def site_on(private_redis):
    """The site (cache, /healthz, Celery's broker and results) on the private Redis server."""
    app = current_app
    url = private_redis.url
    cache = {**settings.CACHES["default"], "LOCATION": url, "KEY_PREFIX": "faults"}
    saved = app.conf.broker_url, app.conf.result_backend
    with override_settings(REDIS_URL=url, CACHES={"default": cache}, CELERY_BROKER_URL=url):
        app.conf.broker_url = app.conf.result_backend = url
        _reset_celery_connections(app)
        try:
            yield private_redis
        finally:
            app.conf.broker_url, app.conf.result_backend = saved
            _reset_celery_connections(app)


class Worker:
    """A real Celery worker process on the test database and the private Redis server."""

    def __init__(self, redis_url: str, name: str, env: dict | None = None, threads: int = 1):
        self.name = name
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            worker_command(name, threads=threads, heartbeat=False),
            cwd=settings.BASE_DIR,
            env=worker_environment(TEST_REDIS_URL=redis_url, **(env or {})),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._ready = threading.Event()
        self._reader.start()
        if not self._ready.wait(timeout=60):
            self.stop()
            raise RuntimeError(f"The Celery worker {name} did not start:\n" + "".join(self.lines))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if "ready." in line:
                self._ready.set()

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, its database connection cut by the kernel."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:  # no warm shutdown to wait for: the test is over
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def workers(site_on):
    """start(name, threads=1, **env) → a Worker on the private Redis; all are stopped after the test."""
    started: list[Worker] = []

    def start(name: str, threads: int = 1, **env) -> Worker:
        worker = Worker(site_on.url, name, env, threads)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, timeout: float = 30.0, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.")
        time.sleep(0.05)
