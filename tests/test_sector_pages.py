from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from critiques.models import Critique
from iplus.models import Technology
from sectors.models import Alias, Application, Figure, Sector
from tests.factories import make_critique, make_figure, make_key_action, make_sector, make_source, make_target
from tests.helpers import LONG, XSS, assert_headings_in_order

LIST_URL = reverse("sectors:list")


def listed(response):
    return [sector.slug for sector in response.context["sectors"]]


@pytest.fixture
def technologies(db):
    return {
        slug: Technology.objects.create(slug=slug, name=slug.replace("-", " ").title(), status="published")
        for slug in ("big-data", "cloud-computing")
    }


@pytest.fixture
def sectors(technologies):
    """The "rich" sector has a technology, a key action, a figure, a critique and an alias; "plain" has none of them."""
    action = make_key_action(slug="inclusive-finance", number=5, name="Inclusive finance", name_zh="普惠金融")
    make_key_action(slug="green-ecology", number=10, name="Green ecology", name_zh="绿色生态")
    rich = make_sector(
        slug="rich", name="Internet + Finance", name_zh="互联网+金融", summary="Payments online.", body="Clients pay bills.", position=1
    )
    rich.technologies.add(technologies["big-data"])
    rich.key_actions.add(action)
    Alias.objects.create(sector=rich, name="online banking")
    make_figure(sector=rich)
    make_critique(slug="risk", title="Risk").sectors.add(rich)
    plain = make_sector(slug="plain", name="Internet + Agriculture", summary="Farmers.", body="Weather data.", position=2)
    return {"rich": rich, "plain": plain}


def test_list_shows_published_sectors_with_counts(client, sectors):
    response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    assert listed(response) == ["rich", "plain"]
    name = '<a href="/sectors/rich/">Internet + Finance</a> <span lang="zh-Hans" class="other-name">互联网+金融</span>'
    assertContains(response, name, html=True)
    assertContains(response, "1 figure · 1 critique")
    assertContains(response, "0 figures · 0 critiques")


def test_counts_leave_out_drafts(client, sectors):
    make_figure(sector=sectors["rich"], status="draft")
    make_critique(status="draft").sectors.add(sectors["rich"])
    assertContains(client.get(LIST_URL), "1 figure · 1 critique")


def test_drafts_are_not_listed(client, sectors):
    make_sector(slug="hidden", name="Hidden sector", status="draft")
    response = client.get(LIST_URL)
    assert "hidden" not in listed(response)
    assertNotContains(response, "Hidden sector")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"technology": "big-data"}, ["rich"]),
        ({"technology": "cloud-computing"}, []),
        ({"key_action": "inclusive-finance"}, ["rich"]),
        ({"key_action": "green-ecology"}, []),
        ({"has_figures": "yes"}, ["rich"]),
        ({"has_figures": "no"}, ["plain"]),
        ({"has_critiques": "yes"}, ["rich"]),
        ({"has_critiques": "no"}, ["plain"]),
        ({"q": "finance"}, ["rich"]),
        ({"q": "金融"}, ["rich"]),
        ({"q": "payments"}, ["rich"]),
        ({"q": "bills"}, ["rich"]),
        ({"q": "banking"}, ["rich"]),
        ({"q": "farmers"}, ["plain"]),
        ({"q": "internet"}, ["rich", "plain"]),
        ({"q": "nothing like this"}, []),
        ({"technology": "big-data", "has_figures": "no"}, []),
        ({"technology": "", "q": ""}, ["rich", "plain"]),
    ],
)
def test_filters(client, sectors, params, expected):
    response = client.get(LIST_URL, params, follow=True)  # empty parameters redirect to the address without them
    assert response.status_code == HTTPStatus.OK
    assert not response.context["filter"].errors
    assert listed(response) == expected


def test_a_draft_technology_is_not_a_choice(client, sectors, technologies):
    Technology.objects.filter(slug="big-data").update(status="draft")
    response = client.get(LIST_URL, {"technology": "big-data"})
    assert response.context["filter"].errors
    assert listed(response) == []


def test_a_draft_critique_does_not_make_has_critiques(client, sectors):
    Critique.objects.update(status="draft")
    assert listed(client.get(LIST_URL, {"has_critiques": "yes"})) == []


def test_search_over_several_aliases_lists_a_sector_once(client, sectors):
    Alias.objects.create(sector=sectors["rich"], name="online payments")
    Alias.objects.create(sector=sectors["rich"], name="online lending")
    response = client.get(LIST_URL, {"q": "online"})
    assert listed(response) == ["rich"]
    assertContains(response, "1 sector</h2>")


def test_active_filters_are_shown_with_links_to_remove_them(client, sectors):
    response = client.get(LIST_URL, {"technology": "big-data", "q": "finance", "ordering": "name"})
    assertContains(response, "Technology: <strong>Big Data</strong>")
    assertContains(response, "Search: <strong>finance</strong>")
    # Each "Remove" link drops its own filter and keeps the rest; "Clear all" keeps only the sort order.
    assertContains(response, 'href="?q=finance&amp;ordering=name">Remove')
    assertContains(response, 'href="?technology=big-data&amp;ordering=name">Remove')
    assertContains(response, '<a href="?ordering=name">Clear all filters</a>', html=True)


def test_no_filter_no_summary(client, sectors):
    assertNotContains(client.get(LIST_URL), "Clear all filters")


def test_empty_result_says_so(client, sectors):
    response = client.get(LIST_URL, {"q": "nothing like this"})
    assertContains(response, "0 sectors</h2>")
    assertContains(response, "No sectors match these filters.")
    assertContains(response, "Clear all filters")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("name", ["plain", "rich"]), ("position", ["rich", "plain"]), (None, ["rich", "plain"])],
)
def test_sort(client, sectors, ordering, expected):
    response = client.get(LIST_URL, {"ordering": ordering} if ordering else {})
    assert listed(response) == expected


def test_sort_links_keep_the_filters_and_mark_the_current_order(client, sectors):
    response = client.get(LIST_URL, {"q": "internet", "ordering": "name", "page": "1"})
    assertContains(response, '<a href="?q=internet&amp;ordering=position">Usual order</a>', html=True)
    assertContains(response, '<a href="?q=internet&amp;ordering=name" aria-current="true">Name</a>', html=True)
    # The filter form carries the sort order along.
    assertContains(response, '<input type="hidden" name="ordering" value="name">', html=True)


def test_pagination_keeps_the_filters(client, technologies):
    big_data = technologies["big-data"]
    for n in range(30):
        make_sector(slug=f"s-{n:02}", name=f"Sector {n:02}").technologies.add(big_data)
    make_sector(slug="other", name="Other")
    response = client.get(LIST_URL, {"technology": "big-data", "ordering": "name"})
    assert len(listed(response)) == 25
    assertContains(response, 'href="?technology=big-data&amp;ordering=name&amp;page=2"')
    second = client.get(LIST_URL, {"technology": "big-data", "ordering": "name", "page": "2"})
    assert listed(second) == [f"s-{n}" for n in range(25, 30)]
    assertContains(second, 'href="?technology=big-data&amp;ordering=name&amp;page=1"')
    assertContains(second, "<title>Sectors: Technology: Big Data, page 2 · iplus</title>")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"technology": "nope"}, "Select a valid choice."),
        ({"key_action": "nope"}, "Select a valid choice."),
        ({"has_figures": "maybe"}, "Select a valid choice."),
        ({"has_critiques": "maybe"}, "Select a valid choice."),
        ({"q": LONG}, "at most 200 characters (it has 5000)"),
        ({"q": "a\x00b"}, "Null characters are not allowed."),
        ({"technology": XSS}, "Select a valid choice."),
        ({"key_action": XSS}, "Select a valid choice."),
        ({"has_figures": XSS}, "Select a valid choice."),
    ],
)
def test_bad_filter_input_is_a_form_error_with_nothing_listed(client, sectors, params, message):
    response = client.get(LIST_URL, params)
    assert response.status_code == HTTPStatus.OK
    assert listed(response) == []
    assertContains(response, "Some filters could not be applied")
    assertContains(response, message)
    assertContains(response, "Nothing is listed until the filters are corrected.")
    assertContains(response, 'aria-invalid="true"' if "ordering" not in params else "Sort order")
    assertNotContains(response, "<svg")
    assertNotContains(response, "<script>alert")


def test_clear_all_drops_a_bad_sort_order(client, sectors):
    response = client.get(LIST_URL, {"ordering": "nope", "q": "x"})
    assertContains(response, '<a href="?">Clear all filters</a>', html=True)


@pytest.mark.parametrize("param", ["q", "unknown"])
def test_markup_in_any_parameter_is_escaped(client, sectors, param):
    response = client.get(LIST_URL, {param: XSS})
    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "<svg")
    assertNotContains(response, "<script>alert")
    if param == "q":
        assertContains(response, "&quot;&gt;&lt;svg onload=alert(1)&gt;")


def test_unknown_parameters_are_ignored(client, sectors):
    response = client.get(LIST_URL, {"colour": "red", "technology": "big-data"})
    assert listed(response) == ["rich"]
    assert not response.context["filter"].errors


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1.5", XSS])
def test_bad_page_is_not_found(client, sectors, page):
    response = client.get(LIST_URL, {"page": page, "q": "internet"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assertNotContains(response, "<svg", status_code=HTTPStatus.NOT_FOUND)


def test_list_title_and_description(client, sectors):
    response = client.get(LIST_URL)
    assertContains(response, "<title>Sectors · iplus</title>")
    assertContains(response, '<meta name="description" content="The sectors Internet Plus')
    assert_headings_in_order(response.text)


def test_the_filter_form_labels_every_control(client, sectors):
    html = client.get(LIST_URL).text
    for name in ("q", "technology", "key_action", "has_figures", "has_critiques"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html


def _bulk_sectors(count, technology, action, source):
    Sector.objects.bulk_create(
        Sector(slug=f"bulk-{n}", name=f"Bulk sector {n}", summary="s", body="b", status="published", position=n) for n in range(count)
    )
    sectors = list(Sector.objects.filter(slug__startswith="bulk-"))
    Sector.technologies.through.objects.bulk_create(Sector.technologies.through(sector=s, technology=technology) for s in sectors)
    Sector.key_actions.through.objects.bulk_create(Sector.key_actions.through(sector=s, keyaction=action) for s in sectors)
    Figure.objects.bulk_create(
        Figure(slug=f"bulk-figure-{s.pk}", sector=s, label="l", value=1, unit="users", source=source, status="published") for s in sectors
    )
    critique = make_critique()
    Critique.sectors.through.objects.bulk_create(Critique.sectors.through(sector=s, critique=critique) for s in sectors)
    return sectors


@pytest.mark.parametrize(
    ("params", "budget"),
    [
        # COUNT, the page, its rows' counts, the technology and key action choice lists, and one count of the choices
        # a select (four).
        ({}, 9),
        # The same, and one query each to check the chosen technology and key action exist.
        ({"technology": "big-data", "key_action": "bulk-action", "has_figures": "yes", "has_critiques": "yes", "q": "bulk"}, 11),
    ],
)
def test_list_query_budget(client, django_assert_max_num_queries, technologies, params, budget):
    _bulk_sectors(300, technologies["big-data"], make_key_action(slug="bulk-action"), make_source())
    # Guards the N+1 of counting each row's figures and critiques: one query counts them for the whole page.
    with django_assert_max_num_queries(budget):
        response = client.get(LIST_URL, {**params, "page": "2"})
    assert len(response.context["sectors"]) == 25
    assertContains(response, "1 figure · 1 critique", count=25)


def test_detail_shows_everything_about_the_sector(client, sectors):
    rich = sectors["rich"]
    source = make_source(title="The State Council opinions")
    rich.sources.add(source)
    Application.objects.create(sector=rich, slug="bills", name="Bill payment", description="Pay *online*.", status="published")
    Application.objects.create(sector=rich, slug="secret", name="Draft application", description="x", status="draft")
    make_figure(sector=rich, label="Internet users", qualifier="about", value=649_000_000, unit="users")
    response = client.get(rich.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "<title>Internet + Finance · iplus</title>")
    assertContains(response, '<meta name="description" content="Payments online.">')
    assertContains(response, '<h1>Internet + Finance <span lang="zh-Hans" class="other-name">互联网+金融</span></h1>', html=True)
    assertContains(response, "online banking")
    assertContains(response, "<em>online</em>")
    assertNotContains(response, "Draft application")
    assertContains(response, "649 million users")
    assertContains(response, '<a href="/key-actions/inclusive-finance/">5. Inclusive finance</a>', html=False)
    assertContains(response, '<span lang="zh-Hans" class="other-name">普惠金融</span>', html=True)
    assertContains(response, 'href="/critiques/risk/"')
    assertContains(response, f'<a href="{source.get_absolute_url()}">The State Council opinions</a>', html=True)
    assert_headings_in_order(response.text)


def test_detail_leaves_out_draft_critiques(client, sectors):
    make_critique(slug="unpublished", status="draft").sectors.add(sectors["rich"])
    assertNotContains(client.get(sectors["rich"].get_absolute_url()), "/critiques/unpublished/")


def test_staff_preview_a_draft_sector(client, sectors, admin_user):
    Sector.objects.filter(slug="plain").update(status="draft")
    url = sectors["plain"].get_absolute_url()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(admin_user)
    response = client.get(url)
    assertContains(response, 'class="draft-banner"')
    assertContains(response, "Internet + Agriculture")


def test_detail_query_budget(client, django_assert_max_num_queries, technologies):
    sector = make_sector()
    source = make_source()
    sector.sources.add(source)
    Application.objects.bulk_create(
        Application(sector=sector, slug=f"app-{n}", name=f"App {n}", description="d", status="published") for n in range(200)
    )
    for application in Application.objects.filter(sector=sector):
        application.sources.add(source)
    Figure.objects.bulk_create(
        Figure(slug=f"fig-{n}", sector=sector, label=f"F {n}", value=n, unit="users", source=source, status="published") for n in range(200)
    )
    Alias.objects.bulk_create(Alias(sector=sector, name=f"alias {n}") for n in range(200))
    sector.technologies.add(*technologies.values())
    sector.key_actions.add(*[make_key_action() for _ in range(11)])
    Critique.objects.bulk_create(
        Critique(slug=f"c-{n}", title=f"C {n}", category="privacy", raised_by="r", summary="s", argument="a", status="published")
        for n in range(200)
    )
    sector.critiques.add(*Critique.objects.all())
    for n in range(30):
        target = make_target(measure=f"Bulk target {n}")
        target.sectors.add(sector)
        make_figure(target=target, sector=None, source=source)
    # Guards N+1 over applications (and their sources), figures (and their source), aliases,
    # technologies, key actions, critiques, policy documents, targets (with their document and source) and their
    # reports: one query each, however many rows; plus one for the glossary terms linked in the body, and one for
    # the permanent link's newest version.
    with django_assert_max_num_queries(14):
        response = client.get(sector.get_absolute_url())
    assertContains(response, "<h3", count=200)
    assertContains(response, "/critiques/c-", count=200)
    assertContains(response, "Bulk target", count=30)


def test_the_real_content(client, content):
    response = client.get(LIST_URL, {"technology": "mobile-internet", "ordering": "name"})
    assert listed(response) == ["e-commerce", "finance", "manufacturing", "medical-system"]
    response = client.get(LIST_URL, {"has_critiques": "yes"})
    assert listed(response) == ["finance"]
    assert listed(client.get(LIST_URL, {"q": "digital government"})) == ["government"]
    finance = client.get(Sector.objects.get(slug="finance").get_absolute_url())
    assertContains(finance, "649 million users")
    assertContains(finance, "/critiques/personal-information-security/")
    assert_headings_in_order(finance.text)
    for sector in Sector.objects.all():
        assert_headings_in_order(client.get(sector.get_absolute_url()).text)
