import datetime

import pytest
from django.core.paginator import EmptyPage, Paginator
from django.utils import timezone

from critiques.models import Critique
from iplus import pagination
from tests.factories import make_critique

pytestmark = pytest.mark.django_db


@pytest.fixture
def critiques():
    start = timezone.now()
    rows = [
        Critique(
            slug=f"c-{n}",
            title=f"Critique {n}",
            category="privacy" if n % 3 else "censorship",
            raised_by="x",
            summary="s",
            argument="a",
            status="published",
            created=start - datetime.timedelta(minutes=n // 2),  # pairs share a time: the slug breaks the tie
        )
        for n in range(1_200)
    ]
    return Critique.objects.bulk_create(rows)


def test_the_count_is_read_from_the_cache_until_content_changes(critiques, django_assert_num_queries):
    queryset = Critique.objects.published().filter(category="privacy")
    assert pagination.CachedCountPaginator(queryset, 25).count == 800
    with django_assert_num_queries(0):
        assert pagination.CachedCountPaginator(queryset, 25).count == 800
    make_critique(category="privacy")
    assert pagination.CachedCountPaginator(queryset, 25).count == 801


def test_different_filters_have_counts_of_their_own(critiques):
    assert pagination.CachedCountPaginator(Critique.objects.filter(category="privacy"), 25).count == 800
    assert pagination.CachedCountPaginator(Critique.objects.filter(category="censorship"), 25).count == 400
    assert pagination.CachedCountPaginator(Critique.objects.none(), 25).count == 0


@pytest.mark.parametrize("number", [1, 2, 20, 21, 40, 48])
def test_every_page_holds_what_the_plain_paginator_gives(critiques, number):
    queryset = Critique.objects.published().only("slug", "title")
    expected = [c.slug for c in Paginator(queryset, 25).page(number)]
    page = pagination.CachedCountPaginator(queryset, 25).page(number)
    assert [c.slug for c in page] == expected
    assert page.has_next() == (number < 48)


def test_a_deep_page_costs_a_fixed_number_of_queries(critiques, django_assert_max_num_queries):
    paginator = pagination.CachedCountPaginator(Critique.objects.published(), 25)
    assert paginator.count == 1_200
    # The ids of the page, then its rows: no matter how deep.
    with django_assert_max_num_queries(2):
        assert len(paginator.page(47).object_list) == 25


def test_a_page_past_the_end_is_an_error(critiques):
    with pytest.raises(EmptyPage):
        pagination.CachedCountPaginator(Critique.objects.all(), 25).page(49)


def test_the_critique_list_uses_it(client, critiques):
    response = client.get("/critiques/?page=40")
    assert response.status_code == 200
    assert isinstance(response.context["paginator"], pagination.CachedCountPaginator)


def test_a_deep_page_keeps_its_ids_until_content_changes(critiques, django_assert_num_queries):
    queryset = Critique.objects.published()
    first = [c.slug for c in pagination.CachedCountPaginator(queryset, 25).page(40)]
    paginator = pagination.CachedCountPaginator(queryset, 25)
    assert paginator.count == 1_200
    with django_assert_num_queries(1):  # the rows alone
        assert [c.slug for c in paginator.page(40)] == first
    Critique.objects.get(slug=first[0]).delete()
    moved = [c.slug for c in pagination.CachedCountPaginator(queryset, 25).page(40)]
    assert first[0] not in moved
    assert moved == [c.slug for c in Paginator(queryset, 25).page(40)]


def test_a_page_seen_before_reads_no_row_when_its_markup_is_kept(client, django_assert_num_queries):
    for n in range(30):
        make_critique(slug=f"kept-{n:02}", title=f"Kept {n}")
    first = client.get("/critiques/?page=2&_utm=1")  # a parameter the list does not read: never a stored page
    with django_assert_num_queries(0):
        again = client.get("/critiques/?page=2&_utm=2")
    assert again.status_code == 200
    assert again.content.replace(b"_utm=2", b"_utm=1") == first.content


def test_kept_page_keys_follow_a_new_row(client):
    for n in range(30):
        make_critique(slug=f"row-{n:02}", title=f"Row {n}")
    client.get("/critiques/?page=1&x=1")
    make_critique(slug="row-new", title="The newest row")
    assert b"The newest row" in client.get("/critiques/?page=1&x=2").content


def test_each_filter_and_sort_order_keeps_its_own_count_and_rows(client):
    for n in range(3):
        make_critique(slug=f"censored-{n}", title=f"Censored {n}", category="censorship")
    make_critique(slug="private-0", title="Private 0", category="privacy")
    for _ in range(2):  # the second time, from what the first kept
        censorship = client.get("/critiques/", {"category": "censorship", "_n": _}).content.decode()
        privacy = client.get("/critiques/", {"category": "privacy", "_n": _}).content.decode()
        by_title = client.get("/critiques/", {"category": "censorship", "ordering": "title", "_n": _}).content.decode()
        assert "3 critiques" in censorship
        assert "1 critique<" in privacy
        assert "Private 0" in privacy and "Censored" not in privacy
        assert by_title.index("Censored 0") < by_title.index("Censored 2")


def test_invalid_filters_list_nothing_even_after_valid_ones(client):
    make_critique(title="Listed")
    assert "Listed" in client.get("/critiques/", {"category": "censorship"}).content.decode()
    response = client.get("/critiques/", {"category": "not-a-category"})
    assert response.status_code == 200
    assert "Listed" not in response.content.decode()


def test_a_filtered_page_seen_before_runs_no_query(client, django_assert_num_queries):
    from sectors.models import Sector

    sector = Sector.objects.create(slug="kept-sector", name="Kept sector", summary="s", body="b", status="published")
    for n in range(30):
        make_critique(slug=f"filtered-{n:02}", category="privacy").sectors.add(sector)
    params = {"category": "privacy", "sector": "kept-sector", "page": "2"}
    first = client.get("/critiques/", {**params, "_utm": "1"})
    with django_assert_num_queries(0):
        again = client.get("/critiques/", {**params, "_utm": "2"})
    assert again.content.replace(b"_utm=2", b"_utm=1") == first.content
    assert b"30 critiques" in again.content
