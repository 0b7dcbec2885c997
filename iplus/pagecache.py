"""The page cache: whole anonymous GET responses, invalidated on every content change.

Pages are stored in the cache named by ``PAGE_CACHE_ALIAS`` (default "default") under their full URL,
each with the content version it was rendered at. The version is one key in that same shared cache,
replaced by a new random token after every committed change to content (any model of the content
apps, their many-to-many links included), so an edit shows on every worker at once and stale pages
are never served: a page stored at an older version is a miss.

Only requests without a session cookie are served from or stored into the cache (staff and anyone
logged in always get fresh pages), and only 200 responses that set no cookie, ask for no privacy and
used no CSP nonce are stored.
"""

import contextlib
import hashlib
import threading
import uuid

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse

CONTENT_APPS = {"iplus", "sectors", "critiques"}
VERSION_KEY = "iplus:content-version"
PAGE_KEY_PREFIX = "iplus:page:v2:"  # v2: entries are (version, (status, headers, content))
HEADER = "X-Page-Cache"

_deferred = threading.local()


def cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


def new_version():
    return uuid.uuid4().hex


def current_version():
    version = cache().get(VERSION_KEY)
    if version is None:
        cache().add(VERSION_KEY, new_version(), timeout=None)
        version = cache().get(VERSION_KEY)
    return version


MISSING = object()


def lookup(key):
    """(version, value): the current content version and what `key` holds at it (MISSING if nothing, or only
    older); one round trip to the cache."""
    found = cache().get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or current_version()
    entry = found.get(key)
    return version, (entry[1] if entry is not None and entry[0] == version else MISSING)


def store(key, version, value):
    cache().set(key, (version, value), timeout())


def memoise(key, compute):
    """`compute()`, kept in the shared cache under `key` until the next content change (any worker computes it once)."""
    version, value = lookup(key)
    if value is MISSING:
        value = compute()
        store(key, version, value)
    return value


def bump_version():
    """Make every stored page stale, on every worker."""
    cache().set(VERSION_KEY, new_version(), timeout=None)


def invalidate(using=None):
    """Bump now, and again after the commit: a request that rendered the old rows in between stored its page
    under the first new version, which the second bump makes stale."""
    bump_version()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(bump_version, using=using, robust=True)


def content_changed(using=None, **kwargs):
    if not getattr(_deferred, "depth", 0):
        invalidate(using)


@contextlib.contextmanager
def invalidation_deferred():
    """One version bump at the end of a bulk change (bulk_create sends no signals; a bulk delete sends one per object)."""
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if not _deferred.depth:
            invalidate()


def _content_receiver(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        content_changed(**kwargs)


def _migrated(sender, **kwargs):
    # A deploy runs migrate: pages rendered by the previous code must go.
    if sender.label in CONTENT_APPS:
        bump_version()


def connect_signals():
    post_save.connect(_content_receiver, dispatch_uid="iplus.pagecache.post_save")
    post_delete.connect(_content_receiver, dispatch_uid="iplus.pagecache.post_delete")
    m2m_changed.connect(_content_receiver, dispatch_uid="iplus.pagecache.m2m_changed")
    post_migrate.connect(_migrated, dispatch_uid="iplus.pagecache.post_migrate")


def page_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE_KEY_PREFIX + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def is_cacheable_request(request):
    return request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_cacheable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # The key is the URL alone: a page that varies on a header (Accept-Language, Accept-Encoding...) is not stored.
    # Cookie is the exception, see PageCacheMiddleware.
    if {name.strip().lower() for name in response.get("Vary", "").split(",")} - {"", "cookie"}:
        return False
    # A page that used its CSP nonce must not hand that nonce to the next visitor.
    return not getattr(request, "_csp_nonce", None)


class PageCacheMiddleware:
    """Serve anonymous GETs from the page cache; place it after WhiteNoise, before the session middleware.

    A response may carry "Vary: Cookie" (a view asked who the user is): it is stored all the same, because
    it was made for a request without a session cookie and is only ever served to such requests.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        version, page = lookup(key)
        if page is not MISSING:
            status, headers, content = page
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.headers[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            store(key, version, (response.status_code, list(response.items()), response.content))
            response.headers[HEADER] = "miss"
        return response


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    middleware = f"{__name__}.PageCacheMiddleware"
    if middleware not in settings.MIDDLEWARE:
        return []
    alias = getattr(settings, "PAGE_CACHE_ALIAS", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                f"The page cache uses CACHES[{alias!r}] = {backend}, which is not shared between worker processes: "
                "an edit would not reach the other workers' cached pages.",
                hint="Configure a cache shared by all workers (Redis, Memcached, the database or the file system).",
                id="iplus.W001",
            )
        ]
    return []
