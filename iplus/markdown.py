"""Markdown to safe HTML, done once when an item is saved; and the glossary linker that pages apply to it."""

import re
from html import unescape
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "li", "ol", "p", "pre", "q", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "*": {"lang"}}


def render(text):
    """Markdown to HTML through an allow-list: no script, style, event handler or javascript: URL."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(html):
    """The words of stored HTML, tags and entities gone, whitespace collapsed."""
    return " ".join(unescape(strip_tags(html or "")).split())


class GlossaryLinker:
    """Links the first occurrence on a page of each published glossary term to its glossary entry.

    Build one per page (the view does) and pass it to the `glossary` filter: terms already linked
    earlier on the page are not linked again.
    """

    def __init__(self, terms):
        self.entries = {}
        for term in terms:
            definition = term.translated("definition_html", get_language())[0]
            entry = {"url": term.get_absolute_url(), "title": Truncator(plain_text(definition)).chars(160), "key": term.slug}
            for name in (term.term, term.term_zh):
                if name:
                    self.entries[name.casefold()] = entry
        names = sorted(self.entries, key=len, reverse=True)
        self.pattern = re.compile("|".join(_bounded(name) for name in names), re.IGNORECASE) if names else None
        self.linked = set()

    def link(self, html):
        if self.pattern is None or not self.pattern.search(html):  # most texts name no term: no need to parse them
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
