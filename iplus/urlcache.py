"""``reverse()`` for URLs that differ only by a slug, at the cost of a string replace.

Django's reverse() walks the URL resolver on every call (≈ 0.1 ms); a detail page links a few dozen
items and a list page 25. Here the URL of a view is reversed once per view and script prefix with a
marker slug, then the marker is replaced. A value that is not a plain slug goes through reverse().
"""

import re
import threading

from django.urls import get_script_prefix, reverse

MARKER = "slugmarker0x"
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")

_patterns = {}
_lock = threading.Lock()


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug})."""
    if not PLAIN_SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})
    key = (viewname, get_script_prefix())
    pattern = _patterns.get(key)
    if pattern is None:
        pattern = reverse(viewname, kwargs={"slug": MARKER})
        with _lock:
            _patterns[key] = pattern
    return pattern.replace(MARKER, slug)


def clear(setting=None, **kwargs):
    """Forget the patterns when the URL configuration changes (tests that override it)."""
    if setting in (None, "ROOT_URLCONF"):
        with _lock:
            _patterns.clear()
