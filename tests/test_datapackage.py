"""The whole dataset as a Frictionless Data Package: valid by the `frictionless` package, the list pages' own rows, no
drafts, every field documented on the data page, and a citation of the dataset."""

import csv
import io
import json
import re
from decimal import Decimal
from http import HTTPStatus

import bibtexparser
import pytest
from django.urls import reverse
from frictionless import Package, validate

from critiques.models import Critique
from iplus.models import Status
from sectors.models import Sector
from tests.factories import make_critique, make_sector

LISTS = {
    "critiques": "critiques:list",
    "sectors": "sectors:list",
    "key-actions": "iplus:keyaction-list",
    "documents": "iplus:document-list",
    "figures": "iplus:outcomes",
    "milestones": "iplus:timeline",
    "sources": "iplus:source-list",
    "glossary": "iplus:glossary",
    "targets": "iplus:target-list",
}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def download_package(client, folder):
    """The descriptor and every file it names, as a user saves them: side by side in one folder."""
    response = client.get(reverse("data:package"))
    assert response.status_code == HTTPStatus.OK
    (folder / "datapackage.json").write_bytes(response.content)
    descriptor = response.json()
    for resource in descriptor["resources"]:
        file = client.get(reverse("data:table", args=[resource["name"]]))
        assert file.status_code == HTTPStatus.OK and file["Content-Type"] == "text/csv; charset=utf-8"
        (folder / resource["path"]).write_bytes(body(file))
    return descriptor


def rows(folder, name):
    return list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text("utf-8-sig"))))


@pytest.fixture
def drafts(content):
    """A draft critique that names a published sector, and a published critique that names a draft sector."""
    draft_sector = make_sector(slug="draft-sector", status=Status.DRAFT)
    draft = make_critique(slug="draft-critique", status=Status.DRAFT)
    draft.sectors.add(Sector.objects.get(slug="finance"))
    published = make_critique(slug="names-an-unpublished-sector")
    published.sectors.add(draft_sector, Sector.objects.get(slug="finance"))


def test_the_package_validates_and_links_only_published_items(client, drafts, tmp_path):
    descriptor = download_package(client, tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert descriptor["licenses"][0]["name"] == "CC-BY-SA-4.0"
    names = {resource["name"] for resource in descriptor["resources"]}
    assert set(LISTS) | {"critiques-sectors", "documents-implements", "sectors-key-actions"} <= names
    text = "".join(path.read_text("utf-8-sig") for path in tmp_path.glob("*.csv"))
    assert "names-an-unpublished-sector" in text
    assert "draft-critique" not in text and "draft-sector" not in text
    links = rows(tmp_path, "critiques-sectors")
    assert {"critique": "names-an-unpublished-sector", "sector": "finance"} in links
    assert len(links) == sum(critique.sectors.published().count() for critique in Critique.objects.published())


def test_a_broken_link_fails_validation(client, content, tmp_path):
    """The package declares its foreign keys: a link to a row that is not there is an error, so the check above can fail."""
    download_package(client, tmp_path)
    with (tmp_path / "critiques-sectors.csv").open("a", encoding="utf-8") as file:
        file.write("censorship,no-such-sector\r\n")
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert [(task.name, error.type) for task in report.tasks for error in task.errors] == [("critiques-sectors", "foreign-key")]


@pytest.mark.parametrize("kind", LISTS)
def test_each_kind_is_its_list_pages_download_with_no_filters(client, content, kind):
    table = body(client.get(reverse("data:table", args=[kind])))
    download = body(client.get(reverse(LISTS[kind]), {"format": "csv"}))
    assert table == download
    assert table.startswith("\ufeffaddress,".encode())
    assert len(table.splitlines()) > 1


def test_the_package_follows_the_content(client, content, tmp_path):
    before = body(client.get(reverse("data:table", args=["critiques"])))
    critique = Critique.objects.published().first()
    critique.status = Status.DRAFT
    critique.save()
    after = body(client.get(reverse("data:table", args=["critiques"])))
    assert critique.get_absolute_url().encode() in before and critique.get_absolute_url().encode() not in after


def test_a_filter_in_the_address_does_not_change_a_file(client, content):
    plain = body(client.get(reverse("data:table", args=["critiques"])))
    assert body(client.get(reverse("data:table", args=["critiques"]), {"category": "censorship"})) == plain
    assert body(client.get(reverse("data:table", args=["critiques"]), {"category": "not-a-category"})) == plain


def test_an_unknown_table_is_a_404(client, content):
    assert client.get("/data/no-such-table.csv").status_code == HTTPStatus.NOT_FOUND


def test_the_data_page_documents_every_field_and_how_to_use_it(client, content):
    response = client.get(reverse("data:index"))
    assert response.status_code == HTTPStatus.OK
    text = response.text
    descriptor = client.get(reverse("data:package")).json()
    for resource in descriptor["resources"]:
        section = text.split(f'id="resource-{resource["name"]}"', 1)[1].split("</section>", 1)[0]
        assert f'href="{reverse("data:table", args=[resource["name"]])}"' in text
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in section
    assert 'rel="license"' in text and "https://creativecommons.org/licenses/by-sa/4.0/" in text
    assert '<a href="/data/datapackage.json" type="application/json">' in text
    newest = max(item.updated for item in Critique.objects.published())
    changed = re.search(r'<dt>Last changed</dt><dd><time datetime="([^"]+)"', text).group(1)
    assert changed >= newest.isoformat(timespec="seconds")[:19]


def test_the_data_page_is_a_citable_dataset(client, content):
    text = client.get(reverse("data:index")).text
    head = text.split("</head>", 1)[0]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["@type"] == "Dataset"
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert {"http://testserver/data/datapackage.json", "http://testserver/data/critiques.csv"} <= {
        item["contentUrl"] for item in data["distribution"]
    }
    assert '<meta name="citation_title" content="iplus: the Internet Plus explorer, the dataset">' in head
    assert "Cite this page" in text
    entry = bibtexparser.parse_string(client.get(reverse("data:index"), {"cite": "bibtex"}).text).entries[0]
    assert entry["url"] == "http://testserver/data/"
    assert client.get(reverse("data:index"), {"cite": "nonsense"}).status_code == HTTPStatus.BAD_REQUEST


def test_the_package_reads_with_the_frictionless_library(client, content, tmp_path):
    """Read as a user of the package would: the figures' values are numbers and their sectors resolve to rows."""
    download_package(client, tmp_path)
    package = Package(tmp_path / "datapackage.json")
    figures = package.get_resource("figures").read_rows()
    sectors = {row["slug"] for row in package.get_resource("sectors").read_rows()}
    assert figures and all(row["sector"] in sectors for row in figures if row["sector"])
    assert all(isinstance(row["value"], Decimal) for row in figures)
