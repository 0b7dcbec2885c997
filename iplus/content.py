"""The site's content as fixtures: which models, in which files, in which order."""

from django.apps import apps
from django.conf import settings

# Dependency order: a model's natural foreign keys point only to models before it.
CONTENT_MODELS = {
    "iplus": ["source", "section", "technology", "strategy", "keyaction", "milestone", "glossaryterm"],
    "sectors": ["sector", "alias", "application", "figure"],
    "critiques": ["critique"],
}


def fixture_path(app_label):
    return settings.BASE_DIR / "fixtures" / f"{app_label}.json"


def content_models():
    for app_label, model_names in CONTENT_MODELS.items():
        for model_name in model_names:
            yield apps.get_model(app_label, model_name)


def content_count():
    return sum(model._default_manager.count() for model in content_models())
