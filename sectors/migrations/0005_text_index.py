from django.db import migrations

from publishing.text_index import CreateTextIndex


class Migration(migrations.Migration):
    dependencies = [("sectors", "0004_markdown_html")]

    operations = [
        CreateTextIndex(model_name="sector", fields=['name', 'name_zh', 'summary', 'body']),
    ]
