"""Policy documents, outcomes and the coverage matrix, through the real request stack."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from iplus.models import PolicyDocument
from sectors.models import Figure
from tests.factories import make_critique, make_document, make_figure, make_key_action, make_sector, make_source


def test_every_document_page_shows_its_number_issuer_date_and_chinese_title(client, content):
    documents = PolicyDocument.objects.published()
    assert documents.count() >= 9
    for document in documents:
        text = client.get(document.get_absolute_url()).text
        assert escape(document.issuer) in text
        if document.issued_on:
            assert f'<time datetime="{document.issued_iso}">{document.issued_display}</time>' in text
        else:
            assert "<dt>Issued</dt><dd>date not stated</dd>" in text, document
        assert document.sources.exists(), document
        for value in (document.number_zh, document.title_zh):
            if value:
                assert escape(value) in text, (document, value)


def test_the_guiding_opinions_carry_both_numbers_and_the_chinese_title(client, content):
    document = PolicyDocument.objects.get(slug="guiding-opinions-2015")
    assert (document.number_zh, document.number_en) == ("国发〔2015〕40号", "Guofa [2015] No. 40")
    assert document.title_zh == "国务院关于积极推进“互联网+”行动的指导意见"
    text = client.get(document.get_absolute_url()).text
    assert "Goals for 2018 and 2025" in text and "Supporting measures" in text
    assert text.count('href="/key-actions/') >= 11


@pytest.mark.parametrize("query", ["国发〔2015〕40号", "Guofa [2015] No. 40", "No. 40 [2015]", "积极推进", "Vigorously Advancing"])
def test_site_search_finds_a_document_by_number_or_title_in_either_language(client, content, query):
    response = client.get(reverse("iplus:search"), {"q": query})
    assertContains(response, 'href="/documents/guiding-opinions-2015/"')


def test_the_list_filters_by_level_kind_issuer_year_key_action_and_sector(client, db):
    action, sector = make_key_action(), make_sector()
    national = make_document(title="National one", issued_on=datetime.date(2015, 7, 1))
    national.key_actions.add(action)
    national.sectors.add(sector)
    provincial = make_document(
        title="Provincial one", level="provincial", kind="action-plan", issuer="Hunan", issued_on=datetime.date(2016, 1, 1)
    )
    url = reverse("iplus:document-list")
    for params, shown, hidden in [
        ({"level": "provincial"}, provincial, national),
        ({"kind": "opinions"}, national, provincial),
        ({"issuer": "Hunan"}, provincial, national),
        ({"year": "2015"}, national, provincial),
        ({"key_action": action.slug}, national, provincial),
        ({"sector": sector.slug}, national, provincial),
    ]:
        response = client.get(url, params)
        assertContains(response, f'href="{shown.get_absolute_url()}"')
        assertNotContains(response, f'href="{hidden.get_absolute_url()}"')


def test_the_list_sorts_by_date_both_ways(client, db):
    old = make_document(title="Older", issued_on=datetime.date(2015, 1, 1))
    new = make_document(title="Newer", issued_on=datetime.date(2018, 1, 1))
    url = reverse("iplus:document-list")
    oldest_first = client.get(url).text
    newest_first = client.get(url, {"ordering": "-issued_on"}).text
    assert oldest_first.index(old.get_absolute_url()) < oldest_first.index(new.get_absolute_url())
    assert newest_first.index(new.get_absolute_url()) < newest_first.index(old.get_absolute_url())


@pytest.mark.parametrize("params", [{"level": "junk"}, {"year": "1800"}, {"sector": "no-such"}, {"issuer": "\x00"}])
def test_a_bad_filter_is_a_form_error_not_a_crash(client, db, params):
    make_document()
    response = client.get(reverse("iplus:document-list"), params)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Nothing is listed until the filters are corrected.")


def test_relations_are_shown_both_ways_and_drafts_are_left_out(client, db):
    parent = make_document(title="Parent")
    child = make_document(title="Child")
    draft = make_document(title="Draft child", status="draft")
    child.implements.add(parent)
    draft.follows_up.add(parent)
    text = client.get(parent.get_absolute_url()).text
    assert "Implemented by" in text and child.get_absolute_url() in text
    assert draft.get_absolute_url() not in text and "Followed up by" not in text
    assert parent.get_absolute_url() in client.get(child.get_absolute_url()).text
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_draft_document_is_in_no_list_search_or_sitemap(client, db):
    draft = make_document(title="Secretdraftword", status="draft", number_zh="秘发〔2099〕1号")
    for url in [reverse("iplus:document-list"), reverse("iplus:home"), reverse("iplus:timeline"), "/sitemap.xml"]:
        assert draft.get_absolute_url() not in client.get(url).text, url
    for query in ["Secretdraftword", "秘发"]:
        assert draft.get_absolute_url() not in client.get(reverse("iplus:search"), {"q": query}).text


def test_the_timeline_shows_documents_in_date_order_among_the_milestones(client, content):
    text = re.sub(r'<div class="footnotes">.*?</div>', "", client.get(reverse("iplus:timeline")).text, flags=re.DOTALL)  # not the days read
    issued = [datetime.date.fromisoformat(day) for day in re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', text)]
    assert issued == sorted(issued)
    assert 'href="/documents/internet-plus-health-care-2018/"' in text


def test_a_series_of_figures_is_drawn_as_a_chart_with_its_numbers_as_a_table(client, db):
    sector, source = make_sector(), make_source()
    for day, value in [(datetime.date(2017, 3, 31), 68), (datetime.date(2019, 1, 1), 130)]:
        make_figure(sector=sector, source=source, label="Internet hospitals", unit="hospitals", value=value, as_of=day)
    make_figure(sector=sector, source=source, label="A single figure", unit="users", value=5, as_of=datetime.date(2020, 3, 1))
    for url in [reverse("iplus:outcomes"), sector.get_absolute_url()]:
        text = client.get(url).text
        assert text.count("<svg") == 1, url  # a single figure is no chart
        chart = text.split("<svg", 1)[1].split("</svg>", 1)[0]
        assert "<title" in chart and "68 hospitals" in chart and "130 hospitals" in chart
        assert "<script" not in text.split("<main", 1)[1]
        table = text.split('<table class="figures-table">', 1)[1].split("</table>", 1)[0]
        assert '<time datetime="2017-03-31">31 March 2017</time>' in table and "130 hospitals" in table


def test_the_bars_are_as_long_as_their_share_of_the_largest(client, db):
    sector, source = make_sector(), make_source()
    for day, value in [(datetime.date(2017, 1, 1), 50), (datetime.date(2018, 1, 1), 100)]:
        make_figure(sector=sector, source=source, label="Measure", unit="units", value=value, as_of=day)
    widths = [float(width) for width in re.findall(r'class="chart-bar"[^>]* width="([\d.]+)"', client.get(reverse("iplus:outcomes")).text)]
    assert len(widths) == 2 and widths[1] == pytest.approx(2 * widths[0])


def test_a_figure_must_belong_to_something_and_keep_its_precision(db):
    source = make_source()
    figure = Figure(slug="loose", label="Loose", value=Decimal(1), unit="users", source=source)
    with pytest.raises(Exception, match="Say what the figure belongs to"):
        figure.full_clean()
    figure.key_action = make_key_action()
    figure.as_of, figure.as_of_precision = datetime.date(2019, 1, 15), "month"
    with pytest.raises(Exception, match="first of that month"):
        figure.full_clean()


def test_the_coverage_matrix_links_what_connects_a_sector_and_a_key_action(client, db):
    action, sector, source = make_key_action(name="Matrix action"), make_sector(name="Matrix sector"), make_source()
    sector.key_actions.add(action)
    document = make_document()
    document.sectors.add(sector)
    document.key_actions.add(action)
    critique = make_critique()
    critique.sectors.add(sector)
    critique.key_actions.add(action)
    make_figure(sector=sector, key_action=action, source=source)
    text = client.get(reverse("iplus:coverage")).text
    assert f'<th scope="row"><a href="{sector.get_absolute_url()}">Matrix sector</a></th>' in text
    assert text.count('<th scope="col">') >= 1
    query = f"?sector={sector.slug}&amp;key_action={action.slug}"
    for url in [reverse("iplus:document-list"), reverse("critiques:list"), reverse("iplus:outcomes")]:
        assert f'href="{url}{query}"' in text
    for url in [reverse("iplus:document-list"), reverse("critiques:list"), reverse("iplus:outcomes")]:
        linked = client.get(url, {"sector": sector.slug, "key_action": action.slug}).text
        assert "1 document" in linked or "1 critique" in linked or "1 figure" in linked, url


def test_each_key_action_says_what_its_plans_commit_to_not_only_its_number(client, content):
    from iplus.models import KeyAction
    from publishing.markdown import plain_text

    for action in KeyAction.objects.published():
        words = plain_text(action.description_html).split()
        assert len(words) >= 60, action
