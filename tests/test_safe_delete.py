"""A source that published content cites cannot be deleted or unpublished: the admin refuses, naming each item and field
that cites it with a link, and changes nothing, so no public page links a page that is gone."""

import re
from html import unescape
from http import HTTPStatus

import pytest
from django.test import TestCase

from critiques.models import Critique
from iplus.models import Source, Status
from publishing.models import citations_of
from tests.factories import make_critique, make_source
from tests.helpers import admin_url, exports

CHANGELIST = admin_url(Source, "changelist")


@pytest.fixture
def cited(content):
    """Every source the published content cites, with where."""
    found = citations_of(Source.objects.published())
    return {source: citations for source, citations in found.items() if citations}


def test_the_delete_page_of_a_cited_source_names_each_citing_item_and_field_with_a_link(cited, staff):
    source = Source.objects.get(slug="south-china-morning-post")
    page = staff.get(admin_url(Source, "delete", source.pk))
    assert page.status_code == HTTPStatus.OK
    text = page.text
    assert "Cannot delete" in text and "cannot be deleted while the items below cite it" in text
    assert "_sources object" not in text and "Yes, I’m sure" not in text
    critique = Critique.objects.get(slug="censorship")
    link = f'<a href="{admin_url(Critique, "change", critique.pk)}">{critique}</a>'
    assert f"Critique: {link} (a footnote in its argument cites “{source}”)" in unescape(text)
    assert f"Critique: {link} (listed in its sources cites “{source}”)" in unescape(text)
    for citation in cited[source]:
        assert admin_url(type(citation.item), "change", citation.item.pk) in text


def test_deleting_or_unpublishing_any_cited_source_through_the_admin_is_refused_and_changes_nothing(cited, staff, client):
    before = exports()
    selected = [source.pk for source in cited]
    with TestCase.captureOnCommitCallbacks(execute=True):
        one = staff.post(admin_url(Source, "delete", selected[0]), {"post": "yes"})
        bulk = staff.post(CHANGELIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"})
        unpublish = staff.post(CHANGELIST, {"action": "unpublish", "_selected_action": selected}, follow=True)
    assert one.status_code == bulk.status_code == HTTPStatus.OK
    assert "cannot be deleted while the items below cite them" in bulk.text
    assert unpublish.text.count("stays published") == len(cited)
    assert "0 items unpublished." in unpublish.text
    assert exports() == before
    assert Source.objects.filter(pk__in=selected, status=Status.PUBLISHED).count() == len(selected)

    # The pages that cite them link only sources that answer.
    pages = {citation.item.get_absolute_url().split("#")[0] for citations in cited.values() for citation in citations}
    linked = {href for url in pages for href in re.findall(r'href="(/sources/[^"#]+)', client.get(url).text)}
    assert {href for href in linked if client.get(href).status_code != HTTPStatus.OK} == set()


def test_unpublishing_a_listed_source_in_its_form_is_refused_with_the_items_named(cited, staff):
    from tests.test_restore import post_form

    source = next(source for source, citations in cited.items() if all(citation.field.many_to_many for citation in citations))
    response = post_form(staff, admin_url(Source, "change", source.pk), "source_form", status="draft")
    assert response.status_code == HTTPStatus.OK
    assert "Published items cite this source:" in unescape(response.text)
    assert f"“{cited[source][0].item}” (listed in its sources)" in unescape(response.text)
    source.refresh_from_db()
    assert source.is_published


def test_a_source_only_drafts_cite_is_deleted_with_its_links_named_in_words(db, staff):
    source = make_source(title="A source of drafts")
    critique = make_critique(title="A draft critique", status="draft")
    critique.sources.add(source)
    page = staff.get(admin_url(Source, "delete", source.pk)).text
    assert "“A draft critique” → “A source of drafts”" in unescape(page)
    assert "object (" not in page
    assert staff.post(admin_url(Source, "delete", source.pk), {"post": "yes"}).status_code == HTTPStatus.FOUND
    assert not Source.objects.filter(pk=source.pk).exists()
