from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from critiques.models import Critique
from iplus.models import Milestone, Source
from publishing.kinds import content_models
from sectors.models import Application, Figure
from tests.factories import make_critique, make_figure, make_key_action, make_sector, make_source
from tests.helpers import admin_url, critique_form_data, editors_group

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Sign-in lockouts are records the site writes, not content: their admin only lists and shows them.
LOCKOUT_RECORDS = [model for model in REGISTERED if model._meta.app_label == "axes"]
EDITABLE = [model for model in REGISTERED if model not in LOCKOUT_RECORDS]


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", "editor@example.org", "pw", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def an_object(model, superuser):
    if model is User:
        return superuser
    if model is Group:
        return editors_group()
    obj = model._default_manager.first()
    assert obj is not None, f"the content has no {model._meta.label}"
    return obj


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model._meta.label)
def test_every_admin_page_answers_for_a_superuser(content, as_superuser, superuser, model):
    obj = an_object(model, superuser)
    for url in [
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=internet",
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
        admin_url(model, "delete", obj.pk),
    ]:
        response = as_superuser.get(url)
        assert response.status_code == HTTPStatus.OK, url


@pytest.mark.parametrize("model", LOCKOUT_RECORDS, ids=lambda model: model._meta.label)
def test_lockout_records_are_listed_for_a_superuser(as_superuser, model):
    assert as_superuser.get(admin_url(model, "changelist")).status_code == HTTPStatus.OK


def test_the_admin_index_lists_every_content_model(content, as_superuser):
    response = as_superuser.get(reverse("admin:index"))
    for model in content_models():
        assertContains(response, f'href="{admin_url(model, "changelist")}"')


@pytest.mark.parametrize("model", list(content_models()), ids=lambda model: model._meta.label)
def test_every_content_model_has_a_deleted_items_page(content, as_superuser, model):
    response = as_superuser.get(admin_url(model, "changelist"))
    assertContains(response, f'href="{admin_url(model, "deleted")}"')
    assert as_superuser.get(admin_url(model, "deleted")).status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", list(content_models()), ids=lambda model: model._meta.label)
def test_every_content_field_has_help_text(model):
    for field in model._meta.get_fields():
        if getattr(field, "editable", False) and not field.auto_created and field.concrete:
            assert field.help_text, f"{model._meta.label}.{field.name} has no help text"


@pytest.mark.parametrize("model", list(content_models()), ids=lambda model: model._meta.label)
def test_an_editor_can_view_add_and_change_every_content_model(content, as_editor, model):
    obj = model._default_manager.first()
    for url in [
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ]:
        assert as_editor.get(url).status_code == HTTPStatus.OK, url
    assert as_editor.get(admin_url(model, "delete", obj.pk)).status_code == HTTPStatus.FORBIDDEN


def test_an_editor_edits_content(as_editor):
    critique = make_critique(title="Old title")
    data = critique_form_data(critique, title="New title")
    response = as_editor.post(admin_url(Critique, "change", critique.pk), data)
    assertRedirects(response, admin_url(Critique, "changelist"))
    critique.refresh_from_db()
    assert critique.title == "New title"
    assert critique.history.first().history_user.username == "editor"


@pytest.mark.parametrize("model", [User, Group], ids=["users", "groups"])
def test_an_editor_cannot_touch_users_or_groups(as_editor, editor, model):
    obj = editor if model is User else Group.objects.get(name="Editors")
    for url in [admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", obj.pk)]:
        assert as_editor.get(url).status_code == HTTPStatus.FORBIDDEN, url
    assert as_editor.post(admin_url(model, "change", obj.pk), {"name": "Renamed", "username": "x"}).status_code == HTTPStatus.FORBIDDEN
    assertNotContains(as_editor.get(reverse("admin:index")), admin_url(model, "changelist"))


def test_editors_hold_no_user_group_or_permission_permissions(db):
    app_labels = set(editors_group().permissions.values_list("content_type__app_label", flat=True))
    assert app_labels == {"iplus", "sectors", "critiques"}
    assert not editors_group().permissions.filter(codename__startswith="delete_").exists()


def test_an_editor_is_offered_no_delete_action(content, as_editor):
    response = as_editor.get(admin_url(Critique, "changelist"))
    assertContains(response, 'value="publish"')
    assertNotContains(response, 'value="delete_selected"')


@pytest.mark.parametrize("url", ["/admin/", "/admin/critiques/critique/", "/admin/critiques/critique/1/change/", "/admin/auth/user/"])
def test_an_anonymous_visitor_is_sent_to_login(client, db, url):
    response = client.get(url)
    assertRedirects(response, f"/admin/login/?next={url}")


DRAFTS = {
    "critique": lambda: make_critique(status="draft"),
    "sector": lambda: make_sector(status="draft"),
    "key action": lambda: make_key_action(status="draft"),
    "source": lambda: make_source(status="draft"),
}


@pytest.mark.parametrize("make_draft", DRAFTS.values(), ids=DRAFTS.keys())
def test_a_draft_is_hidden_from_visitors_and_shown_to_staff(client, db, make_draft):
    draft = make_draft()
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    client.force_login(User.objects.create_user("staff", is_staff=True))
    response = client.get(draft.get_absolute_url())
    assertContains(response, '<p class="draft-banner" role="status">')


def test_a_draft_is_left_out_of_the_public_lists(client, db):
    make_critique(title="Published critique")
    make_critique(title="Draft critique", status="draft")
    response = client.get(reverse("critiques:list"))
    assertContains(response, "Published critique")
    assertNotContains(response, "Draft critique")


def test_the_change_page_links_to_the_public_page(as_superuser):
    critique = make_critique()
    response = as_superuser.get(admin_url(Critique, "change", critique.pk))
    view_on_site = reverse("admin:view_on_site", args=[critique_content_type_id(), critique.pk])
    assertContains(response, f'href="{view_on_site}"')
    response = as_superuser.get(view_on_site)
    assertRedirects(response, f"http://testserver{critique.get_absolute_url()}", fetch_redirect_response=False)


def test_a_figure_links_to_its_row_on_the_outcomes_page(as_superuser, client):
    figure = make_figure()
    content_type = ContentType.objects.get_for_model(Figure).pk
    view_on_site = reverse("admin:view_on_site", args=[content_type, figure.pk])
    assertContains(as_superuser.get(admin_url(Figure, "change", figure.pk)), f'href="{view_on_site}"')
    assert as_superuser.get(view_on_site)["Location"].endswith(f"/outcomes/#{figure.slug}")
    client.logout()
    assertContains(client.get("/outcomes/"), f'<tr id="{figure.slug}">')


def critique_content_type_id():
    return ContentType.objects.get_for_model(Critique).pk


def test_bulk_publish_and_unpublish(as_editor):
    drafts = [make_critique(status="draft") for _ in range(3)]
    ids = [critique.pk for critique in drafts[:2]]
    response = as_editor.post(admin_url(Critique, "changelist"), {"action": "publish", "_selected_action": ids}, follow=True)
    assertContains(response, "2 items published.")
    assert set(Critique.objects.published().values_list("pk", flat=True)) == set(ids)
    assert drafts[0].history.first().history_change_reason == "Published"
    as_editor.post(admin_url(Critique, "changelist"), {"action": "unpublish", "_selected_action": ids[:1]})
    assert list(Critique.objects.published().values_list("pk", flat=True)) == ids[1:]


def test_a_figure_without_a_unit_is_refused_in_plain_words(as_editor):
    sector, source = make_sector(), make_source()
    data = {"slug": "users", "label": "Users", "qualifier": "about", "value": "649000000", "unit": "", "as_of": "",
            "sector": sector.pk, "source": source.pk, "position": 0, "status": "draft"}  # fmt: skip
    response = as_editor.post(admin_url(Figure, "add"), data)
    assertContains(response, "A figure needs a unit: say what the number counts")
    assert not Figure.objects.exists()


def test_a_negative_figure_is_refused_in_plain_words(as_editor):
    sector, source = make_sector(), make_source()
    data = {"slug": "users", "label": "Users", "qualifier": "about", "value": "-1", "unit": "users", "as_of": "",
            "sector": sector.pk, "source": source.pk, "position": 0, "status": "draft"}  # fmt: skip
    assertContains(as_editor.post(admin_url(Figure, "add"), data), "A figure cannot be negative")


def test_a_milestone_date_must_match_its_precision(as_editor):
    data = {"slug": "report", "title": "Report", "date": "2015-03-05", "precision": "year", "kind": "report",
            "description": "x", "status": "draft"}  # fmt: skip
    response = as_editor.post(admin_url(Milestone, "add"), data)
    assertContains(response, "A date known to the year must be 1 January of that year.")
    assert not Milestone.objects.exists()


def test_a_key_action_number_must_be_one_to_eleven(as_editor):
    data = {"slug": "twelve", "number": 12, "name": "Twelve", "name_zh": "十二", "description": "", "status": "draft"}
    assertContains(as_editor.post(admin_url(apps.get_model("iplus", "keyaction"), "add"), data), "the number must be from 1 to 11")


def test_a_sector_is_edited_with_its_applications_and_figures(content, as_superuser):
    sector = apps.get_model("sectors", "sector").objects.get(slug="finance")
    response = as_superuser.get(admin_url(type(sector), "change", sector.pk))
    for application in sector.applications.all():
        assertContains(response, application.name)
    for figure in sector.figures.all():
        assertContains(response, figure.label)


def test_autocomplete_offers_sources_to_an_editor(content, as_editor):
    source = Source.objects.get(slug="jeong-2007")
    params = {"term": "jeong", "app_label": "sectors", "model_name": "application", "field_name": "sources"}
    response = as_editor.get(reverse("admin:autocomplete"), params)
    assert response.status_code == HTTPStatus.OK
    label = f"{source.title} · {source.get_kind_display()} · {source.publisher}"  # its kind and publisher tell it apart
    assert {"id": str(source.pk), "text": label} in response.json()["results"]


def test_a_picker_offers_title_matches_first(content, as_editor):
    params = {"term": "Jeong", "app_label": "critiques", "model_name": "critique", "field_name": "sources"}
    first, *others = as_editor.get(reverse("admin:autocomplete"), params).json()["results"]
    assert first["text"].startswith("Jeong (2007)")
    assert any(not other["text"].startswith("Jeong") for other in others)  # a source whose note names it comes later


def test_application_changelist_query_count(as_superuser, django_assert_max_num_queries):
    sector = make_sector()
    for n in range(60):
        Application.objects.create(sector=sector, slug=f"app-{n}", name=f"App {n}", description="x", status="published")
    # Guards an N+1 on the sector column (list_select_related).
    with django_assert_max_num_queries(12):
        assert as_superuser.get(admin_url(Application, "changelist")).status_code == HTTPStatus.OK


def test_line_breaks_from_a_browser_are_stored_as_they_were(content, as_superuser):
    """A textarea comes back with CRLF line breaks; saving an unchanged body must not change it."""
    critique = Critique.objects.get(slug="censorship")
    argument = critique.argument + "\n\nA second paragraph."
    response = as_superuser.post(
        admin_url(Critique, "change", critique.pk), critique_form_data(critique, argument=argument.replace("\n", "\r\n"))
    )
    assert response.status_code == HTTPStatus.FOUND
    critique.refresh_from_db()
    assert critique.argument == argument
