"""Settings for the test suite: real PostgreSQL and Redis, mail kept in memory."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]

# Under pytest-xdist (`make test` runs two worker processes) each worker, gw0, gw1, …, has a test
# database of its own (pytest-django adds the suffix), and here cache keys and a media root of its
# own; Celery tests each start a worker on a queue of their own.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")

# A Redis database of its own, so a running `make run` and the tests do not share keys.
TEST_REDIS_URL = env("TEST_REDIS_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/15")
REDIS_URL = TEST_REDIS_URL
CACHES = {
    "default": {
        **CACHES["default"],  # core.cache's backend, failing soft
        "LOCATION": TEST_REDIS_URL,
        "KEY_PREFIX": "-".join(filter(None, [env("CACHE_KEY_PREFIX", default="community-orgs-test"), XDIST_WORKER])),
    }
}
CELERY_BROKER_URL = TEST_REDIS_URL
CELERY_RESULT_BACKEND = TEST_REDIS_URL
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "community-orgs-test-media"))
if XDIST_WORKER:
    MEDIA_ROOT = MEDIA_ROOT.path(XDIST_WORKER)

# A second alias, `replica`, as a test mirror of default (no database of its own: the same test
# database through a connection of its own), so that core.db's router meets a real second alias.
# Reads stay on default unless a test turns DATABASE_REPLICA_READS on and asks for both aliases
# (tests/core/test_replica.py): a test may only query the aliases it declares.
DATABASES = {**DATABASES, "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}}}
DATABASE_REPLICA_READS = False
