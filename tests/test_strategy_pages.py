import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from critiques.models import Critique
from iplus.models import GlossaryTerm, KeyAction, Milestone, Section, Source, Strategy, Technology
from sectors.models import Application, Sector
from tests.factories import (
    make_critique,
    make_figure,
    make_key_action,
    make_milestone,
    make_section,
    make_sector,
    make_source,
    make_target,
)


def test_home_explains_internet_plus(client, content):
    response = client.get(reverse("iplus:home"))
    assert response.status_code == HTTPStatus.OK
    for phrase in [
        "互联网+",
        "Li Keqiang",
        "Government Work Report",
        "5 March 2015",
        "application of the internet and other information technology",
    ]:
        assert phrase in response.text
    for action in KeyAction.objects.all():
        link = f'<a href="{action.get_absolute_url()}">{action.name}</a> <span lang="zh-Hans" class="other-name">{action.name_zh}</span>'
        assert f'<li value="{action.number}">{link}' in response.text
    for milestone in Milestone.objects.all():
        assert f'href="{milestone.get_absolute_url()}"' in response.text


def test_home_shows_the_latest_critiques_only(client, db):
    old = make_critique(title="Old critique", created=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    newest = [make_critique(title=f"New critique {n}") for n in range(3)]
    response = client.get(reverse("iplus:home"))
    for critique in newest:
        assert critique.title in response.text
    assert old.title not in response.text


def test_home_links_glossary_terms_in_the_overview(client, content):
    response = client.get(reverse("iplus:home"))
    term = GlossaryTerm.objects.get(slug="two-sessions")
    assert f'<a class="term" href="{term.get_absolute_url()}" title="' in response.text


def test_strategy_page_orders_sections_with_subsections_and_sources(client, content):
    response = client.get(reverse("iplus:strategy"))
    text = response.text
    top = list(Section.objects.published().filter(parent=None).order_by("position"))
    positions = [text.index(f'id="{section.slug}"') for section in top]
    assert positions == sorted(positions)
    background = text.index('id="background"')
    assert background < text.index('id="domestic-challenges"') < text.index('id="development"')
    assert f'href="{Source.objects.get(slug="south-china-morning-post").get_absolute_url()}"' in text
    limitations = text[text.index('id="limitations-and-challenges"') :]
    assert f'href="{reverse("critiques:list")}"' in limitations[: limitations.index("</section>")]
    for technology in Technology.objects.all():
        assert f'id="technology-{technology.slug}"' in text


def test_strategy_page_hides_drafts(client, db):
    make_section(title="Public part")
    make_section(title="Secret part", status="draft")
    response = client.get(reverse("iplus:strategy"))
    assert "Public part" in response.text
    assert "Secret part" not in response.text


def test_key_action_list_shows_number_english_chinese_and_sectors(client, content):
    response = client.get(reverse("iplus:keyaction-list"))
    assert response.status_code == HTTPStatus.OK
    assert "创业创新" in response.text and "Entrepreneurship and innovation" in response.text
    linked = KeyAction.objects.filter(sectors__isnull=False).first()
    if linked is None:
        linked = KeyAction.objects.first()
        Sector.objects.first().key_actions.add(linked)
    sector = linked.sectors.first()
    response = client.get(reverse("iplus:keyaction-list"))
    assert f'href="{sector.get_absolute_url()}"' in response.text


def test_key_action_detail(client, db):
    action = make_key_action(name="Smart energy", name_zh="智慧能源", description="Grids that **think**.")
    sector = make_sector(name="Internet + Energy")
    sector.key_actions.add(action)
    make_sector(name="Unlinked sector").key_actions.add(action)
    Sector.objects.filter(name="Unlinked sector").update(status="draft")
    response = client.get(action.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert '<span lang="zh-Hans" class="other-name">智慧能源</span>' in response.text
    assert "<strong>think</strong>" in response.text
    assert f'href="{sector.get_absolute_url()}"' in response.text
    assert "Unlinked sector" not in response.text


def test_compare_puts_internet_plus_beside_the_others(client, content):
    response = client.get(reverse("iplus:compare"))
    text = response.text
    # The caption sits outside the box that scrolls, so a phone shows it whole; it names the box and the table.
    box = 'class="table-scroll compare-scroll" role="region" aria-labelledby="compare-caption"'
    assert text.index('<p class="table-caption" id="compare-caption">') < text.index(box)
    assert '<table class="compare" aria-labelledby="compare-caption">' in text
    heads = [text.index(f'<th scope="col" id="{strategy.slug}">') for strategy in Strategy.objects.order_by("position")]
    assert heads == sorted(heads)
    assert Strategy.objects.order_by("position").first().slug == "internet-plus"
    for name in ["Industry 4.0", "Industrial Internet", "Information Superhighway", "Germany", "United States", "5 March 2015"]:
        assert name in text


def test_glossary_page(client, content):
    response = client.get(reverse("iplus:glossary"))
    for term in GlossaryTerm.objects.all():
        assert f'<dt id="{term.slug}">{term.term}' in response.text
    assert '<span lang="zh-Hans" class="other-name">两会</span>' in response.text


def test_source_list_is_paginated(client, db):
    sources = [make_source(title=f"Source number {n:03}") for n in range(60)]
    first = client.get(reverse("iplus:source-list"))
    assert sources[0].title in first.text and sources[59].title not in first.text
    assert 'rel="next"' in first.text
    second = client.get(reverse("iplus:source-list"), {"page": 2})
    assert sources[59].title in second.text
    assert client.get(reverse("iplus:source-list"), {"page": "abc"}).status_code == HTTPStatus.NOT_FOUND


def test_source_detail_shows_the_citation(client, content):
    source = Source.objects.get(slug="guiding-opinions-2015")
    response = client.get(source.get_absolute_url())
    assert f'<p class="title-other"> <span lang="zh" class="other-name">{source.title_zh}</span></p>' in response.text
    assert "1 July 2015" in response.text
    assert f'href="{source.url}"' in response.text
    assert source.get_kind_display() in response.text
    assert "Guofa [2015] No. 40" in response.text


def test_source_detail_lists_every_published_item_citing_it(client, db):
    source = make_source(title="The cited source")
    sector = make_sector(name="Cited sector")
    section = make_section(title="Cited section")
    critique = make_critique(title="Cited critique")
    action = make_key_action(name="Cited action")
    milestone = make_milestone(title="Cited milestone")
    term = GlossaryTerm.objects.create(slug="cited-term", term="Cited term", definition="x", status="published")
    technology = Technology.objects.create(slug="cited-technology", name="Cited technology", status="published")
    strategy = Strategy.objects.create(slug="cited-strategy", name="Cited strategy", summary="x", status="published")
    application = Application.objects.create(
        slug="cited-application", sector=sector, name="Cited application", description="x", status="published"
    )
    make_figure(sector=sector, source=source, label="Cited figure", value=649000000, qualifier="about")
    hidden = make_critique(title="Draft critique", status="draft")
    for item in [sector, section, critique, action, milestone, term, technology, strategy, application, hidden]:
        item.sources.add(source)
    response = client.get(source.get_absolute_url())
    text = response.text
    for url in [sector, section, critique, action, milestone, term, strategy]:
        assert f'href="{url.get_absolute_url()}"' in text
    assert f'href="{reverse("iplus:strategy")}#technology-cited-technology"' in text
    assert f'<a href="{sector.get_absolute_url()}#application-cited-application">Cited application</a>' in text
    assert "Cited figure: about 649 million users" in text
    assert "Draft critique" not in text


def test_source_detail_says_when_nothing_cites_it(client, db):
    response = client.get(make_source().get_absolute_url())
    assert "Nothing published cites this source yet." in response.text


class TestTimeline:
    @pytest.fixture
    def milestones(self, db):
        return {
            "old": make_milestone(title="Report of 2011", date=datetime.date(2011, 1, 1), precision="year", kind="report"),
            "policy": make_milestone(title="Policy of 2015", date=datetime.date(2015, 7, 1), kind="policy"),
            "report": make_milestone(title="Report of 2015", date=datetime.date(2015, 3, 5), kind="report"),
            "draft": make_milestone(title="Draft of 2015", date=datetime.date(2015, 1, 1), kind="report", status="draft"),
        }

    def test_in_date_order(self, client, milestones):
        text = client.get(reverse("iplus:timeline")).text
        assert text.index("Report of 2011") < text.index("Report of 2015") < text.index("Policy of 2015")
        assert "Draft of 2015" not in text

    def test_form_has_labels_and_year_choices_from_published_milestones(self, client, milestones):
        text = client.get(reverse("iplus:timeline")).text
        assert '<label for="id_year">Year:</label>' in text
        assert '<label for="id_kind">Kind:</label>' in text
        assert '<option value="2011">2011 (1)</option>' in text

    @pytest.mark.parametrize(
        ("params", "shown", "hidden"),
        [
            ({"year": "2015"}, ["Report of 2015", "Policy of 2015"], ["Report of 2011"]),
            ({"kind": "report"}, ["Report of 2011", "Report of 2015"], ["Policy of 2015"]),
            ({"year": "2015", "kind": "report"}, ["Report of 2015"], ["Report of 2011", "Policy of 2015"]),
        ],
    )
    def test_filters(self, client, milestones, params, shown, hidden):
        response = client.get(reverse("iplus:timeline"), params)
        assert response.status_code == HTTPStatus.OK
        for title in shown:
            assert title in response.text
        for title in hidden:
            assert title not in response.text
        assert 'class="active-filters"' in response.text
        assert '<a href="?">Clear all filters</a>' in response.text

    def test_an_active_filter_links_to_its_removal(self, client, milestones):
        response = client.get(reverse("iplus:timeline"), {"year": "2015", "kind": "report"})
        assert '<span>Year: <strong>2015</strong></span> <a href="?kind=report">Remove' in response.text
        assert '<span>Kind: <strong>Government Work Report</strong></span> <a href="?year=2015">Remove' in response.text

    def test_empty_state(self, client, milestones):
        response = client.get(reverse("iplus:timeline"), {"year": "2011", "kind": "policy"})
        assert "No milestones match these filters." in response.text

    @pytest.mark.parametrize("params", [{"year": "1999"}, {"year": "abc"}, {"kind": "<script>"}, {"year": "2015'--"}])
    def test_bad_input_is_a_form_error(self, client, milestones, params):
        response = client.get(reverse("iplus:timeline"), params)
        assert response.status_code == HTTPStatus.OK
        assert 'class="filter-errors" role="alert"' in response.text
        assert "Report of 2015" not in response.text
        assert "<script>" not in response.text.split("<main", 1)[1]

    def test_canonical_keeps_only_the_filters(self, client, milestones):
        response = client.get(reverse("iplus:timeline"), {"year": "2015", "utm_source": "x"})
        assert '<link rel="canonical" href="http://testserver/timeline/?year=2015">' in response.text


def test_detail_pages_have_a_canonical_path(client, db):
    source = make_source()
    response = client.get(source.get_absolute_url(), {"utm_source": "x"})
    assert f'<link rel="canonical" href="http://testserver{source.get_absolute_url()}">' in response.text


# Query budgets, with a few hundred rows each.


@pytest.fixture
def many(db):
    sources = Source.objects.bulk_create(
        [Source(slug=f"bulk-source-{n}", title=f"Bulk source {n}", kind="press", status="published") for n in range(300)]
    )
    sectors = Sector.objects.bulk_create(
        [Sector(slug=f"bulk-sector-{n}", name=f"Bulk sector {n}", summary="s", body="b", status="published") for n in range(30)]
    )
    actions = KeyAction.objects.bulk_create(
        [
            KeyAction(slug=f"bulk-action-{n}", number=n + 100, name=f"Bulk action {n}", name_zh="行动", status="published")
            for n in range(200)
        ]
    )
    milestones = Milestone.objects.bulk_create(
        [
            Milestone(
                slug=f"bulk-milestone-{n}",
                title=f"Bulk milestone {n}",
                date=datetime.date(2010 + n % 6, 1 + n % 12, 1),
                precision="month",
                kind="policy",
                description="d",
                status="published",
            )
            for n in range(300)
        ]
    )
    critiques = Critique.objects.bulk_create(
        [
            Critique(
                slug=f"bulk-critique-{n}",
                title=f"Bulk critique {n}",
                category="censorship",
                raised_by="r",
                summary="s",
                argument="a",
                status="published",
            )
            for n in range(200)
        ]
    )
    GlossaryTerm.objects.bulk_create(
        [GlossaryTerm(slug=f"bulk-term-{n}", term=f"Bulkterm{n}", definition="d", status="published") for n in range(50)]
    )
    first = sources[0]
    for group in (sectors, actions, milestones, critiques):
        for item in group:
            item.sources.add(first, sources[1])
    for action in actions:
        action.sectors.add(*sectors[:3])
    for n in range(30):
        target = make_target(measure=f"Bulk target {n}", source=first)
        target.key_actions.add(actions[1])
        make_figure(target=target, sector=None, source=first)
    return {"source": first}


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        # sources by page, count: nothing per row
        ("iplus:source-list", 4),
        # milestones, their sources in one prefetch, the year choices (milestones' and documents'), each select's
        # choices counted in one query (the policy documents among them in one more), the policy documents of the
        # page's stretch of time, the glossary, count: tests/test_lists.py counts the same 13
        ("iplus:timeline", 13),
        # key actions and their sectors in one prefetch each, count
        ("iplus:keyaction-list", 5),
        # intro sections, sectors, key actions, critiques, milestones, glossary
        ("iplus:home", 8),
        # sections, children, sources of each level, technologies and their sources, glossary
        ("iplus:strategy", 10),
        ("iplus:glossary", 5),
        ("iplus:compare", 5),
    ],
)
def test_list_query_budgets(client, many, django_assert_max_num_queries, name, budget):
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK


def test_source_detail_query_budget(client, many, django_assert_max_num_queries):
    # The source, then one query per kind of citing item, and one per kind whose texts can quote it in a footnote:
    # never one per citing item.
    with django_assert_max_num_queries(27):
        response = client.get(many["source"].get_absolute_url())
    assert response.text.count("Bulk milestone") == 300
    assert response.text.count("Bulk critique") == 200
    assert response.text.count("Bulk target") == 60  # each cites it and quotes its passage


def test_key_action_detail_query_budget(client, many, django_assert_max_num_queries):
    action = KeyAction.objects.get(slug="bulk-action-1")
    # The action, its sectors, documents, figures, targets and their reports, critiques and sources, the glossary,
    # and the permanent link's newest version: one query each.
    with django_assert_max_num_queries(10):
        response = client.get(action.get_absolute_url())
    assert response.text.count("Bulk sector") == 3
    assert response.text.count("Bulk target") == 30


@pytest.mark.parametrize(
    ("date", "precision", "datetime_value"),
    [
        (datetime.date(2011, 1, 1), "year", "2011"),
        (datetime.date(2015, 7, 1), "month", "2015-07"),
        (datetime.date(2015, 3, 5), "day", "2015-03-05"),
    ],
)
def test_a_milestone_says_its_date_only_as_far_as_it_is_known(client, db, date, precision, datetime_value):
    make_milestone(title="Dated", date=date, precision=precision)
    for url in (reverse("iplus:timeline"), reverse("iplus:home")):
        assert f'<time datetime="{datetime_value}">' in client.get(url).text
