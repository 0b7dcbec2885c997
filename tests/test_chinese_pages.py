"""Every page of the Chinese edition, as a Chinese reader sees it: no English where the content has a Chinese form, and
English that has none (a work's own English title, an English-only publisher) marked lang="en"."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django.utils.html import escape

from iplus.models import PolicyDocument, Source
from publishing.kinds import with_history
from publishing.markdown import script_language

# Words the issue found on Chinese pages: an issuer, a validity, an issuer's name, a note's label.
ENGLISH = ["Effective", "Technology", "Reference 44", "Reference 75", "State Council"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class ShownText(HTMLParser):
    """The text of a page's body a reader sees, and the attributes read out, outside elements marked lang="en"; without
    code (slugs, file names, values in the data), scripts, and the "Cite this page" block, whose references give each work
    its own title and author (tests/test_citations.py checks them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []  # (tag, left out, in English)
        self.text = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        left_out, english = self.open[-1][1:] if self.open else (False, False)
        left_out = left_out or tag in ("head", "script", "style", "code") or "cite" in (attrs.get("class") or "").split()
        if attrs.get("lang") is not None:  # a Chinese name inside English text is Chinese again
            english = attrs["lang"].startswith("en")
        if not (left_out or english):
            self.text.extend(attrs[name] for name in ("title", "alt", "aria-label", "placeholder") if attrs.get(name))
        if tag not in VOID:
            self.open.append((tag, left_out, english))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if not (self.open and any(self.open[-1][1:])):
            self.text.append(data)


def shown(html):
    parser = ShownText()
    parser.feed(html)
    return parser


def chinese_pages(client):
    """Every page of the Chinese edition the sitemap lists, the pages of the lists they link to and every item's history:
    {path: the text it shows}."""
    sitemap = client.get("/sitemap.xml").text
    queue = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap) if urlsplit(url).path.startswith("/zh-hans/")]
    pages = {}
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        page = shown(response.text)
        pages[path] = "\n".join(page.text)
        for href in page.links:
            link = urlsplit(href)
            if link.netloc or not link.path.startswith("/zh-hans/"):
                continue
            if (link.path.endswith("/history/") and not link.query) or re.fullmatch(r"page=\d+", link.query):
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return pages


def test_no_chinese_page_shows_english_a_chinese_form_exists_for(client, content):
    pages = chinese_pages(client)
    assert len(pages) > 500  # every item's page and its history, every list and its pages
    assert any(path.endswith("/history/") for path in pages)
    found = {
        (word, path): re.search(rf".{{0,60}}{re.escape(word)}.{{0,60}}", text).group()
        for path, text in pages.items()
        if path != "/zh-hans/data/"  # its tables list the files' values, which are codes: the data page's own tests read them
        for word in ENGLISH
        if word in text
    }
    assert not found


def test_history_breadcrumbs_name_the_item_in_chinese(client, content):
    checked = 0
    for kind, model in with_history().items():
        for item in model.objects.published():
            page = client.get(f"/zh-hans/{kind}/{item.slug}/history/")
            assert page.status_code == 200, item
            kicker = re.search(r'<p class="kicker"><a href="([^"]+)">(.*?)</a></p>', page.text).groups()
            with translation.override("zh-hans"):  # its date, if it has one, as the page says it
                name = escape(item.name_in("zh-hans"))
            assert kicker[0] == item.get_absolute_url().replace("/", "/zh-hans/", 1)
            if script_language(name) == "zh":
                assert kicker[1] == name or kicker[1] == f'<span lang="zh">{name}</span>', (kind, item.slug, kicker)
            else:  # no Chinese name yet: the English, marked
                assert kicker[1].startswith('<span lang="en">'), (kind, item.slug, kicker)
            checked += 1
    assert checked > 300
    # A key action keeps its number, in Chinese as in English.
    assert (
        '<a href="/zh-hans/key-actions/inclusive-finance/">5. 普惠金融</a>'
        in client.get("/zh-hans/key-actions/inclusive-finance/history/").text
    )


def test_each_document_with_a_chinese_title_shows_it(client, content):
    documents = PolicyDocument.objects.published()
    listed = "".join(client.get("/zh-hans/documents/", {"page": page}).text for page in (1, 2) if page == 1 or documents.count() > 25)
    for document in documents.exclude(title_zh=""):
        page = client.get(f"/zh-hans{document.get_absolute_url()}").text
        assert re.search(rf"<h1><span lang=\"zh\">{re.escape(escape(document.title_zh))}</span></h1>", page), document.slug
        assert escape(document.title_zh) in listed, document.slug
    # The two that had none: their titles as the pages they cite give them.
    assert PolicyDocument.objects.get(slug="miit-action-plan-2015-2018").title_zh
    guideline = client.get("/zh-hans/documents/industrial-internet-guideline-2017/").text
    assert "关于深化“互联网+先进制造业”发展工业互联网的指导意见" in guideline
    assert re.search(r'<dd><span lang="zh">国务院</span>\s*<span lang="en" class="other-name">State Council</span>', guideline)
    # Its Chinese text, in a copy, is linked as the document's original.
    copy = Source.objects.get(slug="chinajusticeobserver-industrial-internet-guideline-2017")
    assert f'<a href="{copy.url}" lang="zh">{copy.title_zh}</a> (副本)' in guideline


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        # A note in a Chinese text names its source by the Chinese title it has, and marks an English one.
        ("/zh-hans/sectors/e-commerce/", '<a href="/zh-hans/sources/lanxicy-2011-government-work-report/" lang="zh"'),
        ("/zh-hans/sectors/e-commerce/", '<a href="/zh-hans/sources/article-internet-plus/" lang="en"'),
        # A publisher and a filter's choice named only in English.
        ("/zh-hans/sources/usito-ecommerce-13fyp/", '<dd><span lang="en">US Information Technology Office (USITO)</span></dd>'),
        ("/zh-hans/critiques/", 'lang="en">The State Council Led the Effort to Regulate Internet Finance（1）</option>'),
        # A passage in English that gives a name in characters too is English.
        ("/zh-hans/critiques/control-of-the-chinese-internet-2016/", '<blockquote lang="en">\n<p>Back in 2014, Lu Wei 鲁炜'),
    ],
)
def test_english_without_a_chinese_form_is_marked(client, content, path, marked):
    assert marked in client.get(path).text
