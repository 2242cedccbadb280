import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def _dev_secret_key() -> str:
    """A per-checkout key kept in var/, so development sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _dev_secret_key()
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "civic",
    "proposals",
    "deliberation",
    "funding",
    "consultations",
    "casework",
    "scorecard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civic.middleware.RefuseNulMiddleware",
    "civic.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civic.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "civic.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "civic.urls"
WSGI_APPLICATION = "civic.wsgi.application"
ASGI_APPLICATION = "civic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "civic.context_processors.site",
            ],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file-backed test database, so a server in another process (the browser tests) sees it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# The page cache's one query per kept page (civic.pagecache) as a server-side prepared statement, parsed and
# planned once per connection: on (1) or off (0); unset, on when connections are kept (DJANGO_CONN_MAX_AGE
# not 0). Off behind pgBouncer in transaction mode before 1.21 or without `max_prepared_statements`.
CIVIC_DB_PREPARE = {"1": True, "0": False}.get(os.environ.get("DJANGO_DB_PREPARE", "").strip())
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_services(url: str, prefix: str) -> tuple[dict, dict]:
    """CACHES and CHANNEL_LAYERS on the Redis at `url` (the tests point these at a dead one).

    Redis is a cache and a message bus, never a single point of failure (docs/deploy.md, "While Redis is
    down"): the cache falls back to this process's memory (civic.cache), a failed publish is logged, not
    raised (civic.events), and a socket opens without live events (civic.consumers). Short timeouts, so an
    unreachable host costs half a second, not a hung request."""
    caches = {
        "default": {
            "BACKEND": "civic.cache.FailSafeRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Pub/sub layer: group broadcast without the classic layer's silent per-channel drops.
    layers = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_connect_timeout": 1}], "prefix": prefix},
        }
    }
    return caches, layers


# Names the release kept pages were rendered by (civic.pagecache.release); empty: a digest of the code.
PAGECACHE_RELEASE = os.environ.get("DJANGO_RELEASE", "").strip()

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES, CHANNEL_LAYERS = redis_services(REDIS_URL, os.environ.get("DJANGO_CACHE_PREFIX", "civic"))
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "civic.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "civic:home"

# django-allauth: e-mail or mobile number + password, verified e-mail required for sign-ups, rate limits on
# (they use the cache). Mobile numbers are allauth's own phone login (civic.accounts.AccountAdapter keeps
# them on User.login_phone); nobody signs up by phone, so there is no SMS: a mobile number comes from an
# in-person registration (assisted residents, civic.services.assisted_register).
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_FORMS = {"signup": "civic.forms.SignupForm", "login": "civic.forms.LoginForm"}
ACCOUNT_ADAPTER = "civic.accounts.AccountAdapter"
# Rate limits: allauth's defaults (signups, confirmation and reset e-mails) stay on. Failed sign-ins: at
# most 10 a minute from one address and 5 in 5 minutes on one account; past either, that address or
# account is locked until the window passes. The sign-in form, the API token and the admin login share
# this one counter (civic.accounts.authenticate).
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("CIVIC_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
}

# The client's address: how many proxies of ours stand in front and append to X-Forwarded-For (nginx: 1).
# 0 means the socket address is the client and X-Forwarded-For is ignored (civic.net.client_ip).
CIVIC_TRUSTED_PROXIES = int(os.environ.get("CIVIC_TRUSTED_PROXIES", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = CIVIC_TRUSTED_PROXIES  # what allauth would read if asked directly

# Internationalisation: Simplified Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Stored files go out through Django views (civic.media): public folders through /media/, the rest through
# views that check permission. With DJANGO_MEDIA_ACCEL=1 a view answers with an X-Accel-Redirect to nginx's
# internal location MEDIA_ACCEL_PREFIX + "media/" (MEDIA_ROOT) or + "private/" (PRIVATE_MEDIA_ROOT).
MEDIA_ACCEL = env_bool("DJANGO_MEDIA_ACCEL")
MEDIA_ACCEL_PREFIX = "/_protected/"
PUBLIC_MEDIA_FOLDERS = ("projects/",)  # project photos; proposal attachments follow their proposal's visibility
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Outside production the files are served from the apps' folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "共治平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers that hold in every mode; production.py adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database, never only in Redis: a Redis outage must not sign everyone out. Redis
# holds a copy for a minute, so a signed-in page reads no session row (civic/sessions.py).
SESSION_ENGINE = "civic.sessions"
CSRF_COOKIE_HTTPONLY = False  # the pages' own scripts read it for fetch() calls

# Content Security Policy: nothing from other hosts; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an API call without credentials then gets 401 with `WWW-Authenticate: Token`.
        "civic.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON bodies over 1 MiB or nested deeper than 32 levels are refused (civic.api.parsers);
    # multipart uploads keep their own per-file limit (UPLOAD_MAX_BYTES, civic.uploads)
    "DEFAULT_PARSER_CLASSES": [
        "civic.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "civic.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "civic.api.exceptions.exception_handler",
    # Keyed on civic.net.client_ip; NUM_PROXIES says the same to any stock DRF throttle.
    "DEFAULT_THROTTLE_CLASSES": [
        "civic.api.throttling.AnonRateThrottle",
        "civic.api.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": CIVIC_TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_ANON_RATE", "600/minute"),
        "user": os.environ.get("DJANGO_API_USER_RATE", "1200/minute"),
        "token": "10/minute",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Co-governance platform API",
    "DESCRIPTION": (
        "Proposals, deliberation, ballots and funded micro-projects of a city's neighbourhoods. "
        "Authenticate with the session cookie (browser) or `Authorization: Token <key>` "
        "(obtain a key at `POST /api/auth/token/`). Errors carry a stable `code` and a translated "
        "`detail`; send `Accept-Language: en` for English."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AreaRoleEnum": "civic.models.AreaRoleKind",
        "MembershipRoleEnum": "civic.models.MembershipRole",
        "OrganisationKindEnum": "civic.models.OrganisationKind",
        "OrganisationRequestKindEnum": "civic.models.OrganisationRequestKind",
        "AnswerStatusEnum": "proposals.models.AnswerStatus",
        "ProposalStateEnum": "proposals.models.ProposalState",
        "ConsultationKindEnum": "consultations.models.ConsultationKind",
        "ConsultationStateEnum": "consultations.models.ConsultationState",
        "TextUnitKindEnum": "consultations.models.UnitKind",
        "QuestionKindEnum": "consultations.models.QuestionKind",
        "OpinionSourceEnum": "consultations.models.Source",
        "OfflineSourceEnum": "consultations.models.OFFLINE_SOURCES",
        "ProjectStateEnum": "funding.models.ProjectState",
        "FundingSourceEnum": "funding.models.FundingSource",
        "ProposalChannelEnum": "proposals.models.Channel",
        "ActChannelEnum": "civic.models.Channel",
        "UnitKindEnum": "casework.models.UnitKind",
        "ReportStateEnum": "casework.models.ReportState",
        "ReportChannelEnum": "casework.models.ReportChannel",
        "ReportEventKindEnum": "casework.models.EventKind",
        "RatingChannelEnum": "casework.models.RatingChannel",
        "SatisfactionLevelEnum": "funding.models.SatisfactionLevel",
        "AreaLevelEnum": "civic.models.AreaLevel",
        "BoxKindEnum": "deliberation.models.BoxKind",
        "BoxStateEnum": "deliberation.models.BoxState",
        "BallotChannelEnum": "deliberation.models.Channel",
    },
}

SITE_NAME = _("Neighbourhood Co-governance")
# The public address, for links in e-mails.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# bench/http.py turns this on to measure pages against a bare view (civic/urls.py); never in production.
CIVIC_BENCH_BARE_VIEW = env_bool("CIVIC_BENCH_BARE_VIEW")

# The civic core's policies (each can be set from the environment).
RESIDENCY_VALID_DAYS = int(os.environ.get("CIVIC_RESIDENCY_VALID_DAYS", "730"))
# How long the code an assisted resident claims their account with stays valid.
CLAIM_CODE_VALID_DAYS = int(os.environ.get("CIVIC_CLAIM_CODE_VALID_DAYS", "7"))
# One limit for every uploaded file (proofs, attachments, photos); civic/uploads.py is the one policy.
UPLOAD_MAX_BYTES = int(os.environ.get("CIVIC_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
PROPOSAL_DEFAULT_THRESHOLD = int(os.environ.get("CIVIC_PROPOSAL_THRESHOLD", "30"))
PROPOSAL_DEFAULT_COLLECTION_DAYS = int(os.environ.get("CIVIC_PROPOSAL_COLLECTION_DAYS", "60"))
PROPOSAL_DEFAULT_RESPONSE_WORKING_DAYS = int(os.environ.get("CIVIC_PROPOSAL_RESPONSE_WORKING_DAYS", "15"))
PROPOSAL_MAX_ATTACHMENTS = int(os.environ.get("CIVIC_PROPOSAL_MAX_ATTACHMENTS", "6"))
PROPOSAL_COMMENT_EDIT_MINUTES = int(os.environ.get("CIVIC_PROPOSAL_COMMENT_EDIT_MINUTES", "15"))
MODERATION_AUTO_HIDE_REPORTS = int(os.environ.get("CIVIC_MODERATION_AUTO_HIDE_REPORTS", "3"))
# 关键小事 (casework): the city's working hours on working days ("HH:MM-HH:MM", local time), the limits of
# the loop after a report is resolved and after a limit has passed.
CASEWORK_WORKING_HOURS = os.environ.get("CIVIC_CASEWORK_WORKING_HOURS", "09:00-17:00")
CASEWORK_RATING_WORKING_DAYS = int(os.environ.get("CIVIC_CASEWORK_RATING_WORKING_DAYS", "5"))
CASEWORK_ESCALATION_GRACE_HOURS = int(os.environ.get("CIVIC_CASEWORK_ESCALATION_GRACE_HOURS", "8"))
CASEWORK_DUE_SOON_HOURS = int(os.environ.get("CIVIC_CASEWORK_DUE_SOON_HOURS", "4"))
# A category that recurs in a grid cell (this many reports within these days) is suggested as a proposal.
CASEWORK_RECURRING_REPORTS = int(os.environ.get("CIVIC_CASEWORK_RECURRING_REPORTS", "5"))
CASEWORK_RECURRING_DAYS = int(os.environ.get("CIVIC_CASEWORK_RECURRING_DAYS", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
