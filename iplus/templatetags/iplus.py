import functools
import hashlib
import re
import threading
from html import unescape
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from django import template
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from iplus import pagecache
from iplus.pagination import RowsById

register = template.Library()

FRAGMENT_KEY_PREFIX = "iplus:fragment:"

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "li", "ol", "p", "pre", "q", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "*": {"lang"}}


_converters = threading.local()


def _converter():
    """This thread's Markdown converter: building one costs more than converting a paragraph; reset between texts."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown_lib.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    return converter.reset()


@functools.lru_cache(maxsize=2048)  # a pure function of the text; lists render the same bodies again and again
def render_markdown(text):
    """Markdown to HTML through an allow-list: no script, style, event handler or javascript: URL."""
    html = _converter().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@register.filter(name="markdown")
def markdown_filter(text):
    return mark_safe(render_markdown(text))  # noqa: S308  (sanitized by nh3 above)


class GlossaryLinker:
    """Links the first occurrence on a page of each published glossary term to its glossary entry.

    Build one per page (the view does) and pass it to the `glossary` filter: terms already linked
    earlier on the page are not linked again.
    """

    def __init__(self, terms=None, *, index=None):
        """From the terms, or from an `index` an earlier linker built from them (see `index()`)."""
        self.entries, self.pattern = index if index is not None else self.index(terms)
        self.linked = set()

    @staticmethod
    def index(terms):
        """(entries by casefolded name, pattern matching any name): what linking needs of the terms."""
        entries = {}
        for term in terms:
            entry = {
                "url": term.get_absolute_url(),
                "title": Truncator(" ".join(unescape(strip_tags(render_markdown(term.definition))).split())).chars(160),
            }
            for name in (term.term, term.term_zh):
                if name:
                    entries[name.casefold()] = {**entry, "key": term.slug}
        names = sorted(entries, key=len, reverse=True)
        return entries, (re.compile("|".join(_bounded(name) for name in names), re.IGNORECASE) if names else None)

    def link(self, html):
        if self.pattern is None:
            return html
        parser = _TermLinkingParser(self)
        parser.feed(str(html))
        parser.close()
        return "".join(parser.out)

    def link_text(self, text):
        """Escaped `text` with the first match of each term not yet linked wrapped in a link."""
        parts = []
        position = 0
        for match in self.pattern.finditer(text):
            entry = self.entries.get(match.group().casefold())
            if entry is None or entry["key"] in self.linked:
                continue
            self.linked.add(entry["key"])
            parts.append(escape(text[position : match.start()]))
            parts.append(f'<a class="term" href="{escape(entry["url"])}" title="{escape(entry["title"])}">{escape(match.group())}</a>')
            position = match.end()
        parts.append(escape(text[position:]))
        return "".join(parts)


def _bounded(name):
    """A term matches as a whole word where it starts or ends with a Latin letter or digit."""
    before = r"(?<![A-Za-z0-9])" if name[0].isascii() and name[0].isalnum() else ""
    after = r"(?![A-Za-z0-9])" if name[-1].isascii() and name[-1].isalnum() else ""
    return before + re.escape(name) + after


class _TermLinkingParser(HTMLParser):
    """Re-serializes sanitized HTML, escaping every text and attribute, linking terms outside links and headings."""

    SKIP = {"a", "h1", "h2", "h3", "h4", "code", "pre", "abbr"}
    VOID = {"br", "hr", "img", "wbr"}

    def __init__(self, linker):
        super().__init__(convert_charrefs=True)
        self.linker = linker
        self.out = []
        self.skipping = 0

    def _tag(self, tag, attrs, closing=""):
        rendered = "".join(f' {name}="{escape(value)}"' if value is not None else f" {name}" for name, value in attrs)
        return f"<{tag}{rendered}{closing}>"

    def handle_starttag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs))
        if tag in self.SKIP:
            self.skipping += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self.out.append(f"</{tag}>")
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        self.out.append(escape(data) if self.skipping else self.linker.link_text(data))


@register.filter(name="glossary")
def glossary_filter(html, linker):
    """Sanitized HTML (from `markdown`) with glossary terms linked; without a linker, unchanged."""
    if not isinstance(linker, GlossaryLinker):
        return html
    return mark_safe(linker.link(html))  # noqa: S308  (the parser escapes every text and attribute)


@register.simple_tag(takes_context=True)
def canonical_url(context, keep=""):
    """The absolute URL of this page: its path, plus only the query parameters named in `keep`."""
    request = context["request"]
    params = QueryDict(mutable=True)
    for name in keep.split():
        values = [value for value in request.GET.getlist(name) if value]
        if values and not (name == "page" and values == ["1"]):
            params.setlist(name, values)
    query = f"?{params.urlencode()}" if params else ""
    return request.build_absolute_uri(request.path) + query


@register.tag
def contentcache(parser, token):
    """{% contentcache "name" rows … %}…{% endcontentcache %}: the enclosed markup, kept until the content changes.

    Kept per content version (iplus.pagecache: any content change makes it stale), language and the values
    after the name; a list, page, queryset or RowsById of rows stands for its rows' primary keys. Only for markup that
    depends on nothing else: not on the user, the query string (links built with {% querystring %}) or a nonce.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse(("endcontentcache",))
    parser.delete_first_token()
    return ContentCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])


class ContentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        parts = [self.name.resolve(context), get_language()]
        for expression in self.vary_on:
            value = expression.resolve(context)
            if isinstance(value, Page):
                value = value.object_list
            if isinstance(value, RowsById):  # its keys, without reading its rows
                value = list(value.ids)
            elif isinstance(value, (QuerySet, list, tuple)):
                value = [getattr(row, "pk", row) for row in value]
            parts.append(value)
        key = FRAGMENT_KEY_PREFIX + hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
        return pagecache.memoise(key, lambda: self.nodelist.render(context))
