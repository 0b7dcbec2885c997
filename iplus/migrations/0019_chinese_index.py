from django.db import migrations

from publishing.text_index import CreateChineseIndex


class Migration(migrations.Migration):
    """The index for queries in Chinese of each searched kind: its fields and their Chinese translations."""

    dependencies = [("iplus", "0018_document_validity_choices")]

    operations = [
        CreateChineseIndex(
            model_name="policydocument",
            fields=[
                "title",
                "other_titles",
                "title_zh",
                "number_zh",
                "number_en",
                "issuer",
                "issuer_zh",
                "summary",
                "body",
                "summary_zh",
                "body_zh",
            ],
        ),
        CreateChineseIndex(model_name="keyaction", fields=["name", "name_zh", "description", "description_zh"]),
        CreateChineseIndex(model_name="milestone", fields=["title", "description", "title_zh", "description_zh"]),
        CreateChineseIndex(model_name="section", fields=["title", "title_zh", "body", "body_zh"]),
        CreateChineseIndex(model_name="glossaryterm", fields=["term", "term_zh", "definition", "definition_zh"]),
        CreateChineseIndex(model_name="source", fields=["title", "title_zh", "publisher", "note", "note_zh"]),
    ]
