import json

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError

from publishing.content import NATURAL_KEYS, content_count, describe, exported_fields, fixture_path, object_key
from publishing.kinds import content_apps, content_models


class Command(BaseCommand):
    help = (
        "Write the database's content back to fixtures/, with natural keys and a stable order "
        "(history is not exported). Objects dropped from a fixture are listed."
    )

    def handle(self, *args, verbosity, **options):
        if not content_count():
            # A new or wrong database (DATABASE_URL) would otherwise empty every fixture.
            raise CommandError("The database holds no content: nothing was exported, and fixtures/ is unchanged.")
        for app_label in content_apps():
            path = fixture_path(app_label)
            text = export_app(app_label)
            old = path.read_text(encoding="utf-8") if path.exists() else None
            if old == text:
                continue
            path.write_text(text, encoding="utf-8")
            if verbosity:
                self.stdout.write(f"Wrote {path}")
                if old is not None and (dropped := keys(old) - keys(text)):
                    self.stdout.write(
                        f"Removed from {path.name}, because the database no longer has them "
                        f"(`git diff` shows them; `git checkout {path.name}` brings them back):\n{describe(dropped)}"
                    )


def keys(text):
    try:
        return {object_key(item) for item in json.loads(text)}
    except (ValueError, LookupError):
        return set()


def export_app(app_label):
    objects = []
    models = [model for model in content_models() if model._meta.app_label == app_label]
    for model in models:
        order = [field for field in ("slug", "name") if any(f.name == field for f in model._meta.fields)][:1]
        objects.extend(model._default_manager.order_by(*order))
    text = serializers.serialize("json", objects, indent=2, fields=exported_fields(models), **NATURAL_KEYS)
    return text + "\n"
