from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand

from iplus.content import CONTENT_MODELS, fixture_path


class Command(BaseCommand):
    help = "Write the database's content back to fixtures/, with natural keys and a stable order."

    def handle(self, *args, verbosity, **options):
        for app_label, model_names in CONTENT_MODELS.items():
            path = fixture_path(app_label)
            text = export_app(app_label, model_names)
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            path.write_text(text, encoding="utf-8")
            if verbosity:
                self.stdout.write(f"Wrote {path}")


def export_app(app_label, model_names):
    objects = []
    for model_name in model_names:
        model = apps.get_model(app_label, model_name)
        order = [field for field in ("slug", "name") if any(f.name == field for f in model._meta.fields)][:1]
        objects.extend(model._default_manager.order_by(*order))
    text = serializers.serialize("json", objects, indent=2, use_natural_foreign_keys=True, use_natural_primary_keys=True)
    return text + "\n"
