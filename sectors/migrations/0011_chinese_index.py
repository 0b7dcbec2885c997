from django.db import migrations

from publishing.text_index import CreateChineseIndex


class Migration(migrations.Migration):
    """The index for queries in Chinese of each searched kind: its fields and their Chinese translations."""

    dependencies = [("sectors", "0010_figure_passage")]

    operations = [
        CreateChineseIndex(model_name="sector", fields=["name", "name_zh", "summary", "body", "summary_zh", "body_zh"]),
        CreateChineseIndex(model_name="target", fields=["measure", "measure_zh", "passage", "passage_en"]),
    ]
