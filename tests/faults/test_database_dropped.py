"""PostgreSQL drops the web process's connections (a restart, a failover, an idle timeout): the
next request is served all the same, without restarting the web process. The process keeps its
connection between requests (CONN_MAX_AGE) and checks it before reuse (CONN_HEALTH_CHECKS); a real
gunicorn process serves the requests, since the test client skips the request signals that do this."""

import os
import subprocess
import sys

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection

from .conftest import free_port, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def web_process():
    db = settings.DATABASES["default"]
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--timeout",
            "60",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"

    def answers():
        try:
            return requests.get(f"{url}/healthz", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(answers, timeout=60, what="gunicorn")
        yield url
    finally:
        process.kill()
        process.wait(timeout=10)


def _web_backends() -> list[int]:
    """The pids of the test database's server processes other than this test's own connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def test_the_next_request_after_the_connections_are_dropped_succeeds(users, client_for, web_process):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0 and settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    staff = users["bureau_staff"]
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client_for("bureau_staff").cookies[settings.SESSION_COOKIE_NAME].value
    )
    first = session.get(f"{web_process}/", timeout=30)
    assert first.status_code == 200 and staff.username in first.text
    kept = _web_backends()
    assert kept, "the web process keeps its connection between requests"
    second = session.get(f"{web_process}/", timeout=30)
    assert second.status_code == 200 and _web_backends() == kept  # the same connection, reused

    # Every connection of the web process is cut (from a connection of its own, as an operator would).
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as admin:
        for pid in kept:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    wait_for(lambda: not set(kept) & set(_web_backends()), timeout=10, what="the connections to go")

    after = session.get(f"{web_process}/", timeout=30)
    assert after.status_code == 200 and staff.username in after.text
    assert _web_backends() and not set(kept) & set(_web_backends())  # a new connection took over
    assert requests.get(f"{web_process}/healthz", timeout=10).json() == {"database": "ok", "redis": "ok"}
