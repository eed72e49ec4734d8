"""Settings for Ungkultur, driven by the environment.

UNGKULTUR_ENV is ``development`` (default: SQLite, console e-mail, debug) or ``production``.
Every value a deployment needs to change comes from an environment variable; see README.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from ungkultur.identity.config import issuer_origins, oidc_apps

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = os.environ.get("UNGKULTUR_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

# Refused in production by the system check in core/checks.py.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
DEBUG = os.environ.get("DJANGO_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

# The public address of the site, used in e-mails sent by the task worker (no request there).
SITE_URL = os.environ.get("UNGKULTUR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin with our site: national administrators get in, every change is audited.
    "ungkultur.organisations.admin_apps.UngkulturAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "rules.apps.AutodiscoverRulesConfig",
    # ID-porten and Feide (OpenID Connect) and two-factor login: django-allauth (issue 19).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    # Ours, lowest layer first: an app imports only from apps above it in this list.
    "ungkultur.core",
    "ungkultur.municipalities",
    "ungkultur.accounts",
    "ungkultur.organisations",
    "ungkultur.identity",
    "ungkultur.catalogue",
    "ungkultur.enrolment",
    "ungkultur.clubs",
    "ungkultur.ukm",
    "ungkultur.participation",
    "ungkultur.meetings",
    "ungkultur.planning",
    "ungkultur.surveys",
    "ungkultur.indicators",
    "ungkultur.onboarding",
    "ungkultur.evaluations",
    "ungkultur.privacy",
    "ungkultur.mypage",
    "ungkultur.api",
    "ungkultur.demo",
]

MIDDLEWARE = [
    # Counts every request and its duration for /metrics; Before first and After last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ungkultur.identity.middleware.StaffIdleTimeoutMiddleware",
    "ungkultur.identity.middleware.NoStoreForPeopleMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ungkultur.identity.middleware.IssuerUnavailableMiddleware",
    "ungkultur.identity.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "ungkultur.core.middleware.DatabaseUnavailableMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "ungkultur.urls"
WSGI_APPLICATION = "ungkultur.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ungkultur" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ungkultur.core.context_processors.site",
                "ungkultur.participation.context_processors.notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is tested before a request uses it (after a database restart).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker write to one file. WAL lets readers and a writer work
    # at once; IMMEDIATE takes the write lock when a transaction begins, so that a transaction
    # that read first waits for it (up to "timeout" seconds) instead of failing at once with
    # "database is locked" when it wants to write. NORMAL is safe with WAL (a power cut may lose
    # the last commits, never consistency).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # A Redis restart reads as an empty cache instead of failing pages (core/cache.py).
            "BACKEND": "ungkultur.core.cache.TolerantRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Model permissions in the admin for national administrators (fallback to the product's pages).
    "ungkultur.organisations.admin_site.NationalAdminBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ungkultur.accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ungkultur.identity.validators.StaffPasswordLengthValidator"},
]
# A staff session ends after this long without a request (ungkultur/identity/middleware.py).
UNGKULTUR_STAFF_IDLE_MINUTES = 120
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "mypage:index"
LOGOUT_REDIRECT_URL = "organisations:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# Off: with it on, ids printed into templates (value="{{ pk }}") would read "1 234".
USE_THOUSAND_SEPARATOR = False
# Dates by name (|date:"DATE_FORMAT"), each language its own way: ungkultur/formats/.
FORMAT_MODULE_PATH = ["ungkultur.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "ungkultur" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ungkultur <ikke-svar@ungkultur.no>")

# Background work goes through the durable database queue; run `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("UNGKULTUR_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- ID-porten and Feide (ungkultur/identity; README: configuration) ---------------------------
OIDC_APPS = oidc_apps(os.environ)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": OIDC_APPS,
        # Stores the subject only as a keyed hash, and no claim values.
        "provider_class": "ungkultur.identity.oidc.HashedSubjectProvider",
    }
}
SOCIALACCOUNT_ADAPTER = "ungkultur.identity.adapters.SocialAccountAdapter"
ACCOUNT_ADAPTER = "ungkultur.identity.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_UNIQUE_EMAIL = True
# Local accounts confirm their e-mail in ungkultur/accounts; the providers' e-mail is theirs.
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
# Never link an identity to an account because the e-mail matches: only by an explicit step
# while logged in (Min side, «Koble til»).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
# Two-factor login (allauth.mfa): an authenticator app, passkeys/security keys, recovery codes.
# Required for national roles and administrators, offered to all staff (identity/middleware.py).
# A demo machine may skip it (UNGKULTUR_TWO_FACTOR_REQUIRED=0); production never does.
UNGKULTUR_TWO_FACTOR_REQUIRED = (
    PRODUCTION or os.environ.get("UNGKULTUR_TWO_FACTOR_REQUIRED", "1") != "0"
)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Ungkultur"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Local accounts' e-mail is confirmed in ungkultur/accounts, not in allauth's EmailAddress.
MFA_ALLOW_UNVERIFIED_EMAIL = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "frame-ancestors": [NONE],
        # The login form's ID-porten/Feide buttons post here, and are redirected to the issuer.
        "form-action": [SELF, *issuer_origins(OIDC_APPS)],
        "base-uri": [SELF],
    }
}

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
# Health checks and Prometheus reach the app servers directly over plain HTTP, inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_REFERRER_POLICY = "same-origin"

# One JSON object per line in production (for the log collector); plain messages elsewhere.
LOG_FORMAT = os.environ.get("UNGKULTUR_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {
            "()": "ungkultur.core.log_format.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint tells every step of every PDF at INFO; its warnings are worth keeping.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Ungkultur's own settings -------------------------------------------------------------------
# Age limits for consent (docs/privacy.md). Age is counted as the calendar year minus birth year.
UNGKULTUR_AGE_ONLINE_CONSENT = int(os.environ.get("UNGKULTUR_AGE_ONLINE_CONSENT", "13"))
UNGKULTUR_AGE_GUARDIAN_DETAILS = int(os.environ.get("UNGKULTUR_AGE_GUARDIAN_DETAILS", "15"))
UNGKULTUR_AGE_RESEARCH_CONSENT = int(os.environ.get("UNGKULTUR_AGE_RESEARCH_CONSENT", "16"))
UNGKULTUR_AGE_SENSITIVE_CONSENT = int(os.environ.get("UNGKULTUR_AGE_SENSITIVE_CONSENT", "18"))
# The youngest and oldest birth year offset accepted at sign-up (kulturskole starts at 6).
UNGKULTUR_MIN_AGE = 6
UNGKULTUR_MAX_AGE = 26
# Failed logins to one account before it must wait (guessing passwords of youth accounts).
UNGKULTUR_LOGIN_ATTEMPTS = int(os.environ.get("UNGKULTUR_LOGIN_ATTEMPTS", "5"))
UNGKULTUR_LOGIN_WAIT_MINUTES = int(os.environ.get("UNGKULTUR_LOGIN_WAIT_MINUTES", "15"))
# Failed logins from one address (any accounts; a school shares one address) before it waits.
UNGKULTUR_LOGIN_ATTEMPTS_PER_ADDRESS = int(
    os.environ.get("UNGKULTUR_LOGIN_ATTEMPTS_PER_ADDRESS", "50")
)
# Password reset mails an hour per e-mail address, and requests an hour per client address.
UNGKULTUR_PASSWORD_RESETS_PER_EMAIL = 3
UNGKULTUR_PASSWORD_RESETS_PER_ADDRESS = 20
# Registrations (youth and adult) sent from one address per hour; a school class shares one.
UNGKULTUR_REGISTRATIONS_PER_ADDRESS = 60
# Retention (docs/privacy.md; `purge_personal_data`): accounts without a login for this many
# years are pseudonymised; so are registrations no guardian confirmed within the days given.
UNGKULTUR_RETENTION_INACTIVE_YEARS = 3
UNGKULTUR_RETENTION_UNCONFIRMED_DAYS = 30
# UKM contact details (mobile numbers, guardians) are kept this long after the event.
UNGKULTUR_RETENTION_UKM_CONTACT_DAYS = 183
# Key of the hashes that stand in for other systems' person references in imports; keep it
# stable (a new key unlinks earlier imports). Required in production.
UNGKULTUR_PERSON_REF_KEY = os.environ.get(
    "UNGKULTUR_PERSON_REF_KEY", "" if PRODUCTION else SECRET_KEY
)
# How long a person has to answer when offered a place (registration, application).
UNGKULTUR_REGISTRATION_ANSWER_DAYS = int(os.environ.get("UNGKULTUR_REGISTRATION_ANSWER_DAYS", "3"))
UNGKULTUR_APPLICATION_ANSWER_DAYS = int(os.environ.get("UNGKULTUR_APPLICATION_ANSWER_DAYS", "7"))
# Disclosure control: no published number rests on fewer than this many people.
UNGKULTUR_DISCLOSURE_MIN_N = int(os.environ.get("UNGKULTUR_DISCLOSURE_MIN_N", "5"))
# Version of the consent texts shown at sign-up; stored on every consent record.
UNGKULTUR_CONSENT_TEXT_VERSION = "2026-12"
# Used where a municipality has not set its own accessibility statement.
UNGKULTUR_ACCESSIBILITY_STATEMENT_URL = os.environ.get(
    "UNGKULTUR_ACCESSIBILITY_STATEMENT_URL", "https://uustatus.no/"
)

# participation
# Who counts as youth for proposals, supports and comments (age = calendar year − birth year).
UNGKULTUR_PARTICIPATION_AGE_MIN = 13
UNGKULTUR_PARTICIPATION_AGE_MAX = 19
# Days to answer a proposal where the municipality has not set its own deadline.
UNGKULTUR_PARTICIPATION_ANSWER_DAYS = 30
# The project group is reminded of an unanswered proposal this many days before its deadline
# (and once more when it has passed).
UNGKULTUR_PARTICIPATION_REMINDER_DAYS = (7, 2)
# The owner of an open action item from minutes is reminded this many days before its due
# date (and once when it has passed).
UNGKULTUR_MEETINGS_ACTION_REMINDER_DAYS = (2,)
# A competence order's organisation is reminded once when the order has waited this many days
# for an answer, and once when an accepted order is still not scheduled this many days before
# the wanted period begins.
UNGKULTUR_PLANNING_ORDER_ANSWER_DAYS = 7
UNGKULTUR_PLANNING_ORDER_SCHEDULE_DAYS = 14
# The project leaders of KK municipalities that have not sent in an evaluation round's answer
# are reminded once, this many days before the round's deadline.
UNGKULTUR_EVALUATION_REMINDER_DAYS = 7
# A comment is hidden after this many reports until a moderator decides.
UNGKULTUR_PARTICIPATION_REPORTS_TO_HIDE = 3

# Uploaded files that are served (success stories' pictures, through a view that checks the
# story still exists). In production a persistent volume shared by the app servers.
MEDIA_ROOT = os.environ.get("UNGKULTUR_MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
# A success story's picture may be at most this large as uploaded.
UNGKULTUR_STORY_PICTURE_MAX_BYTES = 5 * 1024 * 1024

# surveys (results and research exports)
# Research exports and per-wave columnar snapshots; private files, never served as media.
UNGKULTUR_SURVEY_FILES_DIR = os.environ.get(
    "UNGKULTUR_SURVEY_FILES_DIR", str(BASE_DIR / "var" / "surveys")
)
# A wave with at most this many responses has its results computed while the page waits when
# its snapshot is out of date; a larger one is refreshed by the task worker.
UNGKULTUR_SURVEY_INLINE_SNAPSHOT_MAX = 20000

# indicators
# How many terms (half school years) a refresh computes, ending with the current one.
UNGKULTUR_INDICATOR_TERMS = 10
# Changes within this many seconds of one another share one indicator refresh.
UNGKULTUR_INDICATOR_REFRESH_DEBOUNCE = 60

# operations (docs/deployment.md)
# /metrics answers only clients in these networks, and never a request the proxy forwarded.
UNGKULTUR_METRICS_ALLOWED_NETWORKS = os.environ.get(
    "UNGKULTUR_METRICS_ALLOWED_NETWORKS",
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
).split(",")
# /readyz wants a task worker to have taken a task within this many seconds; a heartbeat task
# queues itself again every UNGKULTUR_WORKER_HEARTBEAT_INTERVAL seconds so that one always waits.
UNGKULTUR_WORKER_HEARTBEAT_MAX_AGE = 60
UNGKULTUR_WORKER_HEARTBEAT_INTERVAL = 15
# manage.py task_worker records that it is alive this often; a RUNNING task whose worker has
# been silent for UNGKULTUR_WORKER_LOST_AFTER seconds is queued again (core/workers.py).
UNGKULTUR_WORKER_BEAT_SECONDS = 5
UNGKULTUR_WORKER_LOST_AFTER = 30
