"""The text index each searched kind's migration creates (publishing.text_index), as publishing.search.matching() uses it.

Every test but the two marked postgres runs on both engines: CI runs this file on SQLite, then again with
DATABASE_URL on PostgreSQL, where the postgres-marked ones run too.
"""

import re
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q, QuerySet
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from critiques.models import Critique
from iplus.models import GlossaryTerm, Source
from publishing.kinds import searched
from publishing.search import matches, matching, search
from sectors.models import Sector
from tests.factories import (
    make_critique,
    make_document,
    make_key_action,
    make_milestone,
    make_section,
    make_sector,
    make_source,
    make_target,
)

pytestmark = pytest.mark.django_db
KINDS = {kind.name: kind for kind in searched()}


def make_term(**fields):
    n = GlossaryTerm.objects.count()
    return GlossaryTerm.objects.create(
        **{"slug": f"term-{n}", "term": f"Term {n}", "definition": "A definition.", "status": "published", **fields}
    )


MAKE = {
    "sectors": make_sector,
    "critiques": make_critique,
    "key-actions": make_key_action,
    "milestones": make_milestone,
    "sections": make_section,
    "glossary": make_term,
    "sources": make_source,
    "documents": make_document,
    "targets": make_target,
}


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def found(model, text):
    return titles(matching(model.objects.all(), text))


def test_every_searched_kind_can_be_made_here():
    assert MAKE.keys() == set(KINDS)


@pytest.mark.parametrize(("key", "name"), [(key, name) for key, kind in KINDS.items() for name in kind.search.fields])
def test_a_word_in_any_searched_field_matches_as_a_prefix(key, name):
    kind = KINDS[key]
    row = MAKE[key](**{name: "Zebrafarming"})
    MAKE[key]()
    assert list(matching(kind.model.objects.all(), "zebrafarm")) == [row]
    assert list(matching(kind.model.objects.all(), "ZEBRAFARMING")) == [row]
    # A prefix is the start of a word, not any part of it.
    assert not matching(kind.model.objects.all(), "farming").exists()


@pytest.mark.parametrize("key", KINDS)
def test_a_field_that_is_not_searched_does_not_match(key):
    MAKE[key](slug="zebrafarming")
    assert not matching(KINDS[key].model.objects.all(), "zebrafarming").exists()


def test_every_word_must_match_though_each_may_sit_in_another_field():
    make_critique(title="Credit scores", raised_by="Consumer groups", quotation="Opaque models.")
    make_critique(title="Credit cards", raised_by="Banks")
    make_critique(title="Data rules", summary="Regulation of platforms.")
    make_critique(title="Other", argument="The **regulators** watch lending platforms.")
    assert found(Critique, "credit consumer opaque") == ["Credit scores"]
    assert found(Critique, "credit") == ["Credit cards", "Credit scores"]
    assert found(Critique, "credit consumer banks") == []
    assert found(Critique, "regulat platforms") == ["Data rules", "Other"]
    assert found(Critique, "regulat lending") == ["Other"]


def test_it_combines_with_the_callers_queryset():
    make_critique(title="Published privacy", summary="privacy", category="privacy")
    make_critique(title="Draft privacy", summary="privacy", status="draft")
    make_critique(title="Censored privacy", summary="privacy", category="censorship")
    other = make_critique(title="Elsewhere", slug="elsewhere")
    assert titles(matching(Critique.objects.published(), "privacy")) == ["Censored privacy", "Published privacy"]
    assert titles(matching(Critique.objects.published().filter(category="privacy"), "privacy")) == ["Published privacy"]
    in_order = matching(Critique.objects.published().order_by("-title"), "privacy")
    assert [critique.title for critique in in_order] == ["Published privacy", "Censored privacy"]
    assert [critique.title for critique in in_order[1:]] == ["Censored privacy"]
    assert in_order.count() == 2
    either = Critique.objects.filter(matches(Critique, "privacy") | Q(slug=other.slug))
    assert titles(either) == ["Censored privacy", "Draft privacy", "Elsewhere", "Published privacy"]


def test_the_index_follows_inserts_updates_and_deletes_without_signals():
    critique = make_critique(title="Old words", summary="Kept summary.")
    assert found(Critique, "old") == ["Old words"]
    Critique.objects.filter(pk=critique.pk).update(title="Fresh words")
    assert found(Critique, "fresh") == ["Fresh words"]
    assert found(Critique, "old") == []
    Critique.objects.filter(pk=critique.pk).update(status="draft")  # a field the index does not hold
    assert found(Critique, "fresh kept") == ["Fresh words"]
    critique.refresh_from_db()
    critique.title = "Bulk words"
    Critique.objects.bulk_update([critique], ["title"])
    assert found(Critique, "bulk") == ["Bulk words"]
    assert found(Critique, "fresh") == []
    Critique.objects.filter(pk=critique.pk).delete()
    assert found(Critique, "bulk") == []
    assert found(Critique, "kept") == []


def test_bulk_created_rows_are_indexed():
    Source.objects.bulk_create([Source(slug=f"bulk-{n}", title=f"Bulk report {n}", kind="press") for n in range(3)])
    assert found(Source, "bulk report") == ["Bulk report 0", "Bulk report 1", "Bulk report 2"]
    assert found(Source, "report 2") == ["Bulk report 2"]


def test_a_model_matches_only_its_own_rows():
    # The same primary key in two tables: each index answers for its own table only.
    critique = make_critique(pk=777, title="Telemedicine licences")
    sector = make_sector(pk=777, name="Internet + Healthcare")
    assert list(matching(Critique.objects.all(), "telemedicine")) == [critique]
    assert not matching(Sector.objects.all(), "telemedicine").exists()
    assert list(matching(Sector.objects.all(), "healthcare")) == [sector]
    assert not matching(Critique.objects.all(), "healthcare").exists()


def test_a_hyphenated_word_is_one_word():
    make_critique(title="E-commerce platforms")
    make_critique(title="Shops online", summary="E stands for electronic; commerce for trade.")
    assert found(Critique, "e-commerce") == ["E-commerce platforms"]
    assert found(Critique, "E-COMMERCE") == ["E-commerce platforms"]
    assert found(Critique, "e-comm") == ["E-commerce platforms"]


def test_a_word_of_a_hyphenated_word_matches_it_too():
    make_critique(title="E-commerce platforms", summary="Online retail.")
    make_critique(title="Commercial banks", summary="Lending.")
    make_critique(title="Farming", summary="Rural e-commerce villages.")
    assert found(Critique, "commerc") == ["Commercial banks", "E-commerce platforms", "Farming"]
    assert found(Critique, "COMMERCE") == ["E-commerce platforms", "Farming"]
    assert found(Critique, "ommerce") == []


MARKUP = "Typed markup: a <script> tag, then the words after it."
ADDRESSES = "Mail press@example.org, read https://www.gov.cn/zhengce/content_10002.htm, run /usr/bin/env, version 3.14."


@pytest.mark.parametrize(
    ("text", "words"),
    [pytest.param(MARKUP, words, id=f"markup-{words}") for words in ["typed markup", "script", "words after"]]
    + [pytest.param(ADDRESSES, words, id=f"address-{words}") for words in ["press", "example org", "gov zhengce", "usr bin env", "14"]],
)
def test_punctuation_splits_words_on_both_engines(text, words):
    make_critique(title="Markup", summary=text)
    assert found(Critique, words) == ["Markup"]


def test_chinese_queries_match_substrings():
    make_critique(title="Finance", title_zh="互联网+金融", summary="Peer-to-peer lending.")
    make_critique(title="Banks", title_zh="银行金融", summary="Deposits.")
    make_critique(title="Farming", title_zh="农业")
    assert found(Critique, "金融") == ["Banks", "Finance"]
    assert found(Critique, "互联网+金融") == ["Finance"]
    assert found(Critique, "互联网 金融") == ["Finance"]
    assert found(Critique, "金融 lending") == ["Finance"]
    assert found(Critique, "金融 农业") == []


BAD_INPUT = [
    "",
    " ",
    "\t\n ",
    '"',
    '""',
    '"unclosed',
    "'",
    "*",
    "a*",
    "*a",
    "^",
    "^start",
    ":",
    "title:x",
    "summary:privacy",
    "(",
    ")",
    "()",
    "(a OR b)",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "AND OR NOT",
    "NEAR(a b)",
    "a NEAR/2 b",
    "privacy NOT censorship",
    "-",
    "--",
    "-privacy",
    "privacy-",
    "a--b",
    "+",
    "a + b",
    "' OR 1=1 --",
    "\\",
    "%",
    "_",
    "\x00",
    "e-commerce*",
    '互联网 "金融"',
    "金融*",
    "🀄",
    "x" * 5000,
    "privacy " * 1000,
]


@pytest.mark.parametrize("text", BAD_INPUT, ids=lambda text: repr(text[:20]))
def test_bad_input_never_raises_and_gives_a_queryset(text):
    make_critique(title="Privacy and censorship", summary="A privacy summary.")
    for kind in KINDS.values():
        result = matching(kind.model.objects.all(), text)
        assert isinstance(result, QuerySet)
        list(result)
    search(text)


@pytest.mark.parametrize("text", ["", " ", '"', "*", "^", ":", "()", '""', "-", "--", "+", "'", "\\", "%", "🀄"])
def test_input_with_no_word_matches_nothing(text):
    make_critique(title="Anything")
    assert not matching(Critique.objects.all(), text).exists()


@pytest.mark.parametrize("text", ['"privacy"', "privacy*", "(privacy)", "^privacy", "title:privacy", "privacy AND"])
def test_operators_are_read_as_plain_words(text):
    make_critique(title="Privacy rules", summary="Title and rules.")
    make_critique(title="Other", summary="Nothing here.")
    assert found(Critique, text) == ["Privacy rules"]


@pytest.mark.parametrize("text", ["NEAR(a b)", '"', "x" * 5000, "' OR 1=1 --", "\x00", "AND OR NOT", "金融*"], ids=repr)
def test_bad_input_through_the_pages_is_answered(client, text):
    make_critique(title="Privacy rules")
    for url in [reverse("iplus:search"), reverse("critiques:list"), reverse("sectors:list")]:
        assert client.get(url, {"q": text}).status_code == HTTPStatus.OK, url


FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
OPERATORS = st.lists(st.sampled_from([*" \"*^():-+'\\%_", "AND", "OR", "NOT", "NEAR", "a", "互", "é"]), max_size=40).map("".join)


@FUZZ
@given(text=st.one_of(st.text(max_size=300), OPERATORS))
def test_any_text_gives_a_queryset(db, text):
    for kind in KINDS.values():
        result = matching(kind.model.objects.all(), text)
        assert isinstance(result, QuerySet)
        list(result)


def test_search_results_highlight_the_matched_words_escaped(client):
    make_critique(title="Regulation of platforms", summary="New <regulation> & rules for platforms.")
    make_critique(title="Lending", summary="Peer lending.", argument="The **regulators** watch `lending` <b>platforms</b>.")
    page = client.get(reverse("iplus:search"), {"q": "regulat"}).text
    assert ">Critiques</h2>" in page
    assert "<mark>Regulation</mark> of platforms</a>" in page
    assert "<p>New &lt;<mark>regulation</mark>&gt; &amp; rules for platforms.</p>" in page
    # A snippet from stored HTML is its text: the Markdown's emphasis is gone, the typed tag escaped or removed.
    assert ">Lending</a><p>The <mark>regulators</mark> watch lending" in page
    assert "<b>" not in page.split("<main", 1)[1]


def test_a_snippet_is_a_window_around_the_first_match(client):
    make_sector(name="Long sector", summary="Short.", body="word " * 200 + "hidden needle " + "tail " * 200)
    page = client.get(reverse("iplus:search"), {"q": "needl"}).text
    (snippet,) = re.findall(r">Long sector</a><p>(.*?)</p>", page)
    assert snippet.startswith("…")
    assert "hidden <mark>needle</mark> tail" in snippet
    assert len(snippet) < 260


def test_search_needs_every_word_and_takes_prefixes():
    critique = make_critique(title="Cross-border trade", summary="Customs rules.")
    source = make_source(title="Commerce ministry notice", note="Customs.")
    make_source(title="Unrelated", note="Commerce.")
    groups = {group.key: [hit.url for hit in group.hits] for group in search("custom cross-border")}
    assert groups == {"critiques": [critique.get_absolute_url()]}
    groups = {group.key: [hit.url for hit in group.hits] for group in search("commerc custom")}
    assert groups == {"sources": [source.get_absolute_url()]}


def test_the_index_is_filled_from_the_rows_when_its_migration_runs(transactional_db):
    make_critique(title="Written before the index")
    call_command("migrate", "critiques", "0004", verbosity=0)
    try:
        # The model as that migration left it, which lacks later fields; bulk_create writes no history record.
        old = (
            MigrationExecutor(connection).loader.project_state(("critiques", "0004_markdown_html")).apps.get_model("critiques", "Critique")
        )
        old.objects.bulk_create([old(slug="no-index", title="Written with no index", category="privacy", raised_by="r",
                                     summary="s", argument="a", status="published")])  # fmt: skip
    finally:
        call_command("migrate", "critiques", verbosity=0)
    make_critique(title="Written after the index")
    assert found(Critique, "written") == ["Written after the index", "Written before the index", "Written with no index"]


def columns(kind):
    return [kind.model._meta.get_field(name).column for name in kind.search.fields]


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_every_kind_has_a_text_index_over_exactly_its_fields(kind):
    table = kind.model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, f"{table[:40]}_text"])
            (definition,) = cursor.fetchone()
            assert re.findall(r"COALESCE\(translate\(\(?(\w+)", definition) == columns(kind)
            return
        cursor.execute(f"PRAGMA table_info({table}_text)")
        assert [row[1] for row in cursor.fetchall()] == columns(kind)
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [f"{table}_text"])
        (definition,) = cursor.fetchone()
        assert f"content='{table}'" in definition
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        triggers = {name for (name,) in cursor.fetchall()}
    assert {f"{table}_text_insert", f"{table}_text_update", f"{table}_text_delete"} <= triggers


@pytest.mark.postgres
def test_postgresql_has_a_gin_index_for_every_kind():
    assert connection.vendor == "postgresql", "run this with DATABASE_URL pointing at PostgreSQL (bash .ci/run does)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%\\_text"])
        indexes = {table: (name, definition) for table, name, definition in cursor.fetchall()}
    for kind in KINDS.values():
        table = kind.model._meta.db_table
        name, definition = indexes[table]
        assert name == f"{table[:40]}_text"
        assert "USING gin (to_tsvector('simple'::regconfig" in definition


@pytest.mark.postgres
def test_postgresql_answers_matching_from_the_gin_index():
    assert connection.vendor == "postgresql", "run this with DATABASE_URL pointing at PostgreSQL (bash .ci/run does)"
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
    queryset = matching(Critique.objects.published(), "telemedic hospital")
    plan = queryset.explain()
    assert "Bitmap Index Scan on critiques_critique_text" in plan, plan
    assert titles(queryset) == ["Telemedicine licences"]
    assert matching(Critique.objects.all(), "platform rule").count() == 4000
