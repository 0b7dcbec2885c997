"""Atom feeds of what changed (everything, each kind, each sector, each critique category) and the "What's new" page:
an admin edit is their first entry, feedparser reads them cleanly, and drafts never show."""

import re
from http import HTTPStatus

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from critiques.models import Critique
from iplus.models import Status
from tests.factories import make_critique
from tests.helpers import save_critique


def feed(client, name, *args):
    response = client.get(reverse(f"iplus:{name}", args=args))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    for entry in parsed.entries:
        assert entry.id.startswith("http://testserver/") and entry.updated_parsed and entry.link == entry.id
    return parsed


@pytest.fixture
def edited(content, staff):
    critique = Critique.objects.get(slug="personal-information-security")  # in the finance sector
    save_critique(staff, critique, summary="A summary edited for the feeds.")
    return critique


FEEDS = {
    "everything": ("feed",),
    "its kind": ("kind-feed", "critiques"),
    "its sector": ("sector-feed", "finance"),
    "its category": ("category-feed", "privacy"),
}


@pytest.mark.parametrize("which", FEEDS)
def test_an_edit_is_the_first_entry_of_each_feed_it_belongs_to(client, edited, which):
    assert edited.sectors.filter(slug="finance").exists() and edited.category == "privacy"
    entries = feed(client, *FEEDS[which]).entries
    first = entries[0]
    assert first.title == f"{edited.title}: summary edited"
    newest = edited.history.filter(status=Status.PUBLISHED).first()
    assert first.link == "http://testserver" + reverse("iplus:version", args=["critiques", edited.slug, newest.history_id])
    assert first.summary == "summary edited"
    assert len({entry.id for entry in entries}) == len(entries)  # ids are unique


def test_a_feed_of_another_sector_or_kind_leaves_the_edit_out(client, edited):
    assert all(edited.title not in entry.title for entry in feed(client, "kind-feed", "sectors").entries)
    other = next(sector for sector in ("agriculture", "government") if not edited.sectors.filter(slug=sector).exists())
    assert all(edited.title not in entry.title for entry in feed(client, "sector-feed", other).entries)


def test_drafts_never_reach_a_feed_or_the_changes_page(client, content, staff):
    draft = make_critique(status=Status.DRAFT, title="A draft critique in the making")
    draft.summary = "Still a draft."
    draft.save()
    critique = Critique.objects.get(slug="censorship")
    save_critique(staff, critique, status=Status.DRAFT, summary="A secret draft summary.")
    save_critique(staff, critique, status=Status.PUBLISHED, summary="The published summary.")
    for which in FEEDS.values():
        text = client.get(reverse(f"iplus:{which[0]}", args=which[1:])).text
        assert "A draft critique" not in text and "secret" not in text
    page = client.get(reverse("iplus:changes")).text
    assert "A draft critique" not in page and "secret" not in page
    save_critique(staff, critique, status=Status.DRAFT)  # unpublished: its changes leave the feeds
    assert all(critique.title not in entry.title for entry in feed(client, "feed").entries)


def test_changes_that_leave_the_content_as_it_was_make_no_entry(client, edited, staff):
    before = [entry.id for entry in feed(client, "feed").entries]
    save_critique(staff, edited)
    save_critique(staff, edited, status=Status.DRAFT)
    save_critique(staff, edited, status=Status.PUBLISHED)
    assert [entry.id for entry in feed(client, "feed").entries] == before


def test_an_unknown_category_sector_or_kind_is_a_404(client, content):
    assert client.get("/feeds/critiques/no-such-category.atom").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/feeds/sectors/no-such-sector.atom").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/feeds/nothing.atom").status_code == HTTPStatus.NOT_FOUND


def test_the_changes_page_lists_the_edit_first(client, edited):
    page = client.get(reverse("iplus:changes")).text
    first = page.split('<ol class="changes">', 1)[1].split("</li>", 1)[0]
    assert edited.title in first and "Summary edited" in first


def test_pages_link_their_feeds_in_head(client, edited):
    def feeds(url):
        head = client.get(url).text.split("</head>", 1)[0]
        return re.findall(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', head)

    assert feeds(reverse("iplus:home")) == ["/feeds/changes.atom"]
    assert "/feeds/critiques.atom" in feeds(reverse("critiques:list"))
    assert {"/feeds/critiques.atom", "/feeds/critiques/privacy.atom"} <= set(feeds(edited.get_absolute_url()))
    assert "/feeds/sectors/finance.atom" in feeds(reverse("sectors:detail", args=["finance"]))


def test_feeds_and_the_changes_page_read_a_fixed_number_of_queries(client, edited, staff):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == HTTPStatus.OK
        return len(captured)

    urls = [reverse("iplus:feed"), reverse("iplus:changes"), reverse("iplus:sector-feed", args=["finance"])]
    few = [queries(url) for url in urls]
    for number in range(30):
        save_critique(staff, edited, summary=f"Edit number {number}.")
    assert [queries(url) for url in urls] == few
    entries = feed(client, "feed").entries
    assert len(entries) == 50  # the feed's length: the content's first versions fill it up
    assert all(entry.title.startswith(edited.title) for entry in entries[:31])  # the edit and thirty more, newest first
