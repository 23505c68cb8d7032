"""Settings shared by every environment; values come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-change-me-0123456789abcdefghijklmnopqrstuv")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Ours, in dependency order: core ← accounts ← registry ← {supervision, party, projects} ← evaluation ← reports.
# Listed first so that our catalogues (and templates) take precedence over the contrib apps' for
# common words ("Filter" is 筛选 here, not the admin's 过滤器).
PROJECT_APPS = ["core", "accounts", "registry", "supervision", "party", "projects", "evaluation", "reports"]

INSTALLED_APPS = [
    *PROJECT_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRefreshMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.CacheControlMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL is the only database. The custom backend creates databases (test ones too) with a
# UTF-8 character type so that pg_trgm splits Chinese text into trigrams.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/community_orgs")}
DATABASES["default"]["ENGINE"] = "core.db.backends.postgresql"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, checked before reuse: opening one costs ~3 ms a request. Chosen over
# psycopg's pool (OPTIONS={"pool": ...}) because every process here serves one request or one task
# at a time (gunicorn sync workers, runserver threads, Celery prefork children, whose Django fixup
# closes connections past their age around each task): one kept connection per worker is what a
# pool would hold, without a pool per forked process to size, and the test suite's transactions and
# connection handling stay Django's ordinary ones. CONN_HEALTH_CHECKS pings a reused connection
# at the start of a request, so one the server dropped is replaced instead of failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if env("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"]["NAME"] = env("TEST_DATABASE_NAME")
# A read replica (streaming replication of default), when there is one: reads made inside
# core.db.replica() go there (reports' workbooks, exports); writes and migrations stay on default.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **env.db("DATABASE_REPLICA_URL"),
        "ENGINE": DATABASES["default"]["ENGINE"],
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICA_READS = env.bool("DATABASE_REPLICA_READS", default=True)
DATABASE_ROUTERS = ["core.db.routers.ReplicaRouter"]
DATABASE_LOCALE = env("DATABASE_LOCALE", default="C.UTF-8")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
# The cache fails soft (core.cache): with Redis down, pages go on without it (nothing lives only in
# the cache), and a dead server is not waited for: short socket timeouts, retried after RETRY_AFTER s.
CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
CACHES = {
    "default": {
        "BACKEND": "core.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="community-orgs"),
        "OPTIONS": CACHE_OPTIONS,
        "RETRY_AFTER": 5,
    }
}

# Content-Security-Policy (django-csp): scripts and styles only from our own files, so an injected
# <script>, inline handler or javascript: URL does not run. Behaviour lives in static/js/app.js
# (data attributes); htmx's injected indicator style is switched off in base.html. The API docs
# view relaxes style-src for Swagger UI's own inline <style> (config/urls.py). A view that sets
# its own policy (uploaded files: sandbox) keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap's stylesheet draws its form controls with data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after a period without activity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
# A session is saved when it changes, or (core.middleware.SessionRefreshMiddleware) when less than
# SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS of it remains: an active user extends it at most once
# in this many seconds, an idle one is out at most SESSION_COOKIE_AGE after the last request.
SESSION_ENGINE = "core.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout after repeated failures, counted per user name and address together, so that a user can
# still log in from their own address; in front of it a throttle per address across user names
# (accounts.lockout). Both apply to the log-in page, the admin's and the API token endpoint.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.lockout.AddressThrottleHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
# Reverse proxies in front of the application that append the client to X-Forwarded-For (0: none,
# the address is REMOTE_ADDR and X-Forwarded-For is ignored, as a client can write anything there).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from the npm registry at set-up (npm ci) and are served by the app.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads live outside any web root and no URL serves them (there is no MEDIA_URL): they go out
# only through scoped views (core.uploads.serve).
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="社区社会组织平台 <noreply@localhost>")

# An unset list filter means every row.
FILTERS_EMPTY_CHOICE_LABEL = _("All")

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.ScopedFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens die this many days after they are issued (and at once on a password change).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
SPECTACULAR_SETTINGS = {
    "TITLE": "社区社会组织登记与监管平台 API",
    "DESCRIPTION": "Registration, party building, project ledgers and evaluation of community social organizations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Apps reuse field names (kind, category, reason) for different choice sets: name each set.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationCategoryEnum": "registry.choices.Category",
        "ApplicationKindEnum": "registry.choices.ApplicationKind",
        "ApplicationStateEnum": "registry.choices.ApplicationState",
        "ApplicationAttachmentKindEnum": "registry.choices.AttachmentKind",
        "ListingReasonEnum": "supervision.choices.ListingReason",
        "ListingEndReasonEnum": "supervision.choices.ListingEndReason",
        "SeriousListingReasonEnum": "supervision.choices.SeriousListingReason",
        "SeriousListingEndReasonEnum": "supervision.choices.SeriousListingEndReason",
        "BudgetCategoryEnum": "projects.choices.BudgetCategory",
        "LedgerEntryKindEnum": "projects.choices.EntryKind",
        "LedgerAttachmentKindEnum": "projects.choices.AttachmentKind",
        "AnnualReportConclusionEnum": "supervision.choices.AnnualReportConclusion",
        "AnnualReportKindEnum": "supervision.choices.ReportKind",
        "RevocationKindEnum": "supervision.choices.RevocationKind",
        "FounderKindEnum": "registry.choices.FounderKind",
        "FunderKindEnum": "projects.choices.FunderKind",
        "SupervisionVisitKindEnum": "projects.choices.VisitKind",
        "ProjectReviewConclusionEnum": "projects.choices.ReviewConclusion",
        "PartyFormEnum": "registry.choices.PartyForm",
        "PartyLevelEnum": "party.choices.PartyLevel",
        "PartyFormationEnum": "party.choices.Formation",
        "PartyOrganizationStatusEnum": "party.choices.PartyOrganizationStatus",
        "PartyContactFormEnum": "party.choices.ContactForm",
        "PartyActivityKindEnum": "party.choices.ActivityKind",
        "MeetingDecisionStatusEnum": "party.choices.DecisionStatus",
        "EvaluationIndicatorSourceEnum": "evaluation.choices.IndicatorSource",
        "EvaluationDimensionEnum": "evaluation.choices.Dimension",
        "ExpertAffiliationKindEnum": "evaluation.choices.AffiliationKind",
        "EvaluationRoundStatusEnum": "evaluation.choices.RoundStatus",
        "AssignmentMethodEnum": "evaluation.choices.AssignmentMethod",
        "AssignmentStatusEnum": "evaluation.choices.AssignmentStatus",
        "ObjectionStatusEnum": "evaluation.choices.ObjectionStatus",
        "ObjectionOutcomeEnum": "evaluation.choices.ObjectionOutcome",
        "OrganizationGradeEnum": "evaluation.choices.Grade",
        "CommunityReviewConclusionEnum": "evaluation.choices.ReviewConclusion",
        "CommunityReviewStatusEnum": "evaluation.choices.CommunityReviewStatus",
    },
}

# Celery: JSON only, bounded tasks, acknowledged after they finish, beat schedule in the database.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged task (its worker was killed) to another worker after the visibility
# timeout: longer than the longest task (the hard time limit), or a task still running would be
# delivered twice. Unacknowledged tasks are looked for every unacked_restore_interval seconds.
# Sending to a Redis that is down fails within seconds (socket timeouts, three quick retries): the
# job's row stays queued and core.jobs.resend_waiting sends it again (JOBS_RESEND_AFTER_MINUTES).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 30 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    **env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={}),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Sending a task subscribes to its result: the same short retries (Celery's default waits ~20 s).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY}
# A worker waits for Redis to come back as long as it takes (Celery's default gives up after 100 tries).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
JOBS_RESEND_AFTER_MINUTES = env.int("JOBS_RESEND_AFTER_MINUTES", default=10)
# Fault tests only (tests/faults): hold a worker at the named core.jobs.checkpoint.
JOBS_PAUSE_AT = env("JOBS_PAUSE_AT", default="")
JOBS_PAUSE_DIR = env("JOBS_PAUSE_DIR", default="/tmp")  # noqa: S108 - only read with JOBS_PAUSE_AT set
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# No schedules here: each app declares its periodic jobs in its jobs.py (core.periodic), seeded
# once into the database, where the bureau administrator edits them. The DatabaseScheduler writes
# every entry of this setting over its row each time beat starts, which would undo those edits.
CELERY_BEAT_SCHEDULE: dict = {}
# A job whose run has not started this long after its fire time counts as missed (任务状态 page).
PERIODIC_JOB_GRACE_MINUTES = env.int("PERIODIC_JOB_GRACE_MINUTES", default=30)

# List exports up to this many rows download at once; larger ones run in Celery and wait in the
# user's "My downloads" for EXPORT_JOB_KEEP_DAYS days. A user has at most EXPORT_MAX_ACTIVE_JOBS
# exports waiting or running.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5_000)
EXPORT_JOB_KEEP_DAYS = env.int("EXPORT_JOB_KEEP_DAYS", default=7)
EXPORT_MAX_ACTIVE_JOBS = env.int("EXPORT_MAX_ACTIVE_JOBS", default=3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Registry: the annual report on a year is due on this day ("MM-DD") of the following year; roster
# files up to the size below are checked and imported in the request, larger ones in Celery.
REGISTRY_ANNUAL_REPORT_DUE = env("REGISTRY_ANNUAL_REPORT_DUE", default="05-31")
REGISTRY_ROSTER_IMPORT_SYNC_MAX_BYTES = env.int("REGISTRY_ROSTER_IMPORT_SYNC_MAX_BYTES", default=200 * 1024)
