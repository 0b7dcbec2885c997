"""The two editions: English at the usual addresses, Chinese under /zh-hans/, each page naming the other.

Through the real request stack: every public route in both editions, the language switch, hreflang, the page
cache, Chinese content with its labels, search in Chinese, bad input answered in Chinese, and the admin.
"""

import re
from html.parser import HTMLParser
from http import HTTPStatus

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from critiques.models import Critique
from iplus.models import PolicyDocument
from tests.factories import make_critique, make_sector, make_source
from tests.routes import counterpart

pytestmark = pytest.mark.django_db


def zh(url):
    return counterpart(url, "zh-hans")


class Head(HTMLParser):
    """The <html lang>, the canonical and alternate links, and the language switch of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang, self.canonical, self.alternates, self.switch = None, None, {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "a" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.switch.append((attrs["hreflang"], attrs["href"]))


def head_of(response):
    head = Head()
    head.feed(response.text)
    return head


def public_pages():
    published = [Critique.objects.published().first(), PolicyDocument.objects.published().first()]
    lists = ["iplus:home", "iplus:strategy", "iplus:keyaction-list", "iplus:compare", "iplus:timeline", "iplus:glossary",
             "iplus:source-list", "iplus:document-list", "iplus:outcomes", "iplus:coverage", "iplus:changes",
             "iplus:search", "data:index", "sectors:list", "critiques:list"]  # fmt: skip
    details = [obj.get_absolute_url() for obj in published]
    details.append(reverse("sectors:detail", args=["finance"]))
    details.append(reverse("iplus:keyaction-detail", args=["inclusive-finance"]))
    details.append(reverse("iplus:source-detail", args=["guiding-opinions-2015"]))
    details.append(reverse("iplus:history", args=["critiques", published[0].slug]))
    return [reverse(name) for name in lists] + details


def test_english_keeps_its_addresses_and_chinese_lives_under_zh_hans():
    assert reverse("critiques:list") == "/critiques/"
    with translation.override("zh-hans"):
        assert reverse("critiques:list") == "/zh-hans/critiques/"
        assert reverse("admin:index") == "/admin/"  # the admin and the API have one address
        assert reverse("api:openapi").startswith("/api/")


def test_every_public_page_has_a_chinese_counterpart_and_each_names_the_other(client, content):
    for url in public_pages():
        english, chinese = client.get(url), client.get(zh(url))
        assert english.status_code == chinese.status_code == HTTPStatus.OK, url
        en, cn = head_of(english), head_of(chinese)
        assert (en.lang, cn.lang) == ("en", "zh-Hans"), url
        assert chinese["Content-Language"] == "zh-hans"
        # hreflang both ways: each page lists both editions, and the two lists agree.
        assert en.alternates == cn.alternates, url
        assert set(en.alternates) == {"en", "zh-Hans", "x-default"}
        assert en.alternates["en"] == en.canonical and cn.alternates["zh-Hans"] == cn.canonical, url
        assert en.alternates["x-default"] == en.canonical
        # The switch leads to the same page in the other edition.
        assert en.switch == [("zh-Hans", zh(url))] and cn.switch == [("en", url)], url


def test_the_language_switch_keeps_the_query_string(client, content):
    response = client.get("/critiques/?category=censorship&ordering=title")
    assert head_of(response).switch == [("zh-Hans", "/zh-hans/critiques/?category=censorship&ordering=title")]
    response = client.get("/zh-hans/critiques/?category=censorship&ordering=title")
    assert head_of(response).switch == [("en", "/critiques/?category=censorship&ordering=title")]
    assert head_of(response).canonical.endswith("/zh-hans/critiques/?category=censorship&ordering=title")


def test_no_english_interface_string_is_left_on_a_chinese_page(client, content):
    catalog = translation.trans_real.translation("zh-hans")._catalog
    phrases = {
        msgid
        for msgid, msgstr in catalog.items()
        if isinstance(msgid, str)
        and msgid != "Internet Plus"
        and re.search(r"[A-Za-z]+ [A-Za-z]+", msgid)
        and not re.search(r"[%{<]", msgid)
        and msgstr != msgid
    }
    assert len(phrases) > 100  # the catalogue is compiled and loaded
    for url in public_pages():
        english = client.get(url).text
        # Passages marked as English (content not yet translated, the other edition's name) are not interface.
        # So are data blocks and the citation metadata (publisher names), and the name "Internet Plus" inside the
        # English names that help texts give as examples.
        chinese = re.sub(r'<(\w+)[^>]*\slang="en"[^>]*>.*?</\1>|<script\b.*?</script>|<meta name="citation_[^>]*>', "",
                         client.get(zh(url)).text, flags=re.DOTALL)  # fmt: skip
        shown = [phrase for phrase in phrases if phrase in english]
        assert shown, url  # the English page shows some interface strings
        left = [phrase for phrase in shown if phrase in chinese]
        assert not left, (url, left)


def test_chinese_dates_and_numbers(client, content):
    document = client.get(zh(reverse("iplus:document-detail", args=["guiding-opinions-2015"]))).text
    assert "2015年7月" in document
    outcomes = client.get(zh(reverse("iplus:outcomes"))).text
    assert "亿" in outcomes or "万" in outcomes


def test_a_translated_item_shows_its_chinese_marked_as_a_translation(client):
    critique = make_critique(title="Censorship", title_zh="审查", summary="In English.", summary_zh="中文摘要。",
                             argument="The argument.", argument_zh="中文论点。")  # fmt: skip
    page = client.get(zh(critique.get_absolute_url())).text
    assert "<h1>审查" in page and '<span lang="en" class="other-name">Censorship</span>' in page
    assert "中文摘要。" in page and "中文论点。" in page and "In English." not in page
    assert 'class="translation-note"' in page
    assert critique.title in client.get(critique.get_absolute_url()).text


def test_an_item_without_a_translation_shows_the_english_labelled_never_an_empty_page(client):
    critique = make_critique(title="Untranslated critique", summary="Only in English.", argument="An English argument.")
    page = client.get(zh(critique.get_absolute_url())).text
    assert '<span lang="en">Untranslated critique</span>' in page
    assert '<span lang="en">Only in English.</span> <span class="untranslated">' in page
    assert re.search(r'<div lang="en"><p class="untranslated" lang="zh-Hans">[^<]+</p><p>An English argument.</p></div>', page)
    listing = client.get(zh(reverse("critiques:list"))).text
    assert '<span lang="en">Only in English.</span>' in listing


def test_official_documents_say_the_chinese_text_prevails_and_link_the_original(client, content):
    document = PolicyDocument.objects.get(slug="guiding-opinions-2015")
    originals = document.chinese_originals()
    assert originals
    for page in (client.get(document.get_absolute_url()).text, client.get(zh(document.get_absolute_url())).text):
        assert f'href="{originals[0].url}" lang="zh"' in page
    assert client.get(zh(document.get_absolute_url())).text.count('class="translation-note"') == 2


@pytest.mark.parametrize(
    "query, found",
    [("审查制度", "/critiques/censorship/"), ("国发〔2015〕40号", "/documents/guiding-opinions-2015/"),
     ("北京需要先解决审查问题", "/critiques/censorship/"), ("普惠金融", "/key-actions/inclusive-finance/")],
)  # fmt: skip
def test_search_in_chinese_finds_titles_names_and_translations_from_either_edition(client, content, query, found):
    english = client.get(reverse("iplus:search"), {"q": query})
    chinese = client.get(zh(reverse("iplus:search")), {"q": query})
    assert english.status_code == chinese.status_code == HTTPStatus.OK
    assert f'href="{found}"' in english.text, query
    assert f'href="{zh(found)}"' in chinese.text, query
    assert "<mark>" in chinese.text


def test_lists_filter_and_search_in_chinese(client, content):
    response = client.get(zh(reverse("critiques:list")), {"q": "审查"})
    assert "审查制度将削弱这一战略" in response.text
    response = client.get(zh(reverse("sectors:list")), {"q": "金融"})
    assert response.status_code == HTTPStatus.OK and "/zh-hans/sectors/finance/" in response.text


def test_bad_input_in_the_chinese_edition_gets_the_same_errors_in_chinese(client, content):
    english = client.get(reverse("critiques:list"), {"category": "junk"})
    chinese = client.get(zh(reverse("critiques:list")), {"category": "junk"})
    assert english.status_code == chinese.status_code == HTTPStatus.OK
    assert "Select a valid choice" in english.text
    assert "Select a valid choice" not in chinese.text and "选择" in chinese.text
    missing = client.get("/zh-hans/critiques/no-such-critique/")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert 'lang="zh-Hans"' in missing.text and "Page not found" not in missing.text
    page = client.get(zh(reverse("critiques:list")), {"page": "abc"})
    assert page.status_code == HTTPStatus.NOT_FOUND and 'lang="zh-Hans"' in page.text
    long = client.get(zh(reverse("iplus:search")), {"q": "词" * 201})
    assert long.status_code == HTTPStatus.OK and "Ensure this value" not in long.text


def test_the_page_cache_keeps_each_edition_apart_and_varies_on_no_browser_header(client):
    url = make_critique(title="Cached", title_zh="缓存").get_absolute_url()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    chinese = client.get(zh(url))
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Accept-Language" not in english.get("Vary", "")
    assert 'lang="en"' in english.text[:200] and 'lang="zh-Hans"' in chinese.text[:200]
    assert "Age" in again and again.content == english.content  # one stored copy, whatever the browser asks for
    assert "Age" in client.get(zh(url))


def test_the_sitemap_lists_both_editions_with_alternates(client, content):
    sitemap = client.get(reverse("sitemap")).text
    assert "<loc>http://testserver/zh-hans/critiques/</loc>" in sitemap
    assert '<xhtml:link rel="alternate" hreflang="zh-hans" href="http://testserver/zh-hans/critiques/censorship/"/>' in sitemap
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/critiques/censorship/"/>' in sitemap


def test_the_chinese_feed_is_in_chinese_and_links_the_chinese_edition(client):
    make_critique(title="A critique", title_zh="一条批评")
    feed = feedparser.parse(client.get(zh(reverse("iplus:feed"))).content)
    assert feed.bozo == 0 and feed.entries
    assert feed.feed.language == "zh-hans"
    assert all("/zh-hans/" in entry.link for entry in feed.entries)
    assert any(re.search(r"[\u4e00-\u9fff]", entry.title) for entry in feed.entries)


def test_the_admin_speaks_chinese_to_an_editor_whose_browser_asks_for_it(client, as_superuser):
    chinese = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-Hans,zh;q=0.9")
    english = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert "欢迎" in chinese.text and "Welcome" in english.text


def test_editors_see_both_languages_side_by_side_and_list_what_lacks_a_translation(client, as_superuser):
    done = make_sector(name="Translated", name_zh="已译", summary_zh="摘要", body_zh="正文")
    todo = make_sector(name="Waiting")
    form = client.get(reverse("admin:sectors_sector_change", args=[done.pk])).text
    assert re.search(r'class="form-row[^"]*field-summary field-summary_zh', form)
    missing = client.get(reverse("admin:sectors_sector_changelist"), {"translation": "missing"}).text
    complete = client.get(reverse("admin:sectors_sector_changelist"), {"translation": "complete"}).text
    assert todo.name in missing and done.name not in missing
    assert done.name in complete and todo.name not in complete


def test_an_english_work_needs_no_chinese_title_to_count_as_translated(client, as_superuser):
    source = make_source(title="An English report", note="A note.", note_zh="说明。")
    complete = client.get(reverse("admin:iplus_source_changelist"), {"translation": "complete"}).text
    assert source.title in complete


def test_the_chinese_edition_is_whole_each_page_reached_from_its_home_in_chinese(client, content):
    from tests.helpers import crawl

    chinese = crawl(client, "/zh-hans/")
    english = crawl(client, "/")
    assert {counterpart(path, "en") for path in chinese} == {path for path in english if zh(path) != path}  # not the API
    for path, html in chinese.items():
        assert not html or '<html lang="zh-Hans">' in html, path


def test_a_search_hit_in_english_on_a_chinese_page_is_marked_english(client, db):
    source = make_source(title="Zyxquv report on platforms", note="A note on zyxquv.")
    page = client.get(counterpart(reverse("iplus:search"), "zh-hans"), {"q": "zyxquv"}).text
    assert f'<a href="{counterpart(source.get_absolute_url(), "zh-hans")}" lang="en">' in page
    assert '<p lang="en">A note on <mark>zyxquv</mark>.</p>' in page


def test_who_raised_a_critique_is_marked_english_on_the_chinese_list(client, db):
    critique = make_critique(raised_by="A Hong Kong daily")
    chinese = client.get(counterpart(reverse("critiques:list"), "zh-hans")).text
    english = client.get(reverse("critiques:list")).text
    assert '<span lang="en">A Hong Kong daily</span>' in chinese
    assert f"Raised by {critique.raised_by}</p>" in english
