"""Site-wide search: one entry point, `search()`, over the published content.

Each kind is matched through the text index (iplus.fulltext: SQLite FTS5, PostgreSQL full-text,
substring matching for Chinese), every word of the query as a prefix, at most `limit` rows a kind.
"""

import hashlib
import re
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from critiques.models import Critique
from iplus import fulltext, pagecache
from iplus.models import GlossaryTerm, KeyAction, Milestone, Section, Source
from iplus.templatetags.iplus import render_markdown
from sectors.models import Sector

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SNIPPET_LENGTH = 200
RESULTS_KEY_PREFIX = "iplus:search:"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type
    title_field: str
    fields: tuple
    text_fields: tuple
    markdown_fields: tuple = ()
    select_related: tuple = ()


KINDS = {
    kind.key: kind
    for kind in [
        Kind("sectors", _("Sectors"), Sector, "name", ("name", "name_zh", "summary", "body"), ("summary", "body"), ("body",)),
        Kind(
            "critiques",
            _("Critiques"),
            Critique,
            "title",
            ("title", "title_zh", "raised_by", "summary", "argument", "quotation"),
            ("summary", "argument", "quotation", "raised_by"),
            ("argument",),
        ),
        Kind("key-actions", _("Key actions"), KeyAction, "name", ("name", "name_zh", "description"), ("description",), ("description",)),
        Kind("milestones", _("Timeline"), Milestone, "title", ("title", "description"), ("description",), ("description",)),
        Kind("sections", _("The strategy"), Section, "title", ("title", "title_zh", "body"), ("body",), ("body",)),
        Kind("glossary", _("Glossary"), GlossaryTerm, "term", ("term", "term_zh", "definition"), ("definition",), ("definition",)),
        Kind("sources", _("Sources"), Source, "title", ("title", "title_zh", "publisher", "note"), ("publisher", "note")),
    ]
}


@dataclass
class Hit:
    title: SafeString
    url: str
    snippet: SafeString


@dataclass
class Group:
    key: str
    label: str
    hits: list = field(default_factory=list)
    has_more: bool = False


def terms_of(query):
    """The distinct words of a query, longest first, at most MAX_TERMS of them."""
    seen = []
    for word in (query or "").split():
        if word.casefold() not in (w.casefold() for w in seen):
            seen.append(word)
    return sorted(seen[:MAX_TERMS], key=len, reverse=True)


def search(query, kinds=None, limit=10):
    """Published content matching every word of `query`, as one Group per kind that has hits.

    `kinds` narrows the search to some keys of KINDS; `limit` bounds the rows read per kind.
    """
    terms = terms_of(query[:MAX_QUERY_LENGTH] if query else "")
    if not terms:
        return []
    # The same words give the same results until the content changes: kept once per content version,
    # since a word common in the critiques costs the text index hundreds of milliseconds at 100,000 rows.
    asked = repr((terms, tuple(kinds or KINDS), limit))
    key = RESULTS_KEY_PREFIX + hashlib.md5(asked.encode(), usedforsecurity=False).hexdigest()
    return pagecache.memoise(key, lambda: _search(terms, kinds, limit))


def _search(terms, kinds, limit):
    groups = []
    for key in kinds or KINDS:
        kind = KINDS[key]
        rows = list(_matching(kind, terms)[: limit + 1])
        if rows:
            group = Group(kind.key, kind.label, has_more=len(rows) > limit)
            group.hits = [_hit(kind, row, terms) for row in rows[:limit]]
            groups.append(group)
    return groups


def _matching(kind, terms):
    return fulltext.matching(kind.model.objects.published(), " ".join(terms)).only("slug", *kind.fields)


def _hit(kind, row, terms):
    texts = [_plain(getattr(row, name), name in kind.markdown_fields) for name in kind.text_fields]
    pattern = _pattern(terms)
    text = next((t for t in texts if pattern.search(t)), next((t for t in texts if t), ""))
    return Hit(title=highlight(str(getattr(row, kind.title_field)), terms), url=row.get_absolute_url(), snippet=snippet(text, terms))


def _plain(value, is_markdown):
    text = strip_tags(render_markdown(value)) if is_markdown else (value or "")
    return " ".join(unescape(text).split())


def _pattern(terms):
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def highlight(text, terms):
    """`text` escaped, with every match of a term wrapped in <mark>."""
    if not terms:
        return escape(text)
    parts = []
    position = 0
    for match in _pattern(terms).finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308  (every piece of text is escaped above)


def snippet(text, terms, length=SNIPPET_LENGTH):
    """About `length` characters of `text` around its first match, highlighted."""
    match = _pattern(terms).search(text) if terms else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    window = Truncator(text[start:]).chars(length)
    return highlight(("…" if start else "") + window, terms)
