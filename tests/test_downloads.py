"""Every list as CSV and JSON: the rows of all the HTML pages, in their order, with the page's filters and sort order."""

import csv
import io
import json
import re
from http import HTTPStatus
from itertools import count

import pytest
from django.urls import reverse

from critiques.models import Critique
from tests.factories import make_critique, make_source

# Each list, and how its HTML names an item: the item's address, or its anchor on the list page.
LISTS = {
    "critiques:list": r'href="(/critiques/[\w-]+/)"',
    "sectors:list": r'<h3><a href="(/sectors/[\w-]+/)"',
    "iplus:keyaction-list": r'<li value="\d+"><span class="number">\d+\.</span> <a href="(/key-actions/[\w-]+/)"',
    "iplus:document-list": r'<h3><a href="(/documents/[\w-]+/)"',
    "iplus:outcomes": r'<tr id="([\w-]+)">',
    "iplus:timeline": r'<li id="(?!fn-)([\w-]+)">',  # not a footnote's note
    "iplus:source-list": r'href="(/sources/[\w-]+/)"',
    "iplus:glossary": r'<dt id="([\w-]+)"',
}
PARAMS = {
    "critiques:list": [
        {},
        {"ordering": "title"},
        {"category": "censorship"},
        {"sector": "finance", "ordering": "title"},
        {"q": "internet"},
    ],
    "sectors:list": [{}, {"ordering": "name"}, {"key_action": "public-services"}],
    "iplus:keyaction-list": [{}],
    "iplus:document-list": [
        {},
        {"ordering": "-issued_on"},
        {"level": "provincial"},
        {"key_action": "public-services", "ordering": "title"},
    ],
    "iplus:outcomes": [{}, {"sector": "finance"}, {"key_action": "public-services"}],
    "iplus:timeline": [{}, {"year": "2015"}, {"kind": "policy"}],
    "iplus:source-list": [{}],
    "iplus:glossary": [{}],
}
CASES = [(name, params) for name, all_params in PARAMS.items() for params in all_params]


def html_items(client, name, params):
    """The items of every HTML page of the list, in order, as the downloads name them (path or anchor)."""
    pattern, found = re.compile(LISTS[name]), []
    for page in count(1):
        response = client.get(reverse(name), {**params, "page": page})
        if response.status_code == HTTPStatus.NOT_FOUND:
            break
        main = response.text.split("<main", 1)[1].split("</main>", 1)[0]
        for match in pattern.finditer(main):
            item = next(group for group in match.groups() if group)
            if item not in found:
                found.append(item)
        if 'rel="next"' not in response.text:
            break
    return found


def as_item(address):
    path = re.sub(r"^https?://[^/]+", "", address)
    return path.split("#", 1)[1] if "#" in path else path


@pytest.fixture
def many_critiques(content):
    """Enough critiques for the critique list to have three pages."""
    for n in range(60):
        make_critique(slug=f"extra-{n:02}", title=f"Extra critique {n:02}", category="censorship" if n % 2 else "privacy")


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{name}{params}" for name, params in CASES])
def test_the_downloads_are_the_items_of_all_the_pages_in_order(client, many_critiques, name, params):
    expected = html_items(client, name, params)
    assert expected, "the list shows nothing to compare"
    as_json = client.get(reverse(name), {**params, "format": "json"})
    assert as_json.streaming and as_json["Content-Type"] == "application/json"
    rows = json.loads(b"".join(as_json.streaming_content))
    assert [as_item(row["address"]) for row in rows] == expected
    as_csv = client.get(reverse(name), {**params, "format": "csv"})
    text = b"".join(as_csv.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    records = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [as_item(record["address"]) for record in records] == expected


def test_csv_has_named_columns_both_languages_and_the_sources(client, content):
    response = client.get(reverse("iplus:document-list"), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="documents.csv"' in response["Content-Disposition"]
    records = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    opinions = next(record for record in records if record["slug"] == "guiding-opinions-2015")
    assert opinions["title_zh"] == "国务院关于积极推进“互联网+”行动的指导意见"
    assert opinions["number_zh"] == "国发〔2015〕40号" and opinions["number_en"] == "Guofa [2015] No. 40"
    assert "usito-guiding-opinions-summary" in opinions["sources"].split("; ")
    assert opinions["address"] == "http://testserver/documents/guiding-opinions-2015/"


def test_drafts_are_in_no_download(client, content):
    make_critique(slug="secret-draft", title="Secret draft", status="draft")
    critique = Critique.objects.get(slug="censorship")
    critique.sources.add(make_source(slug="draft-source", status="draft"))
    text = b"".join(client.get(reverse("critiques:list"), {"format": "csv"}).streaming_content).decode()
    assert "secret-draft" not in text and "draft-source" not in text
    assert "south-china-morning-post" in text


@pytest.mark.parametrize(
    "params", [{"format": "xml"}, {"format": ""}, {"format": "csv", "category": "junk"}, {"format": "json", "year": "1"}]
)
def test_a_bad_format_or_filter_is_a_400_that_says_why(client, content, params):
    name = "iplus:timeline" if "year" in params else "critiques:list"
    response = client.get(reverse(name), params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "format=csv" in response.text or "do not validate" in response.text
    assert "junk" not in response.text


def test_a_list_links_its_downloads_with_its_own_filters(client, content):
    text = client.get(reverse("critiques:list"), {"category": "censorship", "page": 1}).text
    assert '<link rel="alternate" type="text/csv" href="?category=censorship&amp;format=csv">' in text
    assert '<link rel="alternate" type="application/json" href="?category=censorship&amp;format=json">' in text
    assert '<a href="?category=censorship&amp;format=csv" type="text/csv">CSV</a>' in text


def test_the_html_page_is_still_stored_by_the_page_cache(client, content):
    response = client.get(reverse("critiques:list"), {"category": "censorship"})
    assert "private" not in response.get("Cache-Control", "")
