"""The Editors group: add, change and view every content model and view its history; no delete, no users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Editors"

# The content models as of this migration; a later content model needs a migration of its own.
EDITED_MODELS = {
    "iplus": ["source", "section", "technology", "strategy", "keyaction", "milestone", "glossaryterm"],
    "sectors": ["sector", "alias", "application", "figure"],
    "critiques": ["critique"],
}


def editor_codenames(model_name):
    return [f"{action}_{model_name}" for action in ("add", "change", "view")] + [f"view_historical{model_name}"]


def create_permissions_now(apps):
    """Permissions are normally created after migrate has finished; the group needs them now."""
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def editor_permissions(apps, edited_models):
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for app_label, model_names in edited_models.items():
        codenames = [codename for model_name in model_names for codename in editor_codenames(model_name)]
        found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        missing = set(codenames) - {permission.codename for permission in found}
        if missing:
            raise RuntimeError(f"Permissions missing for the Editors group: {sorted(missing)}")
        permissions.extend(found)
    return permissions


def create_editors_group(apps, schema_editor):
    create_permissions_now(apps)
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(editor_permissions(apps, EDITED_MODELS))


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("iplus", "0002_history"),
        ("sectors", "0002_history"),
        ("critiques", "0002_history"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
