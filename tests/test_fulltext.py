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


def test_a_word_prefix_finds_the_whole_word_on_every_engine():
    make_critique(title="E-commerce platforms", summary="Online retail.")
    make_critique(title="Commercial banks", summary="Lending.")
    make_critique(title="Farming", summary="Rural e-commerce villages.")
    assert titles(fulltext.matching(Critique.objects.all(), "commerc")) == ["Commercial banks", "E-commerce platforms", "Farming"]
    assert titles(fulltext.matching(Critique.objects.all(), "COMMERCE")) == ["E-commerce platforms", "Farming"]
    # A prefix matches the start of a word only.
    assert not fulltext.matching(Critique.objects.all(), "ommerce").exists()


def test_every_word_must_match_though_each_may_sit_in_another_field():
    make_critique(title="Credit scores", raised_by="Consumer groups", quotation="Opaque models.")
    make_critique(title="Credit cards", raised_by="Banks")
    assert titles(fulltext.matching(Critique.objects.all(), "credit consumer opaque")) == ["Credit scores"]
    assert titles(fulltext.matching(Critique.objects.all(), "credit")) == ["Credit cards", "Credit scores"]
    assert not fulltext.matching(Critique.objects.all(), "credit consumer banks").exists()


def test_chinese_queries_need_every_word_and_mix_with_latin_words():
    make_critique(title="Finance", title_zh="互联网金融", summary="Peer-to-peer lending.")
    make_critique(title="Banks", title_zh="银行金融", summary="Deposits.")
    assert titles(fulltext.matching(Critique.objects.all(), "金融 lending")) == ["Finance"]
    assert titles(fulltext.matching(Critique.objects.all(), "互联网 金融")) == ["Finance"]
    assert not fulltext.matching(Critique.objects.all(), "金融 农业").exists()


def test_chinese_search_ranks_titles_first():
    in_body = make_critique(title="Lending", summary="关于互联网金融的讨论")
    in_title = make_sector(name="Finance", name_zh="互联网金融")
    make_critique(title="Farming", title_zh="农业")
    found = fulltext.search("互联网金融")
    assert [(model, pk) for model, pk, _ in found] == [(Sector, in_title.pk), (Critique, in_body.pk)]


def test_search_needs_every_word_and_takes_prefixes():
    make_critique(title="Cross-border e-commerce", summary="Customs rules.")
    make_source(title="Commerce ministry notice", note="Customs.")
    make_source(title="Unrelated", note="Commerce.")
    found = {(model, pk) for model, pk, _ in fulltext.search("commerc custom")}
    assert found == {(Critique, Critique.objects.get().pk), (Source, Source.objects.get(title__startswith="Commerce").pk)}


def test_search_is_bounded_by_its_limit():
    Source.objects.bulk_create([Source(slug=f"many-{n}", title=f"Broadband {n}", kind="press") for n in range(12)])
    assert len(fulltext.search("broadband", limit=5)) == 5


@pytest.mark.postgres
def test_postgresql_has_a_gin_index_on_each_indexed_table():
    assert connection.vendor == "postgresql", "run this with DATABASE_URL pointing at PostgreSQL (bash .ci/run does)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%\\_ft\\_%%'")
        found = {table: (name, definition) for table, name, definition in cursor.fetchall()}
    expected = fulltext.postgresql_index_names()
    assert len(expected) == len(fulltext.INDEXED)
    assert {table: name for table, (name, _) in found.items()} == expected
    assert all("USING gin" in definition and "to_tsvector('simple'" in definition for _, definition in found.values())


@pytest.mark.postgres
def test_postgresql_answers_from_the_index():
    assert connection.vendor == "postgresql"
    Critique.objects.bulk_create(
        Critique(
            slug=f"many-{n}",
            title=f"Platform rules {n}",
            category="censorship",
            raised_by="A critic",
            summary=f"Summary {n}.",
            status="published",
        )
        for n in range(4000)
    )
    make_critique(title="Telemedicine licences", summary="Hospitals online.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE critiques_critique")
    queryset = fulltext.matching(Critique.objects.published(), "telemedic hospital")
    plan = queryset.explain()
    assert f"Bitmap Index Scan on {fulltext.postgresql_index_names()['critiques_critique']}" in plan, plan
    assert titles(queryset) == ["Telemedicine licences"]
    assert fulltext.matching(Critique.objects.all(), "platform rule").count() == 4000


@pytest.mark.postgres
def test_postgresql_replaces_a_stale_index_and_rebuilds():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX critiques_critique_ft_00000000 ON critiques_critique (title)")
    fulltext.ensure_schema(connection)
    fulltext.rebuild(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'critiques_critique' AND indexname LIKE '%%\\_ft\\_%%'")
        assert [name for (name,) in cursor.fetchall()] == [fulltext.postgresql_index_names()["critiques_critique"]]
    make_critique(title="Indexed again")
    assert titles(fulltext.matching(Critique.objects.all(), "indexed")) == ["Indexed again"]


def test_punctuation_splits_words_as_on_sqlite():
    make_critique(title="Markup", summary="The <script> tag &amp; mail to press@example.org about /usr/bin and 3.14")
    for text in ["script", "amp", "example org", "press", "usr bin", "14"]:
        assert titles(fulltext.matching(Critique.objects.all(), text)) == ["Markup"], text
