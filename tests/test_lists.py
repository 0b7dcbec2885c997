"""The public lists (/critiques/, /sectors/, /timeline/) through the real request stack: pages, filters, sort
orders, the filter form, counts, and that they follow edits at once; with query budgets checked on many rows."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from critiques.models import Critique
from iplus.models import Milestone
from publishing.views import KeptCountPaginator
from sectors.models import Sector
from tests.factories import make_critique, make_figure, make_key_action, make_milestone, make_sector, make_source

pytestmark = pytest.mark.django_db

CRITIQUES, SECTORS, TIMELINE = reverse("critiques:list"), reverse("sectors:list"), reverse("iplus:timeline")


def listed(response, prefix):
    """The slugs the page lists, in order."""
    assert response.status_code == HTTPStatus.OK
    return re.findall(rf'<h3><a href="{prefix}([^/"]+)/">', response.text)


def listed_critiques(response):
    return listed(response, "/critiques/")


def listed_sectors(response):
    return listed(response, "/sectors/")


def listed_milestones(response):
    assert response.status_code == HTTPStatus.OK
    return re.findall(r'<li id="([^"]+)"><h3>', response.text)


def heading(response):
    return re.search(r'<h2 id="results-heading">(.*?)</h2>', response.text).group(1)


def select(response, name):
    """(value, selected) for each option of the select `name`."""
    markup = re.search(rf'<select name="{name}".*?</select>', response.text, re.DOTALL).group()
    return [(value, bool(selected)) for value, selected in re.findall(r'<option value="([^"]*)"( selected)?>', markup)]


def chosen(response, name):
    return [value for value, selected in select(response, name) if selected]


def errors(response):
    found = re.search(r'<div class="filter-errors" role="alert">.*?</div>', response.text, re.DOTALL)
    return found.group() if found else ""


def slugs(page):
    return [row.slug for row in page]


@pytest.fixture
def critiques(db):
    """60 published critiques and a draft: pairs share a creation time and triples a title, so only the slug breaks
    ties; the slugs run against the order of creation, so that rows in the order they were written are not in order."""
    start = timezone.now()
    sector = make_sector(name="Internet + Finance", slug="finance")
    for n in range(60):
        critique = make_critique(
            slug=f"c-{59 - n:02}",
            title=f"Critique {n // 3:02}",
            category="privacy" if n % 3 else "censorship",
            created=start - datetime.timedelta(minutes=n // 2),
        )
        if n % 4 == 0:
            critique.sectors.add(sector)
    make_critique(slug="c-draft", title="Critique draft", status="draft", created=start)
    return Critique.objects.published()


@pytest.mark.parametrize(
    ("params", "ordered"),
    [
        ({}, lambda qs: qs.order_by("-created", "slug")),
        ({"ordering": "title"}, lambda qs: qs.order_by("title", "slug")),
        ({"ordering": "-created"}, lambda qs: qs.order_by("-created", "slug")),
        ({"category": "privacy"}, lambda qs: qs.filter(category="privacy").order_by("-created", "slug")),
        ({"category": "censorship", "ordering": "title"}, lambda qs: qs.filter(category="censorship").order_by("title", "slug")),
        ({"sector": "finance", "ordering": "title"}, lambda qs: qs.filter(sectors__slug="finance").order_by("title", "slug")),
    ],
    ids=["default", "title", "newest", "privacy", "censorship-by-title", "sector-by-title"],
)
def test_every_critique_page_holds_what_a_plain_paginator_gives(client, critiques, params, ordered):
    paginator = Paginator(ordered(critiques), 25)
    seen = []
    for number in paginator.page_range:
        rows = listed_critiques(client.get(CRITIQUES, {**params, "page": number}))
        assert rows == slugs(paginator.page(number)), number
        seen += rows
    assert len(seen) == len(set(seen)) == paginator.count  # no row on two pages, none skipped
    assert "c-draft" not in seen
    counted = "1 critique" if paginator.count == 1 else f"{paginator.count} critiques"
    assert heading(client.get(CRITIQUES, params)) == counted
    assert listed_critiques(client.get(CRITIQUES, params)) == slugs(paginator.page(1))


def test_every_sector_page_holds_what_a_plain_paginator_gives(client):
    for n in range(60):
        make_sector(slug=f"s-{n:02}", name=f"Sector {n:02}", position=n % 7)
    make_sector(slug="s-draft", name="Sector draft", status="draft")
    for params, ordering in [
        ({}, ("position", "name")),
        ({"ordering": "name"}, ("name",)),
        ({"ordering": "position"}, ("position", "name")),
    ]:
        paginator = Paginator(Sector.objects.published().order_by(*ordering), 25)
        for number in paginator.page_range:
            assert listed_sectors(client.get(SECTORS, {**params, "page": number})) == slugs(paginator.page(number)), (params, number)
        assert heading(client.get(SECTORS, params)) == "60 sectors"


def test_every_timeline_page_holds_what_a_plain_paginator_gives(client):
    for n in range(60):
        make_milestone(slug=f"m-{n:03}", date=datetime.date(2011 + n % 5, 1 + n % 12, 1), kind="report" if n % 2 else "policy")
    paginator = Paginator(Milestone.objects.published().order_by("date", "slug"), 25)
    assert paginator.num_pages == 3
    for number in paginator.page_range:
        assert listed_milestones(client.get(TIMELINE, {"page": number})) == slugs(paginator.page(number))
    reports = Paginator(Milestone.objects.published().filter(kind="report", date__year=2012).order_by("date", "slug"), 25)
    assert listed_milestones(client.get(TIMELINE, {"kind": "report", "year": "2012"})) == slugs(reports.page(1))


@pytest.mark.parametrize(
    ("url", "last"),
    [(CRITIQUES, 3), (SECTORS, 1), (TIMELINE, 1)],  # 60 critiques, one sector, no milestone: an empty list has a page
)
def test_a_page_past_the_end_or_not_a_number_is_not_found(client, critiques, url, last):
    for page in ["1", str(last), "last"]:
        assert client.get(url, {"page": page}).status_code == HTTPStatus.OK, page
    assert client.get(url, {"page": ""}).status_code == HTTPStatus.FOUND  # to the address without the empty parameter
    for page in [str(last + 1), "99", "0", "-1", "abc", "1.5", "1e3"]:
        assert client.get(url, {"page": page}).status_code == HTTPStatus.NOT_FOUND, page


def test_a_list_stops_at_its_page_limit_and_points_to_the_filters_and_the_download(client, critiques, monkeypatch):
    monkeypatch.setattr(KeptCountPaginator, "max_pages", 2)  # 60 critiques: three pages of 25 without the limit
    paginator = Paginator(critiques.order_by("-created", "slug"), 25)
    last = client.get(CRITIQUES, {"page": "2"})
    assert listed_critiques(last) == slugs(paginator.page(2))
    assert "Page 2 of 2" in last.text
    pager = re.search(r'<nav class="pagination".*?</nav>', last.text, re.DOTALL).group()
    assert 'rel="next"' not in pager
    note = re.search(r"<p>(.*?)</p>", pager, re.DOTALL).group(1)
    assert "narrow the list with its filters" in note
    assert '<a href="?format=csv">download it whole</a>' in note
    assert client.get(CRITIQUES, {"page": "3"}).status_code == HTTPStatus.NOT_FOUND
    assert listed_critiques(client.get(CRITIQUES, {"page": "last"})) == slugs(paginator.page(2))
    download = b"".join(client.get(CRITIQUES, {"format": "csv"}).streaming_content).decode()
    assert download.count("/critiques/c-") == 60  # every row in the download
    first = re.search(r'<nav class="pagination".*?</nav>', client.get(CRITIQUES).text, re.DOTALL).group()
    assert "<p>" not in first  # said once, on the last page


def test_the_last_page_is_named_last(client, critiques):
    paginator = Paginator(critiques.order_by("-created", "slug"), 25)
    assert listed_critiques(client.get(CRITIQUES, {"page": "last"})) == slugs(paginator.page(3))
    assert client.get(CRITIQUES, {"page": "4"}).status_code == HTTPStatus.NOT_FOUND


def test_each_filter_and_sort_order_lists_its_own_rows_and_count(client):
    for n, letter in enumerate("BCA"):
        make_critique(slug=f"censored-{n}", title=f"Censored {letter}", category="censorship")
    make_critique(slug="private-0", title="Private 0", category="privacy")
    for _ in range(2):  # the second time, from the page cache
        censorship = client.get(CRITIQUES, {"category": "censorship"})
        privacy = client.get(CRITIQUES, {"category": "privacy"})
        by_title = client.get(CRITIQUES, {"category": "censorship", "ordering": "title"})
        everything = client.get(CRITIQUES)
        assert (heading(censorship), heading(privacy), heading(by_title), heading(everything)) == (
            "3 critiques",
            "1 critique",
            "3 critiques",
            "4 critiques",
        )
        assert listed_critiques(censorship) == ["censored-2", "censored-1", "censored-0"]
        assert listed_critiques(by_title) == ["censored-2", "censored-0", "censored-1"]
        assert listed_critiques(privacy) == ["private-0"]
        assert listed_critiques(everything) == ["private-0", "censored-2", "censored-1", "censored-0"]


@pytest.mark.parametrize(
    ("url", "valid", "invalid", "row"),
    [
        (CRITIQUES, {"category": "censorship"}, {"category": "not-a-category"}, "Listed critique"),
        (CRITIQUES, {"sector": "listed"}, {"sector": "not-a-sector"}, "Listed critique"),
        (CRITIQUES, {"q": "listed"}, {"q": "x" * 201}, "Listed critique"),
        (SECTORS, {"has_critiques": "yes"}, {"has_critiques": "maybe"}, "Listed sector"),
        (TIMELINE, {"year": "2015"}, {"year": "1999"}, "Listed milestone"),
        (TIMELINE, {"kind": "report"}, {"kind": "speech"}, "Listed milestone"),
    ],
)
def test_invalid_filters_list_nothing_even_after_valid_ones(client, url, valid, invalid, row):
    make_critique(title="Listed critique", category="censorship").sectors.add(make_sector(slug="listed", name="Listed sector"))
    make_milestone(title="Listed milestone", date=datetime.date(2015, 3, 5), kind="report")
    for _ in range(2):
        response = client.get(url, valid)
        assert row in response.text
        assert not errors(response)
        response = client.get(url, invalid)
        assert response.status_code == HTTPStatus.OK
        assert row not in response.text
        assert "Nothing is listed until the filters are corrected." in response.text
        assert errors(response)
        assert re.search(r">0 \w+s</h2>", response.text)
        response = client.get(url, {**valid, **invalid})
        assert row not in response.text


def test_the_filter_form_shows_each_request_its_own_values_and_errors(client):
    make_critique(title="A critique", category="censorship").sectors.add(make_sector(slug="finance", name="Finance"))
    make_sector(slug="farming", name="Farming")
    sequence = [
        ({"category": "censorship"}, {"category": ["censorship"], "sector": [""]}, ""),
        ({"category": "privacy", "sector": "farming"}, {"category": ["privacy"], "sector": ["farming"]}, ""),
        ({"category": "nonsense"}, {"category": [], "sector": [""]}, "Category"),
        ({"sector": "finance"}, {"category": [""], "sector": ["finance"]}, ""),
        ({"sector": "nowhere", "category": "censorship"}, {"category": ["censorship"], "sector": []}, "Sector"),
        ({}, {"category": [""], "sector": [""]}, ""),
        ({"category": "censorship"}, {"category": ["censorship"], "sector": [""]}, ""),
    ]
    for params, selected, error in sequence * 2:
        response = client.get(CRITIQUES, params)
        for name, values in selected.items():
            assert chosen(response, name) == values, (params, name)
        if error:
            assert f'<a href="#id_{error.lower()}">{error}</a>: Select a valid choice.' in errors(response), params
        else:
            assert not errors(response), params
        typed = re.search(r'<input type="search" name="q"[^>]*>', response.text).group()
        assert "value=" not in typed


def test_the_search_box_shows_each_request_its_own_words(client):
    make_critique(title="Privacy rules")
    for words in ["privacy", "rules", "<b>bold</b>", "privacy"]:
        response = client.get(CRITIQUES, {"q": words})
        typed = re.search(r'<input type="search" name="q"[^>]*>', response.text).group()
        assert f'value="{words.replace("<", "&lt;").replace(">", "&gt;")}"' in typed


def test_list_rows_follow_edits_at_once(client, django_capture_on_commit_callbacks):
    start = timezone.now()
    rows = [make_critique(slug=f"row-{n:02}", title=f"Row {n:02}", created=start - datetime.timedelta(minutes=n)) for n in range(30)]
    first, second = client.get(CRITIQUES), client.get(CRITIQUES, {"page": 2})
    assert listed_critiques(first) == [row.slug for row in rows[:25]]
    assert listed_critiques(second) == [row.slug for row in rows[25:]]
    with django_capture_on_commit_callbacks(execute=True):
        rows[0].title = "Row renamed"
        rows[0].save()
    assert "Row renamed" in client.get(CRITIQUES).text
    with django_capture_on_commit_callbacks(execute=True):
        newest = make_critique(slug="row-new", title="The newest row", created=start + datetime.timedelta(minutes=1))
    first, second = client.get(CRITIQUES), client.get(CRITIQUES, {"page": 2})
    assert heading(first) == "31 critiques"
    assert listed_critiques(first) == [newest.slug, *(row.slug for row in rows[:24])]
    assert listed_critiques(second) == [row.slug for row in rows[24:]]
    with django_capture_on_commit_callbacks(execute=True):
        rows[1].status = "draft"
        rows[1].save()
    assert rows[1].slug not in listed_critiques(client.get(CRITIQUES))
    assert listed_critiques(client.get(CRITIQUES, {"page": 2})) == [row.slug for row in rows[25:]]


def sector_counts(response):
    """{slug: the row's counts line} for each listed sector."""
    return dict(re.findall(r'<h3><a href="/sectors/([^/"]+)/">.*?<p class="counts">(.*?)</p>', response.text, re.DOTALL))


def test_sector_list_counts_are_each_rows_own(client):
    busy, quiet = make_sector(slug="busy", position=1), make_sector(slug="quiet", position=2)
    make_figure(sector=busy)
    make_figure(sector=busy, status="draft")
    for _ in range(3):
        make_critique().sectors.add(busy)
    make_critique(status="draft").sectors.add(busy, quiet)
    assert sector_counts(client.get(SECTORS)) == {"busy": "1 figure · 3 critiques", "quiet": "0 figures · 0 critiques"}


def test_sector_list_counts_are_each_rows_own_on_every_page(client):
    source = make_source()
    for n in range(40):
        sector = make_sector(slug=f"s-{n:02}", position=n)
        for _ in range(n % 3):
            make_figure(sector=sector, source=source)
        for _ in range(n % 4):
            make_critique().sectors.add(sector)
    counts = {**sector_counts(client.get(SECTORS)), **sector_counts(client.get(SECTORS, {"page": 2}))}
    assert len(counts) == 40
    for n in range(40):
        figures, critiques = n % 3, n % 4
        expected = f"{figures} figure{'' if figures == 1 else 's'} · {critiques} critique{'' if critiques == 1 else 's'}"
        assert counts[f"s-{n:02}"] == expected, n


def test_sector_list_counts_follow_changes(client, django_capture_on_commit_callbacks):
    sector = make_sector(slug="growing")
    critique = make_critique()
    critique.sectors.add(sector)
    assert sector_counts(client.get(SECTORS)) == {"growing": "0 figures · 1 critique"}
    with django_capture_on_commit_callbacks(execute=True):
        make_critique().sectors.add(sector)
        figure = make_figure(sector=sector)
    assert sector_counts(client.get(SECTORS)) == {"growing": "1 figure · 2 critiques"}
    with django_capture_on_commit_callbacks(execute=True):
        critique.status = "draft"
        critique.save()
        figure.delete()
    assert sector_counts(client.get(SECTORS)) == {"growing": "0 figures · 1 critique"}


@pytest.fixture
def milestones(db):
    return {
        "early": make_milestone(slug="early", title="Early report", date=datetime.date(2011, 3, 5), kind="report"),
        "report": make_milestone(slug="report", title="Later report", date=datetime.date(2015, 3, 5), kind="report"),
        "policy": make_milestone(slug="policy", title="Later policy", date=datetime.date(2015, 7, 4), kind="policy"),
        "draft": make_milestone(slug="draft", title="Draft", date=datetime.date(2016, 1, 1), kind="policy", status="draft"),
    }


@pytest.mark.parametrize(
    ("params", "expected", "count"),
    [
        ({}, ["early", "report", "policy"], "3 milestones"),
        ({"year": "2015"}, ["report", "policy"], "2 milestones"),
        ({"year": "2011"}, ["early"], "1 milestone"),
        ({"kind": "report"}, ["early", "report"], "2 milestones"),
        ({"kind": "policy"}, ["policy"], "1 milestone"),
        ({"year": "2015", "kind": "report"}, ["report"], "1 milestone"),
        ({"year": "2011", "kind": "policy"}, [], "0 milestones"),
    ],
)
def test_the_timeline_filters_by_year_and_kind(client, milestones, params, expected, count):
    response = client.get(TIMELINE, params)
    assert listed_milestones(response) == expected
    assert heading(response) == count
    assert chosen(response, "year") == [params.get("year", "")]
    assert chosen(response, "kind") == [params.get("kind", "")]


def test_the_timeline_uses_the_shared_filter_form(client, milestones):
    response = client.get(TIMELINE, {"year": "2015", "kind": "report"})
    text = response.text
    assert '<section class="filters" aria-labelledby="filters-heading">' in text
    assert f'<form method="get" class="filter-form" action="{TIMELINE}">' in text
    assert "<span>Year: <strong>2015</strong></span>" in text
    assert "<span>Kind: <strong>Government Work Report</strong></span>" in text
    assert "Clear all filters" in text
    # The years are those of published milestones only.
    assert [value for value, _ in select(response, "year")] == ["", "2011", "2015"]
    wrong = client.get(TIMELINE, {"year": "2016"})
    assert '<a href="#id_year">Year</a>: Select a valid choice. 2016 is not one of the available choices.' in errors(wrong)


def test_a_new_year_is_a_timeline_choice_at_once(client, milestones, django_capture_on_commit_callbacks):
    assert "2017" not in [value for value, _ in select(client.get(TIMELINE), "year")]
    assert "2017 is not one of the available choices." in errors(client.get(TIMELINE, {"year": "2017"}))
    with django_capture_on_commit_callbacks(execute=True):
        make_milestone(slug="new-year", date=datetime.date(2017, 1, 1))
    assert [value for value, _ in select(client.get(TIMELINE), "year")] == ["", "2011", "2015", "2017"]
    response = client.get(TIMELINE, {"year": "2017"})
    assert listed_milestones(response) == ["new-year"]
    assert not errors(response)


@pytest.fixture
def many_sources(db):
    """120 published sources, each cited by a published critique: more than a select should list."""
    sources = [make_source(slug=f"source-{n:03}", title=f"Source {n:03}") for n in range(120)]
    for source in sources:
        make_critique(slug=f"citing-{source.slug}", title=f"Citing {source.title}").sources.add(source)
    return sources


def test_a_long_select_of_sources_accepts_any_published_source(client, many_sources):
    options = [value for value, _ in select(client.get(CRITIQUES), "source")]
    assert many_sources[-1].slug not in options  # the select lists the first ones only
    for source in [*many_sources[::9], many_sources[-1]]:
        response = client.get(CRITIQUES, {"source": source.slug})
        assert not errors(response), source.slug
        assert listed_critiques(response) == [f"citing-{source.slug}"]
        assert chosen(response, "source") == [source.slug]
        assert f"<span>Source: <strong>{source.title}</strong></span>" in response.text


def test_a_chosen_source_is_not_kept_for_the_next_request(client, many_sources):
    last = many_sources[-1]
    assert chosen(client.get(CRITIQUES, {"source": last.slug}), "source") == [last.slug]
    for params in [{}, {"category": "censorship"}, {"source": many_sources[0].slug}]:
        options = [value for value, _ in select(client.get(CRITIQUES, params), "source")]
        assert last.slug not in options, params


@pytest.mark.parametrize("value", ["not-a-source", "<b>nope</b>", "source-00'--"])
def test_an_unknown_source_is_a_form_error_not_an_option(client, many_sources, value):
    response = client.get(CRITIQUES, {"source": value})
    assert response.status_code == HTTPStatus.OK
    assert '<a href="#id_source">Source</a>: Select a valid choice.' in errors(response)
    assert value not in [option for option, _ in select(response, "source")]
    assert "<b>nope</b>" not in response.text
    assert listed_critiques(response) == []


def test_a_source_no_published_critique_cites_is_not_accepted(client, many_sources):
    uncited = make_source(slug="uncited")
    make_critique(status="draft").sources.add(uncited)
    assert "Select a valid choice." in errors(client.get(CRITIQUES, {"source": "uncited"}))


@pytest.fixture
def many(db):
    """Enough rows that a query per row would show: 60 critiques over 60 sectors, with sources and figures."""
    source = make_source()
    key_actions = [make_key_action() for _ in range(3)]
    sectors = []
    for n in range(60):
        sector = make_sector(position=n)
        sector.key_actions.add(key_actions[n % 3])
        make_figure(sector=sector, source=source)
        sectors.append(sector)
    for n in range(60):
        critique = make_critique(category="privacy" if n % 2 else "censorship")
        critique.sectors.add(sectors[0], sectors[n], sectors[(n + 1) % 60])
        critique.sources.add(source, make_source())
    for n in range(120):
        make_milestone(date=datetime.date(2011 + n % 5, 1, 1)).sources.add(source)
    return sectors


# Each budget counts the queries of one page with every row on it; a query per row (an N+1) would blow it. Each
# select's choices are counted in one query, whatever the rows: 4 on /critiques/ and /sectors/, and 2 on /timeline/
# with 2 more for the policy documents it shows among its milestones.
@pytest.mark.parametrize(
    ("url", "params", "budget"),
    [
        # the count, the page of rows, the sector, key action and source options: no query per critique
        (CRITIQUES, lambda many: {}, 9),
        (CRITIQUES, lambda many: {"page": 2, "ordering": "title"}, 9),
        # the chosen sector and source looked up once each; the M2M filters add no query per row
        (CRITIQUES, lambda many: {"category": "privacy", "sector": many[0].slug, "q": "critique"}, 10),
        # the page's figure and critique counts are one query of subqueries, not a COUNT per sector
        (SECTORS, lambda many: {}, 9),
        (SECTORS, lambda many: {"has_figures": "yes", "has_critiques": "yes", "ordering": "name", "page": 2}, 9),
        (SECTORS, lambda many: {"key_action": many[0].key_actions.get().slug}, 10),
        # the milestones' sources are one prefetch, nothing per milestone; the years of milestones and of documents
        # are read once for the year options and their counts; the policy documents of the page's stretch of time
        # are one query, and the next page's first date one more (its date, not its rows)
        (TIMELINE, lambda many: {}, 10),
        (TIMELINE, lambda many: {"year": "2013", "kind": "report"}, 10),
    ],
)
def test_list_query_budget(client, many, django_assert_max_num_queries, url, params, budget):
    params = params(many)
    with django_assert_max_num_queries(budget):
        response = client.get(url, params)
    assert response.status_code == HTTPStatus.OK
    assert not errors(response)
    rows = listed_milestones(response) if url == TIMELINE else listed(response, url)
    assert len(rows) >= 12, rows


def test_counts_are_kept_until_the_content_changes(client, django_assert_num_queries, django_capture_on_commit_callbacks):
    sector = make_sector(name="Counted sector")
    make_critique().sectors.add(sector)
    first = client.get(SECTORS, {"_": "1"})  # a parameter no view reads: answered, never stored as a page
    assert "1 critique" in first.text
    # Only the page's rows are read: the list's count, each select's choice counts and the rows' counts are kept.
    with django_assert_num_queries(1):
        client.get(SECTORS, {"_": "2"})
    with django_capture_on_commit_callbacks(execute=True):  # the change commits: the page cache is emptied
        make_critique().sectors.add(sector)
    assert "2 critiques" in client.get(SECTORS, {"_": "3"}).text


def test_choice_counts_are_kept_per_filter_combination(client, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    sector = make_sector(name="Counted sector")
    make_critique(category="censorship").sectors.add(sector)
    make_critique(category="privacy").sectors.add(sector)
    make_critique(category="privacy").sectors.add(sector)
    option = re.compile(rf"<option value=\"{sector.slug}\"[^>]*>Counted sector \((\d+)\)</option>")
    assert option.findall(client.get(CRITIQUES, {"category": "censorship"}).text) == ["1"]
    assert option.findall(client.get(CRITIQUES, {"category": "privacy"}).text) == ["2"]  # counts of its own
    with django_assert_max_num_queries(4):  # another order of the same list: its rows, no count
        sorted_again = client.get(CRITIQUES, {"category": "privacy", "ordering": "title"})
    assert option.findall(sorted_again.text) == ["2"]
    with django_capture_on_commit_callbacks(execute=True):  # the change commits: the kept counts are emptied
        make_critique(category="privacy").sectors.add(sector)
    assert option.findall(client.get(CRITIQUES, {"category": "privacy", "ordering": "title"}).text) == ["3"]


@pytest.mark.parametrize(
    ("url", "ordering", "row"),
    [
        (CRITIQUES, "slug", "Listed critique"),
        (CRITIQUES, '"><svg onload=alert(1)>', "Listed critique"),
        (SECTORS, "-name", "Listed sector"),
    ],
)
def test_an_unknown_sort_order_lists_everything_in_the_usual_order_and_says_so(client, url, ordering, row):
    make_critique(title="Listed critique").sectors.add(make_sector(name="Listed sector"))
    response = client.get(url, {"ordering": ordering, "category": ""}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert row in response.text
    assert not errors(response)
    assert "the list is in its usual order." in response.text
    assert "<svg" not in response.text
    assert 'aria-current="true">' + ("Newest first" if url == CRITIQUES else "Usual order") in response.text


def test_a_filtered_list_names_its_filters_and_page_in_its_title(client):
    sector = make_sector(slug="titled", name="Titled sector")
    for _ in range(30):
        make_critique(category="censorship").sectors.add(sector)
    title = re.search(r"<title>(.*?)</title>", client.get(CRITIQUES, {"category": "censorship", "sector": "titled", "page": 2}).text).group(
        1
    )
    assert title == "Critiques: Category: Censorship; Sector: Titled sector, page 2 · iplus"
    assert "<title>Critiques · iplus</title>" in client.get(CRITIQUES).text
    assert "<title>Timeline: Kind: Policy document · iplus</title>" in client.get(TIMELINE, {"kind": "policy"}).text


def test_the_timeline_keeps_its_years_and_counts_until_the_content_changes(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    make_milestone(title="Counted milestone", date=datetime.date(2015, 3, 5))
    assert '<option value="2015">2015 (1)</option>' in client.get(TIMELINE, {"_": "1"}).text
    with django_assert_max_num_queries(5):  # its rows and their links: the years, their counts and the kinds' are kept
        client.get(TIMELINE, {"_": "2"})
    with django_capture_on_commit_callbacks(execute=True):
        make_milestone(title="Another milestone", date=datetime.date(2016, 1, 1))
    assert '<option value="2016">2016 (1)</option>' in client.get(TIMELINE, {"_": "3"}).text
