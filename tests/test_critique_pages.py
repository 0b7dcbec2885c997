import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from critiques.models import Critique
from sectors.models import Sector
from tests.factories import make_critique, make_sector, make_source
from tests.helpers import LONG, XSS, assert_headings_in_order

LIST_URL = reverse("critiques:list")


def listed(response):
    return [critique.slug for critique in response.context["critiques"]]


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def critiques(db):
    """Newest first: "privacy" (Internet + Finance, its own source) then "censorship" (the strategy as a whole)."""
    finance = make_sector(slug="finance", name="Internet + Finance", name_zh="互联网+金融")
    make_sector(slug="agriculture", name="Internet + Agriculture")
    newspaper = make_source(slug="newspaper", title="A newspaper")
    make_source(slug="unused", title="A source no critique cites")
    privacy = make_critique(
        slug="privacy",
        title="Personal data at risk",
        category="privacy",
        raised_by="The article",
        summary="Information may leak.",
        argument="Related information is **stored** online.",
        created=days_ago(1),
    )
    privacy.sectors.add(finance)
    privacy.sources.add(newspaper)
    make_critique(
        slug="censorship",
        title="Censorship will blunt the strategy",
        category="censorship",
        raised_by="A Hong Kong daily",
        summary="Freedom first.",
        argument="Beijing needs to address it.",
        quotation="the key thing about the internet is freedom",
        created=days_ago(2),
    )
    return privacy


def test_list_shows_published_critiques_newest_first(client, critiques):
    response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    assert listed(response) == ["privacy", "censorship"]
    assertContains(response, '<span class="tag">Personal-information security</span>', html=True)
    assertContains(response, '<a href="/critiques/privacy/">Personal data at risk</a>', html=True)
    assertContains(response, "Raised by The article")
    assertContains(response, "Information may leak.")


def test_drafts_are_not_listed(client, critiques):
    make_critique(slug="hidden", title="Hidden critique", status="draft")
    response = client.get(LIST_URL)
    assert "hidden" not in listed(response)
    assertNotContains(response, "Hidden critique")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "privacy"}, ["privacy"]),
        ({"category": "implementation"}, []),
        ({"sector": "finance"}, ["privacy"]),
        ({"sector": "agriculture"}, []),
        ({"source": "newspaper"}, ["privacy"]),
        ({"q": "personal data"}, ["privacy"]),
        ({"q": "leak"}, ["privacy"]),
        ({"q": "stored"}, ["privacy"]),
        ({"q": "key thing"}, ["censorship"]),
        ({"q": "hong kong"}, ["censorship"]),
        ({"q": "nothing like this"}, []),
        ({"category": "censorship", "sector": "finance"}, []),
        ({"category": "", "q": ""}, ["privacy", "censorship"]),
    ],
)
def test_filters(client, critiques, params, expected):
    response = client.get(LIST_URL, params, follow=True)  # empty parameters redirect to the address without them
    assert response.status_code == HTTPStatus.OK
    assert not response.context["filter"].errors
    assert listed(response) == expected


def test_a_source_no_critique_cites_is_not_a_choice(client, critiques):
    response = client.get(LIST_URL, {"source": "unused"})
    assert response.context["filter"].errors
    assert listed(response) == []


def test_a_critique_concerning_several_sectors_is_listed_once(client, critiques):
    critiques.sectors.add(Sector.objects.get(slug="agriculture"))
    critiques.sources.add(make_source(slug="another"))
    for params in ({"q": "personal"}, {"source": "newspaper"}, {"sector": "finance"}):
        assert listed(client.get(LIST_URL, params)) == ["privacy"]


def test_a_draft_sector_is_not_a_choice(client, critiques):
    Sector.objects.filter(slug="finance").update(status="draft")
    assert client.get(LIST_URL, {"sector": "finance"}).context["filter"].errors


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("title", ["censorship", "privacy"]), ("-created", ["privacy", "censorship"]), (None, ["privacy", "censorship"])],
)
def test_sort(client, critiques, ordering, expected):
    assert listed(client.get(LIST_URL, {"ordering": ordering} if ordering else {})) == expected


def test_sort_links_keep_the_filters(client, critiques):
    response = client.get(LIST_URL, {"category": "privacy", "ordering": "title"})
    assertContains(response, '<a href="?category=privacy&amp;ordering=-created">Newest first</a>', html=True)
    assertContains(response, '<a href="?category=privacy&amp;ordering=title" aria-current="true">Title</a>', html=True)


def test_active_filters_and_clear_links(client, critiques):
    response = client.get(LIST_URL, {"category": "privacy", "sector": "finance"})
    assertContains(response, "Category: <strong>Personal-information security</strong>")
    assertContains(response, "Sector: <strong>Internet + Finance</strong>")
    assertContains(response, 'href="?sector=finance">Remove')
    assertContains(response, 'href="?category=privacy">Remove')
    assertContains(response, '<a href="?">Clear all filters</a>', html=True)


def test_empty_result_says_so(client, critiques):
    response = client.get(LIST_URL, {"category": "implementation"})
    assertContains(response, "0 critiques</h2>")
    assertContains(response, "No critiques match these filters.")


def test_pagination_keeps_the_filters(client, critiques):
    for n in range(30):
        make_critique(slug=f"c-{n:02}", title=f"Critique {n:02}", category="free-speech")
    response = client.get(LIST_URL, {"category": "free-speech", "ordering": "title"})
    assert len(listed(response)) == 25
    assertContains(response, 'href="?category=free-speech&amp;ordering=title&amp;page=2"')
    second = client.get(LIST_URL, {"category": "free-speech", "ordering": "title", "page": "2"})
    assert listed(second) == [f"c-{n}" for n in range(25, 30)]
    assertContains(second, 'href="?category=free-speech&amp;ordering=title&amp;page=1"')


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "nope"}, "Select a valid choice. nope is not one of the available choices."),
        ({"sector": "nope"}, "Select a valid choice."),
        ({"source": "nope"}, "Select a valid choice."),
        ({"q": LONG}, "at most 200 characters (it has 5000)"),
        ({"q": "a\x00b"}, "Null characters are not allowed."),
        ({"category": XSS}, "Select a valid choice. &quot;&gt;&lt;svg onload=alert(1)&gt;"),
        ({"sector": XSS}, "Select a valid choice."),
        ({"source": XSS}, "Select a valid choice."),
    ],
)
def test_bad_filter_input_is_a_form_error_with_nothing_listed(client, critiques, params, message):
    response = client.get(LIST_URL, params)
    assert response.status_code == HTTPStatus.OK
    assert listed(response) == []
    assertContains(response, "Some filters could not be applied")
    assertContains(response, message)
    assertNotContains(response, "<svg")
    assertNotContains(response, "<script>alert")


@pytest.mark.parametrize("param", ["q", "unknown"])
def test_markup_in_any_parameter_is_escaped(client, critiques, param):
    response = client.get(LIST_URL, {param: XSS})
    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "<svg")
    assertNotContains(response, "<script>alert")


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", XSS])
def test_bad_page_is_not_found(client, critiques, page):
    response = client.get(LIST_URL, {"page": page, "category": "privacy"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assertNotContains(response, "<svg", status_code=HTTPStatus.NOT_FOUND)


def test_list_title_and_description(client, critiques):
    response = client.get(LIST_URL)
    assertContains(response, "<title>Critiques · iplus</title>")
    assertContains(response, '<meta name="description" content="The limitations and challenges of Internet Plus')
    assert_headings_in_order(response.text)


def test_list_query_budget(client, db, django_assert_max_num_queries):
    Critique.objects.bulk_create(
        Critique(slug=f"bulk-{n}", title=f"Bulk {n}", category="privacy", raised_by="r", summary="s", argument="a", status="published")
        for n in range(300)
    )
    sector = make_sector(slug="bulk-sector")
    source = make_source(slug="bulk-source")
    critiques = list(Critique.objects.all())
    Critique.sectors.through.objects.bulk_create(Critique.sectors.through(critique=c, sector=sector) for c in critiques)
    Critique.sources.through.objects.bulk_create(Critique.sources.through(critique=c, source=source) for c in critiques)
    # Guards an N+1 over the rows (category labels and links are per row, with no query); the budget is
    # COUNT, the page, the sector, key action and source choice lists, one query each to check the chosen ones, and one
    # count of the choices a select (four).
    with django_assert_max_num_queries(11):
        response = client.get(LIST_URL, {"category": "privacy", "sector": "bulk-sector", "source": "bulk-source", "q": "bulk", "page": "3"})
    assert len(listed(response)) == 25


def test_detail_shows_the_argument_quotation_sources_and_sectors(client, critiques):
    response = client.get(critiques.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "<title>Personal data at risk · Critiques · iplus</title>")
    assertContains(response, '<meta name="description" content="Information may leak.">')
    assertContains(response, "<strong>stored</strong>")
    assertContains(response, "<p>The article</p>", html=True)
    assertContains(response, '<a href="/sources/newspaper/">A newspaper</a>', html=True)
    assertContains(response, '<a href="/sectors/finance/">Internet + Finance</a>', html=True)
    assertContains(response, '<span lang="zh-Hans" class="other-name">互联网+金融</span>', html=True)
    assertNotContains(response, "<blockquote")
    assert_headings_in_order(response.text)


def test_detail_quotation_is_a_cited_blockquote_and_no_sector_means_the_whole_strategy(client, critiques):
    censorship = Critique.objects.get(slug="censorship")
    censorship.sources.add(make_source(slug="daily", title="The daily"))
    response = client.get(censorship.get_absolute_url())
    # In English on either edition, and begun mid-sentence: an ellipsis says so.
    assertContains(response, '<blockquote lang="en"><p>…the key thing about the internet is freedom</p></blockquote>', html=True)
    assertContains(response, '<cite><a href="/sources/daily/">The daily</a></cite>', html=True)
    assertContains(response, "The strategy as a whole")


def test_detail_leaves_out_draft_sectors(client, critiques):
    Sector.objects.filter(slug="finance").update(status="draft")
    response = client.get(critiques.get_absolute_url())
    assertNotContains(response, "/sectors/finance/")
    assertContains(response, "The strategy as a whole")


def test_staff_preview_a_draft_critique(client, critiques, admin_user):
    Critique.objects.filter(slug="privacy").update(status="draft")
    assert client.get(critiques.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    client.force_login(admin_user)
    response = client.get(critiques.get_absolute_url())
    assertContains(response, 'class="draft-banner"')
    assertContains(response, "Personal data at risk")


def test_detail_query_budget(client, db, django_assert_max_num_queries):
    critique = make_critique()
    Sector.objects.bulk_create(Sector(slug=f"s-{n}", name=f"S {n}", summary="s", body="b", status="published") for n in range(200))
    critique.sectors.add(*Sector.objects.all())
    critique.sources.add(*[make_source() for _ in range(20)])
    # Guards N+1 over the sectors and sources: one query each, however many there are; plus one
    # for the glossary terms linked in the argument, and one for the permanent link's newest version.
    with django_assert_max_num_queries(5):
        response = client.get(critique.get_absolute_url())
    assertContains(response, 'href="/sectors/s-', count=200)


def test_the_real_content(client, content):
    assert listed(client.get(LIST_URL, {"category": "censorship"})) == ["control-of-the-chinese-internet-2016", "censorship"]
    assert listed(client.get(LIST_URL, {"category": "financial-risk"})) == ["internet-finance-risk-p2p-2016"]
    assert listed(client.get(LIST_URL, {"sector": "finance"})) == ["internet-finance-risk-p2p-2016", "personal-information-security"]
    assert listed(client.get(LIST_URL, {"key_action": "inclusive-finance"})) == ["internet-finance-risk-p2p-2016"]
    assert listed(client.get(LIST_URL, {"source": "south-china-morning-post"})) == ["censorship"]
    assert listed(client.get(LIST_URL, {"q": "Li's new Internet Plus strategy"})) == ["censorship"]
    for critique in Critique.objects.all():
        response = client.get(critique.get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        assert_headings_in_order(response.text)
    assertContains(client.get("/critiques/censorship/"), '<blockquote lang="en"><p>…we all know')


def test_detail_leaves_out_draft_sources(client, critiques):
    critiques.sources.add(make_source(slug="unpublished", title="Unpublished paper", status="draft"))
    response = client.get(critiques.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "Unpublished paper")
