import gzip
import hashlib
import json
import sqlite3
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers import sort_dependencies
from django.db import connection, transaction
from django.utils import timezone

from publishing.fixture_checks import read_objects

# Rebuilt by migrate, or not worth keeping: content types, permissions, sessions, sign-in attempts.
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}


class Command(BaseCommand):
    help = "Write a consistent snapshot of the whole database into var/backups/ (SQLite: a database file; PostgreSQL: JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=settings.BASE_DIR / "var" / "backups", help="Where to write the backup.")
        parser.add_argument("--json", action="store_true", help="Write JSON on SQLite too, e.g. to move the site to PostgreSQL.")

    def handle(self, *args, output_dir, json, verbosity, **options):
        path = backup(output_dir, as_json=json)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({path.stat().st_size:,} bytes)."))


MANIFEST = ".manifest.json"  # beside each backup: the SHA-256 of its file and its objects per model, which restore checks


def backup(output_dir, label="iplus", as_json=False):
    path = write_backup(output_dir, label, as_json)
    manifest = {"files": {path.name: sha256(path)}, "counts": counts(path)}
    path.with_name(path.name + MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def write_backup(output_dir, label, as_json):
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    if connection.vendor == "sqlite" and not as_json:
        path = output_dir / f"{label}-{stamp}.sqlite3"
        connection.ensure_connection()
        # The online backup API copies a consistent snapshot while the site keeps serving.
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
            # A single self-contained file: no -wal or -shm beside it when it is read later.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        return path
    path = output_dir / f"{label}-{stamp}.json.gz"
    outermost = not connection.in_atomic_block  # inside a transaction already (a test), its snapshot is the one we get
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                # One snapshot for every table, however long the dump takes.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        text = dump_json()
    with gzip.open(path, "wt", encoding="utf-8") as file:
        file.write(text)
    return path


def dump_json():
    """Every row with its own primary key, so history rows still point at their objects after a restore.

    References are natural keys (portable between databases: permissions, content types), except in
    history rows, whose references may name objects deleted since: those keep plain ids.
    """
    objects = list(dump_objects())
    history = [obj for obj in objects if obj._meta.label_lower.split(".")[1].startswith("historical")]
    current = [obj for obj in objects if not obj._meta.label_lower.split(".")[1].startswith("historical")]
    chunks = [
        serializers.serialize("json", current, indent=1, use_natural_foreign_keys=True),
        serializers.serialize("json", history, indent=1),
    ]
    return json.dumps([obj for chunk in chunks for obj in json.loads(chunk)], indent=1, ensure_ascii=False)


def dump_objects():
    for model in sort_dependencies([(None, backed_up_models())], allow_cycles=True):
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


def backed_up_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED_APPS and model._meta.label_lower not in EXCLUDED_MODELS and not model._meta.proxy
    ]


def sha256(path):
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def counts(path):
    """{model label: rows} of what a backup file holds, read from the file itself."""
    if path.suffix == ".sqlite3":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = {model: source.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0] for model in backed_up_models()}
        finally:
            source.close()
        return {model._meta.label_lower: count for model, count in rows.items() if count}
    return dict(Counter(obj["model"] for obj in read_objects(path)))
