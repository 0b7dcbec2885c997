import os
import re
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from publishing.kinds import content_models
from tests.routes import audit, public_routes

CSP_PUBLIC = (
    "default-src 'none'; base-uri 'none'; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "img-src 'self'; manifest-src 'self'; script-src 'self'; style-src 'self'"
)


def production(*args, tmp_path, **env):
    """manage.py under the production settings, with only the variables a deployment must set."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "iplus.settings",
            "DJANGO_SECRET_KEY": "a-production-like-secret-" + "k" * 40,
            "DJANGO_ALLOWED_HOSTS": "iplus.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_nothing_with_only_the_required_variables(tmp_path):
    result = production("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PRODUCTION_RESPONSE = """
from django.test import Client, override_settings
# Pages need collectstatic's manifest in production; this test is about headers, not static files.
override_settings(STORAGES={"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(HTTP_HOST="iplus.example.org")
plain = client.get("/admin/login/")
print("redirect", plain.status_code, plain["Location"])
response = client.get("/admin/login/", secure=True)
print("status", response.status_code)
for name in ["Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
             "Cross-Origin-Opener-Policy", "X-Frame-Options"]:
    print("header", name, "=", response[name])
for cookie in response.cookies.values():
    print("cookie", cookie.key, cookie.output())
"""


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    result = production("shell", "--no-imports", "-c", PRODUCTION_RESPONSE, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = re.sub(r" 'nonce-[^']+'", "", result.stdout)  # the admin's nonces differ per request
    assert "redirect 301 https://iplus.example.org/admin/login/" in out
    assert "status 200" in out
    assert "header Strict-Transport-Security = max-age=31536000; includeSubDomains; preload" in out
    assert f"header Content-Security-Policy = {CSP_PUBLIC}; upgrade-insecure-requests" in out
    assert "header X-Content-Type-Options = nosniff" in out
    assert "header Referrer-Policy = same-origin" in out
    assert "header Cross-Origin-Opener-Policy = same-origin" in out
    assert "header X-Frame-Options = DENY" in out
    cookie = re.search(r"^cookie __Host-csrftoken (.*)$", out, re.MULTILINE)
    assert cookie, out
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]:
        assert flag in cookie.group(1)
    assert "Domain=" not in cookie.group(1)


def test_production_session_cookie_is_host_bound_and_http_only():
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "iplus.settings", "DJANGO_HTTPS": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["__Host-sessionid", "True", "Lax"], result.stderr


def public_urls():
    """Every public page: the routes without arguments and every content object's page."""
    urls = [reverse(name) for name, converters, _ in public_routes() if not converters]
    for model in content_models():
        if hasattr(model, "get_absolute_url"):
            urls.extend(obj.get_absolute_url().split("#")[0] for obj in model.objects.published())
    return sorted(set(urls))


def test_every_public_page_carries_the_security_headers_and_nothing_inline(client, content):
    urls = public_urls()
    assert len(urls) > 30
    for url in urls:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert response["Content-Security-Policy"] == CSP_PUBLIC, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        page = audit(response.text)
        assert page.inline_scripts == [], url
        assert page.style_elements == [], url
        assert page.style_attributes == [], url
        assert page.event_handlers == [], url


def test_not_found_pages_carry_the_policy_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Security-Policy"] == CSP_PUBLIC


HOSTILE = '<script>alert(1)</script><style>body{display:none}</style><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'


def test_typed_markup_never_reaches_a_page_as_markup(client, db):
    from tests.factories import make_critique, make_sector

    sector = make_sector(name=f"Sector {HOSTILE}", summary=HOSTILE, body=HOSTILE)
    critique = make_critique(title=f"Critique {HOSTILE}", summary=HOSTILE, argument=HOSTILE, raised_by=HOSTILE)
    critique.sectors.add(sector)
    for url in [sector.get_absolute_url(), critique.get_absolute_url(), reverse("sectors:list"), reverse("critiques:list")]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        page = audit(response.text)
        assert (page.inline_scripts, page.style_elements, page.style_attributes, page.event_handlers) == ([], [], [], []), url
        assert "<script>alert(1)" not in response.text


def admin_urls(user):
    request = RequestFactory().get("/")
    request.user = user
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        obj = model._default_manager.first()
        if obj is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    return urls


def test_the_admin_works_under_the_same_policy_with_nonces(admin_client, admin_user, content):
    """Django's admin has no inline handlers or style attributes; its few inline tags carry the nonce."""
    assert apps.is_installed("axes")
    for url in admin_urls(admin_user):
        response = admin_client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert policy.startswith("default-src 'none';"), url
        assert "frame-ancestors 'none'" in policy
        nonce = re.search(r"'nonce-([^']+)'", policy)
        page = audit(response.text)
        inline = [attrs for attrs in page.inline_scripts if attrs.get("type") != "application/json"] + page.style_elements
        for attrs in inline:
            assert nonce and attrs.get("nonce") == nonce.group(1), (url, attrs)
        assert page.style_attributes == [], url
        assert page.event_handlers == [], url


def test_the_admin_login_page_is_under_the_policy(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Security-Policy"].startswith("default-src 'none';")
    assert audit(response.text).style_attributes == []


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "right-password")


def sign_in(client, username, password, address="203.0.113.5"):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_lock_that_account_out_at_that_address(client, editor):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = sign_in(client, "editor", "wrong")
        assert response.status_code == HTTPStatus.OK
        assert "Please enter the correct username and password" in response.text
    response = sign_in(client, "editor", "wrong")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many failed sign-in attempts" in response.text
    assert f"Try again in {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in response.text
    assert response["Content-Security-Policy"].startswith("default-src 'none';")
    # Even the right password, from that address, waits now.
    response = sign_in(client, "editor", "right-password")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session


def test_a_strangers_wrong_passwords_do_not_lock_the_editor_out(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "editor", "wrong", address="192.0.2.66")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    response = sign_in(client, "editor", "right-password", address="198.51.100.7")
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_wrong_passwords_from_one_address_lock_that_address_out(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, f"guess-{n}", "wrong", address="192.0.2.9")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert sign_in(client, "editor", "right-password", address="192.0.2.9").status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Another address signs in: the account itself had no failures.
    response = sign_in(client, "editor", "right-password", address="198.51.100.7")
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_superusers_see_lockouts_in_the_admin(client, admin_client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong")
    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert "editor" in response.text
    assert "203.0.113.5" in response.text


def test_a_successful_sign_in_clears_earlier_failures(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", "right-password").status_code == HTTPStatus.FOUND
    client.logout()
    assert sign_in(client, "editor", "wrong").status_code == HTTPStatus.OK
