"""Deployment files and production settings: no secret key ships with the project, and production
refuses to start with a missing, weak or published one."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_PLACEHOLDER = "change-me-in-production-0123456789abcdefghijklmnopqrstuvwxyz"


def manage_check(secret_key: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_ALLOWED_HOSTS="orgs.example.gov.cn")
    if secret_key is not None:
        env["DJANGO_SECRET_KEY"] = secret_key
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("secret_key", "message"),
    [
        (None, "DJANGO_SECRET_KEY is not set"),
        ("", "DJANGO_SECRET_KEY is not set"),
        ("build", "DJANGO_SECRET_KEY is too short or too simple"),
        ("a" * 60, "DJANGO_SECRET_KEY is too short or too simple"),
        (COMPOSE_PLACEHOLDER, "DJANGO_SECRET_KEY is a published placeholder"),
        ("insecure-local-key-change-me-0123456789abcdefghijklmnopqrstuv", "published placeholder"),
        # A random key: its test id is fixed, so that every pytest-xdist worker collects the same tests.
        pytest.param(
            "django-insecure-" + secrets.token_urlsafe(50), "published placeholder", id="django-insecure-random"
        ),
    ],
)
def test_production_refuses_a_missing_weak_or_published_secret_key(secret_key, message):
    result = manage_check(secret_key)
    assert result.returncode != 0
    assert message in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # and says how to make a good one


def test_production_starts_with_a_random_secret_key():
    result = manage_check(secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr


def test_docker_compose_ships_no_secret_key():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app_services = {name: service for name, service in compose["services"].items() if "build" in service}
    assert set(app_services) == {"web", "worker", "beat"}
    for service in app_services.values():
        value = service["environment"]["DJANGO_SECRET_KEY"]
        # ${VAR:?message}: compose refuses to start unless the operator sets the key.
        assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]+\}", value), value
    assert COMPOSE_PLACEHOLDER not in (ROOT / "docker-compose.yml").read_text()


def test_docker_image_is_built_without_a_fixed_key_and_without_the_local_env_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for value in re.findall(r"DJANGO_SECRET_KEY=(\S+)", dockerfile):
        assert value.startswith('"$(python'), value  # generated at build time, thrown away
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
