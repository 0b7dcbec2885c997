import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database(url):
    """DATABASES["default"] from DATABASE_URL (sqlite:///path or postgres://user:password@host:port/name)."""
    try:
        config = dj_database_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL: {error} (use sqlite or postgres).") from error
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return sqlite_database(config["NAME"] or BASE_DIR / "var" / "db.sqlite3")
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported database {config['ENGINE']!r} (use sqlite or postgres).")
    if env_bool("DJANGO_DB_POOL"):
        # Django's pool hands each thread a connection from psycopg_pool; it requires CONN_MAX_AGE=0.
        config.setdefault("OPTIONS", {})["pool"] = True
    else:
        config.update(CONN_MAX_AGE=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")), CONN_HEALTH_CHECKS=True)
    return config


def sqlite_database(path):
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            # mmap: reads of a large database are memory reads, not a read() per page (a cold detail page
            # of 100,000 critiques, served by two workers: about 10 % more requests/s); 32 MB of page cache.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; "
                "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32000;"
            ),
        },
    }


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (make run generates one into var/secret_key), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-debug-only-key"  # noqa: S105  (DEBUG only)

# Plain-HTTP serving is an explicit opt-out; production assumes HTTPS.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")

# Whole pages (django.middleware.cache), emptied after every content change: shared by every worker of a
# machine (files under var/), or of every server (Redis, a database of its own: clear() empties all of it).
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "var" / "cache" / "pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# The __Host- prefix binds a cookie to this exact host over HTTPS.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
CSRF_COOKIE_SECURE = HTTPS
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": database(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else sqlite_database(BASE_DIR / "var" / "db.sqlite3")
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

INSTALLED_APPS = [
    "publishing.apps.EditorsAdminConfig",  # Django's admin, with the site of publishing/sites.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # on PostgreSQL, the operator class of the trigram indexes (publishing.text_index)
    "axes",
    "django_filters",
    "simple_history",
    "publishing",
    "iplus",
    "sectors",
    "critiques",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["iplus.formats"]

# A request Django refuses as suspicious (a bad Host, too many fields) is one line: its message says it all.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"one_line": {"()": "iplus.security.OneLineFormatter", "format": "%(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "refused": {"class": "logging.StreamHandler", "formatter": "one_line"},
    },
    "loggers": {"django.security": {"handlers": ["refused"], "propagate": False}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

MIDDLEWARE = [
    "iplus.middleware.PathLocaleMiddleware",
    "django.middleware.cache.UpdateCacheMiddleware",
    "iplus.middleware.PageCacheGuard",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A stored page is answered here, before the middleware below: none of them changes the request in a way
    # its cache key reads (the URL and, through Vary, the Cookie header). About 5 % more pages a second.
    "django.middleware.cache.FetchFromCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iplus.urls"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Nothing inline and nothing from elsewhere. The admin's few inline tags carry the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "img-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "upgrade-insecure-requests": HTTPS,
}
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = HTTPS

SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
SESSION_COOKIE_SECURE = HTTPS

STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csp",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

WSGI_APPLICATION = "iplus.wsgi.application"

X_FRAME_OPTIONS = "DENY"

# django-axes: a few wrong passwords for one account from one address, or from one address for any accounts, lock
# that address out for a while; a stranger elsewhere cannot lock an editor out.
AXES_CLIENT_IP_CALLABLE = "iplus.security.client_ip"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_CALLABLE = "iplus.security.lockout_response"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True

# publishing: the model whose items footnotes cite by slug ([^slug])
PUBLISHING_SOURCE_MODEL = "iplus.Source"
