from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IplusConfig(AppConfig):
    name = "iplus"
    verbose_name = _("The strategy")

    def ready(self):
        from django.core.signals import setting_changed

        from iplus import fulltext, pagecache, urlcache

        fulltext.connect_signals()
        pagecache.connect_signals()
        setting_changed.connect(urlcache.clear, dispatch_uid="iplus.urlcache.clear")
