import hashlib

from django.core.cache import caches
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from publishing.kinds import content_apps


def kept(key, compute):
    """`compute()`, kept in the page cache, which every content change empties: so it is never stale."""
    return caches["pages"].get_or_set("iplus:" + hashlib.md5(repr(key).encode(), usedforsecurity=False).hexdigest(), compute)


def clear_pages(**kwargs):
    """Empty the page cache once the change is committed, so every worker and server shows it at once."""
    transaction.on_commit(caches["pages"].clear, using=kwargs.get("using"))


def content_changed(sender, **kwargs):
    # Any model of a content app: the content, its links and its history (a draft change, kept here, is not live).
    if sender._meta.app_label in content_apps():
        clear_pages(**kwargs)


def migrated(sender, **kwargs):
    if sender.label in content_apps():  # pages rendered by the previous release must go
        clear_pages(**kwargs)


def analysed(sender, using, plan=None, **kwargs):
    """The tables' statistics read anew after migrations: SQLite knows nothing of a new index on an analysed table and
    prefers it blindly (at 100,000 critiques a new index on critiques took the sources filter's choices from 1 to 98 ms)."""
    if sender.name == "publishing" and plan:  # once a migrate, and only if it changed something
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")


post_save.connect(content_changed, dispatch_uid="publishing.signals.post_save")
post_delete.connect(content_changed, dispatch_uid="publishing.signals.post_delete")
m2m_changed.connect(content_changed, dispatch_uid="publishing.signals.m2m_changed")
post_migrate.connect(migrated, dispatch_uid="publishing.signals.post_migrate")
post_migrate.connect(analysed, dispatch_uid="publishing.signals.analysed")
