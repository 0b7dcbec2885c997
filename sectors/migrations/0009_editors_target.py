"""The Editors group edits targets too."""

from importlib import import_module

from django.db import migrations

editors = import_module("iplus.migrations.0003_editors_group")
EDITED_MODELS = {"sectors": ["target"]}


def grant(apps, schema_editor):
    editors.create_permissions_now(apps)
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=editors.GROUP_NAME)
    group.permissions.add(*editors.editor_permissions(apps, EDITED_MODELS))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=editors.GROUP_NAME).first()
    if group:
        group.permissions.remove(*editors.editor_permissions(apps, EDITED_MODELS))


class Migration(migrations.Migration):
    dependencies = [("sectors", "0008_targets"), ("iplus", "0009_editors_policydocument")]

    operations = [migrations.RunPython(grant, revoke)]
