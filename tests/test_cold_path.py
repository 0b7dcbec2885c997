"""What the cold path (a page cache miss) keeps from one request to the next, and that content changes reach it."""

import datetime

import pytest
from django.urls import reverse

from iplus.models import Milestone
from iplus.search import search
from tests.factories import make_critique, make_figure, make_milestone, make_sector

pytestmark = pytest.mark.django_db


def test_search_results_are_kept_until_the_content_changes(django_assert_num_queries):
    make_critique(title="Quantum lending")
    first = search("quantum")
    with django_assert_num_queries(0):
        assert [hit.title for group in search("quantum") for hit in group.hits] == [hit.title for group in first for hit in group.hits]
    make_critique(title="Quantum fraud")
    assert sum(len(group.hits) for group in search("quantum")) == 2


def test_a_search_narrowed_to_some_kinds_is_kept_apart_from_the_full_one(client):
    make_critique(title="Quantum lending fraud")
    make_sector(name="Quantum lending")
    assert {group.key for group in search("quantum lending", kinds=["sectors"])} == {"sectors"}
    assert {group.key for group in search("quantum lending")} == {"sectors", "critiques"}


def test_sector_list_counts_are_the_page_rows_own(client):
    busy, quiet = make_sector(name="Busy sector", position=1), make_sector(name="Quiet sector", position=2)
    make_figure(sector=busy)
    for _ in range(3):
        make_critique().sectors.add(busy)
    make_critique(status="draft").sectors.add(busy, quiet)
    response = client.get(reverse("sectors:list"))
    counts = {sector.name: (sector.figure_count, sector.critique_count) for sector in response.context["sectors"]}
    assert counts == {"Busy sector": (1, 3), "Quiet sector": (0, 0)}
    page = response.content.decode()
    assert "1 figure · 3 critiques" in page
    assert "0 figures · 0 critiques" in page


def test_sector_list_counts_follow_content_changes(client):
    sector = make_sector(name="Growing sector")
    make_critique().sectors.add(sector)
    assert "0 figures · 1 critique" in client.get(reverse("sectors:list")).content.decode()
    make_critique().sectors.add(sector)
    make_figure(sector=sector)
    assert "1 figure · 2 critiques" in client.get(reverse("sectors:list")).content.decode()


def test_cached_list_rows_follow_edits_and_pages(client):
    critiques = [make_critique(title=f"Row {n:02}") for n in range(30)]
    first = client.get(reverse("critiques:list")).content.decode()
    second = client.get(reverse("critiques:list"), {"page": 2}).content.decode()
    assert first.count('<li>\n      <p class="category">') == 25
    assert second.count('<li>\n      <p class="category">') == 5
    shown = critiques[-1]
    assert shown.title in first and shown.title not in second
    shown.title = "Row renamed"
    shown.save()
    assert "Row renamed" in client.get(reverse("critiques:list"), {"_other": "1"}).content.decode()


def test_cached_timeline_rows_follow_the_filters(client):
    make_milestone(title="Early step", date="2011-03-05")
    make_milestone(title="Late step", date="2015-07-04")
    everything = client.get(reverse("iplus:timeline")).content.decode()
    assert "Early step" in everything and "Late step" in everything
    late = client.get(reverse("iplus:timeline"), {"year": "2015"}).content.decode()
    assert "Late step" in late and "Early step" not in late
    Milestone.objects.filter(title="Late step").update(title="Not seen: update() sends no signal")
    Milestone.objects.get(title__startswith="Not seen").save()
    assert "Not seen" in client.get(reverse("iplus:timeline"), {"year": "2015"}).content.decode()


def test_the_cached_filter_form_shows_each_request_its_own_values_and_errors(client):
    make_critique()
    url = reverse("critiques:list")
    for category in ["censorship", "privacy", "censorship"]:
        page = client.get(url, {"category": category, "_other": category}).content.decode()
        assert f'<option value="{category}" selected>' in page
    page = client.get(url, {"category": "nonsense"}).content.decode()
    assert "Select a valid choice" in page
    assert "selected>" not in page.split('name="category"')[1].split("</select>")[0].replace('value="" selected>', "")


def test_kept_search_results_follow_new_content(client):
    make_critique(title="Quantum lending")
    assert "<mark>Quantum</mark> fraud" not in client.get("/search/", {"q": "quantum", "x": "1"}).content.decode()
    make_critique(title="Quantum fraud")
    page = client.get("/search/", {"q": "quantum", "x": "2"}).content.decode()
    assert "<mark>Quantum</mark> fraud" in page
    assert "2 results for" in page


def test_the_kept_timeline_form_shows_each_request_its_own_choice_and_error(client):
    make_milestone(date=datetime.date(2015, 3, 5))
    for _ in range(2):
        chosen = client.get(reverse("iplus:timeline"), {"year": "2015", "x": _}).content.decode()
        assert '<option value="2015" selected>' in chosen
        plain = client.get(reverse("iplus:timeline"), {"x": _}).content.decode()
        assert '<option value="2015" selected>' not in plain
        wrong = client.get(reverse("iplus:timeline"), {"year": "1999", "x": _}).content.decode()
        assert 'class="field-error"' in wrong
        assert 'class="field-error"' not in plain
    # A milestone in a new year adds that year to the kept form at once.
    make_milestone(date=datetime.date(2016, 1, 1))
    assert '<option value="2016">' in client.get(reverse("iplus:timeline"), {"x": "after"}).content.decode()
