"""Deleting an item and bringing it back from "Deleted ..." in the admin gives back everything it had: its fields and
translations, its links both ways (the sources it cites, the items that cite it) and the items deleted with it; and
actions that leave an item as it was leave its export as it was."""

import re
from html import unescape
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publishing.kinds import content_models
from publishing.models import DraftChange, Status
from tests.forms import form_fields
from tests.helpers import admin_url, editors_group, exports

KINDS = [model for model in content_models() if model in admin.site._registry]


def links(obj):
    """How many links and dependent items an object has, both ways."""
    relations = [rel for rel in obj._meta.get_fields() if (rel.many_to_many or rel.one_to_many) and rel.related_model]
    return sum(getattr(obj, rel.get_accessor_name() if rel.auto_created else rel.name).count() for rel in relations)


def post_form(client, url, form_id, **changes):
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK, url
    fields = [(name, changes.get(name, value)) for name, value in form_fields(page.text, form_id)]
    data = {}
    for name, value in [*fields, ("_save", "Save")]:
        data.setdefault(name, []).append(value)
    data.update((name, [value]) for name, value in changes.items() if name not in data)  # a button of its own
    return client.post(url, {name: values for name, values in data.items() if changes.get(name, "") is not None})


def restore(client, model, pk):
    """Bring an item back as an editor would: "Deleted ..." in the admin, its link, then "Save" on the form it opens."""
    page = client.get(admin_url(model, "deleted")).text
    (link,) = {unescape(url) for url in re.findall(r'href="([^"]*/history/[^"]*)"', page) if f"/{pk}/history/" in unescape(url)}
    return post_form(client, link, f"historical{model._meta.model_name}_form")


@pytest.mark.parametrize("model", KINDS, ids=lambda model: model._meta.label)
def test_a_deleted_item_restored_in_the_admin_has_everything_it_had(content, staff, model):
    before = exports()
    # The item with the most links and dependents that can be deleted (figures protect their source, say).
    candidates = sorted(model._default_manager.all(), key=links, reverse=True)
    obj = next(obj for obj in candidates if "Cannot delete" not in staff.get(admin_url(model, "delete", obj.pk)).text)
    response = staff.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND, re.findall(r"<h1>.*?</ul>", response.text, re.S)
    assert not model._default_manager.filter(pk=obj.pk).exists()
    assert exports() != before

    response = restore(staff, model, obj.pk)
    assert response.status_code == HTTPStatus.FOUND, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.text, re.S)
    assert exports() == before


def test_actions_that_leave_an_item_as_it_was_leave_its_export_as_it_was(content, staff):
    from critiques.models import Critique

    before = exports()
    critique = Critique.objects.get(slug="censorship")
    change = admin_url(Critique, "change", critique.pk)
    changelist = admin_url(Critique, "changelist")
    assert post_form(staff, change, "critique_form").status_code == HTTPStatus.FOUND  # a save with no change
    for action in ["unpublish", "publish"]:
        staff.post(changelist, {"action": action, "_selected_action": [critique.pk]})
    assert Critique.objects.get(pk=critique.pk).status == Status.PUBLISHED
    post_form(staff, change, "critique_form", summary="A summary for a while.")
    history = staff.get(admin_url(Critique, "history", critique.pk)).text
    (first,) = re.findall(r'href="([^"]*/history/\d+/)"', history)[-1:]
    assert post_form(staff, unescape(first), "historicalcritique_form").status_code == HTTPStatus.FOUND  # a revert to the text before
    assert exports() == before
    assert "Reverted to the version of " in staff.get(admin_url(Critique, "history", critique.pk)).text


def test_the_admin_history_says_what_changed_and_shows_whole_texts(content, staff):
    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    argument = critique.argument + " A last sentence added at the end."
    post_form(staff, admin_url(Critique, "change", critique.pk), "critique_form", argument=argument)
    history = staff.get(admin_url(Critique, "history", critique.pk)).text
    assert "Changed Argument." in history  # the change reason says what changed
    assert "<ins>A last sentence added at the end.</ins>" in history
    assert critique.argument.split()[0] in history and "chars]" not in history  # the whole text, word by word


def test_a_page_an_editor_may_not_open_is_the_admins_own(content, client, django_user_model):
    from critiques.models import Critique

    editor = django_user_model.objects.create_user("writer", "writer@example.org", "pw", is_staff=True)
    client.force_login(editor)
    response = client.get(admin_url(Critique, "delete", Critique.objects.first().pk))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert 'id="site-name"' in response.text and "Back to the content" in response.text


def test_an_editor_is_told_what_markup_the_site_leaves_out(content, staff):
    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    added = 'A [link](javascript:alert(1)) and <script>alert(1)</script> and <b onclick="x()">bold</b>.'
    argument = added + "\n\n" + critique.argument  # before the notes' passages at its end
    response = post_form(staff, admin_url(Critique, "change", critique.pk), "critique_form", argument=argument)
    messages = [str(message) for message in response.wsgi_request._messages]
    (warning,) = [message for message in messages if message.startswith("Argument of “Censorship will blunt the strategy”: the site")]
    for removed in ["the address javascript:alert(1)", "the element <b>", "the attribute onclick of <b>", "the element <script>"]:
        assert removed in warning
    assert Critique.objects.get(pk=critique.pk).argument == argument.replace("\r\n", "\n")  # saved as written


def test_the_admin_index_shows_what_needs_an_editor(content, staff):
    from critiques.models import Critique

    Critique.objects.filter(slug="censorship").update(status=Status.DRAFT, summary_zh="")
    Critique.objects.get(slug="censorship").sources.clear()
    waiting = Critique.objects.exclude(slug="censorship").first()
    DraftChange.objects.create(content_type=ContentType.objects.get_for_model(Critique), object_id=waiting.pk, data={})
    page = staff.get(admin_url(Critique, "changelist").replace("critiques/critique/", "")).text
    row = re.search(r'<tr>\s*<th scope="row"><a href="/admin/critiques/critique/">Critiques</a></th>(.*?)</tr>', page, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)">(\d+)</a>', row)
    assert links == [
        ("/admin/critiques/critique/?status__exact=draft", "1"),
        ("/admin/critiques/critique/?draft_change=waiting", "1"),
        ("/admin/critiques/critique/?sourced=none", "1"),
        ("/admin/critiques/critique/?translation=missing", "1"),
    ]
    for url, count in links:
        listed = staff.get(unescape(url)).text
        assert f"{count} critique" in listed and ("Censorship will blunt the strategy" in listed or str(waiting) in listed)


def test_a_preview_shows_the_texts_as_visitors_get_them_and_saves_nothing(content, staff, client):
    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    change = admin_url(Critique, "change", critique.pk)
    page = staff.get(change).text
    preview = re.search(r'<button type="submit" formaction="([^"]+)" formtarget="_blank" formnovalidate>', page).group(1)
    fields = dict(form_fields(page, "critique_form"))
    fields.update(argument="Some **bold** words and [a link](javascript:alert(1)).", argument_zh="一些**加粗**的字。")
    response = staff.post(preview, fields)
    assert response.status_code == HTTPStatus.OK
    assert '<p>Some <strong>bold</strong> words and <a rel="noopener noreferrer">a link</a>.</p>' in response.text
    assert "The site leaves out the address javascript:alert(1)." in response.text
    assert '<div lang="zh-Hans"><p>一些<strong>加粗</strong>的字。</p></div>' in response.text
    assert Critique.objects.get(pk=critique.pk).argument == critique.argument  # nothing saved
    assert staff.get(preview).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.post(preview, fields).status_code == HTTPStatus.FOUND  # to the sign-in page


def test_a_draft_change_to_a_published_item_stays_off_the_public_page_until_it_is_published(
    content, staff, client, django_capture_on_commit_callbacks
):
    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    page_url, change = critique.get_absolute_url(), admin_url(Critique, "change", critique.pk)
    assert "max-age" in client.get(page_url)["Cache-Control"]  # a visitor's page, stored
    with django_capture_on_commit_callbacks(execute=True):  # committed, a draft change leaves the page cache as it is
        response = post_form(staff, change, "critique_form", summary="A summary still in draft.", _save_draft="Draft", _save=None)
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == change
    critique.refresh_from_db()
    assert critique.summary != "A summary still in draft."
    with CaptureQueriesContext(connection) as queries:
        visitor = client.get(page_url).text
    assert len(queries) == 0 and "A summary still in draft." not in visitor  # the stored page, still valid

    staff_page = staff.get(page_url).text
    assert "A summary still in draft." in staff_page and "Draft change" in staff_page
    form = staff.get(change).text
    assert "A summary still in draft." in form and "This form shows a draft change editor saved" in form

    with django_capture_on_commit_callbacks(execute=True):  # the save commits: the page cache is emptied
        assert post_form(staff, change, "critique_form").status_code == HTTPStatus.FOUND  # Save publishes it
    assert Critique.objects.get(pk=critique.pk).summary == "A summary still in draft."
    assert not DraftChange.objects.exists()
    assert "A summary still in draft." in client.get(page_url).text


def test_a_draft_change_can_be_discarded(content, staff):
    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    change = admin_url(Critique, "change", critique.pk)
    post_form(staff, change, "critique_form", summary="A summary for the bin.", _save_draft="Save as a draft change", _save=None)
    discard = re.search(r'formaction="([^"]*discard-draft/)"', staff.get(change).text).group(1)
    assert staff.get(discard).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert staff.post(discard).status_code == HTTPStatus.FOUND
    assert not DraftChange.objects.exists()
    assert "A summary for the bin." not in staff.get(change).text
    assert Critique.objects.get(pk=critique.pk).summary == critique.summary


def test_changed_by_links_to_the_account_only_for_those_who_may_open_it(content, staff, client, django_user_model):
    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    post_form(staff, admin_url(Critique, "change", critique.pk), "critique_form", summary="Changed by the first editor.")
    history = admin_url(Critique, "history", critique.pk)
    assert re.search(r'<a href="/admin/auth/user/\d+/change/">editor</a>', staff.get(history).text)
    writer = django_user_model.objects.create_user("writer", "writer@example.org", "pw", is_staff=True)
    writer.groups.add(editors_group())
    client.force_login(writer)
    page = client.get(history).text
    assert "editor" in page and "/admin/auth/user/" not in page


def test_a_deletion_is_listed_with_when_and_who_and_a_restore_is_said_to_be_one_in_the_admin_history_and_whats_new(content, staff, client):
    from django.utils import formats, timezone

    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    assert staff.post(admin_url(Critique, "delete", critique.pk), {"post": "yes"}).status_code == HTTPStatus.FOUND
    deleted = staff.get(admin_url(Critique, "deleted")).text
    table = deleted.split('<table id="deleted-items">', 1)[1].split("</table>", 1)[0]
    row = next(row for row in table.split("<tr>") if critique.title in row)
    assert formats.date_format(timezone.localtime(), "DATE_FORMAT") in row and "<td>editor</td>" in row
    assert '<ol class="breadcrumbs">' in deleted

    response = restore(staff, Critique, critique.pk)
    assert response.status_code == HTTPStatus.FOUND
    message = staff.get(response["Location"]).text
    assert f"“{critique.title}” is restored, as it was on" in unescape(message) and "was changed successfully" not in message
    assert "Restored after its deletion, as it was on" in staff.get(admin_url(Critique, "history", critique.pk)).text
    client.cookies.clear()
    history = client.get(reverse("iplus:history", args=["critiques", critique.slug])).text
    assert "Restored after its deletion" in history
    first = client.get(reverse("iplus:changes")).text.split('<ol class="changes">', 1)[1].split("</li>", 1)[0]
    assert critique.title in first and "Restored after its deletion" in first


def test_a_revert_is_said_to_be_one_in_the_admin_message_the_history_and_whats_new(content, staff, client):
    from critiques.models import Critique

    critique = Critique.objects.get(slug="censorship")
    change = admin_url(Critique, "change", critique.pk)
    post_form(staff, change, "critique_form", summary="A summary for a while.")
    history = staff.get(admin_url(Critique, "history", critique.pk)).text
    first = unescape(re.findall(r'href="([^"]*/history/\d+/)"', history)[-1])
    response = post_form(staff, first, "historicalcritique_form")
    assert response.status_code == HTTPStatus.FOUND
    message = unescape(staff.get(response["Location"]).text)
    assert f"“{critique.title}” is reverted to its version of" in message and "was changed successfully" not in message
    newest = client.get(reverse("iplus:changes")).text.split('<ol class="changes">', 1)[1].split("</li>", 1)[0]
    assert critique.title in newest and "Reverted to the version of" in newest
