"""The one function that searches a kind, `matching()`, and the site search over every kind declared with a `Search`.

Every word of a query must match, each as the start of a word ("regulat" finds "regulation"), in any of
the kind's fields, through the text index the app's migrations create (publishing.text_index). A hyphenated
word is a phrase ("e-commerce" matches that word, and "commerce" finds it too). Neither engine splits
Chinese into words, so a query with Chinese characters is split at spaces only and each of its terms
matches anywhere in a field ("国发〔2015〕40号" is one term), in the Chinese translations too, through
the kind's index for queries in Chinese (three characters or more; a shorter term reads the fields).
Hits and snippets are in the language of the page, falling back to the English.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVectorExact
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from publishing.kinds import kind_of, searched
from publishing.markdown import plain_text
from publishing.text_index import fts_table, vector

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
SNIPPET_LENGTH = 200
WORD = re.compile(r"\w+(?:-\w+)*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
EDGES = re.compile(r"^\W+|\W+$")  # of a term: quotation marks and brackets around it are not part of it
TRIGRAM = 3  # the shortest term the index for queries in Chinese finds


def words(text):
    """The words of a query; of a query in Chinese, its terms: what stands between spaces."""
    if CJK.search(text or ""):
        return [term for term in (EDGES.sub("", part) for part in text.split()) if term][:MAX_WORDS]
    return WORD.findall(text or "")[:MAX_WORDS]


def matches(model, text):
    """The condition for rows of `model` (a searched kind) that match every word of `text`; nothing matches no words."""
    kind = kind_of(model).search
    fields = kind.fields
    found = words(text)
    if not found:
        return Q(pk__in=[])
    if CJK.search(text):
        return chinese_matches(model, fields + kind.zh_fields, found)
    if connection.vendor not in ("sqlite", "postgresql"):
        return contain_all(fields, found)
    if connection.vendor == "postgresql":
        # A hyphenated word is a phrase: "e-commerce" is 'e' followed by 'commerce'.
        phrases = ["(" + " <-> ".join(f"'{part}'" for part in word.split("-")) + ":*)" for word in found]
        query = SearchQuery(" & ".join(phrases), search_type="raw", config="simple")
        return Q(SearchVectorExact(vector(fields), query))
    table = fts_table(model)
    # Words hold no quotes (\w and hyphens only); a hyphenated word is a phrase: "e commerce"*.
    expression = " ".join(f'"{word.replace("-", " ")}"*' for word in found)
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression]))


def contain_all(fields, terms):
    condition = Q()
    for term in terms:
        condition &= Q.create([(f"{name}__icontains", term) for name in fields], connector=Q.OR)
    return condition


def chinese_matches(model, fields, terms):
    """Rows holding every term in one of `fields`. PostgreSQL's trigram indexes serve `icontains` itself; SQLite's
    trigram table finds the rows for the terms of three characters or more, and the shorter ones are read in the fields."""
    if connection.vendor != "sqlite":
        return contain_all(fields, terms)
    long = [term for term in terms if len(term) >= TRIGRAM]
    condition = contain_all(fields, [term for term in terms if len(term) < TRIGRAM])
    if long:
        table = fts_table(model, "_zh")
        expression = " AND ".join('"' + term.replace('"', '""') + '"' for term in long)  # each term a string to find
        condition &= Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression]))
    return condition


def matching(queryset, text):
    return queryset.filter(matches(queryset.model, text))


@dataclass
class Hit:
    title: str
    url: str
    snippet: str
    title_lang: str | None = None  # where the title or snippet is in another language than the page's (the English
    snippet_lang: str | None = None  # while a translation is missing, a Chinese original title)


def other(lang, page):
    return None if lang == page else lang


@dataclass
class Group:
    key: str
    label: str
    hits: list = field(default_factory=list)
    has_more: bool = False


def search(query, limit=10):
    """Published content matching every word of `query`: a Group per kind with hits, at most `limit` hits each."""
    groups, language = [], get_language()
    page = "zh-Hans" if language.startswith("zh") else "en"
    for kind in searched():
        found, how = matching(kind.model.objects.published(), query), kind.search
        rows = list((found.order_by(*how.order) if how.order else found)[: limit + 1])
        if rows:
            hits = []
            for row in rows[:limit]:
                title, title_lang = row.translated(how.fields[0], language)
                text, text_lang = snippet(row, how, query, language)
                hits.append(Hit(highlight(title, query), row.get_absolute_url(), text, other(title_lang, page), other(text_lang, page)))
            groups.append(Group(kind.name, how.label, hits, has_more=len(rows) > limit))
    return groups


def _pattern(query):
    found = sorted(words(query), key=len, reverse=True)
    if not found:
        return None
    if CJK.search(query):
        return re.compile("|".join(map(re.escape, found)), re.IGNORECASE)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, found)) + r")[\w-]*", re.IGNORECASE)


def highlight(text, query):
    """`text` escaped, with every word that matched `query` wrapped in <mark>."""
    pattern = _pattern(query)
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[position : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308  (every piece of text is escaped above)


def snippet(row, kind, query, language="en", length=SNIPPET_LENGTH):
    """About `length` characters of the row's first text with a match (in `language` where translated), around the
    first match, highlighted; and the language of that text."""
    texts = [(*row.translated(name, language), name) for name in kind.snippet_fields]
    texts = [(plain_text(text) if name.endswith("_html") else text, lang) for text, lang, name in texts]
    pattern = _pattern(query)
    text, lang = next((t for t in texts if pattern and pattern.search(t[0])), next((t for t in texts if t[0]), ("", None)))
    match = pattern.search(text) if pattern else None
    start = text.rfind(" ", 0, match.start() - length // 3) + 1 if match and match.start() > length // 3 else 0
    return highlight(("…" if start else "") + Truncator(text[start:]).chars(length), query), lang
