"""GB/T 7714-2015 (信息与文献 参考文献著录规则), the standard Chinese researchers cite by: the formatter against the standard's
own examples, and the reference every page with a cite block offers, in its block and as `?cite=gbt7714`, on both editions."""

import datetime
import html
import re
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone, translation

from critiques.models import Critique
from iplus.models import PolicyDocument
from publishing.citations import Citation, CitationMixin
from publishing.kinds import content_models
from sectors.models import Sector
from tests.factories import make_source
from tests.routes import counterpart, public_routes

# The standard's examples of an online resource, its section 4.6.2 (著录格式 of 4.6 电子资源) and appendix A.10, as
# transcribed with their data in https://github.com/zepinglee/gbt7714-bibtex-style/blob/2281a9547bdedac1b7630a2c862f1cf106b32d51/tests/support/gbt7714-2015-examples.bib
# (entries gbt7714.4.6.2:2, :3, :4 and gbt7714.A.10:1) and as printed in
# https://github.com/zepinglee/gbt7714-bibtex-style/blob/654848601eb2615464fa63a77bf7e0216d06bb22/test/entry-electronic.bbl and
# https://github.com/zepinglee/gbt7714-bibtex-style/blob/65069ed5b3d176ea3ec606516f2610eefc1d8b45/tests/testfiles/2015-numeric.tlg;
# the layout "主要责任者. 题名: 其他题名信息[文献类型标识/文献载体标识]. (更新或修改日期)[引用日期]. 获取和访问路径." is the
# style's for an online resource in https://github.com/citation-style-language/styles/blob/03b1dad4206c1fc2160edb42b2742cc6f52d77c8/china-national-standard-gb-t-7714-2015-numeric.csl
# (legislation is A, a web page EB) and in https://m.lw881.com/lunwen/125307.html.
STANDARD_EXAMPLES = {
    # Appendix A.10: an online resource, [EB/OL].
    "A.10:1": (
        Citation(
            key="A.10-1",
            title="出版业信息化迈入快车道",
            author="萧钰",
            url="http://www.creader.com/news/20011219/200112190019.html",
            date=datetime.date(2001, 12, 19),
            accessed=datetime.date(2002, 4, 15),
            of_source=True,
        ),  # fmt: skip
        "萧钰. 出版业信息化迈入快车道[EB/OL]. (2001-12-19)[2002-04-15]. http://www.creader.com/news/20011219/200112190019.html.",
    ),
    # 4.6.2, example 2: a government document with its number, [A/OL].
    "4.6.2:2": (
        Citation(
            key="4.6.2-2",
            title="关于转发北京市企业投资项目核准暂行实施办法的通知",
            number="京政办发[2005]37号",
            author="北京市人民政府办公厅",
            url="http://china.findlaw.cn/fagui/p_1/39934.html",
            date=datetime.date(2005, 7, 12),
            accessed=datetime.date(2011, 7, 12),
            kind="legislation",
            of_source=True,
        ),  # fmt: skip
        "北京市人民政府办公厅. 关于转发北京市企业投资项目核准暂行实施办法的通知: 京政办发[2005]37号[A/OL]. (2005-07-12)[2011-07-12]. "
        "http://china.findlaw.cn/fagui/p_1/39934.html.",
    ),
    # 4.6.2, example 3: an English one.
    "4.6.2:3": (
        Citation(
            key="4.6.2-3",
            title="Origins and concepts of digital literacy",
            author="BAWDEN D",
            url="http://www.soi.city.ac.uk/~dbawden/digital%20literacy%20chapter.pdf",
            date=datetime.date(2008, 5, 4),
            accessed=datetime.date(2013, 3, 8),
            of_source=True,
        ),  # fmt: skip
        "BAWDEN D. Origins and concepts of digital literacy[EB/OL]. (2008-05-04)[2013-03-08]. "
        "http://www.soi.city.ac.uk/~dbawden/digital%20literacy%20chapter.pdf.",
    ),
    # 4.6.2, example 4: no date of its own, and an author ending in a full stop, which the reference does not double.
    "4.6.2:4": (
        Citation(
            key="4.6.2-4",
            title="About OCLC: History of cooperation",
            author="Online Computer Library Center, Inc.",
            url="http://www.oclc.org/about/cooperation.en.html",
            date=None,
            accessed=datetime.date(2012, 3, 27),
            of_source=True,
        ),  # fmt: skip
        "Online Computer Library Center, Inc. About OCLC: History of cooperation[EB/OL]. [2012-03-27]. http://www.oclc.org/about/cooperation.en.html.",
    ),
}

# Every page with a cite block, read from the URL resolver: a new kind's page is covered on its own.
CITED = {name: set(converters) for name, converters, view in public_routes() if view and issubclass(view, CitationMixin)}
ZH_SITE = "iplus：互联网+资料库"
GUIDING_OPINIONS = "/zh-hans/documents/guiding-opinions-2015/"


@pytest.mark.parametrize("example", STANDARD_EXAMPLES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_formatter_gives_the_standards_own_examples(example, language):
    citation, expected = STANDARD_EXAMPLES[example]
    with translation.override(language):
        assert citation.gbt7714_reference() == expected


def test_a_page_of_the_site_is_an_online_resource_by_the_site_with_its_chinese_title_on_the_chinese_edition():
    page = Citation(key="p", title="Finance", title_zh="互联网+金融", url="http://testserver/zh-hans/sectors/finance/",
                    date=datetime.date(2026, 3, 1), accessed=datetime.date(2026, 3, 2), kind="legislation")  # fmt: skip
    with translation.override("zh-hans"):
        assert (
            page.gbt7714_reference()
            == f"{ZH_SITE}. 互联网+金融[EB/OL]. (2026-03-01)[2026-03-02]. http://testserver/zh-hans/sectors/finance/."
        )
    with translation.override("en"):
        assert page.gbt7714_reference().startswith("iplus: the Internet Plus explorer. Finance[EB/OL]. (2026-03-01)[2026-03-02]. ")
    dataset = Citation(
        key="d", title="The dataset", url="http://testserver/data/", date=None, accessed=datetime.date(2026, 3, 2), kind="dataset"
    )
    assert dataset.gbt7714_reference() == "iplus: the Internet Plus explorer. The dataset[DS/OL]. [2026-03-02]. http://testserver/data/."


def cited_address(name):
    """An address of the page `name` on the English edition: a published item's whose page it is, or an item's version."""
    if name == "iplus:version":  # a version exists once an item is edited
        critique = Critique.objects.get(slug="censorship")
        critique.summary += " Edited."
        critique.save()
        return reverse(name, args=["critiques", critique.slug, critique.history.first().history_id])
    if not CITED[name]:
        return reverse(name)
    for model in content_models():
        item = model.objects.published().first() if hasattr(model, "get_absolute_url") else None
        if item and resolve(urlsplit(item.get_absolute_url()).path).view_name == name:
            return item.get_absolute_url()
    raise AssertionError(f"no published item has a page at {name}")


def gbt7714_rows(page):
    """The cite block's labels and texts, in order."""
    block = page.split('<section class="cite"', 1)[1].split("</section>", 1)[0]
    return [(label, html.unescape(text)) for label, text in re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", block, re.S)]


@pytest.mark.parametrize("name", CITED)
def test_every_page_with_a_cite_block_offers_gbt7714_first_on_the_chinese_edition(client, content, name):
    url = counterpart(cited_address(name), "zh-hans")
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    rows = gbt7714_rows(response.text)
    assert [label for label, _text in rows][:1] == ["GB/T 7714-2015"]
    assert {"APA 格式", "芝加哥格式", "MLA 格式"} <= {label for label, _text in rows}  # the labels in Chinese
    reference = rows[0][1]
    today = timezone.localdate()
    assert re.fullmatch(rf".+\. .+\[(EB|A|DS)/OL\]\. (\(\d{{4}}-\d{{2}}-\d{{2}}\))?\[{today:%Y-%m-%d}\]\. \S+\.", reference), reference
    if name != "iplus:source-detail":  # a source's page cites the source, by its publisher, at its own address
        assert reference.startswith(f"{ZH_SITE}. ") and reference.endswith(f" http://testserver{url}.")
    head = response.text.split("</head>", 1)[0]
    assert '<link rel="alternate" type="text/plain" href="?cite=gbt7714" title="GB/T 7714-2015">' in head
    assert '<a href="?cite=gbt7714" type="text/plain">GB/T 7714-2015</a>' in response.text
    assert "For a reference manager" not in response.text and "As text:" not in response.text


@pytest.mark.parametrize("name", CITED)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cite_gbt7714_downloads_the_reference_in_the_pages_edition(client, content, name, language):
    url = counterpart(cited_address(name), language)
    page_rows = gbt7714_rows(client.get(url).text)
    response = client.get(url, {"cite": "gbt7714"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9.-]+\.txt"', response["Content-Disposition"])
    references = [text for label, text in page_rows if label.startswith("GB/T 7714-2015")]
    assert response.content.decode() == "".join(f"{reference}\n" for reference in references)


def test_the_english_edition_shows_gbt7714_after_the_others(client, content):
    rows = gbt7714_rows(client.get(Sector.objects.get(slug="finance").get_absolute_url()).text)
    assert [label for label, _text in rows] == ["APA", "Chicago", "MLA", "GB/T 7714-2015"]
    assert rows[-1][1].startswith(f"iplus: the Internet Plus explorer. {Sector.objects.get(slug='finance').name}[EB/OL]. (")


def test_the_chinese_edition_cites_an_item_by_its_chinese_name(client, content):
    sector = Sector.objects.get(slug="finance")
    assert sector.name_zh
    reference = client.get(counterpart(sector.get_absolute_url(), "zh-hans"), {"cite": "gbt7714"}).content.decode()
    assert reference.startswith(f"{ZH_SITE}. {sector.name_zh}[EB/OL]. (")


def test_a_documents_page_also_cites_the_document_itself_with_its_number(client, content):
    today, changed = timezone.localdate(), timezone.localdate(PolicyDocument.objects.get(slug="guiding-opinions-2015").updated)
    # Read on its official page (the source "guiding-opinions-2015" in fixtures/iplus.json), dated 2015-07-04.
    document = (
        "国务院. 国务院关于积极推进“互联网+”行动的指导意见: 国发〔2015〕40号[A/OL]. "
        f"(2015-07-04)[{today:%Y-%m-%d}]. http://www.gov.cn/zhengce/content/2015-07/04/content_10002.htm."
    )
    page = f"{ZH_SITE}. 国务院关于积极推进“互联网+”行动的指导意见[EB/OL]. ({changed:%Y-%m-%d})[{today:%Y-%m-%d}]. http://testserver{GUIDING_OPINIONS}."
    rows = gbt7714_rows(client.get(GUIDING_OPINIONS).text)
    assert rows[:2] == [("GB/T 7714-2015", page), ("GB/T 7714-2015（文件本身）", document)]
    lines = client.get(GUIDING_OPINIONS, {"cite": "gbt7714"}).content.decode().splitlines()
    assert lines == [rows[0][1], document]
    english = client.get("/documents/guiding-opinions-2015/", {"cite": "gbt7714"}).content.decode().splitlines()
    assert english[1] == document and "国发〔2015〕40号" not in english[0]


def test_a_document_known_only_from_copies_is_not_cited_as_an_official_text(client, content):
    document = PolicyDocument.objects.get(slug="beijing-internet-plus-implementation-opinions-2016")
    assert document.number_zh and document.issuer_zh and document.title_zh  # it has all but an official source
    assert not document.sources.filter(kind="official").exists()
    response = client.get(counterpart(document.get_absolute_url(), "zh-hans"), {"cite": "gbt7714"})
    assert len(response.content.decode().splitlines()) == 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("value", ["GBT7714", "gbt", "gbt7714 ", "gb/t7714", ""])
def test_an_unknown_citation_format_stays_a_400_naming_gbt7714(client, content, language, value):
    response = client.get(counterpart(GUIDING_OPINIONS, language), {"cite": value})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "cite=gbt7714" in response.text and "cite=bibtex" in response.text


def test_a_draft_has_no_gbt7714_reference_for_visitors(client, content):
    critique = Critique.objects.get(slug="censorship")
    Critique.objects.filter(pk=critique.pk).update(status="draft")
    assert client.get(counterpart(critique.get_absolute_url(), "zh-hans"), {"cite": "gbt7714"}).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
def test_a_source_that_names_no_author_is_cited_as_anonymous_in_the_pages_language(client):
    source = make_source(slug="unsigned", title="An unsigned page", publisher="")
    chinese = client.get(counterpart(source.get_absolute_url(), "zh-hans"), {"cite": "gbt7714"}).content.decode()
    english = client.get(source.get_absolute_url(), {"cite": "gbt7714"}).content.decode()
    assert chinese.startswith("佚名. An unsigned page[EB/OL].") and english.startswith("Anonymous. An unsigned page[EB/OL].")
