"""Two app servers on one PostgreSQL and one Redis: what one writes, the other shows at once.

Selected only by `pytest -m postgres`, which bash .ci/run runs with a PostgreSQL server and Redis it starts.
"""

import os
import subprocess
import sys
import urllib.parse
import urllib.request
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench.load import load
from critiques.models import Critique
from iplus.models import Source
from tests.forms import form_fields
from tests.servers import Browser, database_url, free_port, wait_until_serving

pytestmark = [pytest.mark.postgres]


def production_env(**extra):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "iplus.settings",
        "DJANGO_SECRET_KEY": "two-servers-share-this-secret-" + "s" * 30,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": database_url(),
        **extra,
    }


@pytest.fixture
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two servers for one test: each test's flush makes new content type rows, and a server kept from an earlier
    test would still write the old ids (a foreign key error in the admin log)."""
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", "run this with DATABASE_URL pointing at PostgreSQL (bash .ci/run does)"
    assert os.environ.get("REDIS_URL"), "run this with REDIS_URL pointing at Redis (bash .ci/run does)"
    env = production_env()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=settings.BASE_DIR, env=env, check=True)
    started = []
    logs = tmp_path_factory.mktemp("gunicorn")
    try:
        for pool in ["0", "1"]:
            port = free_port()
            log = logs / f"{port}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "iplus.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                cwd=settings.BASE_DIR,
                env={**env, "DJANGO_DB_POOL": pool},
                stdout=subprocess.DEVNULL,
                stderr=log.open("wb"),
            )
            process.log = log
            started.append((process, f"http://127.0.0.1:{port}"))
        for process, url in started:
            wait_until_serving(process, url)
        yield Servers([url for _, url in started], logs=[process.log for process, _ in started])
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Servers(list):
    """The servers' addresses, and their log files."""

    def __init__(self, urls, logs):
        super().__init__(urls)
        self.logs = logs


def create_editor(username):
    """Created as production would, with its password hasher (the tests' fast one is unknown there)."""
    subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--no-input", "--username", username, "--email", f"{username}@example.org"],
        cwd=settings.BASE_DIR, env=production_env(DJANGO_SUPERUSER_PASSWORD="a-long-password"), check=True, capture_output=True,
    )  # fmt: skip


def test_an_edit_through_one_server_shows_on_the_other_at_once(servers, transactional_db):
    one, other = servers
    call_command("load_content", verbosity=0)
    create_editor("editor")
    source = Source.objects.published().first()
    browser = Browser(servers.logs)
    assert browser.get(other + source.get_absolute_url())[0] == HTTPStatus.OK

    status, landed, html = browser.sign_in(one, "editor", "a-long-password")
    assert (status, urllib.parse.urlsplit(landed).path) == (HTTPStatus.OK, "/admin/"), html

    change_url = f"{one}/admin/iplus/source/{source.pk}/change/"
    _, html = browser.get(change_url)
    fields = [(name, "Retitled through server one" if name == "title" else value) for name, value in form_fields(html, "source_form")]
    assert ("slug", source.slug) in fields
    status, landed, html = browser.post(change_url, [*fields, ("_save", "Save")])
    assert urllib.parse.urlsplit(landed).path == "/admin/iplus/source/", html[:2000]

    status, html = browser.get(other + source.get_absolute_url())
    assert status == HTTPStatus.OK
    assert "Retitled through server one" in html
    assert Source.objects.get(pk=source.pk).title == "Retitled through server one"

    # The session started on one server is good on the other: sessions live in the shared database.
    status, html = browser.get(other + "/admin/")
    assert status == HTTPStatus.OK and "Log out" in html


def test_two_editors_on_two_servers_cannot_overwrite_each_other(servers, transactional_db):
    """A opens a critique through one server, B through the other; A saves a new summary, then B saves from the
    older form, changing only "raised by": B is refused and told what changed; A's summary stands."""
    one, other = servers
    call_command("load_content", verbosity=0)
    critique = Critique.objects.get(slug="censorship")
    raised_by = critique.raised_by
    forms = {}
    for base, name in [(one, "alice"), (other, "bob")]:
        create_editor(name)
        browser = Browser(servers.logs)
        assert urllib.parse.urlsplit(browser.sign_in(base, name, "a-long-password")[1]).path == "/admin/"
        url = f"{base}/admin/critiques/critique/{critique.pk}/change/"
        forms[name] = (browser, url, form_fields(browser.get(url)[1], "critique_form"))

    browser, url, fields = forms["alice"]
    changed = [(name, "A's new summary." if name == "summary" else value) for name, value in fields]
    _, landed, html = browser.post(url, [*changed, ("_save", "Save")])
    assert urllib.parse.urlsplit(landed).path == "/admin/critiques/critique/", html[:2000]

    browser, url, fields = forms["bob"]
    changed = [(name, "B's change" if name == "raised_by" else value) for name, value in fields]
    status, landed, html = browser.post(url, [*changed, ("_save", "Save")])
    assert (status, urllib.parse.urlsplit(landed).path) == (HTTPStatus.OK, urllib.parse.urlsplit(url).path)
    assert "alice saved this item at" in html and "Your changes are not saved" in html
    critique.refresh_from_db()
    assert (critique.summary, critique.raised_by) == ("A's new summary.", raised_by)


def test_both_servers_share_one_cache(servers):
    env = production_env()

    def shell(code):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    pages = "from django.core.cache import caches; pages = caches['pages']; "
    assert shell(pages + "print(type(pages).__name__)") == "RedisCache"
    shell(pages + "pages.set('two-servers', 'written by one process', 60)")
    assert shell(pages + "print(pages.get('two-servers'))") == "written by one process"


def test_a_load_run_against_both_servers_has_no_errors(servers, transactional_db):
    call_command("load_content", verbosity=0)
    for url in servers:
        result = load(url, seconds=4, concurrency=4)
        print(url, result)
        assert result["errors"] == []
        assert result["requests"] > 20
