"""Markdown to safe HTML, done once when an item is saved; and the glossary linker that pages apply to it."""

import datetime
import re
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from django.apps import apps
from django.conf import settings
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "li", "ol", "p", "pre", "q", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "time", "tr", "ul",
}  # fmt: skip
# Beyond plain formatting, only what footnotes and table wrappers need: ids for the links between a footnote and
# its note, labels for the back-links and the scrolling region, and their classes and fixed values.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "aria-label"},
    "abbr": {"title"},
    "div": {"aria-label"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"scope"},
    "time": {"datetime"},
    "*": {"lang"},
}
ALLOWED_CLASSES = {"div": {"footnotes", "table-scroll"}, "p": {"ours", "read"}, "sup": {"fn"}}
ALLOWED_VALUES = {"div": {"role": {"region"}, "tabindex": {"0"}}}

# [^source-slug], the footnote an editor puts at a sentence to cite a source; [^source-slug:name] cites another passage
# of the same source. Groups: the note's key, and the source's slug.
FOOTNOTE = r"\[\^(([A-Za-z0-9_-]+)(?::[A-Za-z0-9_-]+)?)\]"
# A note's passage, on lines of its own anywhere in the text (the end is best):
#     [^source-slug]: the words of the source the sentence rests on
#         ours: our rendering of them in the text's language
#         read: 2026-12-07
DEFINITION = re.compile(r"^\[\^(?P<key>[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)?)\]:[ \t]*(?P<lines>.*(?:\n[ \t]+\S.*)*)\n?", re.MULTILINE)
PASSAGE_WORDS = 60  # a Chinese character counts half a word: 120 of them
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def script_language(text):
    """Chinese or English, told by the script of most of its words (a Chinese character counts half a word, a number
    nothing): an English sentence that gives a name in characters too, "Lu Wei 鲁炜", is English; "工业4.0" is Chinese."""
    characters = len(CJK.findall(text))
    return "zh" if characters and characters / 2 >= len(re.findall(r"[^\W\d_]+", CJK.sub(" ", text))) else "en"


@dataclass
class Passage:
    """What a note quotes: the source's words, our rendering of them and the day the page was read (a date, or the
    text the editor wrote when it is not one)."""

    key: str
    words: str = ""
    ours: str = ""
    read: object = None
    repeated: bool = False

    @property
    def slug(self):
        return self.key.split(":")[0]

    def language(self, source=None):
        """The source's language where it names one; else Chinese or English, told by the script."""
        return getattr(source, "language", "") or script_language(self.words)

    @property
    def length(self):
        return len(re.findall(r"\w+", CJK.sub(" ", self.words))) + len(CJK.findall(self.words)) / 2

    def read_on(self, source):
        """The day the page was read: the note's own, or the source's."""
        return self.read if isinstance(self.read, datetime.date) else getattr(source, "read_on", None)


def passages(text):
    """(the text without its notes' passages, {key: Passage}) of a Markdown text."""
    found = {}

    def take(match):
        first, *others = match["lines"].split("\n")
        passage, words = Passage(match["key"], repeated=match["key"] in found), [first.strip()]
        for line in others:
            label, colon, value = line.strip().partition(":")
            if colon and label == "ours":
                passage.ours = value.strip()
            elif colon and label == "read":
                try:
                    passage.read = datetime.date.fromisoformat(value.strip())
                except ValueError:
                    passage.read = value.strip()  # kept as typed, so that validation can name it
            else:
                words.append(line.strip())
        passage.words = ("" if CJK.search("".join(words)) else " ").join(filter(None, words))
        found.setdefault(passage.key, passage).repeated |= passage.repeated
        return ""

    return DEFINITION.sub(take, text or ""), found


def render(text, prefix=""):
    """Markdown to HTML through an allow-list: no script, style, event handler or javascript: URL.

    `[^slug]` becomes a numbered footnote citing the published source of that slug, listed under "Notes" at the
    end with the passage it rests on, if the text gives one; `prefix` keeps its ids apart from those of other texts on
    the same page. Tables scroll in a box of their own.
    """
    return sanitize(unsafe_html(text, prefix))


def unsafe_html(text, prefix=""):
    """The HTML Markdown makes of `text`, before the allow-list: what the editor wrote, raw HTML included."""
    text, quoted = passages(text)
    footnotes = Footnotes(prefix, published_sources({slug for _key, slug in re.findall(FOOTNOTE, text)}), quoted)
    return markdown_lib.markdown(text, extensions=["tables", "sane_lists", footnotes, ScrollingTables()], output_format="html")


def sanitize(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        tag_attribute_values=ALLOWED_VALUES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def removed_markup(text):
    """What the allow-list takes out of a text's HTML, in words ("the element <script>", "the address
    javascript:alert(1)"), so that an editor is told, not left to find plain red text on the page."""
    html = unsafe_html(text)
    kept = Markup.of(sanitize(html))
    removed = Markup.of(html) - kept
    words = []
    for kind, tag, name, value in sorted(removed):
        if kind == "element":
            words.append(_("the element <%(tag)s>") % {"tag": tag})
        elif name in ("href", "src") and value and not value.lower().startswith(("http:", "https:", "mailto:", "#", "/")):
            words.append(_("the address %(url)s") % {"url": value})
        else:
            words.append(_("the attribute %(name)s of <%(tag)s>") % {"name": name, "tag": tag})
    return list(dict.fromkeys(words))


class Markup(HTMLParser):
    """The elements and attributes of some HTML, counted."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = Counter()

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return parser.found

    def handle_starttag(self, tag, attrs):
        self.found["element", tag, "", ""] += 1
        for name, value in attrs:
            self.found["attribute", tag, name, value or ""] += 1


def cited_keys(text):
    """The notes' keys the footnotes of a Markdown text name, in order of first mention (none inside code)."""
    footnotes = Footnotes("", {})
    markdown_lib.markdown(passages(text)[0], extensions=[footnotes])
    return list(footnotes.cited)


def cited_slugs(text):
    """The slugs of the sources the footnotes of a Markdown text name, in order of first mention."""
    return list(dict.fromkeys(key.split(":")[0] for key in cited_keys(text)))


def published_sources(slugs):
    """{slug: source} of the published sources among these slugs; no query when there are none."""
    if not slugs:
        return {}
    source_model = apps.get_model(settings.PUBLISHING_SOURCE_MODEL)
    sources = source_model.objects.published().filter(slug__in=slugs).only("slug", "title", "title_zh", "url", "read_on", "language")
    return {source.slug: source for source in sources}


class Footnotes(Extension):
    """`[^slug]` as a numbered superscript link to a note that links the source; a repeated key keeps its number."""

    def __init__(self, prefix, sources, passages=None):
        super().__init__()
        self.prefix = f"{prefix}-" if prefix else ""
        self.sources = sources
        self.passages = passages or {}
        self.cited = {}  # key: the ids of its references, in the text's order; numbered by first mention

    def extendMarkdown(self, md):
        # Above links, so that [^slug] is never read as a link; below code spans and escapes, so `[^slug]` stays code.
        md.inlinePatterns.register(FootnoteReference(FOOTNOTE, md, self), "source-footnote", 175)
        md.treeprocessors.register(FootnoteNotes(md, self), "source-footnote-notes", 15)  # after inline patterns (20)

    def note_id(self, number):
        return f"fn-{self.prefix}{number}"

    def reference(self, key):
        """The number of the footnote for key, and the id of this reference to it."""
        references = self.cited.setdefault(key, [])
        number = list(self.cited).index(key) + 1
        references.append(f"fnref-{self.prefix}{number}" + (f"-{len(references) + 1}" if references else ""))
        return number, references[-1]


class FootnoteReference(InlineProcessor):
    def __init__(self, pattern, md, footnotes):
        super().__init__(pattern, md)
        self.footnotes = footnotes

    def handleMatch(self, m, data):
        key, slug = m.group(1), m.group(2)
        if slug not in self.footnotes.sources:
            self.footnotes.cited.setdefault(key, [])  # named, so validation sees it; left as the text the editor typed
            return None, None, None
        number, reference_id = self.footnotes.reference(key)
        sup = etree.Element("sup", {"class": "fn", "id": reference_id})
        link = etree.SubElement(sup, "a", {"href": f"#{self.footnotes.note_id(number)}"})
        link.text = f"[{number}]"
        return sup, m.start(0), m.end(0)


class FootnoteNotes(Treeprocessor):
    """Appends the notes: one item a cited passage or source, its title linked to its page, the passage with the day
    the page was read, its address and a lasting copy of it, and a back-link per reference."""

    def __init__(self, md, footnotes):
        super().__init__(md)
        self.footnotes = footnotes

    def run(self, root):
        cited = [(key, references) for key, references in self.footnotes.cited.items() if references]
        if not cited:
            return
        notes = etree.SubElement(root, "div", {"class": "footnotes"})
        etree.SubElement(notes, "p").text = _("Notes")
        items = etree.SubElement(notes, "ol")
        for number, (key, references) in enumerate(cited, start=1):
            passage = self.footnotes.passages.get(key) or Passage(key)
            source = self.footnotes.sources[passage.slug]
            item = etree.SubElement(items, "li", {"id": self.footnotes.note_id(number)})
            title = etree.SubElement(item, "p")
            name, lang = source.translated("title", get_language())  # a Chinese text names it by its Chinese title
            lang = script_language(name) if lang == "en" else lang  # a title written in characters is Chinese
            link = etree.SubElement(title, "a", {"href": source.get_absolute_url()})
            link.text = name
            if lang != ("zh-Hans" if get_language().startswith("zh") else "en"):  # marked where it is not the text's
                link.set("lang", lang)
            for n, reference_id in enumerate(references, start=1):
                label = _("Back to the text") if len(references) == 1 else _("Back to the text, reference %(n)s") % {"n": n}
                title[-1].tail = " "
                back = etree.SubElement(title, "a", {"href": f"#{reference_id}", "aria-label": label})
                back.text = "↩" if len(references) == 1 else f"↩{n}"
            if passage.words:
                etree.SubElement(etree.SubElement(item, "blockquote", {"lang": passage.language(source)}), "p").text = passage.words
            if passage.ours:
                ours = etree.SubElement(item, "p", {"class": "ours"})
                ours.text = (_("Our Chinese rendering") if get_language().startswith("zh") else _("Our English rendering")) + _(": ")
                etree.SubElement(ours, "q").text = passage.ours
            read_on = passage.read_on(source)
            if read_on or source.url:
                read = etree.SubElement(item, "p", {"class": "read"})
                add_reading(read, source.url, read_on)


def archived_url(url, read_on):
    """The Internet Archive's address for the copy of `url` nearest the day it was read (built, never requested)."""
    return f"https://web.archive.org/web/{read_on:%Y%m%d}/{url}" if url and read_on else ""


def add_reading(parent, url, read_on):
    """ "Read on 7 December 2026: the page, a lasting copy." inside parent."""
    if read_on:
        parent.text = _("Read on") + " "
        when = etree.SubElement(parent, "time", {"datetime": read_on.isoformat()})
        when.text = date_format(read_on, "DATE_FORMAT")
        when.tail = _(": ") if url else pgettext("full stop", ".")
    if url:
        etree.SubElement(parent, "a", {"href": url}).text = _("the page")
        if read_on:
            parent[-1].tail = _(", ")
            etree.SubElement(parent, "a", {"href": archived_url(url, read_on)}).text = _("a lasting copy")
        parent[-1].tail = pgettext("full stop", ".")


class ScrollingTables(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(TableWrapper(md), "scrolling-tables", 14)


class TableWrapper(Treeprocessor):
    """Puts each table in a box that scrolls sideways (and takes focus, so a keyboard can scroll it): a wide table
    never widens the page. The box is named after the table's column headings."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                headings = [" ".join("".join(th.itertext()).split()) for th in child.iter("th")]
                label = _("Table: %(headings)s") % {"headings": ", ".join(headings)} if any(headings) else _("Table")
                box = etree.Element("div", {"class": "table-scroll", "role": "region", "tabindex": "0", "aria-label": label})
                box.tail, child.tail = child.tail, None
                parent.remove(child)
                box.append(child)
                parent.insert(index, box)


# The footnote markers and notes of rendered HTML (render() writes them just so), which are not the text's words.
FOOTNOTE_MARKUP = re.compile(r'<sup class="fn"[^>]*>.*?</sup>|<div class="footnotes">.*?</div>', re.DOTALL)


# A space between two Chinese characters or marks (where paragraphs or lines were joined) is none in Chinese.
CHINESE_MARK = "[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"  # a character, a mark or a full-width sign
CHINESE_SPACE = re.compile(f"(?<={CHINESE_MARK}) (?={CHINESE_MARK})")


def plain_text(html):
    """The words of stored HTML, tags, entities and footnotes gone, whitespace collapsed (none left between Chinese)."""
    return CHINESE_SPACE.sub("", " ".join(unescape(strip_tags(FOOTNOTE_MARKUP.sub("", html or ""))).split()))


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
    """Re-serializes sanitized HTML, escaping every text and attribute, linking terms outside links, headings and quotations."""

    SKIP = {"a", "h1", "h2", "h3", "h4", "code", "pre", "abbr", "blockquote", "q"}  # a quotation keeps its source's words
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
