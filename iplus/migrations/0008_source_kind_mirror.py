from django.db import migrations, models

from publishing.text_index import RebuildTextIndex

TEXT_INDEX = {"model_name": "source", "fields": ["title", "title_zh", "publisher", "note"]}


class Migration(migrations.Migration):
    dependencies = [("iplus", "0007_policydocument")]

    # Changing the constraint rebuilds the table on SQLite, which drops the text index's triggers: the first
    # rebuild serves migrating backwards, the last forwards.
    operations = [
        migrations.AlterModelOptions(
            name="source", options={"ordering": ["title", "slug"], "verbose_name": "source", "verbose_name_plural": "sources"}
        ),
        RebuildTextIndex(**TEXT_INDEX),
        migrations.RemoveConstraint(
            model_name='source',
            name='iplus_source_kind_valid',
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='kind',
            field=models.CharField(choices=[('official', 'Official document'), ('press', 'Press'), ('academic', 'Academic'), ('encyclopedia', 'Encyclopedia'), ('reference', 'Reference cited by the article'), ('translation', 'Translation or summary'), ('mirror', 'Mirror or secondary copy')], help_text='What sort of source this is.', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='source',
            name='kind',
            field=models.CharField(choices=[('official', 'Official document'), ('press', 'Press'), ('academic', 'Academic'), ('encyclopedia', 'Encyclopedia'), ('reference', 'Reference cited by the article'), ('translation', 'Translation or summary'), ('mirror', 'Mirror or secondary copy')], help_text='What sort of source this is.', max_length=20, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['official', 'press', 'academic', 'encyclopedia', 'reference', 'translation', 'mirror'])), name='iplus_source_kind_valid'),
        ),
        RebuildTextIndex(**TEXT_INDEX),
    ]
