"""Public history: every published change of an item with what changed and a diff, a permanent address for each
version, "Last changed" on the item page, and never a draft."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from critiques.models import Critique
from iplus.models import Source, Status
from publishing.kinds import with_history
from tests.factories import make_critique
from tests.helpers import save_critique
from tests.routes import counterpart


def history_url(critique):
    return reverse("iplus:history", args=["critiques", critique.slug])


def version_urls(client, critique):
    """The versions' addresses on the history page, newest first."""
    return re.findall(r'<h2><a href="(/critiques/[\w-]+/history/\d+/)">', client.get(history_url(critique)).text)


def test_an_edit_in_the_admin_shows_in_the_history_with_its_diff_and_keeps_the_old_version(client, content, staff):
    critique = Critique.objects.get(slug="censorship")
    old_summary = critique.summary
    save_critique(staff, critique, summary="A wholly new summary of the critique.", sources=[Source.objects.get(slug="jeong-2007").pk])
    page = client.get(history_url(critique)).text
    assert "Summary edited" in page and "sources added: " in page
    assert re.search(r"<ins>[^<]*wholly[^<]*</ins>", page)
    assert re.search(r"<del>[^<]+</del>", page)
    assert "editor" not in page.split("<main", 1)[1]  # who changed it is not shown
    newest, oldest = version_urls(client, critique)
    assert old_summary in client.get(oldest).text and "A wholly new summary" not in client.get(oldest).text
    assert "An old version" in client.get(oldest).text
    assert "A wholly new summary of the critique." in client.get(newest).text
    item = client.get(critique.get_absolute_url()).text
    assert f'href="{history_url(critique)}"' in item
    assert f'<a href="{newest}">http://testserver{newest}</a>' in item  # the permanent link cites this version


def test_a_version_shows_its_texts_in_the_page_language(client, content, staff):
    critique = Critique.objects.get(slug="censorship")
    save_critique(staff, critique, summary="A new English summary.", summary_zh="新的中文摘要。", raised_by_zh="")
    newest, _oldest = version_urls(client, critique)
    english = client.get(newest).text
    assert "A new English summary." in english and "新的中文摘要" not in english
    assert "Chinese title" not in english and "Summary (Chinese)" not in english  # a text's twin is not a field of its own
    chinese = client.get(counterpart(newest, "zh-hans")).text
    assert "新的中文摘要。" in chinese and "A new English summary." not in chinese
    assert f'<dd><span lang="en">{critique.raised_by}</span>' in chinese  # an untranslated text is marked as English


def test_changes_that_leave_the_content_as_it_was_make_no_version(client, content, staff):
    critique = Critique.objects.get(slug="censorship")
    save_critique(staff, critique, summary="Changed once.")
    assert len(version_urls(client, critique)) == 2
    save_critique(staff, critique)  # a save with no change
    save_critique(staff, critique, status=Status.DRAFT)
    save_critique(staff, critique, status=Status.PUBLISHED)  # unpublish, then publish the same text
    assert len(version_urls(client, critique)) == 2
    record = critique.history.order_by("-history_id").first()  # the last save: a repeat of the current version
    repeat = reverse("iplus:version", args=["critiques", critique.slug, record.history_id])
    response = client.get(repeat)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY and response["Location"] == version_urls(client, critique)[0]


def test_a_draft_state_never_appears_in_the_history(client, content, staff):
    critique = Critique.objects.get(slug="censorship")
    save_critique(staff, critique, status=Status.DRAFT, summary="A secret draft summary.")
    assert client.get(history_url(critique)).status_code == HTTPStatus.NOT_FOUND
    draft_record = critique.history.order_by("-history_id").first()
    draft_version = reverse("iplus:version", args=["critiques", critique.slug, draft_record.history_id])
    assert client.get(draft_version).status_code == HTTPStatus.NOT_FOUND
    save_critique(staff, critique, status=Status.PUBLISHED, summary="The published summary.")
    page = client.get(history_url(critique)).text
    assert "secret" not in page
    assert client.get(draft_version).status_code == HTTPStatus.NOT_FOUND
    assert all("secret" not in client.get(url).text for url in version_urls(client, critique))


def test_a_draft_item_has_no_public_history(client, db):
    critique = make_critique(status=Status.DRAFT)
    critique.summary = "Edited while a draft."
    critique.save()
    assert client.get(history_url(critique)).status_code == HTTPStatus.NOT_FOUND
    record = critique.history.first()
    assert client.get(reverse("iplus:version", args=["critiques", critique.slug, record.history_id])).status_code == 404


def test_an_item_never_edited_has_its_first_version_from_the_load_and_its_page_history_and_feed_agree(client, content):
    critique = Critique.objects.get(slug="censorship")
    (version,) = version_urls(client, critique)
    history = client.get(history_url(critique)).text
    assert "The first version on record." in history
    (when,) = re.findall(r'<h2><a href="[^"]+"><time datetime="([^"]+)">', history)
    (last_changed,) = re.findall(r'Last changed <time datetime="([^"]+)">', client.get(critique.get_absolute_url()).text)
    assert when == last_changed == critique.updated.strftime("%Y-%m-%dT%H:%M:%S%z")
    feed = client.get(reverse("iplus:category-feed", args=[critique.category])).text
    (entry,) = [entry for entry in feed.split("<entry>")[1:] if version in entry]
    assert f"<updated>{critique.updated.isoformat()}</updated>" in entry


def test_on_a_fresh_site_every_feed_of_a_kind_a_sector_and_a_category_has_its_entries(client, content):
    from sectors.models import Sector

    feeds = [reverse("iplus:kind-feed", args=[kind]) for kind in with_history()]
    feeds += [reverse("iplus:sector-feed", args=[slug]) for slug in Sector.objects.published().values_list("slug", flat=True)]
    categories = set(Critique.objects.published().values_list("category", flat=True))
    feeds += [reverse("iplus:category-feed", args=[category]) for category in categories]
    empty = [url for url in feeds if "<entry>" not in client.get(url).text]
    assert not empty


def test_a_version_address_of_another_item_or_of_nothing_is_a_404(client, content, staff):
    critique = Critique.objects.get(slug="censorship")
    save_critique(staff, critique, summary="Changed.")
    other = Critique.objects.exclude(pk=critique.pk).published().first()
    record = critique.history.first()
    assert client.get(reverse("iplus:version", args=["critiques", other.slug, record.history_id])).status_code == 404
    assert client.get(reverse("iplus:version", args=["critiques", critique.slug, 10**9])).status_code == 404
    assert client.get(history_url(critique), {"page": "99"}).status_code == 404
    assert client.get("/critiques/no-such-critique/history/").status_code == 404


@pytest.mark.parametrize("kind", with_history())
def test_every_kind_has_a_history_and_each_item_page_links_it(client, content, kind):
    item = with_history()[kind].objects.published().first()
    item.save()  # an edit outside the admin records the state before it, then the edit
    page = client.get(reverse("iplus:history", args=[kind, item.slug]))
    assert page.status_code == HTTPStatus.OK and len(re.findall(r'<h2><a href="([^"]+/history/\d+/)">', page.text)) >= 1
    assert client.get(reverse("iplus:kind-feed", args=[kind])).status_code == HTTPStatus.OK
    if "#" not in item.get_absolute_url():  # an item with a page of its own, not an anchor on a list
        assert f'href="{reverse("iplus:history", args=[kind, item.slug])}"' in client.get(item.get_absolute_url()).text


def test_the_version_page_cites_the_version(client, content, staff):
    critique = Critique.objects.get(slug="censorship")
    save_critique(staff, critique, summary="Changed for the citation.")
    oldest = version_urls(client, critique)[-1]
    text = client.get(oldest).text
    assert f'<meta name="citation_public_url" content="http://testserver{oldest}">' in text
    bibtex = client.get(oldest, {"cite": "bibtex"}).text
    assert f"url = {{http://testserver{oldest}}}" in bibtex


def test_the_history_page_reads_a_fixed_number_of_queries_however_many_versions(client, content, staff):
    critique = Critique.objects.get(slug="censorship")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(history_url(critique)).status_code == HTTPStatus.OK
        return len(captured)

    save_critique(staff, critique, summary="Version 2.")
    few = queries()
    for number in range(3, 40):
        save_critique(staff, critique, summary=f"Version {number}.")
    assert queries() == few
    assert len(version_urls(client, critique)) == 25  # a page of them, the newest first
    first, second = client.get(history_url(critique)).text, client.get(history_url(critique), {"page": 2}).text
    assert "<ins>39.</ins>" in first and "<ins>3.</ins>" not in first
    assert "<ins>3.</ins>" in second and "<ins>39.</ins>" not in second


def test_footnotes_show_as_their_sources_names_in_the_diffs_never_as_markup(client, content, staff):
    critique = Critique.objects.get(slug="censorship")
    source = Source.objects.get(slug="south-china-morning-post")
    assert "[^south-china-morning-post]" in critique.argument
    save_critique(
        staff, critique, argument=critique.argument.replace("[^south-china-morning-post]", " (edited)[^south-china-morning-post]", 1)
    )
    client.cookies.clear()
    for url in [history_url(critique), counterpart(history_url(critique), "zh-hans")]:
        page = client.get(url).text
        assert "<ins>" in page and "[^" not in page, url
    assert f"[{source.title}]" in client.get(history_url(critique)).text.replace("&#x27;", "'")
    assert "[^" not in staff.get(f"/admin/critiques/critique/{critique.pk}/history/").text
