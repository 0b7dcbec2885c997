"""What several test modules share: the content, signed-in browsers, admin addresses and forms, the editors' group,
page-cache checks, a crawl."""

import importlib
import re
from html import unescape
from http import HTTPStatus
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import get_language_from_path

from critiques.models import Critique
from publishing.kinds import content_apps
from publishing.management.commands.export_content import export_app

# Bad inputs for query parameters: longer than any field allows, and markup that must come back escaped.
LONG = "x" * 5000
XSS = '"><svg onload=alert(1)><script>alert(2)</script>'


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def every_table():
    """Every table of the project, each as its model."""
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.managed and not model._meta.proxy]


def table_state():
    """Each table's row count and highest primary key, in one query."""

    def highest(pk):
        column = connection.ops.quote_name(pk.column)
        return f"CAST(MAX({column}) AS TEXT)" if isinstance(pk, models.IntegerField) else f"MAX(CAST({column} AS TEXT))"

    sql = " UNION ALL ".join(
        f"SELECT {n}, COUNT(*), {highest(model._meta.pk)} FROM {connection.ops.quote_name(model._meta.db_table)}"
        for n, model in enumerate(every_table())
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(sorted(cursor.fetchall()))


loaded_rows = {}  # {a database's table_state(): the rows load_content added to it, or None}


def load_content():
    """`manage.py load_content`, made fast for the tests.

    load_content validates and renders every object (a second or more); it runs once per test process and state of the
    database (freshly migrated, after a transactional test's flush, ...), and the rows it added are inserted again,
    as they were, for the next test that starts from that state (milliseconds). tests/test_content_fixtures.py checks
    that both give the same database.
    """
    state = table_state()
    if state not in loaded_rows:
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in every_table()}
        call_command("load_content", verbosity=0)
        added = {}
        for model, pks in before.items():
            objs = list(model._base_manager.order_by("pk"))
            if objs and pks and len(objs) != len(pks):  # it added to a table that held rows: not a plain insert
                added = None
                break
            if len(objs) > len(pks):
                added[model] = objs
        loaded_rows[state] = added
        return
    if (rows := loaded_rows[state]) is None:
        call_command("load_content", verbosity=0)
        return
    with transaction.atomic():
        for model, objs in rows.items():
            fields = [field for field in model._meta.local_concrete_fields if not field.generated]
            batch = connection.ops.bulk_batch_size(fields, objs) or len(objs)
            for start in range(0, len(objs), batch):
                model._base_manager._insert(objs[start : start + batch], fields=fields, raw=True)
        if reset := connection.ops.sequence_reset_sql(no_style(), list(rows)):
            with connection.cursor() as cursor:
                for sql in reset:
                    cursor.execute(sql)


def signed_in(username):
    """A browser of its own, signed in as a new superuser of that name (force_login: django-axes refuses client.login())."""
    client = Client()
    client.force_login(User.objects.create_superuser(username, f"{username}@example.org", "pw"))
    return client


def editors_group():
    # What the migrations create (run again: a transactional test before this one may have emptied the tables).
    importlib.import_module("iplus.migrations.0003_editors_group").create_editors_group(apps, None)
    importlib.import_module("iplus.migrations.0009_editors_policydocument").grant(apps, None)
    importlib.import_module("sectors.migrations.0009_editors_target").grant(apps, None)
    return Group.objects.get(name="Editors")


def critique_form_data(critique, **changes):
    data = {
        "slug": critique.slug,
        "title": critique.title,
        "title_zh": critique.title_zh,
        "category": critique.category,
        "raised_by": critique.raised_by,
        "raised_by_zh": critique.raised_by_zh,
        "summary": critique.summary,
        "summary_zh": critique.summary_zh,
        "argument": critique.argument,
        "argument_zh": critique.argument_zh,
        "quotation": critique.quotation,
        "sources": [source.pk for source in critique.sources.all()],
        "sectors": [sector.pk for sector in critique.sectors.all()],
        "status": critique.status,
        "version": critique.updated.isoformat(),
    }
    data.update(changes)
    return data


def save_critique(staff, critique, **changes):
    """Save a critique through its admin change form; the save commits, so the page cache is emptied as after a real save."""
    critique.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff.post(admin_url(Critique, "change", critique.pk), critique_form_data(critique, **changes))
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]


def exports():
    """What `make export-content` would write, file by file."""
    return {app_label: export_app(app_label) for app_label in content_apps()}


def stored(response):
    """The page cache stored the response: UpdateCacheMiddleware gave it its max-age and nothing made it private."""
    cache_control = response.get("Cache-Control", "")
    return f"max-age={settings.CACHE_MIDDLEWARE_SECONDS}" in cache_control and "private" not in cache_control


def queries_of(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries)


def headings(html):
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


def assert_headings_in_order(html):
    levels = headings(html)
    assert levels[0] == 1, levels
    assert levels.count(1) == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


HREF = re.compile(r'href="([^"]+)"')
MAX_PAGES = 1000


def crawl(client, start="/"):
    """Every internal page of start's edition reachable by links from `start`: {path: html}, bounded to MAX_PAGES."""
    edition = get_language_from_path(start)
    pages = {}
    queue = [start]
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        if not response["Content-Type"].startswith("text/html"):
            pages[path] = ""  # a data file: reachable, nothing to follow
            continue
        pages[path] = response.text
        for href in HREF.findall(response.text):
            url = urldefrag(unescape(href))[0]
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith(("/static/", "/admin/")):
                continue
            if get_language_from_path(url) != edition:  # the other edition's counterpart
                continue
            if parts.query or url in pages or url in queue:
                continue
            queue.append(url)
    return pages
