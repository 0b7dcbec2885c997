"""The Chinese edition as a Chinese reader uses it: issuers, validity, chart captions and people named in Chinese, and
found by their Chinese names."""

import re

from pytest_django.asserts import assertContains

from iplus.models import PolicyDocument


def test_chinese_lists_and_pages_name_the_issuer_in_chinese(client, content):
    response = client.get("/zh-hans/documents/")
    assertContains(response, '<span lang="zh">国务院</span>', html=True)
    shown = re.sub(r'value="[^"]*"', "", response.text)  # what a reader sees, not the filter's values
    assert "Ministry of Industry and Information Technology" not in shown
    assert re.search(r'<option value="State Council"[^>]*>国务院（\d+）</option>', response.text)
    document = client.get("/zh-hans/documents/guiding-opinions-2015/").text
    assert re.search(r'<dd><span lang="zh">国务院</span>\s*<span lang="en" class="other-name">State Council</span>', document)
    # The English edition keeps the English name, with the Chinese beside it.
    assertContains(client.get("/documents/guiding-opinions-2015/"), '<span lang="zh" class="other-name">国务院</span>', html=True)


def test_validity_is_said_in_the_page_s_language(client, content):
    document = PolicyDocument.objects.filter(legal_status="Effective").first()
    assertContains(client.get("/zh-hans" + document.get_absolute_url()), "<dd>现行有效</dd>", html=True)
    assertContains(client.get(document.get_absolute_url()), "<dd>Effective</dd>", html=True)


def test_chart_captions_of_the_chinese_edition_are_chinese(client, content):
    outcomes = client.get("/zh-hans/outcomes/").text
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", outcomes, re.DOTALL)
    assert captions
    assert all(re.search(r"[\u4e00-\u9fff]", caption) and "Share of" not in caption for caption in captions), captions


def test_people_are_named_in_chinese_in_chinese_prose_and_found_by_those_names(client, content):
    strategy = client.get("/zh-hans/strategy/").text
    for name, pinyin in [("李克强", "Li Keqiang"), ("温家宝", "Wen Jiabao"), ("马化腾", "Ma Huateng"), ("于扬", "Yu Yang")]:
        assert name in strategy
        assert pinyin not in re.sub(r'<[^>]*lang="en".*?</[a-z]+>', "", strategy, flags=re.DOTALL)
        assert pinyin in client.get("/strategy/").text  # the English edition keeps the pinyin
    found = client.get("/zh-hans/search/", {"q": "李克强"}).text
    assert "/zh-hans/strategy/" in found and "/zh-hans/timeline/" in found


def test_who_raised_a_critique_and_joint_issuers_are_said_in_chinese(client, content):
    critique = client.get("/zh-hans/critiques/no-stage-by-stage-evaluation/").text
    assert "陈磊等六位作者" in critique and "and five co-authors" not in critique
    assert "and five co-authors" in client.get("/critiques/no-stage-by-stage-evaluation/").text
    listed = client.get("/zh-hans/critiques/").text
    assert "一些人（该百科条目未点名）" in listed and "Some people" not in listed
    document = client.get("/zh-hans/documents/internet-plus-artificial-intelligence-2016/").text
    assert re.search(r"<dd>.*国家发展改革委.*科技部、工业和信息化部、国家互联网信息办公室.*</dd>", document)
    assert "Ministry of Science and Technology" not in re.sub(r'<[^>]*lang="en".*?</[a-z]+>', "", document, flags=re.DOTALL)


def test_a_chart_s_description_uses_the_page_s_punctuation(client, content):
    chinese = re.findall(r'<title id="chart-[^"]*">([^<]*)</title>', client.get("/zh-hans/outcomes/").text)
    assert chinese and all("，" in title and title.endswith("。") and not re.search(r"[,;.] ", title) for title in chinese), chinese
    english = re.findall(r'<title id="chart-[^"]*">([^<]*)</title>', client.get("/outcomes/").text)
    assert english and all(": " in title and ", " in title and title.endswith(".") for title in english), english
