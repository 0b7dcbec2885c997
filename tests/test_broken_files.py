"""A broken content file or backup is refused with one line naming the file, the object and what is wrong; the
database is as it was."""

import gzip
import json
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from publishing.content import content_count, database_content, fixture_path
from tests.servers import database_url

FIXTURE = json.loads(fixture_path("critiques").read_text(encoding="utf-8"))
CENSORSHIP = next(item for item in FIXTURE if item["fields"]["slug"] == "censorship")
OTHER = {**CENSORSHIP, "fields": {**CENSORSHIP["fields"], "title": "Doubts about freedom of speech online"}}


def critique(**fields):
    return {"model": "critiques.critique", "fields": {**CENSORSHIP["fields"], "slug": "new-critique", **fields}}


def milestone(**fields):
    fields = {"slug": "m", "title": "t", "date": "2015-03-05", "precision": "day", "status": "published", **fields}
    return {"model": "iplus.milestone", "fields": {"created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z", **fields}}


def text(objects):
    return json.dumps(objects, indent=2, ensure_ascii=False)


def gzipped(objects):
    return gzip.compress(text(objects).encode())


# (file name, content), for each file of one load; then what the one line says.
BROKEN_FILES = {
    "invalid-json": (
        [("broken.json", '[{"model": "iplus.source", "fields": {')],
        ["broken.json: not valid JSON: Expecting property name enclosed in double quotes"],
    ),
    "truncated-json": ([("broken.json", text(FIXTURE)[:300])], ["broken.json: not valid JSON: Unterminated string"]),
    "truncated-gz": (
        [("broken.json.gz", gzipped(FIXTURE)[:-12])],
        ["broken.json.gz: cannot be read: Compressed file ended before the end-of-stream marker was reached"],
    ),
    "not-gzip": ([("broken.json.gz", b"plain bytes")], ["broken.json.gz: cannot be read: Not a gzipped file"]),
    "not-a-list": ([("broken.json", '{"model": "iplus.source"}')], ["broken.json: not a list of objects"]),
    "not-an-object": ([("broken.json", "[1]")], ['broken.json: object 1 is not a serialized object (one with "model" and "fields")']),
    "unknown-model": (
        [("broken.json", text([{"model": "iplus.nosuch", "fields": {}}]))],
        ["broken.json: object 1: unknown model 'iplus.nosuch'"],
    ),
    "unknown-field": (
        [("broken.json", text([critique(bogus=1)]))],
        ["broken.json: critiques.critique \"new-critique\": no field named 'bogus'"],
    ),
    "dangling-natural-key": (
        [("broken.json", text([critique(sources=[["article-internet-plus"], ["no-such-source"]])]))],
        ['broken.json: critiques.critique "new-critique": refers to iplus.source "no-such-source", which is neither in the files nor'],
    ),
    "dangling-foreign-key": (
        [("broken.json", text([{"model": "sectors.alias", "fields": {"name": "an alias", "sector": ["no-such-sector"]}}]))],
        ['broken.json: sectors.alias "an alias": refers to sectors.sector "no-such-sector"'],
    ),
    "bad-date": (
        [("broken.json", text([milestone(date="2015-13-45")]))],
        ['broken.json: iplus.milestone "m": date: “2015-13-45” value has the correct format (YYYY-MM-DD) but it is an invalid date'],
    ),
    "invalid-choice": (
        [("broken.json", text([critique(category="junk")]))],
        ["broken.json: critiques.critique \"new-critique\": category: 'junk' is not one of its choices (censorship,"],
    ),
    "too-long": (
        [("broken.json", text([critique(title="x" * 201)]))],
        ['broken.json: critiques.critique "new-critique": title: Ensure this value has at most 200 characters (it has 201)'],
    ),
    "duplicate-natural-key": (
        [("critiques.json", text([*FIXTURE, OTHER]))],
        [f'critiques.json: critiques.critique "censorship": appears twice in the file (objects 1 and {len(FIXTURE) + 1})'],
    ),
    "duplicate-across-files": (
        [("critiques.json", text(FIXTURE)), ("more.json", text([OTHER]))],
        ['more.json: critiques.critique "censorship": is also in ', "critiques.json (object 1): one would silently overwrite the other"],
    ),
}


def history_rows():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models() if model.__name__.startswith("Historical")}


def write(tmp_path, files):
    paths = []
    for name, content in files:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        paths.append(str(path))
    return paths


@pytest.mark.parametrize(("files", "says"), BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_broken_content_file_is_one_line_and_changes_nothing(content, tmp_path, files, says):
    before, history = database_content(), history_rows()
    with pytest.raises(CommandError) as raised:
        call_command("load_content", *write(tmp_path, files), "--yes", verbosity=0)
    message = str(raised.value)
    assert "\n" not in message, message
    for words in says:
        assert words in message
    assert message.startswith(str(tmp_path))  # the file, as it was named
    assert message.endswith("; nothing loaded, the database is unchanged.")
    assert database_content() == before
    assert history_rows() == history


def test_two_problems_are_two_lines(content, tmp_path):
    (path,) = write(tmp_path, [("broken.json", text([critique(category="junk"), milestone(date="2015-13-45")]))])
    with pytest.raises(CommandError) as raised:
        call_command("load_content", path, "--yes", verbosity=0)
    first, second = str(raised.value).split("\n")
    assert "category: 'junk'" in first and "date: “2015-13-45”" in second


def test_a_file_named_twice_is_refused(content):
    path = str(fixture_path("critiques"))
    with pytest.raises(CommandError, match="A file is named twice"):
        call_command("load_content", path, path, "--yes", verbosity=0)


def test_the_command_line_shows_one_line_and_no_traceback(transactional_db, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url(tmp_path)}
    source = {"model": "iplus.source", "fields": {"slug": "a-source", "title": "A source", "kind": "press", "status": "published"}}
    (path,) = write(tmp_path, [("sources.json", text([source, {**source, "fields": {**source["fields"], "title": "Another"}}]))])
    refused = subprocess.run(
        [sys.executable, "manage.py", "load_content", "--yes", path],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    lines = [line for line in refused.stderr.splitlines() if not line.startswith("AXES: ")]  # django-axes' start-up banner
    assert lines == [
        f'CommandError: {path}: iplus.source "a-source": appears twice in the file (objects 1 and 2): '
        "one would silently overwrite the other; nothing loaded, the database is unchanged."
    ]


@pytest.fixture
def json_backup(content, tmp_path):
    """The objects of a JSON backup of the site's content."""
    call_command("backup_content", "--json", "--output-dir", str(tmp_path / "backup"), verbosity=0)
    (path,) = (tmp_path / "backup").glob("*.json.gz")
    return json.loads(gzip.decompress(path.read_bytes()))


def critique_in(objects, slug="censorship"):
    return next(obj for obj in objects if obj["model"] == "critiques.critique" and obj["fields"]["slug"] == slug)


def with_object(objects, obj):
    return [*objects, obj]


def with_fields(objects, **fields):
    obj = critique_in(objects)
    return [{**other, "fields": {**other["fields"], **fields}} if other is obj else other for other in objects]


# A change to the backup's objects, then what the one line says.
BROKEN_BACKUPS = {
    "duplicate-natural-key": (
        lambda objects: with_object(objects, {**critique_in(objects), "pk": 9999}),
        '.json.gz: critiques.critique "censorship": appears twice in the file',
    ),
    "duplicate-pk": (
        lambda objects: with_object(objects, {**critique_in(objects), "fields": {**critique_in(objects)["fields"], "slug": "copy"}}),
        '.json.gz: critiques.critique "copy": its pk=',
    ),
    "unknown-model": (
        lambda objects: with_object(objects, {"model": "iplus.nosuch", "pk": 1, "fields": {}}),
        "unknown model 'iplus.nosuch'",
    ),
    "unknown-field": (lambda objects: with_fields(objects, bogus=1), "critiques.critique \"censorship\": no field named 'bogus'"),
    "bad-date": (lambda objects: with_fields(objects, created="2015-13-45T00:00:00Z"), 'critiques.critique "censorship": created: '),
    "invalid-choice": (lambda objects: with_fields(objects, category="junk"), "category: 'junk' is not one of its choices"),
    "dangling-natural-key": (
        lambda objects: with_fields(objects, sources=[["no-such-source"]]),
        'critiques.critique "censorship": refers to iplus.source "no-such-source", which is not in the backup',
    ),
}


@pytest.mark.parametrize(("change", "says"), BROKEN_BACKUPS.values(), ids=BROKEN_BACKUPS.keys())
def test_a_broken_backup_is_one_line_and_changes_nothing(json_backup, tmp_path, change, says):
    objects = change(json_backup)
    path = tmp_path / "iplus-broken.json.gz"
    path.write_bytes(gzipped(objects))
    before, history = database_content(), history_rows()
    with pytest.raises(CommandError) as raised:
        call_command("restore_content", str(path), "--yes", "--no-manifest", verbosity=0)
    message = str(raised.value)
    assert "\n" not in message, message
    assert says in message
    assert message.endswith("; nothing restored, the database is unchanged.")
    assert (database_content(), history_rows()) == (before, history)
    assert not list(tmp_path.glob("before-restore-*")), "refused before the database was saved, or touched"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (gzipped(FIXTURE)[:-12], "iplus-broken.json.gz: cannot be read: Compressed file ended before the end-of-stream marker"),
        (b"not gzip at all", "iplus-broken.json.gz: cannot be read: Not a gzipped file"),
        (gzip.compress(b'[{"model": "iplus.source", "fields": {'), "iplus-broken.json.gz: not valid JSON: Expecting property name"),
    ],
    ids=["truncated-gz", "not-gzip", "invalid-json"],
)
def test_an_unreadable_backup_is_one_line_and_changes_nothing(db, tmp_path, content, says):
    call_command("load_content", verbosity=0)
    path = tmp_path / "iplus-broken.json.gz"
    path.write_bytes(content)
    count = content_count()
    with pytest.raises(CommandError) as raised:
        call_command("restore_content", str(path), "--yes", "--no-manifest", verbosity=0)
    assert "\n" not in str(raised.value)
    assert says in str(raised.value)
    assert content_count() == count
