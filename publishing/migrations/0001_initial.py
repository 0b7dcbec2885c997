import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """The draft change's content type follows the model, so its permissions keep their rows."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="iplus", model="draftchange").update(app_label="publishing")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="publishing", model="draftchange").update(app_label="iplus")


class Migration(migrations.Migration):
    """DraftChange moves here from the iplus app with its table, iplus_draftchange: nothing in the database changes."""

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("iplus", "0011_draft_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DraftChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("data", models.JSONField(help_text="Each field's values as the form sent them.", verbose_name="the form's values")),
                        ("saved", models.DateTimeField(auto_now=True, verbose_name="saved")),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype")),
                        (
                            "saved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="saved by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "draft change",
                        "verbose_name_plural": "draft changes",
                        "db_table": "iplus_draftchange",
                        "constraints": [models.UniqueConstraint(fields=("content_type", "object_id"), name="one_draft_change_per_item")],
                    },
                ),
            ]
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
