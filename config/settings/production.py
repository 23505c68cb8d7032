"""Production settings: everything secret or site-specific must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

# Keys that were ever written down in this repository (defaults, examples) are public.
_PUBLISHED_KEY_MARKERS = ("change-me", "insecure", "not-for-production", "secret-key", "django-insecure-")
_KEY_ADVICE = "Set it to a random value, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."


def _secret_key(value: str) -> str:
    """The key, if it may sign this site's sessions and tokens; otherwise refuse to start."""
    if not value:
        raise ImproperlyConfigured(f"DJANGO_SECRET_KEY is not set. {_KEY_ADVICE}")
    if len(value) < 50 or len(set(value)) < 5:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too short or too simple (at least 50 varied characters). {_KEY_ADVICE}"
        )
    if any(marker in value.lower() for marker in _PUBLISHED_KEY_MARKERS):
        raise ImproperlyConfigured(f"DJANGO_SECRET_KEY is a published placeholder. {_KEY_ADVICE}")
    return value


DEBUG = False
SECRET_KEY = _secret_key(env("DJANGO_SECRET_KEY", default=""))
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Only a plain-HTTP trial (docker compose on localhost) turns these off.
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
