"""Cite this page: meta tags for reference managers, schema.org JSON-LD, APA/Chicago/MLA text, and BibTeX, RIS and
CSL-JSON files that their own ecosystem's parsers read."""

import json
import re
from http import HTTPStatus

import bibtexparser
import pytest
import rispy
from citeproc.source.json import CiteProcJSON
from django.utils import timezone

from critiques.models import Critique
from iplus.models import KeyAction, PolicyDocument, Source
from sectors.models import Sector

PAGES = {
    "document": lambda: PolicyDocument.objects.get(slug="guiding-opinions-2015"),
    "sector": lambda: Sector.objects.get(slug="finance"),
    "critique": lambda: Critique.objects.get(slug="censorship"),
    "key action": lambda: KeyAction.objects.get(number=6),
}


@pytest.mark.parametrize("kind", PAGES)
def test_an_item_page_carries_meta_tags_json_ld_and_a_cite_block(client, content, kind):
    item = PAGES[kind]()
    text = client.get(item.get_absolute_url()).text
    head = text.split("</head>", 1)[0]
    assert re.search(r'<meta name="citation_title" content="[^"]+">', head)
    assert '<meta name="citation_author" content="iplus: the Internet Plus explorer">' in head
    assert f'<meta name="citation_public_url" content="http://testserver{item.get_absolute_url()}">' in head
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["@type"] == ("Legislation" if kind == "document" else "WebPage")
    assert data["url"] == f"http://testserver{item.get_absolute_url()}"
    for format in ("bibtex", "ris", "csl"):
        assert f'href="?cite={format}"' in head
    block = text.split('<section class="cite"', 1)[1].split("</section>", 1)[0]
    today = timezone.localdate()
    assert f"Retrieved {today:%B} {today.day}, {today:%Y}, from http://testserver{item.get_absolute_url()}" in block  # APA
    assert f"Accessed {today.day} {today:%b. %Y}." in block  # MLA


@pytest.mark.parametrize("kind", PAGES)
def test_the_citation_files_parse(client, content, kind):
    item = PAGES[kind]()
    url = item.get_absolute_url()
    bibtex = client.get(url, {"cite": "bibtex"})
    assert bibtex["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(bibtex.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry["url"] == f"http://testserver{url}"
    ris = rispy.loads(client.get(url, {"cite": "ris"}).content.decode())
    assert ris[0]["urls"] == [f"http://testserver{url}"] and ris[0]["type_of_reference"] == "ELEC"
    csl = json.loads(client.get(url, {"cite": "csl"}).content)
    assert csl[0]["id"] in CiteProcJSON(csl)  # citeproc-py reads it
    assert csl[0]["URL"] == f"http://testserver{url}" and csl[0]["accessed"]["date-parts"][0][0] == timezone.localdate().year


def test_a_source_page_cites_the_source_itself(client, content):
    source = Source.objects.get(slug="usito-guiding-opinions-summary")
    text = client.get(source.get_absolute_url()).text
    assert "Cite this source" in text
    (entry,) = rispy.loads(client.get(source.get_absolute_url(), {"cite": "ris"}).content.decode())
    assert entry["title"] == source.title and entry["urls"] == [source.url]


def test_titles_with_bibtex_specials_stay_one_field(client, db):
    from tests.factories import make_critique

    critique = make_critique(title="Costs of 50% & more {braces} #1 _under_")
    library = bibtexparser.parse_string(client.get(critique.get_absolute_url(), {"cite": "bibtex"}).content.decode())
    assert not library.failed_blocks and "50" in library.entries[0]["title"]


def test_an_unknown_citation_format_is_a_400(client, content):
    response = client.get(PAGES["sector"]().get_absolute_url(), {"cite": "endnote"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "cite=bibtex" in response.text


def test_a_draft_has_no_citation_for_visitors(client, content):
    critique = PAGES["critique"]()
    Critique.objects.filter(pk=critique.pk).update(status="draft")
    assert client.get(critique.get_absolute_url(), {"cite": "bibtex"}).status_code == HTTPStatus.NOT_FOUND
