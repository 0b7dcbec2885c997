"""The page cache: whole anonymous GET responses, invalidated on every content change.

Pages are stored in the cache named by ``PAGE_CACHE_ALIAS`` (default "default") under their full URL,
each with the content version it was rendered at. The version is one key in that same shared cache,
replaced by a new random token after every committed change to content (any model of the content
apps, their many-to-many links included), so an edit shows on every worker at once and stale pages
are never served: a page stored at an older version is a miss.

Only requests without a session cookie are served from or stored into the cache (staff and anyone
logged in always get fresh pages), and only 200 responses that set no cookie, ask for no privacy and
used no CSP nonce are stored; a URL with a query parameter its view does not read is served but not
stored, so made-up parameters cannot fill the cache with copies of one page.

Each process also keeps the entries it last read or wrote in memory (``LocalEntries``, bounded), in front
of the shared cache. The version is still read from the shared cache, once per request, and an entry is
used only at that version, so the memory copy never outlives an edit made anywhere.
"""

import contextlib
import contextvars
import functools
import hashlib
import threading
import time
import uuid
from collections import OrderedDict

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


def shared_version():
    version = cache().get(VERSION_KEY)
    if version is None:
        cache().add(VERSION_KEY, new_version(), timeout=None)
        version = cache().get(VERSION_KEY)
    return version


# The version read at the start of the request being served (PageCacheMiddleware), so the fragments one
# page memoises cost no further round trip for it.
_request_version = contextvars.ContextVar("iplus_request_version", default=None)


def current_version():
    return _request_version.get() or shared_version()


class LocalEntries:
    """This process's most recently used entries, (version, value) by key, within a budget of bytes; each
    expires as the shared cache's copy does."""

    def __init__(self, budget):
        self.budget = budget
        self.used = 0
        self.entries = OrderedDict()  # key -> (version, value, size, expires)
        self.lock = threading.Lock()

    @staticmethod
    def size(value):
        if isinstance(value, (str, bytes)):
            return len(value) + 100
        if isinstance(value, (tuple, list)):  # a page: (status, headers, content)
            return sum(LocalEntries.size(part) for part in value) + 100
        return 200

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[3] is not None and entry[3] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[:2]

    def put(self, key, version, value, seconds=None):
        size = self.size(value)
        if size > self.budget // 8:
            return
        expires = None if seconds is None else time.monotonic() + seconds
        with self.lock:
            self._drop(key)
            self.entries[key] = (version, value, size, expires)
            self.used += size
            while self.used > self.budget:
                self.used -= self.entries.popitem(last=False)[1][2]

    def _drop(self, key):
        old = self.entries.pop(key, None)
        if old is not None:
            self.used -= old[2]

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.used = 0


local = LocalEntries(budget=32 * 1024 * 1024)

MISSING = object()


def lookup(key):
    """(version, value): the current content version and what `key` holds at it (MISSING if nothing, or only
    older). This process's memory first, then the shared cache."""
    version = _request_version.get()
    entry = local.get(key)
    if entry is not None:
        version = version or shared_version()
        if entry[0] == version:
            return version, entry[1]
        entry = None  # older than the content: another worker may have stored it anew
    if version is None:
        found = cache().get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or shared_version()
        entry = found.get(key)
    else:
        entry = cache().get(key)
    if entry is None or entry[0] != version:
        return version, MISSING
    local.put(key, *entry, seconds=timeout())
    return version, entry[1]


def store(key, version, value):
    local.put(key, version, value, seconds=timeout())
    cache().set(key, (version, value), timeout())


def memoise(key, compute):
    """`compute()`, kept in the shared cache under `key` until the next content change (any worker computes it once)."""
    version, value = lookup(key)
    if value is MISSING:
        value = compute()
        store(key, version, value)
    return value


def memoise_here(key, compute):
    """`compute()`, kept in this process's memory until the next content change: for what the shared cache
    cannot hold (classes, compiled patterns) or is not worth a round trip."""
    version = current_version()
    entry = local.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    local.put(key, version, value)
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


@functools.cache
def _view_params(view_class):
    names = set(getattr(view_class, "query_params", ()))
    filterset = getattr(view_class, "filterset_class", None)
    if filterset is not None:
        names.update(filterset.base_filters)
    if getattr(view_class, "paginate_by", None):
        names.add(getattr(view_class, "page_kwarg", "page"))
    return frozenset(names)


def known_params(request):
    """The query parameters the view that answered `request` reads: its filters, its page, its ``query_params``."""
    view_class = getattr(getattr(request.resolver_match, "func", None), "view_class", None)
    return _view_params(view_class) if view_class is not None else frozenset()


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
        version = shared_version()
        token = _request_version.set(version)
        try:
            page = lookup(key)[1]
            if page is not MISSING:
                status, headers, content = page
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response.headers[name] = value
                response.headers[HEADER] = "hit"
                return response
            response = self.get_response(request)
        finally:
            _request_version.reset(token)
        if is_cacheable_response(request, response):
            if request.GET.keys() <= known_params(request):
                store(key, version, (response.status_code, list(response.items()), response.content))
                response.headers[HEADER] = "miss"
            else:
                response.headers[HEADER] = "not stored"
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
