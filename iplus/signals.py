from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

CONTENT_APPS = {"iplus", "sectors", "critiques"}


def clear_pages(**kwargs):
    """Empty the page cache once the change is committed, so every worker and server shows it at once."""
    transaction.on_commit(caches["pages"].clear, using=kwargs.get("using"))


def content_changed(sender, **kwargs):
    # A draft change is not live: visitors' pages stay as they are (and stored).
    if sender._meta.app_label in CONTENT_APPS and sender._meta.label_lower != "iplus.draftchange":
        clear_pages(**kwargs)


def migrated(sender, **kwargs):
    if sender.label in CONTENT_APPS:  # pages rendered by the previous release must go
        clear_pages(**kwargs)


post_save.connect(content_changed, dispatch_uid="iplus.signals.post_save")
post_delete.connect(content_changed, dispatch_uid="iplus.signals.post_delete")
m2m_changed.connect(content_changed, dispatch_uid="iplus.signals.m2m_changed")
post_migrate.connect(migrated, dispatch_uid="iplus.signals.post_migrate")
