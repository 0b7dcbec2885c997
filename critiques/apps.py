from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CritiquesConfig(AppConfig):
    name = "critiques"
    verbose_name = _("Critiques")

    def ready(self):
        from critiques import kinds  # noqa: F401  (declares its kinds of content)
