import pytest
from django.db.models import CharField, TextField

from publishing.kinds import content_models
from sectors.models import Figure
from tests.article_facts import ARTICLE_FACTS, SUPPLEMENT_FACTS


def published_text():
    """Every text field of every published content object, plus the figures as the site words them."""
    chunks = []
    for model in content_models():
        manager = model._default_manager
        rows = manager.published() if hasattr(manager, "published") else manager.all()
        text_fields = [f.name for f in model._meta.fields if isinstance(f, CharField | TextField)]
        for row in rows:
            chunks.extend(str(getattr(row, name)) for name in text_fields)
    chunks.extend(figure.display for figure in Figure.objects.published())
    return "\n".join(chunks)


@pytest.mark.parametrize("section", ARTICLE_FACTS)
def test_every_fact_of_the_article_is_in_the_content(content, section):
    text = published_text()
    missing = [fact for fact in ARTICLE_FACTS[section] if fact not in text]
    assert missing == [], f"{section}: missing {missing}"


def test_the_supplements_key_actions_are_in_the_content(content):
    text = published_text()
    assert [fact for fact in SUPPLEMENT_FACTS if fact not in text] == []


def test_a_missing_fact_is_noticed(content):
    """The check above can fail: unpublishing the censorship critique loses its quotation."""
    from critiques.models import Critique

    Critique.objects.filter(slug="censorship").update(status="draft")
    assert "we all know the key thing about the internet is freedom" not in published_text()
