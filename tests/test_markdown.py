"""What editors' Markdown becomes on the public pages: footnotes that cite a source at the sentence, like
Wikipedia's, checked when an item is saved; and tables that scroll inside their own box."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from critiques.models import Critique
from iplus.models import Section, Source
from sectors.models import Application, Sector
from tests.factories import make_critique, make_section, make_sector, make_source
from tests.forms import form_fields
from tests.helpers import admin_url


class Page(HTMLParser):
    """The ids of a page, its in-page links, its footnote markers and the links of its notes."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.ids, self.anchors, self.markers, self.notes, self.tables = [], [], [], [], []
        self.stack, self.marker = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "sup" and attrs.get("class") == "fn":
            self.marker = [attrs["id"], None, ""]
            self.markers.append(self.marker)
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.anchors.append(attrs["href"][1:])
            if self.marker is not None:
                self.marker[1] = attrs["href"][1:]
        in_notes = any(a.get("class") == "footnotes" for _, a in self.stack)
        if tag == "a" and in_notes and attrs["href"].startswith("/"):  # the source's page here, not its own or a copy
            self.notes.append(attrs["href"])
        if tag == "table":
            self.tables.append(next((a for t, a in reversed(self.stack[:-1]) if t == "div"), {}))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if tag == "sup":
            self.marker = None

    def handle_data(self, data):
        if self.marker is not None:
            self.marker[2] += data


def page(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return Page(response.content.decode())


def assert_footnotes_resolve(parsed):
    """Every id once; every footnote marker links a note on the page, every note links a source."""
    assert len(parsed.ids) == len(set(parsed.ids)), sorted(i for i in parsed.ids if parsed.ids.count(i) > 1)
    assert set(parsed.anchors) <= set(parsed.ids)
    assert all(target in parsed.ids for _, target, _ in parsed.markers)


# Footnotes


def test_a_footnote_is_a_numbered_link_to_a_note_that_links_the_source(client, db):
    report = make_source(slug="report", title="A report")
    survey = make_source(slug="survey", title="A survey")
    sector = make_sector(slug="trade", body="First claim.[^report] Second claim.[^survey]\n\nThe first again.[^report]")
    response = client.get(sector.get_absolute_url())
    assertContains(
        response,
        '<sup class="fn" id="fnref-sector-trade-body-1"><a href="#fn-sector-trade-body-1" rel="noopener noreferrer">[1]</a></sup>',
        html=True,
    )
    assertContains(
        response,
        '<sup class="fn" id="fnref-sector-trade-body-2"><a href="#fn-sector-trade-body-2" rel="noopener noreferrer">[2]</a></sup>',
        html=True,
    )
    # A repeated source keeps its number; its note links back to each place that cites it.
    assertContains(
        response,
        '<sup class="fn" id="fnref-sector-trade-body-1-2"><a href="#fn-sector-trade-body-1" rel="noopener noreferrer">[1]</a></sup>',
        html=True,
    )
    assertContains(
        response,
        f'<li id="fn-sector-trade-body-1"><p><a href="{report.get_absolute_url()}" rel="noopener noreferrer">A report</a> '
        '<a aria-label="Back to the text, reference 1" href="#fnref-sector-trade-body-1" rel="noopener noreferrer">↩1</a> '
        '<a aria-label="Back to the text, reference 2" href="#fnref-sector-trade-body-1-2" rel="noopener noreferrer">↩2</a></p></li>',
        html=True,
    )
    assertContains(
        response,
        f'<li id="fn-sector-trade-body-2"><p><a href="{survey.get_absolute_url()}" rel="noopener noreferrer">A survey</a> '
        '<a aria-label="Back to the text" href="#fnref-sector-trade-body-2" rel="noopener noreferrer">↩</a></p></li>',
        html=True,
    )
    parsed = Page(response.content.decode())
    assert [text for _, _, text in parsed.markers] == ["[1]", "[2]", "[1]"]
    assert parsed.notes == [report.get_absolute_url(), survey.get_absolute_url()]
    assert_footnotes_resolve(parsed)
    assert client.get(report.get_absolute_url()).status_code == HTTPStatus.OK


def test_the_notes_come_at_the_end_of_their_own_text(client, db):
    make_source(slug="report", title="A report")
    sector = make_sector(slug="trade", body="Cited.[^report]\n\nA last paragraph.")
    html = client.get(sector.get_absolute_url()).content.decode()
    body = html[html.index('<div class="body">') :]
    assert body.index("A last paragraph.") < body.index('<div class="footnotes">') < body.index("A report")
    assertContains(client.get(sector.get_absolute_url()), "<p>Notes</p>", html=True)


def test_footnote_ids_are_unique_on_a_page_of_several_texts(client, db):
    make_source(slug="report", title="A report")
    # The strategy page shows every section; a sector page shows the sector's body and each application's description.
    make_section(slug="one", body="One.[^report]")
    make_section(slug="two", body="Two.[^report]")
    strategy = page(client, reverse("iplus:strategy"))
    assert len(strategy.markers) == 2
    assert_footnotes_resolve(strategy)

    sector = make_sector(slug="trade", body="Body.[^report]")
    Application.objects.create(sector=sector, slug="shops", name="Shops", description="Shops.[^report]", status="published")
    parsed = page(client, sector.get_absolute_url())
    assert {marker_id for marker_id, _, _ in parsed.markers} == {"fnref-sector-trade-body-1", "fnref-application-shops-description-1"}
    assert_footnotes_resolve(parsed)


def test_a_footnote_in_code_is_code(client, db):
    make_source(slug="report")
    sector = make_sector(body="Write `[^report]` to cite a source.")
    sector.full_clean()
    response = client.get(sector.get_absolute_url())
    assertContains(response, "<code>[^report]</code>", html=True)
    assertNotContains(response, 'class="fn"')


def test_the_words_of_a_text_leave_its_footnotes_out(client, db):
    make_source(slug="report", title="A report")
    make_sector(slug="trade", name="Trade", summary="Trade.", body="Ports are busy.[^report] Ships too.")
    response = client.get(reverse("iplus:search"), {"q": "ports"})
    assertContains(response, "busy. Ships too.")
    assertNotContains(response, "[1]")
    assertNotContains(response, "Notes")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("A claim.[^no-such-source]", "The footnote [^no-such-source] names no source"),
        ("A claim.[^unpublished]", "The footnote [^unpublished] names a draft source"),
    ],
)
def test_a_footnote_must_name_a_published_source(db, body, message):
    make_source(slug="unpublished", status="draft")
    sector = make_sector()
    sector.body = body
    with pytest.raises(ValidationError) as error:
        sector.full_clean()
    assert list(error.value.message_dict) == ["body"]
    assert message in error.value.message_dict["body"][0]


def test_every_markdown_field_checks_its_footnotes(db):
    section = make_section(body="Fine.")
    section.body = "Not fine.[^nothing]"
    with pytest.raises(ValidationError, match=r"\[\^nothing\] names no source"):
        section.full_clean()
    critique = make_critique()
    critique.argument = "Not fine.[^nothing]"
    with pytest.raises(ValidationError, match=r"\[\^nothing\] names no source"):
        critique.full_clean()


def change_form(client, obj):
    """The admin change form of obj as a browser would submit it."""
    response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == HTTPStatus.OK
    fields = {}
    for name, value in form_fields(response.content.decode(), f"{obj._meta.model_name}_form"):
        fields.setdefault(name, []).append(value)
    return fields


def test_the_admin_says_how_to_write_a_footnote(as_superuser):
    sector = make_sector()
    response = as_superuser.get(admin_url(Sector, "change", sector.pk))
    # The body and an application's description, each in English and in Chinese.
    assertContains(response, "Cite a source at a sentence with [^its-slug]", count=4)


def test_the_admin_refuses_a_footnote_to_an_unknown_source_in_plain_words(as_superuser):
    sector = make_sector(body="A body.")
    fields = change_form(as_superuser, sector)
    response = as_superuser.post(admin_url(Sector, "change", sector.pk), {**fields, "body": "A claim.[^made-up]", "_save": "Save"})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "The footnote [^made-up] names no source")
    sector.refresh_from_db()
    assert sector.body == "A body."


def test_the_admin_saves_a_footnote_to_a_published_source(as_superuser, client):
    source = make_source(slug="report", title="A report")
    sector = make_sector(body="A body.")
    fields = change_form(as_superuser, sector)
    response = as_superuser.post(admin_url(Sector, "change", sector.pk), {**fields, "body": "A claim.[^report]", "_save": "Save"})
    assert response.status_code == HTTPStatus.FOUND
    sector.refresh_from_db()
    assert f'<a href="{source.get_absolute_url()}" rel="noopener noreferrer">A report</a>' in sector.body_html


def test_a_cited_source_cannot_be_unpublished_or_renamed_in_the_admin(as_superuser):
    source = make_source(slug="report", title="A report")
    make_sector(name="Trade", body="A claim.[^report]")
    fields = change_form(as_superuser, source)
    url = admin_url(Source, "change", source.pk)
    for change in ({"status": "draft"}, {"slug": "renamed"}):
        response = as_superuser.post(url, {**fields, **change, "_save": "Save"})
        assert response.status_code == HTTPStatus.OK
        assertContains(response, "Footnotes cite this source by its slug in “Trade”")
    source.refresh_from_db()
    assert (source.slug, source.status) == ("report", "published")


def test_a_sources_new_title_reaches_the_notes_that_cite_it(client, db):
    source = make_source(slug="report", title="A report")
    sector = make_sector(body="A claim.[^report]")
    versions = sector.history.count()
    source.title = "The final report"
    source.save()
    response = client.get(sector.get_absolute_url())
    assertContains(response, f'<a href="{source.get_absolute_url()}" rel="noopener noreferrer">The final report</a>', html=True)
    assert sector.history.count() == versions  # the text itself did not change: no new version of it


def test_every_footnote_in_the_content_resolves_to_a_published_source(client, content):
    from tests.browser.pages import public_pages

    cited = set()
    for url in public_pages():
        parsed = page(client, url)
        assert_footnotes_resolve(parsed)
        cited.update(parsed.notes)
    assert cited, "no page carries a footnote"
    for url in cited:
        assert client.get(url).status_code == HTTPStatus.OK, url
    slugs = {url.rstrip("/").rpartition("/")[2] for url in cited}
    assert slugs <= set(Source.objects.published().values_list("slug", flat=True))


def test_the_articles_inline_citations_are_footnotes(client, content):
    def source(slug):
        return Source.objects.get(slug=slug).get_absolute_url()

    government = Sector.objects.get(slug="government").get_absolute_url()
    assert source("jeong-2007") in page(client, government).notes
    response = client.get(government)
    assertContains(response, "and government and the commerce.<sup")
    assertNotContains(response, "(Jeong, 2007)")
    # The article's numbered references have no title or address: its notes cite the article, quoting its sentence.
    strategy = client.get(reverse("iplus:strategy"))
    notes = Page(strategy.content.decode()).notes
    assert source("article-internet-plus") in notes and source("article-reference-44") not in notes
    assertContains(strategy, "It was a five-year plan to integrate traditional manufacturing and service industries")
    censorship = Critique.objects.get(slug="censorship").get_absolute_url()
    assert source("south-china-morning-post") in page(client, censorship).notes


# Tables

SIX_COLUMNS = """Figures by year:

| Year | Users | Online sales | Cross-border trade | Rural shops | Mobile payments |
| --- | --- | --- | --- | --- | --- |
| 2014 | 649 million | more than 13 trillion yuan | more than 3 billion yuan | by province | by bank |
"""


def test_a_wide_table_in_a_sector_body_scrolls_inside_its_own_box(client, db):
    sector = make_sector(body=SIX_COLUMNS)
    parsed = page(client, sector.get_absolute_url())
    assert parsed.tables == [
        {
            "aria-label": "Table: Year, Users, Online sales, Cross-border trade, Rural shops, Mobile payments",
            "class": "table-scroll",
            "role": "region",
            "tabindex": "0",
        }
    ]
    assertContains(client.get(sector.get_absolute_url()), "<th>Mobile payments</th>", html=True)


def test_the_strategy_page_wraps_a_sections_table_too(client, db):
    Section.objects.create(slug="numbers", title="Numbers", body=SIX_COLUMNS, status="published")
    assert [box["class"] for box in page(client, reverse("iplus:strategy")).tables] == ["table-scroll"]
