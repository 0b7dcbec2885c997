"""Full-text search: one SQLite FTS5 index over the text of every content model; full-text search on PostgreSQL.

On SQLite the table `iplus_fulltext` (created after `migrate`, filled from the existing rows) is kept in
step by triggers on each indexed table, so bulk_create, raw SQL and the admin all keep it current.
Its rowid encodes the model and the primary key (``pk * 16 + code``; codes below 16), so an update touches one row.

    from iplus import fulltext
    fulltext.matching(Critique.objects.published(), "data privacy")  # the queryset, narrowed to matches
    fulltext.search("data privacy")  # [(model, pk, rank)...] across models, best first

Every word of the query must match (a word matches as a prefix: "regulat" finds "regulation").
Queries with Chinese characters fall back to substring matching, since FTS5's tokenizer does not
split Chinese into words.
"""

import re

from django.apps import apps
from django.db import connection
from django.db.models import Q
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


def match_expression(text):
    """The FTS5 query for what a visitor typed: every word, each as a quoted prefix; None when nothing is left."""
    words = WORD.findall(text or "")[:MAX_WORDS]
    return " ".join(f'"{word}"*' for word in words) or None


def _model(label):
    return apps.get_model(label)


def _columns(model, fields):
    return " || ' ' || ".join(f"coalesce(NEW.{model._meta.get_field(name).column}, '')" for name in fields)


def ensure_schema(using=connection):
    """Create the SQLite index and its triggers if missing, and fill it from the rows already there."""
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


def rebuild(using=connection):
    """Drop and refill the SQLite index (after the indexed fields change)."""
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
    model = queryset.model
    code, title_fields, body_fields = INDEXED[model._meta.label]
    if not (text or "").strip() or not WORD.search(text):
        return queryset.none()
    if CJK.search(text) or connection.vendor != "sqlite":
        return _filter_fallback(queryset, text, title_fields + body_fields)
    subquery = RawSQL(f"SELECT rowid >> 4 FROM {TABLE} WHERE {TABLE} MATCH %s AND (rowid & 15) = %s", (match_expression(text), code))
    return queryset.filter(pk__in=subquery)


def _filter_fallback(queryset, text, fields):
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.annotate(_fulltext=SearchVector(*fields, config="simple")).filter(
            _fulltext=SearchQuery(text, search_type="websearch", config="simple")
        )
    condition = Q()
    for word in WORD.findall(text)[:MAX_WORDS]:
        condition &= Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR)
    return queryset.filter(condition)


def search(text, limit=50):
    """Matches across every indexed model, best first: a list of (model, pk, rank); SQLite only, else []."""
    expression = match_expression(text)
    if not expression or connection.vendor != "sqlite" or CJK.search(text):
        return []
    models = {code: _model(label) for label, (code, _, _) in INDEXED.items()}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid >> 4, rowid & 15, bm25({TABLE}, 4.0, 1.0) AS score FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY score LIMIT %s",
            (expression, limit),
        )
        return [(models[code], pk, score) for pk, code, score in cursor.fetchall() if code in models]


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
