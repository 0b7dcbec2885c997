import json
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from publishing.content import (
    BASELINE_REASON,
    LOADED_FROM,
    NATURAL_KEYS,
    content_count,
    database_content,
    describe,
    exported_fields,
    fixture_path,
    html_fields,
    object_key,
    problem,
    record_first_versions,
    record_version,
)
from publishing.fixture_checks import BrokenFile, Check, at_most, in_database, read_objects, refusal, show
from publishing.kinds import content_apps, content_models

REFUSED = "; nothing loaded, the database is unchanged."


class Command(BaseCommand):
    help = (
        "Load the site content from fixtures/ in one transaction, validating every object. Objects the fixtures name are "
        "overwritten, each with a history record (its state before, and the load), so a load can be reverted; an object with no "
        "history gets its first version, dated by its own `updated`; objects only "
        "in the database are kept and listed. A file with two objects of one natural key is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", help="Fixture files to load, .json or .json.gz (default: the content fixtures).")
        parser.add_argument("--if-empty", action="store_true", help="Load only into a database with no content yet.")
        parser.add_argument("--yes", action="store_true", help="Overwrite existing content without asking.")

    def handle(self, *args, fixtures, if_empty, yes, verbosity, **options):
        fixtures = fixtures or [str(fixture_path(app_label)) for app_label in content_apps()]
        existing = content_count()
        if existing and if_empty:
            if verbosity:
                self.stdout.write(f"The database already holds {existing} content objects; nothing loaded.")
            return
        files, check = self.read(fixtures)
        incoming = {object_key(item): item for objects in files.values() for item in objects}
        before = database_content() if existing else {}
        if existing:
            summary = self.summary(fixtures, existing, incoming, before)
            if not yes:
                self.confirm_overwrite(summary)
            elif verbosity:
                self.stdout.write(summary)
        try:
            with transaction.atomic():
                baselines = self.record_baselines(before, incoming)
                call_command("loaddata", *fixtures, verbosity=0)
                self.validate(check)
                self.record_load(before, baselines, check)
                record_first_versions(lambda obj: f"{LOADED_FROM} {check.origin(obj) or 'the fixtures'}")
        except BrokenFile as error:
            raise CommandError(refusal(error.problems, REFUSED)) from error
        except (DatabaseError, DeserializationError, ValidationError, CommandError) as error:
            raise CommandError(refusal([" ".join(problem(error).split())], REFUSED)) from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(fixtures)}: {content_count()} content objects."))

    def read(self, fixtures):
        """Every file's objects, checked together as one load: a problem in any file refuses them all."""
        if len({Path(name).absolute() for name in fixtures}) < len(fixtures):
            raise CommandError(f"A file is named twice in {', '.join(fixtures)}{REFUSED}")
        files, check = {}, Check(resolves=in_database)
        try:
            for name in fixtures:
                files[name] = read_objects(name)
                check.add(name, files[name])
        except BrokenFile as error:
            raise CommandError(refusal(error.problems, REFUSED)) from error
        if problems := check.problems():
            raise CommandError(refusal(problems, REFUSED))
        return files, check

    def summary(self, fixtures, existing, incoming, current):
        """What loading changes, so that no edit in the database is lost without the editor knowing."""
        overwritten = {key for key in incoming.keys() & current.keys() if incoming[key] != current[key]}
        added = incoming.keys() - current.keys()
        kept = current.keys() - incoming.keys()
        lines = [f"The database holds {existing} content objects. Loading {', '.join(fixtures)}:"]
        if overwritten:
            lines.append(
                f"overwrites {len(overwritten)} objects whose database version differs from the fixtures "
                f"(each keeps its state before in its history):\n{describe(overwritten)}"
            )
        if added:
            lines.append(f"adds {len(added)} objects.")
        if kept:
            lines.append(
                f"keeps {len(kept)} objects that are in the database but not in the fixtures "
                f"(they are not deleted; `make export-content` writes them to fixtures/):\n{describe(kept)}"
            )
        if not (overwritten or added):
            lines.append("changes nothing: the database already matches the fixtures.")
        return "\n".join(lines)

    def confirm_overwrite(self, summary):
        try:
            answer = input(f"{summary}\nContinue? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in {"y", "yes"}:
            raise CommandError("Nothing loaded. Pass --yes (or FORCE=1 to make) to overwrite without asking.")

    def record_baselines(self, before, incoming):
        """{key: object} of the objects the load may overwrite, each with a history: a never-edited one's first record is
        its state now (as an edit's would be), so the load can be reverted. {key: that record} too, for record_load."""
        keys = {key for key in incoming.keys() & before.keys() if incoming[key] != before[key]}
        baselines = {}
        for key, obj in content_objects(keys).items():
            baselines[key] = None if obj.history.exists() else record_version(obj, BASELINE_REASON, date=getattr(obj, "updated", None))
        return baselines

    def record_load(self, before, baselines, check):
        """A history record, "Loaded from <file>", of each object the load changed."""
        for key, obj in content_objects(baselines.keys()).items():
            if exported(obj) != before[key]:
                record_version(obj, f"Loaded from {check.origin(obj)}")
            elif baselines[key] is not None:  # the file differed only in form (the order of a list): nothing changed
                baselines[key].delete()

    def validate(self, check):
        """full_clean() every object (loaddata does not), and render its Markdown (loaddata's raw saves do not)."""
        problems = []
        for model in content_models():
            for obj in model._default_manager.all():
                if fields := html_fields(model):
                    obj.render_markdown()
                    # An update, not save(): loading writes no history of its own (record_load writes one record).
                    model._default_manager.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in fields})
                try:
                    obj.full_clean()
                except ValidationError as error:
                    details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
                    where = check.origin(obj) or "the database"
                    problems.append(f"{where}: {model._meta.label_lower} {show(('natural', obj.natural_key()))}: {details}")
        if problems:
            raise BrokenFile(at_most(problems))


def exported(obj):
    """One object as database_content() has it."""
    return json.loads(serializers.serialize("json", [obj], fields=exported_fields([type(obj)]), **NATURAL_KEYS))[0]


def content_objects(keys):
    """{key: object} of the content objects with these object_key()s."""
    labels = {label for label, _key in keys}
    return {
        key: obj
        for model in content_models()
        if model._meta.label_lower in labels
        for obj in model._default_manager.all()
        if (key := (model._meta.label_lower, " ".join(map(str, obj.natural_key())))) in keys
    }
