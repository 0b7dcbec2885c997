from django.db import migrations

from publishing.text_index import CreateTextIndex


class Migration(migrations.Migration):
    dependencies = [("critiques", "0004_markdown_html")]

    operations = [
        CreateTextIndex(model_name="critique", fields=['title', 'title_zh', 'summary', 'argument', 'raised_by', 'quotation']),
    ]
