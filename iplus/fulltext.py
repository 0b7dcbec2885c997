"""Full-text search with a real text index on both engines, behind `matching()` and `search()`.

SQLite: one FTS5 table, `iplus_fulltext` (created after `migrate`, filled from the existing rows), kept in
step by triggers on each indexed table, so bulk_create, raw SQL and the admin all keep it current.
Its rowid encodes the model and the primary key (``pk * 16 + code``; codes below 16), so an update touches one row.

PostgreSQL: a GIN expression index on each indexed table over the same vector `matching()` filters on
(the title fields weighted A, the body fields B, the 'simple' configuration), created after `migrate`;
the server keeps it current itself. Its name carries a digest of the indexed fields, so a change of
fields replaces it at the next `migrate`.

    from iplus import fulltext
    fulltext.matching(Critique.objects.published(), "data privacy")  # the queryset, narrowed to matches
    fulltext.search("data privacy")  # [(model, pk, rank)...] across models, best first

Every word of the query must match (a word matches as a prefix: "regulat" finds "regulation").
Queries with Chinese characters fall back to substring matching on both engines, since neither
tokenizer splits Chinese into words.
"""

import hashlib
import re
import string

from django.apps import apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.expressions import RawSQL

TABLE = "iplus_fulltext"

# model label -> (code, title fields, body fields); codes are stored in the index: never reuse one.
INDEXED = {
    "critiques.Critique": (1, ["title", "title_zh"], ["summary", "argument", "raised_by", "quotation"]),
    "sectors.Sector": (2, ["name", "name_zh"], ["summary", "body"]),
    "iplus.Source": (3, ["title", "title_zh"], ["publisher", "note"]),
    "iplus.Milestone": (4, ["title"], ["description"]),
    "iplus.GlossaryTerm": (5, ["term", "term_zh"], ["definition"]),
    "iplus.KeyAction": (6, ["name", "name_zh"], ["description"]),
    "iplus.Section": (7, ["title", "title_zh"], ["body"]),
    "iplus.Technology": (8, ["name", "name_zh"], ["description"]),
    "sectors.Application": (9, ["name"], ["description"]),
    "iplus.Strategy": (10, ["name", "name_zh"], ["summary"]),
}

WORD = re.compile(r"\w+", re.UNICODE)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_WORDS = 8
# ts_rank's weights for the labels D, C, B, A: a title counts four times a body, as bm25 is told on SQLite.
PG_WEIGHTS = [0.1, 0.1, 0.25, 1.0]


def _words(text):
    return WORD.findall(text or "")[:MAX_WORDS]


def match_expression(text):
    """The FTS5 query for what a visitor typed: every word, each as a quoted prefix; None when nothing is left."""
    return " ".join(f'"{word}"*' for word in _words(text)) or None


def tsquery_expression(text):
    """The PostgreSQL tsquery for what a visitor typed: every word as a prefix; None when nothing is left.

    Words are runs of \\w, which holds none of tsquery's operators or quotes; the string is still passed as a parameter.
    """
    return " & ".join(f"{word}:*" for word in _words(text)) or None


def _model(label):
    return apps.get_model(label)


def _words_only(field):
    # ASCII punctuation becomes a space, so PostgreSQL's parser splits words as FTS5 does: "<b>", "&amp;", "a.b@c.org"
    # and "/usr/bin" are words rather than tags, entities, addresses or paths (tags and entities are never indexed).
    return Func(F(field), Value(string.punctuation), Value(" " * len(string.punctuation)), function="translate", output_field=TextField())


def vector(label):
    """The PostgreSQL tsvector of a model's text: what its GIN index holds and what `matching()` filters on."""
    _, title_fields, body_fields = INDEXED[label]
    title = SearchVector(*map(_words_only, title_fields), config="simple", weight="A")
    return title + SearchVector(*map(_words_only, body_fields), config="simple", weight="B")


def _tsquery(text):
    return SearchQuery(tsquery_expression(text), search_type="raw", config="simple")


def _gin_index(label, using=connection):
    # Named after a digest of its own definition: a change to the fields or the expression gives a new name.
    model = _model(label)
    definition = str(GinIndex(vector(label), name="fulltext").create_sql(model, using.schema_editor()))
    digest = hashlib.sha256(definition.encode()).hexdigest()[:8]
    return GinIndex(vector(label), name=f"{model._meta.db_table[:40]}_ft_{digest}")


def _columns(model, fields):
    return " || ' ' || ".join(f"coalesce(NEW.{model._meta.get_field(name).column}, '')" for name in fields)


def ensure_schema(using=connection):
    """Create the text index if missing: SQLite's FTS5 table, its triggers and rows; PostgreSQL's GIN indexes."""
    if using.vendor == "postgresql":
        _ensure_postgresql(using)
    if using.vendor != "sqlite":
        return
    with using.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM sqlite_master WHERE name = '{TABLE}'")
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')")
        for label, (code, title_fields, body_fields) in INDEXED.items():
            model = _model(label)
            table, pk = model._meta.db_table, model._meta.pk.column
            title, body = _columns(model, title_fields), _columns(model, body_fields)
            insert = f"INSERT INTO {TABLE}(rowid, title, body) VALUES (NEW.{pk} * 16 + {code}, {title}, {body});"
            delete = f"DELETE FROM {TABLE} WHERE rowid = OLD.{pk} * 16 + {code};"
            for event, action in (("INSERT", insert), ("UPDATE", delete + insert), ("DELETE", delete)):
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_fulltext_{event.lower()} AFTER {event} ON {table} BEGIN {action} END")
            if not exists:
                cursor.execute(
                    f"INSERT INTO {TABLE}(rowid, title, body) SELECT {pk} * 16 + {code}, "
                    f"{title.replace('NEW.', '')}, {body.replace('NEW.', '')} FROM {table}"
                )


def _postgresql_indexes(using, table):
    with using.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s", [table])
        return {name for (name,) in cursor.fetchall()}


def _ensure_postgresql(using, replace=False):
    for label in INDEXED:
        model = _model(label)
        table = model._meta.db_table
        index = _gin_index(label, using)
        existing = _postgresql_indexes(using, table)
        ours = {name for name in existing if name.startswith(f"{table[:40]}_ft_")}
        stale = ours if replace else ours - {index.name}
        with using.schema_editor() as editor:
            for name in sorted(stale):
                editor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(name)}")
            if replace or index.name not in existing:
                editor.add_index(model, index)
                editor.execute(f"ANALYZE {editor.quote_name(table)}")


def postgresql_index_names():
    """The GIN indexes `ensure_schema` creates on PostgreSQL, by table."""
    return {_model(label)._meta.db_table: _gin_index(label).name for label in INDEXED}


def rebuild(using=connection):
    """Drop and recreate the index (after the indexed fields change, or to refill SQLite's)."""
    if using.vendor == "postgresql":
        _ensure_postgresql(using, replace=True)
    if using.vendor != "sqlite":
        return
    with using.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        for label in INDEXED:
            table = _model(label)._meta.db_table
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fulltext_{event}")
    ensure_schema(using)


def matching(queryset, text):
    """Narrow queryset (of an indexed model) to the rows matching text; an empty query matches nothing."""
    label = queryset.model._meta.label
    code, title_fields, body_fields = INDEXED[label]
    if not _words(text):
        return queryset.none()
    if CJK.search(text):
        return queryset.filter(_every_word_in(text, title_fields + body_fields))
    if connection.vendor == "postgresql":
        return queryset.alias(_fulltext=vector(label)).filter(_fulltext=_tsquery(text))
    if connection.vendor != "sqlite":
        return queryset.filter(_every_word_in(text, title_fields + body_fields))
    subquery = RawSQL(f"SELECT rowid >> 4 FROM {TABLE} WHERE {TABLE} MATCH %s AND (rowid & 15) = %s", (match_expression(text), code))
    return queryset.filter(pk__in=subquery)


def _every_word_in(text, fields):
    """Each word of text as a substring of one of fields (the fallback for Chinese, which has no word breaks)."""
    condition = Q()
    for word in _words(text):
        condition &= Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR)
    return condition


def search(text, limit=50):
    """Matches across every indexed model, best first: a list of (model, pk, rank), drafts included.

    The rank is the engine's own score (bm25 on SQLite, lower is better; ts_rank on PostgreSQL, higher
    is better): only the order is portable. A title match ranks above a body match on both.
    """
    if not _words(text):
        return []
    models = {code: _model(label) for label, (code, _, _) in INDEXED.items()}
    if CJK.search(text):
        found = _search_substrings(text, limit)
    elif connection.vendor == "postgresql":
        found = _search_postgresql(text, limit)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid >> 4, rowid & 15, bm25({TABLE}, 4.0, 1.0) AS score FROM {TABLE} WHERE {TABLE} MATCH %s "
                "ORDER BY score, rowid LIMIT %s",
                (match_expression(text), limit),
            )
            found = cursor.fetchall()
    else:
        found = []
    return [(models[code], pk, score) for pk, code, score in found if code in models]


def _search_postgresql(text, limit):
    query = _tsquery(text)
    parts = [
        _model(label)
        .objects.alias(_fulltext=vector(label))
        .filter(_fulltext=query)
        .annotate(_code=Value(code), _rank=SearchRank(vector(label), query, weights=PG_WEIGHTS))
        .values_list("pk", "_code", "_rank")
        .order_by()
        for label, (code, _, _) in INDEXED.items()
    ]
    return list(parts[0].union(*parts[1:], all=True).order_by("-_rank", "_code", "pk")[:limit])


def _search_substrings(text, limit):
    """Chinese: substring matches, every word; rank 1 when the titles hold every word, else 0.25 (higher is better)."""
    parts = []
    for label, (code, title_fields, body_fields) in INDEXED.items():
        in_title = Case(When(_every_word_in(text, title_fields), then=Value(1.0)), default=Value(0.25), output_field=FloatField())
        parts.append(
            _model(label)
            .objects.filter(_every_word_in(text, title_fields + body_fields))
            .annotate(_code=Value(code), _rank=in_title)
            .values_list("pk", "_code", "_rank")
            .order_by()
        )
    return list(parts[0].union(*parts[1:], all=True).order_by("-_rank", "_code", "pk")[:limit])


def _migrated(sender, using="default", **kwargs):
    from django.db import connections

    if sender.label == "iplus":
        ensure_schema(connections[using])
        if connections[using].vendor == "sqlite":
            # New or changed indexes have no statistics: without them SQLite's planner picks badly.
            with connections[using].cursor() as cursor:
                cursor.execute("ANALYZE")


def connect_signals():
    from django.db.models.signals import post_migrate

    post_migrate.connect(_migrated, dispatch_uid="iplus.fulltext.post_migrate")
