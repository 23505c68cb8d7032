"""`manage.py preflight` (run by `make run`) says in one line which service is down and how to start it."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def _preflight(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "preflight", "--check-only"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/x"}, "PostgreSQL is not reachable at 127.0.0.1:1"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "Redis is not reachable at redis://127.0.0.1:1/0"),
    ],
)
def test_preflight_names_the_service_that_is_down(env, expected):
    result = _preflight(**env)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0] and "Start it" in lines[0]


def test_preflight_passes_when_both_answer():
    result = _preflight()
    assert result.returncode == 0, result.stderr
    assert "answer" in result.stdout
