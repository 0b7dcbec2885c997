import gzip
import json
import sqlite3
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction

from iplus.content import content_count, problem
from iplus.management.commands.backup_content import backup


class Command(BaseCommand):
    help = "Bring back a backup written by backup_content. Asks before replacing a database that holds anything."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A var/backups/ file: .sqlite3 (SQLite only) or .json.gz (any database).")
        parser.add_argument("--yes", action="store_true", help="Replace a non-empty database without asking.")

    def handle(self, *args, file, yes, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        is_sqlite_file = path.suffix == ".sqlite3"
        if not is_sqlite_file and not path.name.endswith((".json", ".json.gz")):
            raise CommandError(f"{path.name}: not a backup (expected .sqlite3 or .json.gz).")
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
                raise CommandError(f"Backup not restored; the database is unchanged.\n{problem(error)}") from error
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


def check_sqlite_backup(path):
    if connection.vendor != "sqlite":
        raise CommandError(f"{path.name} is a SQLite database file; this site runs on {connection.vendor}. Restore a .json.gz backup.")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (result,) = source.execute("PRAGMA quick_check").fetchone()
        source.execute("SELECT 1 FROM django_migrations LIMIT 1")
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path.name} is not a usable backup: {error}") from error
    finally:
        source.close()
    if result != "ok":
        raise CommandError(f"{path.name} is damaged: {result}")


def check_json_backup(path):
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as file:
            data = json.load(file)
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as error:  # EOFError: a truncated .gz
        raise CommandError(f"{path.name} is not a usable backup: {error}") from error
    if not isinstance(data, list):
        raise CommandError(f"{path.name} is not a usable backup: expected a list of objects.")


def restore_sqlite(path):
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # Page by page into the live database, in one step for every other connection.
        source.backup(connection.connection)
    finally:
        source.close()
