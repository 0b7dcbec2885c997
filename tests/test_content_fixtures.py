import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from critiques.models import Critique
from iplus.content import CONTENT_MODELS, content_models, fixture_path
from iplus.management.commands.export_content import export_app
from iplus.models import Section, Source


def snapshot():
    out = io.StringIO()
    call_command("dumpdata", *CONTENT_MODELS, natural_foreign=True, natural_primary=True, stdout=out)
    return json.loads(out.getvalue())


def test_every_fixture_object_is_valid(content):
    checked = 0
    for model in content_models():
        for obj in model._default_manager.all():
            obj.full_clean()
            checked += 1
    assert checked == sum(len(json.loads(fixture_path(app).read_text())) for app in CONTENT_MODELS)


def test_fixtures_carry_no_database_ids():
    for app_label in CONTENT_MODELS:
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
    for app_label, model_names in CONTENT_MODELS.items():
        assert export_app(app_label, model_names) == fixture_path(app_label).read_text(encoding="utf-8")


def test_export_shows_an_edit_as_a_small_diff(content):
    Source.objects.filter(slug="jeong-2007").update(publisher="Jeong, S.")
    before = fixture_path("iplus").read_text(encoding="utf-8").splitlines()
    after = export_app("iplus", CONTENT_MODELS["iplus"]).splitlines()
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
    with pytest.raises(CommandError, match=r"iplus.Section \('no-body',\): body"):
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
