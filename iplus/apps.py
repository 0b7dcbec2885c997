from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IplusConfig(AppConfig):
    name = "iplus"
    verbose_name = _("The strategy")

    def ready(self):
        from iplus import kinds  # noqa: F401  (declares the strategy's kinds of content)
