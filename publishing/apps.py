from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")

    def ready(self):
        from publishing import signals  # noqa: F401  (connects the page cache's invalidation)


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site editors use (publishing/sites.py)."""

    default = False  # PublishingConfig is this app's own
    default_site = "publishing.sites.EditorsSite"
