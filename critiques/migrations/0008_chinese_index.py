from django.db import migrations

from publishing.text_index import CreateChineseIndex


class Migration(migrations.Migration):
    """The index for queries in Chinese of each searched kind: its fields and their Chinese translations."""

    dependencies = [("critiques", "0007_chinese_translations")]

    operations = [
        CreateChineseIndex(
            model_name="critique",
            fields=["title", "title_zh", "summary", "argument", "raised_by", "quotation", "summary_zh", "argument_zh"],
        ),
    ]
