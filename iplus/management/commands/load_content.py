from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from iplus.content import CONTENT_MODELS, content_count, content_models, fixture_path


class Command(BaseCommand):
    help = "Load the site content from fixtures/ in one transaction, validating every object."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", help="Fixture files to load (default: the content fixtures).")
        parser.add_argument("--if-empty", action="store_true", help="Load only into a database with no content yet.")
        parser.add_argument("--yes", action="store_true", help="Overwrite existing content without asking.")

    def handle(self, *args, fixtures, if_empty, yes, verbosity, **options):
        fixtures = fixtures or [str(fixture_path(app_label)) for app_label in CONTENT_MODELS]
        existing = content_count()
        if existing and if_empty:
            if verbosity:
                self.stdout.write(f"The database already holds {existing} content objects; nothing loaded.")
            return
        if existing and not yes:
            self.confirm_overwrite(existing)
        try:
            with transaction.atomic():
                call_command("loaddata", *fixtures, verbosity=0)
                self.validate()
        except (DatabaseError, ValidationError, CommandError) as error:
            raise CommandError(f"Content not loaded; the database is unchanged.\n{error}") from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(fixtures)}: {content_count()} content objects."))

    def confirm_overwrite(self, existing):
        prompt = (
            f"The database holds {existing} content objects. Loading the fixtures overwrites every object "
            "they name with the fixture's version (objects they do not name are kept). Continue? [y/N] "
        )
        try:
            answer = input(prompt)
        except EOFError:
            answer = ""
        if answer.strip().lower() not in {"y", "yes"}:
            raise CommandError("Nothing loaded. Pass --yes (or FORCE=1 to make) to overwrite without asking.")

    def validate(self):
        problems = []
        for model in content_models():
            for obj in model._default_manager.all():
                try:
                    obj.full_clean()
                except ValidationError as error:
                    details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
                    problems.append(f"{model._meta.label} {obj.natural_key()}: {details}")
        if problems:
            raise ValidationError("Invalid content:\n" + "\n".join(problems))
