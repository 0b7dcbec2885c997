from http import HTTPStatus

import pytest
from django.urls import reverse

from iplus.models import GlossaryTerm
from publishing.kinds import kind_of, searched
from publishing.search import highlight, search, snippet
from sectors.models import Sector
from tests.factories import make_critique, make_key_action, make_milestone, make_section, make_sector, make_source

URL = reverse("iplus:search")


def test_the_header_has_a_labelled_search_form(client, db):
    text = client.get(reverse("iplus:home")).text
    assert f'<form class="site-search" role="search" method="get" action="{URL}">' in text
    assert '<label for="site-search-q">Search</label>' in text


def test_empty_query_shows_the_empty_form(client, db):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    assert 'name="q"' in response.text
    assert "results for" not in response.text and "Nothing matches" not in response.text
    assert "Nothing matches" not in client.get(URL, {"q": "   "}).text


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("sectors", lambda: make_sector(name="Internet + Zebrafarming")),
        ("critiques", lambda: make_critique(argument="The zebrafarming argument.")),
        ("key-actions", lambda: make_key_action(name="Zebrafarming action")),
        ("milestones", lambda: make_milestone(description="Zebrafarming began.")),
        ("sources", lambda: make_source(publisher="Zebrafarming Daily")),
        ("sections", lambda: make_section(body="Something about *zebrafarming*.")),
        ("glossary", lambda: GlossaryTerm.objects.create(slug="zf", term="Zebrafarming", definition="d", status="published")),
    ],
)
def test_each_kind_is_searched(client, db, kind, make):
    obj = make()
    response = client.get(URL, {"q": "zebrafarming"})
    assert response.status_code == HTTPStatus.OK
    assert f'id="results-{kind}"' in response.text
    assert f'href="{obj.get_absolute_url()}"' in response.text
    assert "<mark>" in response.text and "ebrafarming</mark>" in response.text.lower()


def test_drafts_are_not_found(client, db):
    make_critique(title="Hidden zebrafarming", status="draft")
    response = client.get(URL, {"q": "zebrafarming"})
    assert "Hidden" not in response.text
    assert "Nothing matches “zebrafarming”." in response.text


def test_every_word_must_match(db):
    beta = make_sector(name="Alpha beta")
    make_sector(name="Alpha gamma")
    assert [hit.url for group in search("alpha beta") for hit in group.hits] == [beta.get_absolute_url()]


def test_results_are_bounded_per_kind(db):
    for n in range(15):
        make_milestone(title=f"Bounded {n}")
    (group,) = search("bounded", limit=10)
    assert len(group.hits) == 10
    assert group.has_more


def test_results_are_grouped_by_kind(db):
    make_sector(name="Narrowed")
    make_source(title="Narrowed")
    assert [group.key for group in search("narrowed")] == ["sectors", "sources"]


def test_markup_in_content_and_query_is_escaped(client, db):
    make_critique(title='The <script>alert("x")</script> critique', summary="Quotes \" and 'apostrophes' & ampersands.")
    response = client.get(URL, {"q": "<script>"})
    text = response.text
    assert "<script>" not in text
    assert "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)" in text
    assert "&lt;script&gt;" in text
    response = client.get(URL, {"q": '"x"'})
    assert "&quot;<mark>x</mark>&quot;" in response.text
    assert 'value="&quot;x&quot;"' in response.text


def test_highlight_escapes_around_and_inside_marks():
    assert highlight("a <b> & B", "b") == "a &lt;<mark>b</mark>&gt; &amp; <mark>B</mark>"
    assert highlight("<i>", "") == "&lt;i&gt;"


def test_a_prefix_highlights_the_whole_word_and_a_hyphenated_word_is_one():
    assert highlight("Regulation, deregulation", "regulat") == "<mark>Regulation</mark>, deregulation"
    assert highlight("e-commerce and commerce", "e-commerce") == "<mark>e-commerce</mark> and commerce"


def test_snippet_is_a_window_around_the_first_match(db):
    sector = make_sector(summary="", body="word " * 200 + "needle " + "tail " * 200)
    result, _lang = snippet(sector, kind_of(Sector).search, "needle")
    assert "<mark>needle</mark>" in result
    assert result.startswith("…")
    assert len(result) < 260


def test_a_long_query_is_a_clear_error(client, db):
    response = client.get(URL, {"q": "x" * 201})
    assert response.status_code == HTTPStatus.OK
    assert "Search for at most 200 characters; this search has 201." in response.text
    assert client.get(URL, {"q": "x" * 200}).status_code == HTTPStatus.OK


def test_no_results_says_so(client, db):
    response = client.get(URL, {"q": "nothing-like-this"})
    assert "Nothing matches “nothing-like-this”." in response.text


def test_real_content_is_found_and_grouped(client, content):
    response = client.get(URL, {"q": "Li Keqiang"})
    text = response.text
    for kind in ["milestones", "sections", "glossary"]:
        assert f'id="results-{kind}"' in text
    assert "<mark>Li</mark> <mark>Keqiang</mark>" in text


def test_search_query_budget(client, db, django_assert_max_num_queries):
    for n in range(300):
        make_milestone(title=f"Common {n}", description="common words")
        if n < 100:
            make_critique(title=f"Common critique {n}")
            make_source(title=f"Common source {n}")
    # one bounded query per kind, whatever the number of matches
    with django_assert_max_num_queries(len(searched())):
        response = client.get(URL, {"q": "common"})
    assert response.text.count("<li><a href=") >= 30
