"""The site's public GET routes, read from the URL resolver so that new pages are covered on their own."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, translate_url
from django.utils import translation

PRIVATE_NAMESPACES = {"admin"}


def public_routes():
    """(name, converters, view class) for every public route; converters maps each URL argument to its converter."""
    routes = []

    def walk(patterns, namespace, converters):
        for pattern in patterns:
            found = {**converters, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                if pattern.namespace not in PRIVATE_NAMESPACES:
                    walk(pattern.url_patterns, inner, found)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                routes.append((name, found, getattr(pattern.callback, "view_class", None)))

    walk(get_resolver().url_patterns, "", {})
    return routes


class PageAudit(HTMLParser):
    """Collects what a strict CSP would block or what could run: inline scripts, inline styles, handlers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts = []
        self.style_elements = []
        self.style_attributes = []
        self.event_handlers = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A data block (schema.org JSON-LD) is never run; any other script must come from a file.
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/ld+json":
            self.inline_scripts.append(attrs)
        if tag == "style":
            self.style_elements.append(attrs)
        if "style" in attrs:
            self.style_attributes.append((tag, attrs["style"]))
        self.event_handlers.extend((tag, name) for name in attrs if name.startswith("on"))
        if any(str(value or "").strip().lower().startswith("javascript:") for value in attrs.values()):
            self.event_handlers.append((tag, "javascript: URL"))


def audit(html):
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser


def counterpart(url, language):
    """The same page in another edition: translate_url reads a path in the active language, so read it in its own."""
    with translation.override(translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE):
        return translate_url(url, language)
