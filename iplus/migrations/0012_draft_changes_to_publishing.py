from django.db import migrations


class Migration(migrations.Migration):
    """DraftChange now belongs to the publishing app, which keeps its table: only the state moves."""

    dependencies = [
        ("iplus", "0011_draft_changes"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="DraftChange")]),
    ]
