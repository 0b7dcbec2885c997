from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class IplusConfig(AppConfig):
    name = "iplus"
    verbose_name = _("The strategy")

    def ready(self):
        from iplus import signals  # noqa: F401  (connects the page cache's invalidation)


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site editors use (iplus/sites.py)."""

    default = False  # IplusConfig is this app's own
    default_site = "iplus.sites.EditorsSite"
