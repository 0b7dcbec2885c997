import pytest
from django.db import connection

from critiques.models import Critique
from iplus import fulltext
from iplus.models import Source
from sectors.models import Sector
from tests.factories import make_critique, make_sector, make_source

pytestmark = pytest.mark.django_db


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_matches_every_word_as_a_prefix_in_any_indexed_field():
    make_critique(title="Data rules", summary="Regulation of platforms.")
    make_critique(title="Other", argument="The **regulators** watch lending platforms.")
    make_critique(title="Unrelated", summary="Farmers and villages.")
    assert titles(fulltext.matching(Critique.objects.all(), "regulat platforms")) == ["Data rules", "Other"]
    assert titles(fulltext.matching(Critique.objects.all(), "lending")) == ["Other"]
    assert titles(fulltext.matching(Critique.objects.all(), "village")) == ["Unrelated"]


def test_combines_with_the_callers_queryset():
    make_critique(title="Published privacy", summary="privacy")
    make_critique(title="Draft privacy", summary="privacy", status="draft")
    assert titles(fulltext.matching(Critique.objects.published(), "privacy")) == ["Published privacy"]


def test_the_index_follows_updates_and_deletes_without_signals():
    critique = make_critique(title="Old words", summary="s")
    Critique.objects.filter(pk=critique.pk).update(title="Fresh words")
    assert titles(fulltext.matching(Critique.objects.all(), "fresh")) == ["Fresh words"]
    assert not fulltext.matching(Critique.objects.all(), "old").exists()
    Critique.objects.filter(pk=critique.pk).delete()
    assert not fulltext.matching(Critique.objects.all(), "fresh").exists()


def test_bulk_created_rows_are_indexed():
    Source.objects.bulk_create([Source(slug=f"bulk-{n}", title=f"Bulk report {n}", kind="press") for n in range(3)])
    assert fulltext.matching(Source.objects.all(), "bulk report").count() == 3


def test_a_model_matches_only_its_own_rows():
    critique = make_critique(title="Shared word telemedicine")
    sector = make_sector(name="Internet + Telemedicine")
    assert list(fulltext.matching(Critique.objects.all(), "telemedicine")) == [critique]
    assert list(fulltext.matching(Sector.objects.all(), "telemedicine")) == [sector]


@pytest.mark.parametrize("text", ["", "   ", '"', "*", "AND OR NOT", "()", "title:x", "NEAR(a b)", "a" * 500, "' OR 1=1 --"])
def test_bad_input_never_breaks_the_query(text):
    make_critique(title="Anything")
    list(fulltext.matching(Critique.objects.all(), text))
    fulltext.search(text)


def test_chinese_queries_match_substrings():
    make_critique(title="Finance", title_zh="互联网金融")
    make_critique(title="Farming", title_zh="农业")
    assert titles(fulltext.matching(Critique.objects.all(), "金融")) == ["Finance"]


def test_search_ranks_across_models_with_titles_first():
    body_only = make_critique(title="A critique", summary="It mentions broadband once.")
    in_title = make_source(title="Broadband in the provinces")
    found = fulltext.search("broadband")
    assert [(model, pk) for model, pk, _ in found] == [(Source, in_title.pk), (Critique, body_only.pk)]


def test_rebuild_recreates_the_index_from_the_rows():
    make_critique(title="Kept after rebuild")
    fulltext.rebuild(connection)
    assert titles(fulltext.matching(Critique.objects.all(), "rebuild")) == ["Kept after rebuild"]


def test_match_expression_quotes_every_word():
    assert fulltext.match_expression('data "privacy" OR x*') == '"data"* "privacy"* "OR"* "x"*'
    assert fulltext.match_expression("!!!") is None
