"""Downloads, the data package and the API in both languages: every translated text has its `_zh` column, as plain text
in the files and as Markdown in the API; the Chinese edition's files give its addresses and describe their fields in
Chinese; the descriptions are written for a reader, not an editor."""

import csv
import io
import json
import re
from http import HTTPStatus
from urllib.parse import urljoin

import pytest
from django.urls import reverse
from frictionless import Package, validate

from critiques.models import Critique
from publishing.kinds import KINDS
from tests.factories import make_critique, make_source

CJK = re.compile(r"[\u3400-\u9fff]")
LISTS = {
    "critiques": "/critiques/",
    "sectors": "/sectors/",
    "key-actions": "/key-actions/",
    "documents": "/documents/",
    "figures": "/outcomes/",
    "milestones": "/timeline/",
    "sources": "/sources/",
    "glossary": "/glossary/",
    "targets": "/targets/",
}
# Words that tell an editor what to do, and an English full stop after a Chinese character ("标识符. 此条目").
EDITOR_WORDING = re.compile(r"leave (empty|blank)|fill in|use its first day|Cite a source|Markdown: \*|请填写|填写|留空|[\u3400-\u9fff]\. ")
# In Chinese prose: English punctuation next to a Chinese character, or a space after a Chinese full stop.
ENGLISH_PUNCTUATION = re.compile(r"[\u3400-\u9fff][.,;:()]|[,;:(][\u3400-\u9fff]|。 ")


def body(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8-sig")


def csv_rows(client, path, **params):
    response = client.get(path, {"format": "csv", **params})
    assert response.status_code == HTTPStatus.OK
    text = body(response)
    return text, list(csv.DictReader(io.StringIO(text)))


def download_package(client, folder, address):
    """The descriptor at `address` and every file it names, each fetched from where its path points (relative to the
    descriptor's address, as a user's tool reads it) and saved beside it."""
    response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    (folder / "datapackage.json").write_bytes(response.content)
    descriptor = response.json()
    for resource in descriptor["resources"]:
        file = client.get(urljoin(address, resource["path"]))
        assert file.status_code == HTTPStatus.OK
        (folder / resource["path"]).write_text(body(file), encoding="utf-8-sig")
    return descriptor


def descriptions(descriptor):
    for resource in descriptor["resources"]:
        yield resource["name"], resource["title"]
        for field in resource["schema"]["fields"]:
            yield f"{resource['name']}.{field['name']}", field["description"]


@pytest.mark.parametrize(
    ("kind", "column"),
    [("critiques", "argument_zh"), ("documents", "summary_zh"), ("sectors", "body_zh"), ("key-actions", "description_zh")],
)
def test_a_chinese_lists_csv_has_its_chinese_texts_as_plain_text_and_chinese_addresses(client, content, kind, column):
    text, rows = csv_rows(client, f"/zh-hans{LISTS[kind]}")
    assert rows and all(row["address"].startswith("http://testserver/zh-hans/") for row in rows)
    assert any(CJK.search(row[column]) for row in rows), f"no Chinese in {column}"
    assert column.removesuffix("_zh") in rows[0], "the English text beside it"
    assert "[^" not in text and "**" not in text and not re.search(r"</?[a-z]+[ >]", text)


def test_the_english_csv_is_the_chinese_one_with_english_addresses(client, content):
    for kind, path in LISTS.items():
        english, rows = csv_rows(client, path)
        chinese, _rows = csv_rows(client, f"/zh-hans{path}")
        assert rows and not any("/zh-hans/" in row["address"] for row in rows), kind
        assert chinese.replace("http://testserver/zh-hans/", "http://testserver/") == english, kind


@pytest.mark.parametrize("kind", LISTS)
def test_every_translated_text_has_its_chinese_column(client, content, kind):
    model = next(declared.model for declared in KINDS if declared.name == kind)
    for language in ("", "/zh-hans"):
        columns = csv_rows(client, f"{language}{LISTS[kind]}")[1][0].keys()
        translated = [name for name in columns if name in model.translated_fields]
        assert translated and all(f"{name}_zh" in columns for name in translated), (kind, columns)
        rows = json.loads(body(client.get(f"{language}{LISTS[kind]}", {"format": "json"})))
        assert list(rows[0]) == list(columns)


def test_texts_are_plain_in_the_downloads_and_markdown_in_the_api(client, content):
    make_source(slug="report")
    make_critique(
        slug="bilingual",
        argument="A **bold** claim.[^report]\n\n[^report]: The report's words.",
        argument_zh="一个**大胆**的论点。[^report]\n\n[^report]: 报告原话。",
        summary_zh="中文摘要。",
    )
    make_critique(slug="paragraphs", argument="First.\n\nSecond.", argument_zh="第一段。\n\n第二段，含 AI 一词。")
    rows = csv_rows(client, "/zh-hans/critiques/")[1]
    row = next(row for row in rows if row["slug"] == "bilingual")
    assert (row["argument"], row["argument_zh"], row["summary_zh"]) == ("A bold claim.", "一个大胆的论点。", "中文摘要。")
    # Paragraphs joined: a space between English ones, none between Chinese ones (a space beside a Latin word stays).
    row = next(row for row in rows if row["slug"] == "paragraphs")
    assert (row["argument"], row["argument_zh"]) == ("First. Second.", "第一段。第二段，含 AI 一词。")
    listed = json.loads(body(client.get("/critiques/", {"format": "json"})))
    assert next(row for row in listed if row["slug"] == "bilingual")["argument_zh"] == "一个大胆的论点。"
    item = client.get(reverse("api:item-critiques", args=["bilingual"])).json()
    assert item["argument_zh"] == "一个**大胆**的论点。[^report]\n\n[^report]: 报告原话。"
    assert item["address"] == "http://testserver/critiques/bilingual/"
    schema = client.get(reverse("api:openapi")).json()["components"]["schemas"]["critiques"]["properties"]
    assert "Markdown" in schema["argument_zh"]["description"] and "Markdown" not in schema["summary_zh"]["description"]


def test_the_chinese_data_package_validates_and_speaks_chinese(client, content, tmp_path):
    descriptor = download_package(client, tmp_path, "/zh-hans/data/datapackage.json")
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert descriptor["homepage"] == "http://testserver/zh-hans/data/" and CJK.search(descriptor["title"])
    for name, text in descriptions(descriptor):
        assert CJK.search(text), name
    package = Package(tmp_path / "datapackage.json")
    critiques = package.get_resource("critiques").read_rows()
    assert critiques and all(row["address"].startswith("http://testserver/zh-hans/critiques/") for row in critiques)
    assert any(CJK.search(row["argument_zh"] or "") for row in critiques)
    assert {row["slug"] for row in critiques} == set(Critique.objects.published().values_list("slug", flat=True))
    quoted = package.get_resource("passages").read_rows()
    assert quoted and all(row["quoted_in"].startswith("http://testserver/zh-hans/") for row in quoted)


def test_the_english_data_package_keeps_english_addresses_and_descriptions(client, content, tmp_path):
    descriptor = download_package(client, tmp_path, "/data/datapackage.json")
    assert descriptor["homepage"] == "http://testserver/data/"
    assert "/zh-hans/" not in "".join(path.read_text("utf-8-sig") for path in tmp_path.glob("*.csv"))
    critiques = next(resource for resource in descriptor["resources"] if resource["name"] == "critiques")
    described = {field["name"]: field["description"] for field in critiques["schema"]["fields"]}
    assert described["argument"].startswith("The argument in full.") and "plain text" in described["argument"].lower()
    assert not CJK.search(described["argument_zh"])


def test_every_description_is_for_a_reader(client, content):
    english = client.get("/data/datapackage.json").json()
    chinese = client.get("/zh-hans/data/datapackage.json").json()
    for name, text in [*descriptions(english), *descriptions(chinese)]:
        assert not EDITOR_WORDING.search(text), (name, text)
    for name, text in descriptions(chinese):
        assert not ENGLISH_PUNCTUATION.search(text), (name, text)
        assert "." not in name or text.endswith("。"), (name, text)
    openapi = client.get(reverse("api:openapi")).json()["components"]["schemas"]
    for kind, schema in openapi.items():
        for name, field in schema["properties"].items():
            assert not EDITOR_WORDING.search(field.get("description", "")), (kind, name)
    for page in ("/data/", "/zh-hans/data/"):
        tables = re.findall(r'<section class="data-resource".*?</section>', client.get(page).text, re.DOTALL)
        assert tables and not any(EDITOR_WORDING.search(table) for table in tables), page
    assert "条目在本站网址和各文件之间关联中使用的标识符" in client.get("/zh-hans/data/").text


def test_drafts_are_in_no_chinese_file(client, content, tmp_path):
    make_critique(slug="secret-draft", title="Secret draft", argument_zh="秘密草稿。", status="draft")
    Critique.objects.get(slug="censorship").sources.add(make_source(slug="draft-source", status="draft"))
    texts = [body(client.get(f"/zh-hans{path}", {"format": format})) for path in LISTS.values() for format in ("csv", "json")]
    download_package(client, tmp_path, "/zh-hans/data/datapackage.json")
    texts += [path.read_text("utf-8-sig") for path in tmp_path.glob("*.csv")]
    for text in texts:
        assert "secret-draft" not in text and "秘密草稿" not in text and "draft-source" not in text
    assert any("south-china-morning-post" in text for text in texts)
