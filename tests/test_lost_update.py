"""Two editors on one item: a save from a form opened before someone else's save is refused, not merged."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from pytest_django.asserts import assertContains, assertRedirects

from critiques.models import Critique
from tests.forms import form_fields
from tests.helpers import admin_url, signed_in

VERSIONED = [model for model in admin.site._registry if any(field.name == "updated" for field in model._meta.fields)]


def opened(client, obj):
    """The change form of obj as a browser would submit it, as a dict of lists."""
    response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == HTTPStatus.OK
    fields = {}
    for name, value in form_fields(response.content.decode(), f"{obj._meta.model_name}_form"):
        fields.setdefault(name, []).append(value)
    assert fields["version"] != [""]
    return fields


def save(client, obj, fields, **changes):
    return client.post(admin_url(type(obj), "change", obj.pk), {**fields, **changes, "_save": "Save"})


@pytest.fixture
def editors(db):
    return signed_in("alice"), signed_in("bob")


def test_a_save_from_an_older_form_is_refused_and_says_what_changed(content, editors):
    alice, bob = editors
    critique = Critique.objects.get(slug="censorship")
    raised_by = critique.raised_by
    alices_form, bobs_form = opened(alice, critique), opened(bob, critique)

    assertRedirects(save(alice, critique, alices_form, summary="A's new summary."), admin_url(Critique, "changelist"))
    response = save(bob, critique, bobs_form, raised_by="B's change")

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "alice saved this item at")
    assertContains(response, "Your changes are not saved")
    assertContains(response, "Changed meanwhile: summary, now “A&#x27;s new summary.”")
    critique.refresh_from_db()
    assert (critique.summary, critique.raised_by) == ("A's new summary.", raised_by)
    assert critique.history.filter(history_user__username="bob").count() == 0

    # Opened again, the form carries the current version and saves.
    assertRedirects(save(bob, critique, opened(bob, critique), raised_by="B's change"), admin_url(Critique, "changelist"))
    critique.refresh_from_db()
    assert (critique.summary, critique.raised_by) == ("A's new summary.", "B's change")


@pytest.mark.parametrize("model", VERSIONED, ids=lambda model: model._meta.label)
def test_every_content_admin_refuses_a_save_over_a_newer_one(content, editors, model):
    alice, bob = editors
    obj = model._default_manager.first()
    field = admin.site._registry[model].search_fields[0]
    alices_form, bobs_form = opened(alice, obj), opened(bob, obj)

    assertRedirects(save(alice, obj, alices_form, **{field: "Saved by A"}), admin_url(model, "changelist"))
    response = save(bob, obj, bobs_form, **{field: "Saved by B"})

    assertContains(response, "alice saved this item at")
    assertContains(response, f"Changed meanwhile: {model._meta.get_field(field).verbose_name}, now “Saved by A”")
    assert getattr(model._default_manager.get(pk=obj.pk), field) == "Saved by A"


def test_a_form_without_its_version_is_refused(content, editors):
    alice, _ = editors
    critique = Critique.objects.first()
    fields = opened(alice, critique)
    del fields["version"]
    response = save(alice, critique, fields, summary="Changed")
    assertContains(response, "This form does not say which version of the item it shows")
    critique.refresh_from_db()
    assert critique.summary != "Changed"


def test_a_revert_from_an_older_form_is_refused(content, editors):
    alice, bob = editors
    critique = Critique.objects.get(slug="censorship")
    assertRedirects(save(alice, critique, opened(alice, critique), title="First edit"), admin_url(Critique, "changelist"))
    baseline = critique.history.last()
    revert = admin_url(Critique, "simple_history", critique.pk, baseline.pk)
    revert_form = {}
    for name, value in form_fields(bob.get(revert).content.decode(), "historicalcritique_form"):
        revert_form.setdefault(name, []).append(value)

    assertRedirects(save(alice, critique, opened(alice, critique), title="Second edit"), admin_url(Critique, "changelist"))
    response = bob.post(revert, {**revert_form, "_save": "Save"})

    assertContains(response, "Changed meanwhile: title, now “Second edit”")
    critique.refresh_from_db()
    assert critique.title == "Second edit"
