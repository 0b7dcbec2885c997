import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from critiques.models import Critique
from iplus.models import Section, Source
from publishing.content import fixture_path
from publishing.kinds import content_apps, content_models, searched
from publishing.management.commands.export_content import export_app
from publishing.search import search
from publishing.text_index import fts_table
from tests.helpers import every_table, load_content, loaded_rows, table_state

REPO_FIXTURES = fixture_path("iplus").parent


def snapshot():
    out = io.StringIO()
    labels = [model._meta.label for model in content_models()]  # the content, not its history
    call_command("dumpdata", *labels, natural_foreign=True, natural_primary=True, stdout=out)
    return json.loads(out.getvalue())


def test_every_fixture_object_is_valid(content):
    checked = 0
    for model in content_models():
        for obj in model._default_manager.all():
            obj.full_clean()
            checked += 1
    assert checked == sum(len(json.loads(fixture_path(app).read_text())) for app in content_apps())


def test_fixtures_carry_no_database_ids():
    for app_label in content_apps():
        for obj in json.loads(fixture_path(app_label).read_text()):
            assert "pk" not in obj, f"{app_label}: {obj['model']} has a pk"


def test_loading_twice_changes_nothing(content):
    before = snapshot()
    call_command("load_content", yes=True, verbosity=0)
    assert snapshot() == before


def test_dumpdata_then_loaddata_round_trips(content, tmp_path):
    before = snapshot()
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(before))
    Section.objects.exclude(parent=None).delete()
    for model in reversed(list(content_models())):
        model._default_manager.all().delete()
    assert Critique.objects.count() == 0
    call_command("loaddata", str(dump), verbosity=0)
    assert snapshot() == before


def test_export_of_unchanged_content_reproduces_the_fixtures(content):
    for app_label in content_apps():
        assert export_app(app_label) == fixture_path(app_label).read_text(encoding="utf-8")


def test_export_shows_an_edit_as_a_small_diff(content):
    Source.objects.filter(slug="jeong-2007").update(publisher="Jeong, S.")
    before = fixture_path("iplus").read_text(encoding="utf-8").splitlines()
    after = export_app("iplus").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('    "publisher": "Jeong",', '    "publisher": "Jeong, S.",')]


def broken_fixture(tmp_path, category="no-such-category"):
    good = {"model": "iplus.source", "fields": {"slug": "new-source", "title": "New", "kind": "press", "status": "published",
            "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}}  # fmt: skip
    bad = {"model": "critiques.critique", "fields": {"slug": "bad", "title": "Bad", "category": category, "raised_by": "x",
           "summary": "x", "argument": "x", "status": "published", "created": "2026-01-01T00:00:00Z",
           "updated": "2026-01-01T00:00:00Z"}}  # fmt: skip
    path = tmp_path / "broken.json"
    path.write_text(json.dumps([good, bad]))
    return path


def test_a_broken_fixture_leaves_the_database_untouched(content, tmp_path):
    before = snapshot()
    with pytest.raises(CommandError, match="database is unchanged"):
        call_command("load_content", str(broken_fixture(tmp_path)), yes=True, verbosity=0)
    assert snapshot() == before
    assert not Source.objects.filter(slug="new-source").exists()


def test_invalid_content_is_refused_with_its_name(db, tmp_path):
    path = tmp_path / "invalid.json"
    path.write_text(json.dumps([{"model": "iplus.section", "fields": {
        "slug": "no-body", "title": "No body", "body": "", "status": "published", "position": 1,
        "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}}]))  # fmt: skip
    with pytest.raises(CommandError, match=r'invalid.json: iplus.section "no-body": body: This field cannot be blank'):
        call_command("load_content", str(path), verbosity=0)
    assert not Section.objects.exists()


def test_if_empty_never_overwrites_editors_changes(content):
    Critique.objects.filter(slug="censorship").update(title="Edited by an editor")
    call_command("load_content", if_empty=True, verbosity=0)
    assert Critique.objects.get(slug="censorship").title == "Edited by an editor"


def test_reload_asks_before_overwriting(content, monkeypatch):
    Critique.objects.filter(slug="censorship").update(title="Edited by an editor")
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command("load_content", verbosity=0)
    assert Critique.objects.get(slug="censorship").title == "Edited by an editor"
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    call_command("load_content", verbosity=0)
    assert Critique.objects.get(slug="censorship").title == "Censorship will blunt the strategy"


@pytest.fixture
def fixtures_dir(settings, tmp_path):
    """export_content writes here instead of the real fixtures/."""
    settings.BASE_DIR = tmp_path
    (tmp_path / "fixtures").mkdir()
    return tmp_path / "fixtures"


def test_export_content_command_reproduces_the_fixtures(content, fixtures_dir, settings):
    call_command("export_content", verbosity=0)
    for app_label in content_apps():
        exported = (fixtures_dir / f"{app_label}.json").read_bytes()
        assert exported == (REPO_FIXTURES / f"{app_label}.json").read_bytes()


def test_export_leaves_history_out(content, fixtures_dir):
    critique = Critique.objects.get(slug="censorship")
    critique.title = "Edited"
    critique.save()
    assert critique.history.exists()
    call_command("export_content", verbosity=0)
    models = {obj["model"] for path in fixtures_dir.iterdir() for obj in json.loads(path.read_text())}
    assert models == {model._meta.label_lower for model in content_models()}


def by_key(objects):
    """The objects regardless of database ids, which a reload assigns afresh."""
    return sorted(objects, key=lambda obj: (obj["model"], json.dumps(obj["fields"], sort_keys=True)))


def test_load_after_export_round_trips(content, fixtures_dir):
    Critique.objects.filter(slug="censorship").update(title="Edited by an editor")
    Source.objects.create(slug="new-source", title="A new source", kind="press", status="draft")
    before = snapshot()
    call_command("export_content", verbosity=0)
    Section.objects.exclude(parent=None).delete()
    for model in reversed(list(content_models())):
        model._default_manager.all().delete()
    call_command("load_content", *sorted(map(str, fixtures_dir.iterdir())), verbosity=0)
    assert by_key(snapshot()) == by_key(before)


def test_export_names_what_it_drops_from_a_fixture(content, fixtures_dir):
    call_command("export_content", verbosity=0)
    Critique.objects.filter(slug="censorship").delete()
    out = io.StringIO()
    call_command("export_content", stdout=out)
    assert "critiques.critique censorship" in out.getvalue()
    assert "censorship" not in {obj["fields"]["slug"] for obj in json.loads((fixtures_dir / "critiques.json").read_text())}


def test_reload_says_what_it_overwrites_and_what_it_keeps(content, monkeypatch):
    Critique.objects.filter(slug="censorship").update(title="Edited by an editor")
    Source.objects.create(slug="only-in-the-database", title="Only here", kind="press")
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "y")
    call_command("load_content", verbosity=0)
    (prompt,) = prompts
    assert "overwrites 1 objects" in prompt
    assert "critiques.critique censorship" in prompt
    assert "keeps 1 objects" in prompt
    assert "iplus.source only-in-the-database" in prompt
    assert Source.objects.filter(slug="only-in-the-database").exists(), "objects the fixtures do not name are never deleted"
    assert Critique.objects.get(slug="censorship").title == "Censorship will blunt the strategy"


def test_reload_of_unchanged_content_says_so(content, monkeypatch):
    out = io.StringIO()
    call_command("load_content", yes=True, stdout=out)
    assert "changes nothing" in out.getvalue()


def test_export_from_an_empty_database_refuses_and_leaves_the_fixtures(db, fixtures_dir):
    (fixtures_dir / "critiques.json").write_text("[]\n")
    with pytest.raises(CommandError, match="holds no content"):
        call_command("export_content", verbosity=0)
    assert (fixtures_dir / "critiques.json").read_text() == "[]\n"
    assert not (fixtures_dir / "iplus.json").exists()


def canonical_rows():
    """Every row of every table, with each id (a primary key, a foreign key, a history's copy of its item's id) as its
    rank in its table, and no history times: what two loads of the same content give alike."""
    tables = every_table()
    ranks = {model: {pk: n for n, pk in enumerate(model._base_manager.order_by("pk").values_list("pk", flat=True))} for model in tables}
    rows = {}
    for model in tables:
        item = getattr(model, "instance_type", None)  # a simple-history model: the item it records
        columns = []
        for field in model._meta.concrete_fields:
            link_id = (field.primary_key and model._meta.auto_created) or (
                item is not None and item._meta.auto_created and field.name == item._meta.pk.name  # a history's copy of it
            )
            if field.generated or field.name == "history_date" or link_id:
                continue  # a many-to-many row's id is in the order the links were added, which is a set's
            if field.primary_key:
                columns.append((field.attname, ranks[model]))
            elif field.is_relation:
                columns.append((field.attname, ranks[field.related_model._meta.concrete_model]))
            elif item is not None and field.name == item._meta.pk.name:
                columns.append((field.attname, ranks[item]))
            else:
                columns.append((field.attname, None))
        names = [name for name, _ in columns]
        rows[model._meta.label] = sorted(
            repr([value if rank is None or value is None else rank[value] for (_, rank), value in zip(columns, values, strict=True)])
            for values in model._base_manager.values_list(*names)
        )
    return rows


def test_the_content_fixture_gives_the_database_load_content_gives(db):
    """The content fixture inserts again the rows that the process's first load_content added (tests/helpers.py)."""
    before = transaction.savepoint_create()
    call_command("load_content", verbosity=0)
    loaded = canonical_rows()
    found = [repr(search(words)) for words in ["internet", "manufacturing data", "互联网"]]
    transaction.savepoint_rollback(before)
    load_content()  # the first load of this process from this state runs load_content itself
    transaction.savepoint_rollback(before)
    assert loaded_rows[table_state()], "the content fixture would run load_content for every test"
    load_content()
    assert canonical_rows() == loaded
    assert [repr(search(words)) for words in ["internet", "manufacturing data", "互联网"]] == found
    if connection.vendor == "sqlite":  # each text index, filled by its triggers, agrees with its table
        with connection.cursor() as cursor:
            for table in (fts_table(kind.model, suffix) for kind in searched() for suffix in ("_text", "_zh")):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
