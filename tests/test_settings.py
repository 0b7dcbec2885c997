import os
import subprocess
import sys

from django.conf import settings


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "iplus.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_secret_key_fails_at_start():
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_is_the_default():
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE)"
    result = manage("shell", "--no-imports", "-c", code, DJANGO_SECRET_KEY="x" * 50)
    assert result.stdout.split() == ["False", "True", "True"], result.stderr


def test_debug_is_opt_in():
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)"
    result = manage("shell", "--no-imports", "-c", code, DJANGO_DEBUG="1")
    assert result.stdout.split() == ["True", "False"], result.stderr


def test_database_url_selects_postgresql():
    from iplus.settings import database

    db = database("postgres://iplus:s%40cret@db.example:5433/iplus")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql", "iplus", "iplus", "s@cret", "db.example", 5433,
    )  # fmt: skip


def test_the_page_cache_is_bounded_without_redis_and_its_entries_expire():
    code = (
        "from django.conf import settings; pages = settings.CACHES['pages']; "
        "print(pages['BACKEND'].rsplit('.', 1)[1], pages['OPTIONS']['MAX_ENTRIES'], settings.CACHE_MIDDLEWARE_SECONDS)"
    )
    result = manage("shell", "--no-imports", "-c", code, DJANGO_SECRET_KEY="x" * 50, REDIS_URL="")
    assert result.stdout.split() == ["FileBasedCache", "5000", "600"], result.stderr
