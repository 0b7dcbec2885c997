from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectorsConfig(AppConfig):
    name = "sectors"
    verbose_name = _("Sectors")

    def ready(self):
        from sectors import kinds  # noqa: F401  (declares its kinds of content)
