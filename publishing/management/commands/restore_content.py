import json
import sqlite3
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction

from publishing.content import content_count, problem
from publishing.fixture_checks import BrokenFile, Check, read_objects, refusal
from publishing.management.commands.backup_content import MANIFEST, backed_up_models, backup, counts, sha256

REFUSED = "; nothing restored, the database is unchanged."


class Command(BaseCommand):
    help = "Bring back a backup written by backup_content, once it is checked. Asks before replacing a database that holds anything."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A var/backups/ file: .sqlite3 (SQLite only) or .json.gz (any database), or its manifest.")
        parser.add_argument("--yes", action="store_true", help="Replace a non-empty database without asking.")
        parser.add_argument(
            "--no-manifest",
            action="store_true",
            help="Restore a file that has no manifest (one made by hand, or before backups had one); its objects are still checked.",
        )

    def handle(self, *args, file, yes, no_manifest, verbosity, **options):
        path = Path(file)
        path = path.with_name(path.name.removesuffix(MANIFEST))
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        is_sqlite_file = path.suffix == ".sqlite3"
        if not is_sqlite_file and not path.name.endswith((".json", ".json.gz")):
            raise CommandError(f"{path.name}: not a backup (expected .sqlite3 or .json.gz).")
        if not no_manifest:
            check_manifest(path)
        if is_sqlite_file:
            check_sqlite_backup(path)
        else:
            check_json_backup(path)

        held = objects_held()
        if held:
            if not yes:
                self.confirm(held)
            safety = backup(path.parent, label="before-restore")
            if verbosity:
                self.stdout.write(f"The database as it was is saved in {safety}.")

        if is_sqlite_file:
            restore_sqlite(path)
            call_command("migrate", verbosity=0, interactive=False)
        else:
            call_command("migrate", verbosity=0, interactive=False)
            try:
                with transaction.atomic():
                    call_command("flush", verbosity=0, interactive=False)
                    call_command("loaddata", str(path), verbosity=0)
            except (DatabaseError, DeserializationError, CommandError) as error:
                raise CommandError(refusal([f"{path.name}: {' '.join(problem(error).split())}"], REFUSED)) from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Restored {path}: {content_count()} content objects."))

    def confirm(self, held):
        prompt = f"The database holds {held} objects (content and accounts). Replace everything in it with the backup? [y/N] "
        try:
            answer = input(prompt)
        except EOFError:
            answer = ""
        if answer.strip().lower() not in {"y", "yes"}:
            raise CommandError("Nothing restored. Pass --yes (or FORCE=1 to make) to replace the database without asking.")


def objects_held():
    try:
        return content_count() + get_user_model()._default_manager.count()
    except DatabaseError:
        return 0  # no tables yet: a new database


def check_manifest(path):
    """The file is the one backup_content wrote: its SHA-256 and its objects per model are the manifest's."""
    manifest_path = path.with_name(path.name + MANIFEST)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected, expected_counts = manifest["files"][path.name], manifest["counts"]
    except FileNotFoundError:
        missing = f"{path.name}: no manifest beside it ({manifest_path.name}); --no-manifest restores it unchecked"
        raise CommandError(missing + REFUSED) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{manifest_path.name}: not a manifest of {path.name} ({error!r}){REFUSED}") from error
    if (actual := sha256(path)) != expected:
        raise CommandError(
            f"{path.name}: its SHA-256 is {actual}, the manifest says {expected}: the file changed after the backup was written{REFUSED}"
        )
    try:
        actual_counts = counts(path)
    except (BrokenFile, sqlite3.DatabaseError) as error:
        raise CommandError(f"{path.name} is not a usable backup: {error}{REFUSED}") from error
    if actual_counts != expected_counts:
        differ = ", ".join(
            f"{label} {actual_counts.get(label, 0)} (manifest: {expected_counts.get(label, 0)})"
            for label in sorted(actual_counts.keys() | expected_counts.keys())
            if actual_counts.get(label) != expected_counts.get(label)
        )
        raise CommandError(f"{path.name}: holds objects other than its manifest counts: {differ}{REFUSED}")


def check_sqlite_backup(path):
    if connection.vendor != "sqlite":
        raise CommandError(f"{path.name} is a SQLite database file; this site runs on {connection.vendor}. Restore a .json.gz backup.")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (result,) = source.execute("PRAGMA quick_check").fetchone()
        source.execute("SELECT 1 FROM django_migrations LIMIT 1")
        if result != "ok":
            raise CommandError(f"{path.name} is damaged: {result}{REFUSED}")
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path.name} is not a usable backup: {error}{REFUSED}") from error
    finally:
        source.close()


def check_json_backup(path):
    """A JSON backup whose objects load: no duplicate, every reference within the file (but
    to what migrate rebuilds, content types and permissions, which the backup names by natural key)."""
    carried = set(backed_up_models())
    check = Check(resolves=lambda model, key: model not in carried, missing="is not in the backup")
    try:
        objects = read_objects(path)
        check.add(path, objects)
    except BrokenFile as error:
        raise CommandError(refusal(error.problems, REFUSED)) from error
    if problems := check.problems():
        raise CommandError(refusal(problems, REFUSED))


def restore_sqlite(path):
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # Page by page into the live database, in one step for every other connection.
        source.backup(connection.connection)
    finally:
        source.close()
