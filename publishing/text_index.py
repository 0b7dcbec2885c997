"""The full-text index of a searched model, created by its app's migrations (publishing.search says what is searched).

SQLite: an FTS5 table over the model's table (``<table>_text``), kept by triggers and filled when created.
PostgreSQL: a GIN index over the same tsvector `vector()` builds, which `publishing.search.matching()` filters on.
Both split words at punctuation ("e-commerce" is "e" then "commerce", which a query matches as a phrase).

Neither splits Chinese into words, so a kind has a second index for queries in Chinese (`CreateChineseIndex`), over
its fields and their Chinese translations, that finds any run of three characters or more wherever it stands:
SQLite: an FTS5 table ``<table>_zh`` with the trigram tokenizer, kept by triggers as the first one is.
PostgreSQL: a pg_trgm GIN index on each field's upper-cased text, the expression the ORM's `icontains` compares.
"""

import string

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db.migrations.operations.base import Operation
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast, Upper

TOKENIZER = "unicode61 remove_diacritics 2"


def vector(fields):
    # Punctuation becomes a space, so PostgreSQL splits words as FTS5 does: "<script>", "a.b@c.org" and "/usr/bin"
    # are words, not a tag (whose text PostgreSQL's parser would drop), an address or a path.
    return SearchVector(*(_words_only(name) for name in fields), config="simple")


def _words_only(name):
    blanks = Value(" " * len(string.punctuation))
    return Func(F(name), Value(string.punctuation), blanks, function="translate", output_field=TextField())


def fts_table(model, suffix="_text"):
    return f"{model._meta.db_table}{suffix}"


class CreateTextIndex(Operation):
    reversible = True
    suffix = "_text"
    tokenize = f"tokenize=\"{TOKENIZER}\", prefix='2 3'"

    def __init__(self, model_name, fields):
        self.model_name = model_name
        self.fields = fields

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"model_name": self.model_name, "fields": self.fields}

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return f"Create the full-text index of {self.model_name}"

    def gin_indexes(self, model):
        return [GinIndex(vector(self.fields), name=f"{model._meta.db_table[:40]}_text")]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            for index in self.gin_indexes(model):
                schema_editor.add_index(model, index)
        elif schema_editor.connection.vendor == "sqlite":
            for statement in self.sqlite_statements(model):
                schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            for index in self.gin_indexes(model):
                schema_editor.remove_index(model, index)
        elif schema_editor.connection.vendor == "sqlite":
            table = fts_table(model, self.suffix)
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")

    def sqlite_statements(self, model):
        table, fts = model._meta.db_table, fts_table(model, self.suffix)
        pk = model._meta.pk.column
        columns = [model._meta.get_field(name).column for name in self.fields]
        names = ", ".join(columns)
        new = ", ".join(f"new.{column}" for column in columns)
        old = ", ".join(f"old.{column}" for column in columns)
        insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.{pk}, {new});"
        delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.{pk}, {old});"
        return [
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='{pk}', {self.tokenize})",
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
            f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]


class CreateChineseIndex(CreateTextIndex):
    """The index for queries in Chinese (see the module's docstring): `fields` are the kind's fields and zh_fields."""

    suffix = "_zh"
    tokenize = "tokenize='trigram'"

    def describe(self):
        return f"Create the index of {self.model_name} for queries in Chinese"

    def gin_indexes(self, model):
        # The name keeps the column whole, so no two fields' indexes share one (PostgreSQL allows 63 characters).
        return [
            GinIndex(OpClass(Upper(Cast(name, TextField())), name="gin_trgm_ops"), name=f"{model._meta.db_table[:30]}_{column}_zh"[:63])
            for name, column in ((name, model._meta.get_field(name).column) for name in self.fields)
        ]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # a trusted extension: the database's owner may
        super().database_forwards(app_label, schema_editor, from_state, to_state)


class Rebuilt:
    """Drop and create the index again, in either direction, on SQLite: an operation that rebuilds the table (adding a
    column with a default, adding or removing a constraint, most AlterFields) drops its triggers. Put one before and one
    after such operations."""

    def describe(self):
        return f"Rebuild the {self.suffix} index of {self.model_name} on SQLite"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, to_state, from_state)
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.database_forwards(app_label, schema_editor, from_state, to_state)


class RebuildTextIndex(Rebuilt, CreateTextIndex):
    pass


class RebuildChineseIndex(Rebuilt, CreateChineseIndex):
    pass
