"""The index for queries in Chinese (publishing.text_index.CreateChineseIndex), as publishing.search uses it.

Every test but the one marked postgres runs on both engines (CI runs this file on SQLite, then on PostgreSQL).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from critiques.models import Critique
from publishing.kinds import searched
from publishing.search import matching
from tests.factories import make_critique

pytestmark = pytest.mark.django_db
KINDS = {kind.name: kind for kind in searched()}


def found(text):
    return sorted(matching(Critique.objects.all(), text).values_list("title", flat=True))


def chinese_index_columns(kind):
    return [kind.model._meta.get_field(name).column for name in kind.search.fields + kind.search.zh_fields]


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_every_kind_has_an_index_for_chinese_over_its_fields_and_their_translations(kind):
    table = kind.model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s", [table, "%\\_zh"])
            definitions = [definition for (definition,) in cursor.fetchall()]
            assert all("USING gin (upper(" in definition and "gin_trgm_ops" in definition for definition in definitions), definitions
            indexed = [re.search(r"upper\(\(?(\w+)", definition).group(1) for definition in definitions]
            assert sorted(indexed) == sorted(chinese_index_columns(kind))
            return
        cursor.execute(f"PRAGMA table_info({table}_zh)")
        assert [row[1] for row in cursor.fetchall()] == chinese_index_columns(kind)
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [f"{table}_zh"])
        assert "tokenize='trigram'" in cursor.fetchone()[0]
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        assert {f"{table}_zh_insert", f"{table}_zh_update", f"{table}_zh_delete"} <= {name for (name,) in cursor.fetchall()}


def test_a_chinese_term_is_found_anywhere_in_a_field_and_in_the_translations():
    make_critique(title="Lending", title_zh="网络借贷", summary_zh="监管部门加强对网络借贷平台的监管。")
    make_critique(title="Banks", title_zh="银行", argument_zh="传统银行的存款业务。")
    make_critique(title="Farming", title_zh="农业")
    assert found("借贷平台") == ["Lending"]  # inside a sentence, not at a word's start
    assert found("存款业务") == ["Banks"]  # in the argument's translation
    assert found("网络借贷 监管") == ["Lending"]  # every term, the short one read in the fields
    assert found("银行 借贷平台") == []
    assert found("“借贷平台”") == ["Lending"]  # quotation marks around a term are not part of it


def test_the_index_follows_inserts_updates_and_deletes():
    critique = make_critique(title="Changing", summary_zh="数字经济发展")
    assert found("数字经济") == ["Changing"]
    Critique.objects.filter(pk=critique.pk).update(summary_zh="共享经济发展")
    assert found("数字经济") == []
    assert found("共享经济") == ["Changing"]
    Critique.objects.filter(pk=critique.pk).delete()
    assert found("共享经济") == []


def test_a_term_of_three_characters_or_more_is_looked_up_in_the_index():
    make_critique(title="Lending", summary_zh="网络借贷平台")
    with CaptureQueriesContext(connection) as long:
        assert found("借贷平台") == ["Lending"]
    with CaptureQueriesContext(connection) as short:
        assert found("借贷") == ["Lending"]  # two characters: too short for trigrams, read in the fields
    long, short = long.captured_queries[0]["sql"], short.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":  # the ORM's own icontains, which the trigram indexes serve (see the next test)
        assert 'UPPER("critiques_critique"."summary_zh"::text) LIKE UPPER(' in long
    else:
        assert "critiques_critique_zh MATCH" in long
        assert "_zh MATCH" not in short


@pytest.mark.postgres
def test_postgresql_answers_a_chinese_query_from_the_trigram_indexes():
    assert connection.vendor == "postgresql", "run this with DATABASE_URL pointing at PostgreSQL (bash .ci/run does)"
    Critique.objects.bulk_create(
        Critique(slug=f"many-{n}", title=f"Rules {n}", title_zh=f"平台规则{n}", category="censorship", raised_by="A critic",
                 summary=f"Summary {n}.", status="published")
        for n in range(2000)
    )  # fmt: skip
    make_critique(title="Lending", summary_zh="监管部门加强对网络借贷平台的监管。")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE critiques_critique")
        # A table this small is read faster whole: refuse that, for this transaction, to see the index serve the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = matching(Critique.objects.all(), "借贷平台")
    plan = queryset.explain()
    assert "Bitmap Index Scan on critiques_critique_summary_zh_zh" in plan, plan
    assert list(queryset.values_list("title", flat=True)) == ["Lending"]


def test_a_document_number_is_found_and_highlighted_whole(client, content):
    response = client.get("/zh-hans/search/", {"q": "国发〔2015〕40号"})
    assertContains(response, "<mark>国发〔2015〕40号</mark>")
    first = re.search(r'<a href="(/zh-hans/documents/[^"]+)"', response.text)
    assert first and first.group(1) == "/zh-hans/documents/guiding-opinions-2015/"
