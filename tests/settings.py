import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

# pytest-xdist runs the tests in several processes. Each has its own test database (pytest-django names them per
# worker) and page caches; the servers a test starts get a Redis database of their own too, since clear() empties one.
if os.environ.get("REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    _redis = urlsplit(os.environ["REDIS_URL"])
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{int(os.environ['PYTEST_XDIST_WORKER'][2:]) + 1}"))

from iplus.settings import *  # noqa: E402, F403
from iplus.settings import STORAGES, TEMPLATES  # noqa: E402

# Each test process has its own page cache; the real one is shared by workers (see iplus/settings.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The manifest storage needs collectstatic; CI runs that for real.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True


class InvalidTemplateVariable(str):
    def __mod__(self, other):
        raise NameError(f"Invalid template variable: {other!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")

# A test that starts servers of its own gives them one page cache on disk, as `make run`'s workers share one.
if os.environ.get("TEST_PAGE_CACHE_DIR"):
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": os.environ["TEST_PAGE_CACHE_DIR"]}
