"""Every fact shows where it was read: a footnote quotes the passage its sentence rests on, with the day the page was
read, the page and a lasting copy of it; a source's page lists every passage quoted from it; and the content's facts
carry their passages."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from critiques.models import Critique
from iplus.models import KeyAction, PolicyDocument, Source
from publishing.kinds import content_models
from publishing.markdown import FOOTNOTE, passages
from publishing.models import cited_passages
from sectors.models import Figure, Sector, Target
from tests.factories import make_figure, make_sector, make_source
from tests.forms import form_fields
from tests.helpers import admin_url

READ = datetime.date(2026, 11, 30)


@pytest.fixture
def report(db):
    return make_source(slug="report", title="A report", url="https://example.org/report", read_on=READ)


def note(html, number, prefix="sector-trade-body"):
    """The note of this number, as the page shows it."""
    match = re.search(rf'<li id="fn-{prefix}-{number}">(.*?)</li>', html, re.DOTALL)
    assert match, f"no note {number}"
    return match.group(1)


def test_a_note_quotes_its_passage_with_the_day_read_the_page_and_a_lasting_copy(client, report):
    sector = make_sector(slug="trade", body="Ports grew.[^report]\n\n[^report]: 港口吞吐量增长了。\n    ours: Port throughput grew.")
    response = client.get(sector.get_absolute_url())
    assertContains(response, '<blockquote lang="zh"><p>港口吞吐量增长了。</p></blockquote>', html=True)
    text = note(response.text, 1)
    assert "Our English rendering: <q>Port throughput grew.</q>" in text
    assert 'Read on <time datetime="2026-11-30">30 November 2026</time>' in text
    assert 'href="https://example.org/report"' in text
    assert 'href="https://web.archive.org/web/20261130/https://example.org/report"' in text
    assert 'href="#fnref-sector-trade-body-1"' in text  # back to where it is cited
    assert f'href="{report.get_absolute_url()}"' in text
    # The passage is the note's, not the text's: the text shows neither its definition nor its labels.
    body = response.text[: response.text.index('<div class="footnotes">')]
    assert "港口" not in body and "ours:" not in response.text and "[^report]" not in response.text


def test_a_second_passage_of_a_source_has_a_note_and_a_day_of_its_own(client, report):
    body = (
        "One.[^report] Two.[^report:second] One again.[^report]\n\n"
        "[^report]: The first words.\n[^report:second]: The second words.\n    read: 2026-10-01"
    )
    response = client.get(make_sector(slug="trade", body=body).get_absolute_url())
    assert re.findall(r'<sup class="fn"[^>]*><a [^>]*>\[(\d)\]</a></sup>', response.text) == ["1", "2", "1"]
    first, second = note(response.text, 1), note(response.text, 2)
    assert "The first words." in first and "30 November 2026" in first
    assert "The second words." in second and "1 October 2026" in second
    assert "https://web.archive.org/web/20261001/https://example.org/report" in second


def test_a_footnote_with_no_passage_still_links_its_source_and_the_day_it_was_read(client, report):
    response = client.get(make_sector(slug="trade", body="Claimed.[^report]").get_absolute_url())
    text = note(response.text, 1)
    assert "<blockquote" not in text
    assert "web.archive.org/web/20261130/" in text


def test_a_source_with_no_address_or_day_shows_no_lasting_copy(client, db):
    make_source(slug="bare", title="A bare source")
    response = client.get(make_sector(slug="trade", body="Claimed.[^bare]\n\n[^bare]: Some words.").get_absolute_url())
    text = note(response.text, 1)
    assert "Some words." in text and "web.archive.org" not in text and "Read on" not in text


def test_a_chinese_text_labels_its_rendering_as_ours_in_chinese(client, report):
    body_zh = "港口增长。[^report]\n\n[^report]: Ports grew fast.\n    ours: 港口增长很快。"
    sector = make_sector(slug="trade", body="Ports grew.[^report]", body_zh=body_zh)
    response = client.get("/zh-hans" + sector.get_absolute_url())
    text = note(response.text, 1, prefix="sector-trade-body-zh")
    assert re.search(r'<blockquote lang="en">\s*<p>Ports grew fast.</p>\s*</blockquote>', text)
    assert "本站中文译文" in text and "<q>港口增长很快。</q>" in text
    assert '<time datetime="2026-11-30">2026年11月30日</time>' in text


def test_a_source_s_new_day_read_reaches_the_notes_that_cite_it(client, report):
    sector = make_sector(slug="trade", body="Claimed.[^report]\n\n[^report]: Some words.")
    report.read_on = datetime.date(2026, 12, 1)
    report.save()
    response = client.get(sector.get_absolute_url())
    assertContains(response, "https://web.archive.org/web/20261201/https://example.org/report")
    assertNotContains(response, "20261130")


# What editors may write


def words(n):
    return " ".join(["word"] * n)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"A.[^report]\n\n[^report]: {words(61)}", "The passage has 61 words: quote at most 60 (120 characters of Chinese)."),
        ("A.[^report]\n\n[^report]: " + "字" * 121, "The passage has 60 words"),  # 121 characters: 60.5, said as 60
        ("A.\n\n[^report]: Words.", "The passage [^report]: is cited by no footnote: put [^report] at its sentence."),
        ("A.[^report]\n\n[^report]: Words.\n    read: last week", "is read on “last week”, which is not a date"),
        ("A.[^report]\n\n[^report]: Words.\n    read: 2999-01-01", "is read on 2999-01-01, a day still to come."),
        ("A.[^report]\n\n[^report]: Words.\n[^report]: Other words.", "is given twice: name the second [^report:another-name]."),
        ("A.[^report]\n\n[^report]:", "quotes nothing"),
        ("A.[^nowhere]\n\n[^nowhere]: Words.", "The footnote [^nowhere] names no source"),
        ("A.[^draft:second]\n\n[^draft:second]: Words.", "The footnote [^draft] names a draft source"),
    ],
)
def test_a_passage_that_is_too_long_undated_or_cited_nowhere_is_refused_in_plain_words(report, body, message):
    make_source(slug="draft", status="draft")
    sector = make_sector()
    sector.body = body
    with pytest.raises(ValidationError) as error:
        sector.full_clean()
    assert list(error.value.message_dict) == ["body"]
    assert any(message in problem for problem in error.value.message_dict["body"]), error.value.message_dict


@pytest.mark.parametrize("passage", [words(60), "字" * 120, "2018年，" + "字" * 110])
def test_a_passage_of_sixty_words_or_120_characters_of_chinese_is_accepted(report, passage):
    sector = make_sector()
    sector.body = f"A.[^report]\n\n[^report]: {passage}"
    sector.full_clean()


def test_the_admin_refuses_a_long_passage_and_keeps_the_editor_s_text(as_superuser, report):
    sector = make_sector(body="A body.")
    fields = {}
    for name, value in form_fields(as_superuser.get(admin_url(Sector, "change", sector.pk)).text, "sector_form"):
        fields.setdefault(name, []).append(value)
    typed = f"A claim.[^report]\r\n\r\n[^report]: {words(70)}\r\n    ours: nothing"
    response = as_superuser.post(admin_url(Sector, "change", sector.pk), {**fields, "body": typed, "_save": "Save"})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "The passage has 70 words: quote at most 60")
    assertContains(response, words(70))  # the text is given back as typed
    sector.refresh_from_db()
    assert sector.body == "A body."


def test_the_admin_saves_a_passage_and_the_page_shows_it(as_superuser, client, report):
    sector = make_sector(body="A body.")
    fields = {}
    for name, value in form_fields(as_superuser.get(admin_url(Sector, "change", sector.pk)).text, "sector_form"):
        fields.setdefault(name, []).append(value)
    typed = "A claim.[^report]\r\n\r\n[^report]: The report's words.\r\n    read: 2026-11-02"
    response = as_superuser.post(admin_url(Sector, "change", sector.pk), {**fields, "body": typed, "_save": "Save"})
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(sector.get_absolute_url())
    assertContains(page, "<p>The report&#x27;s words.</p>", html=True)
    assertContains(page, "https://web.archive.org/web/20261102/https://example.org/report")


def test_a_target_or_figure_passage_over_sixty_words_is_refused(db, report):
    figure = make_figure(source=report, passage="Short.")
    figure.passage = words(61)
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "passage" in error.value.message_dict


# Where a source is quoted


def test_a_source_page_lists_every_passage_quoted_from_it_and_where(client, report):
    make_sector(slug="trade", name="Trade", body="Ports grew.[^report]\n\n[^report]: Ports grew fast.")
    make_sector(slug="secret", name="Secret", status="draft", body="Hidden.[^report]\n\n[^report]: A draft's words.")
    make_figure(source=report, label="Port tonnage", passage="Tonnage rose to 5 million.")
    response = client.get(report.get_absolute_url())
    assertContains(response, "Passages quoted from it")
    assertContains(response, "<p>Ports grew fast.</p>", html=True)
    assertContains(response, 'href="/sectors/trade/#fn-sector-trade-body-1"')
    assertContains(response, "<p>Tonnage rose to 5 million.</p>", html=True)
    assertNotContains(response, "A draft&#x27;s words")
    assertContains(response, "https://web.archive.org/web/20261130/https://example.org/report")


def test_the_api_and_the_data_package_carry_the_passages(client, report):
    make_sector(slug="trade", body="Ports grew.[^report]\n\n[^report]: 港口增长。\n    ours: Ports grew.")
    make_sector(slug="secret", status="draft", body="Hidden.[^report]\n\n[^report]: A draft's words.")
    item = client.get("/api/sources/report/").json()
    assert item["read_on"] == "2026-11-30"
    assert item["passages"] == [{
        "source": "report", "quoted_in": "http://testserver/sectors/trade/#fn-sector-trade-body-1", "field": "body",
        "language": "zh", "passage": "港口增长。", "ours": "Ports grew.", "read_on": "2026-11-30",
        "archived_url": "https://web.archive.org/web/20261130/https://example.org/report",
    }]  # fmt: skip
    listed = client.get("/api/sources/").json()["results"]
    assert [row["passages"] for row in listed if row["slug"] == "report"] == [item["passages"]]
    package = client.get(reverse("data:package")).json()
    assert "passages" in [resource["name"] for resource in package["resources"]]
    rows = list(csv.DictReader(io.StringIO(client.get("/data/passages.csv").getvalue().decode("utf-8-sig"))))
    assert [(row["source"], row["passage"], row["read_on"]) for row in rows] == [("report", "港口增长。", "2026-11-30")]
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["sources"]["properties"]
    assert "passages" in schema and "read_on" in schema


# The content


def test_every_document_key_action_critique_and_sector_page_has_a_footnote(client, content):
    for model in (PolicyDocument, KeyAction, Critique, Sector):
        for item in model.objects.published():
            assert 'class="fn"' in client.get(item.get_absolute_url()).text, item


def footnotes_of_the_content():
    """(key, passage or None, source) of every footnote in the published content's texts, in both languages."""
    sources = {source.slug: source for source in Source.objects.published()}
    found = []
    for model in content_models():
        for item in model.objects.published() if getattr(model, "markdown_fields", ()) else ():
            for name in model.markdown_fields:
                text, quoted = passages(getattr(item, name))
                for key in dict.fromkeys(key for key, _slug in re.findall(FOOTNOTE, text)):
                    found.append((key, quoted.get(key), sources[key.split(":")[0]]))
    return found


def test_nine_in_ten_footnotes_of_the_content_quote_a_passage_read_on_a_known_day(content):
    found = footnotes_of_the_content()
    quoted = [key for key, passage, source in found if passage and passage.words and passage.read_on(source)]
    assert len(found) > 300
    assert len(quoted) / len(found) >= 0.9, sorted({key for key, *_ in found} - set(quoted))


def test_every_note_with_a_passage_links_a_lasting_copy_of_its_source_on_the_day_read(content):
    cited = cited_passages()
    assert len(cited) > 300
    for quote in cited:
        assert quote.source.url and quote.read_on, quote.source.slug
        archived = f"https://web.archive.org/web/{quote.read_on:%Y%m%d}/{quote.source.url}"
        assert escape(archived) in getattr(quote.item, f"{quote.field}_html"), (quote.item, quote.field)


def test_every_target_and_figure_of_the_content_quotes_its_passage(content):
    for item in [*Target.objects.published(), *Figure.objects.published()]:
        assert item.passage.strip(), item
        assert item.source.read_on and item.source.url, item.source.slug


def fixture_texts():
    for path in sorted(Path(settings.BASE_DIR, "fixtures").glob("*.json")):
        for obj in json.loads(path.read_text()):
            for name, value in obj["fields"].items():
                if isinstance(value, str):
                    yield f"{obj['model']} {obj['fields'].get('slug')} {name}", value


def test_no_text_speaks_of_copies_of_its_sources_rather_than_the_sources():
    banned = ["stored copy", "stored page", "this site can read", "the part we could", "本站所能查阅"]
    found = [(where, phrase) for where, text in fixture_texts() for phrase in banned if phrase in text.casefold()]
    assert found == []


def source(slug):
    return Source.objects.get(slug=slug)


def test_the_eleven_corrections_are_in_the_content(content):
    guiding = source("guiding-opinions-2015")
    assert guiding.url == "http://www.gov.cn/zhengce/content/2015-07/04/content_10002.htm"  # 1
    assert guiding.published_on == datetime.date(2015, 7, 4)  # 2
    assert source("china-copyright-media-guiding-opinions").published_on is None  # 3
    # 4: a source's date is its page's own: the law database's posting day, the document's on the document
    assert source("miit-action-plan-2015").published_on == datetime.date(2018, 8, 20)
    assert source("shndlaw-internet-plus-health-care-2018").published_on == datetime.date(2018, 5, 22)
    assert source("shndlaw-guiding-opinions-translation").published_on is None
    assert PolicyDocument.objects.get(slug="miit-action-plan-2015-2018").issued_on == datetime.date(2015, 11, 25)
    # 5: the pilot cities' total by the end of 2014
    pilots = Figure.objects.get(slug="cross-border-e-commerce-trade")
    assert "pilot cities" in pilots.label and pilots.as_of == datetime.date(2014, 12, 31)
    assert "pilot cities by the end of 2014" in Sector.objects.get(slug="e-commerce").body
    # 6: dated as the pages date them, to the precision they give
    users, trade = Figure.objects.get(slug="internet-users-china"), Figure.objects.get(slug="e-commerce-amount-china")
    assert (users.as_of, users.as_of_precision, users.value) == (datetime.date(2014, 12, 1), "month", Decimal(649000000))
    assert (trade.as_of, trade.as_of_precision) == (datetime.date(2014, 1, 1), "year")
    # 7: no key action says its translation breaks off
    assert not any("break off" in action.description for action in KeyAction.objects.all())
    # 8: the agriculture plan's recipients, whole
    farming = PolicyDocument.objects.get(slug="internet-plus-modern-agriculture-2016")
    assert all(name in farming.body for name in ("农垦", "农产品加工", "Xinjiang Production and Construction Corps"))
    assert all(name in farming.body_zh for name in ("农垦", "农产品加工", "新疆生产建设兵团"))
    # 9: simplified script in simplified prose
    assert "國務院辦公廳" not in PolicyDocument.objects.get(slug="internet-plus-health-care-2018").summary_zh
    assert "辦公廳" not in PolicyDocument.objects.get(slug="hunan-internet-plus-action-plan-2015").body_zh
    # 10: Xinhua's dateline, not the mirror's update stamp
    services = PolicyDocument.objects.get(slug="internet-plus-government-services-2016")
    assert "15 September" not in services.body and "14 September 2016" in services.body
    assert source("xinhua-internet-plus-government-services-2016").published_on is None
    # 11: what the bluebook says of 2015, as it says it
    argument = Critique.objects.get(slug="internet-finance-risk-p2p-2016").argument
    assert "The bluebook dates" not in argument and "The industry considers 2015" in argument
    # and a translation is marked as one
    assert source("miit-action-plan-2015").kind == Source.Kind.TRANSLATION
