from django.db import migrations

from publishing.text_index import CreateTextIndex


class Migration(migrations.Migration):
    dependencies = [("iplus", "0004_markdown_html")]

    operations = [
        CreateTextIndex(model_name="keyaction", fields=['name', 'name_zh', 'description']),
        CreateTextIndex(model_name="milestone", fields=['title', 'description']),
        CreateTextIndex(model_name="section", fields=['title', 'title_zh', 'body']),
        CreateTextIndex(model_name="glossaryterm", fields=['term', 'term_zh', 'definition']),
        CreateTextIndex(model_name="source", fields=['title', 'title_zh', 'publisher', 'note']),
    ]
