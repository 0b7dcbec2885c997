import json
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from critiques.models import Critique
from publishing.content import BASELINE_REASON, fixture_path
from publishing.kinds import content_apps, content_models
from sectors.models import Sector
from tests.factories import make_critique, make_sector, make_source
from tests.helpers import admin_url, critique_form_data


def history_rows():
    """Rows in every history table, by table."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in content_apps() and model.__name__.startswith("Historical")
    }


def revert_url(record):
    return reverse("admin:critiques_critique_simple_history", args=[record.id, record.history_id])


@pytest.mark.parametrize("model", list(content_models()), ids=lambda model: model._meta.label)
def test_every_content_model_keeps_history(model):
    assert model._meta.simple_history_manager_attribute == "history"


def test_loading_the_fixtures_gives_each_object_its_first_version_dated_as_the_fixtures_date_it(content):
    for model in content_models():
        for obj in model._default_manager.all():
            (first,) = obj.history.all()
            assert (first.history_type, first.history_user) == ("+", None)
            assert first.history_change_reason == f"Loaded from fixtures/{model._meta.app_label}.json"
            if hasattr(obj, "updated"):
                assert first.history_date == obj.updated, obj
    critique = Critique.objects.get(slug="censorship")
    first = critique.history.get()
    assert sorted(row.source_id for row in first.sources.all()) == sorted(critique.sources.values_list("pk", flat=True))
    assert sorted(row.sector_id for row in first.sectors.all()) == sorted(critique.sectors.values_list("pk", flat=True))

    before = history_rows()
    call_command("load_content", yes=True, verbosity=0)
    assert history_rows() == before, "a load that changes nothing records nothing"


def test_a_load_that_overwrites_content_keeps_the_state_before_and_can_be_reverted(content, as_superuser, tmp_path, settings):
    critique = Critique.objects.get(slug="censorship")
    old_summary, sources = critique.summary, sorted(critique.sources.values_list("pk", flat=True))
    (tmp_path / "fixtures").mkdir()
    for app_label in content_apps():
        items = json.loads(fixture_path(app_label).read_text(encoding="utf-8"))
        for item in items:
            if item["fields"].get("slug") == "censorship":
                item["fields"]["summary"] = "A summary changed in the fixtures."
        (tmp_path / "fixtures" / f"{app_label}.json").write_text(json.dumps(items), encoding="utf-8")
    settings.BASE_DIR = tmp_path  # fixture_path() reads it: the load reads tmp_path/fixtures/

    rows_before = sum(history_rows().values())
    call_command("load_content", yes=True, verbosity=0)
    critique.refresh_from_db()
    assert critique.summary == "A summary changed in the fixtures."
    loaded, baseline = critique.history.all()
    assert (baseline.summary, baseline.history_change_reason) == (old_summary, "Loaded from fixtures/critiques.json")
    assert (loaded.summary, loaded.history_change_reason) == ("A summary changed in the fixtures.", "Loaded from fixtures/critiques.json")
    assert sorted(row.source_id for row in baseline.sources.all()) == sources
    assert loaded.history_user is None
    assert sum(history_rows().values()) == rows_before + 1 + len(sources), "nothing else changed, so nothing else has a new record"

    form = as_superuser.get(revert_url(baseline))
    version = form.context["adminform"].form["version"].value()
    response = as_superuser.post(revert_url(baseline), critique_form_data(baseline.instance, sources=sources, version=version))
    assertRedirects(response, admin_url(Critique, "changelist"))
    critique.refresh_from_db()
    assert critique.summary == old_summary


def test_loaddata_writes_no_history(db):
    call_command("loaddata", "iplus", "sectors", "critiques", verbosity=0)
    assert Critique.objects.exists()
    assert set(history_rows().values()) == {0}


def test_an_edit_records_who_when_and_what(as_superuser):
    old, new = make_source(title="Old source"), make_source(title="New source")
    critique = make_critique(title="Old title")
    critique.sources.set([old])
    before = critique.history.count()
    response = as_superuser.post(
        admin_url(Critique, "change", critique.pk), critique_form_data(critique, title="New title", sources=[new.pk])
    )
    assertRedirects(response, admin_url(Critique, "changelist"))
    assert critique.history.count() == before + 1, "one save, one record, M2M included"
    record = critique.history.first()
    assert record.history_user.username == "admin"
    assert record.history_type == "~"
    assert [source.source_id for source in record.sources.all()] == [new.pk]
    delta = record.diff_against(record.prev_record)
    assert set(delta.changed_fields) == {"title", "sources"}

    page = as_superuser.get(admin_url(Critique, "history", critique.pk))
    assertContains(page, "admin")
    assertContains(page, "Old title")
    assertContains(page, "New title")


def test_content_with_no_history_keeps_its_state_before_the_first_edit(db, as_superuser):
    call_command("loaddata", "iplus", "sectors", "critiques", verbosity=0)  # loaddata, unlike load_content, records nothing
    critique = Critique.objects.get(slug="censorship")
    assert not critique.history.exists()
    as_superuser.post(admin_url(Critique, "change", critique.pk), critique_form_data(critique, title="Edited"))
    baseline, edit = reversed(critique.history.all())
    assert baseline.title == "Censorship will blunt the strategy"
    assert baseline.history_user is None
    assert baseline.history_change_reason == str(BASELINE_REASON)
    assert edit.title == "Edited"


def test_an_edit_is_reverted_through_the_revert_form(content, as_superuser):
    critique = Critique.objects.get(slug="censorship")
    original_sources = sorted(critique.sources.values_list("pk", flat=True))
    other = make_source(title="Another source")
    as_superuser.post(admin_url(Critique, "change", critique.pk), critique_form_data(critique, title="Edited", sources=[other.pk]))
    critique.refresh_from_db()
    assert critique.title == "Edited"

    baseline = critique.history.last()
    form = as_superuser.get(revert_url(baseline))
    assertContains(form, "Censorship will blunt the strategy")
    version = form.context["adminform"].form["version"].value()  # the item's current version, not the old one's
    response = as_superuser.post(revert_url(baseline), critique_form_data(baseline.instance, sources=original_sources, version=version))
    assertRedirects(response, admin_url(Critique, "changelist"))
    critique.refresh_from_db()
    assert critique.title == "Censorship will blunt the strategy"
    assert sorted(critique.sources.values_list("pk", flat=True)) == original_sources
    assert critique.history.first().history_user.username == "admin"


def test_the_revert_form_starts_from_the_versions_sources(as_superuser):
    old, new = make_source(title="Old source"), make_source(title="New source")
    critique = make_critique()
    critique.sources.set([old])
    as_superuser.post(admin_url(Critique, "change", critique.pk), critique_form_data(critique, sources=[new.pk]))
    version = critique.history.all()[1]
    assert [row.source_id for row in version.sources.all()] == [old.pk]
    response = as_superuser.get(revert_url(version))
    field = response.context["adminform"].form["sources"]
    assert [int(pk) for pk in field.value()] == [old.pk]


def test_deleting_asks_first_and_can_be_undone(as_superuser):
    source = make_source(title="A source")
    sector = make_sector()
    critique = make_critique(title="Doomed")
    critique.sources.set([source])
    critique.sectors.set([sector])
    pk = critique.pk
    confirm = as_superuser.get(admin_url(Critique, "delete", pk))
    assertContains(confirm, "Are you sure")
    assert Critique.objects.filter(pk=pk).exists()

    as_superuser.post(admin_url(Critique, "delete", pk), {"post": "yes"})
    assert not Critique.objects.filter(pk=pk).exists()

    deleted = as_superuser.get(admin_url(Critique, "deleted"))
    assertContains(deleted, "Doomed")
    (record, version_url), *_ = deleted.context["items"]
    assert record.history_type == "-"
    form = as_superuser.get(version_url)
    assert form.status_code == HTTPStatus.OK
    data = {
        name: field.value()
        for name, field in ((name, form.context["adminform"].form[name]) for name in form.context["adminform"].form.fields)
    }
    data = {name: "" if value is None else value for name, value in data.items()}
    as_superuser.post(version_url, data)
    restored = Critique.objects.get(pk=pk)
    assert restored.title == "Doomed"
    assert list(restored.sources.all()) == [source]
    assert list(restored.sectors.all()) == [sector]
    assertContains(as_superuser.get(admin_url(Critique, "deleted")), "No critiques have been deleted.")


def test_a_public_page_shows_an_edit_at_once(as_superuser, client):
    critique = make_critique(title="Before")
    as_superuser.post(admin_url(Critique, "change", critique.pk), critique_form_data(critique, title="After"))
    assertContains(client.get(critique.get_absolute_url()), "After")


def test_inline_edits_are_recorded_once_each(content, as_superuser):
    sector = Sector.objects.filter(aliases__isnull=False, applications__isnull=False).distinct().first()
    page = as_superuser.get(admin_url(Sector, "change", sector.pk))
    data = form_data(page)
    application = sector.applications.first()
    index = next(n for n in range(100) if data[f"applications-{n}-id"] == str(application.pk))
    data[f"applications-{index}-name"] = "Renamed application"
    data[f"applications-{index}-sources"] = [str(make_source().pk)]
    alias = sector.aliases.first()
    alias_index = next(n for n in range(100) if data[f"aliases-{n}-id"] == str(alias.pk))
    data[f"aliases-{alias_index}-name"] = "renamed alias"
    response = as_superuser.post(admin_url(Sector, "change", sector.pk), data)
    assertRedirects(response, admin_url(Sector, "changelist"))
    baseline, edit = reversed(application.history.all())
    assert (baseline.name, edit.name) == (application.name, "Renamed application")
    assert edit.history_user.username == "admin"
    assert [row.source.title for row in edit.sources.all()] != [row.source.title for row in baseline.sources.all()]
    assert [record.name for record in alias.history.all()] == ["renamed alias", alias.name]


def form_data(page):
    """The values a browser would submit from an admin change page."""
    data = {}
    for bound in [page.context["adminform"].form, *(form for formset in page.context["inline_admin_formsets"] for form in formset.formset)]:
        for name in bound.fields:
            value = bound[name].value()
            if value is None:
                value = ""
            if isinstance(value, bool):
                if not value:
                    continue
                value = "on"
            data[bound.add_prefix(name)] = [str(item) for item in value] if isinstance(value, list) else str(value)
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
    return data
