"""Targets: what the plans promised, the one rule that gives each its status from its reports, and where they show.

Through the real request stack: the rule's every branch on a target's page, a walk over every target of the content
that checks its status against what its reports say, the provinces side by side, the key actions' pages, the wording
the site never uses, each outlet (downloads, API, search, sitemap, feed, history, both editions), drafts and bad input.
"""

import datetime
import json
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iplus.models import KeyAction, Status
from publishing.models import period_end
from sectors.models import Figure, Target
from tests.factories import make_document, make_figure, make_sector, make_source, make_target

pytestmark = pytest.mark.django_db

VERDICT = re.compile(r'<span class="verdict verdict-([a-z-]+)">')
BANNED = ["this site can read", "本站所能查阅", "stored copy", "the part we could read", "本站所能", "this site's archive"]


def verdict_on(client, target):
    response = client.get(target.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    facts = response.text.split('<dl class="target-facts">', 1)[1].split("</dl>", 1)[0]
    return VERDICT.search(facts).group(1)


def report(target, value, as_of, precision="year", **fields):
    return make_figure(target=target, sector=None, value=Decimal(value), unit=fields.pop("unit", target.unit),
                       as_of=as_of, as_of_precision=precision, **fields)  # fmt: skip


Y2017, Y2018, Y2019 = datetime.date(2017, 1, 1), datetime.date(2018, 1, 1), datetime.date(2019, 1, 1)


@pytest.mark.parametrize(
    ("comparison", "reports", "expected"),
    [
        ("at-least", [(85, Y2017, "year")], "met-early"),  # 2017 ended before 2018 began
        ("at-least", [(85, Y2018, "year")], "met"),
        ("at-least", [(85, datetime.date(2018, 6, 1), "month")], "met"),
        ("at-least", [(70, Y2017, "year"), (81, Y2018, "year")], "met"),
        ("at-least", [(70, Y2018, "year")], "not-met"),  # a report for the deadline's whole year falls short
        ("at-least", [(70, Y2019, "year"), (90, datetime.date(2020, 1, 1), "year")], "not-met"),  # met too late
        ("at-least", [(70, Y2017, "year")], "reported"),  # short of it before the deadline, nothing after
        ("at-most", [(4, Y2018, "year")], "met"),
        ("at-most", [(6, Y2018, "year")], "not-met"),
        ("at-least", [], "no-report"),
    ],
)
def test_the_status_follows_from_the_reports_and_the_deadline(client, comparison, reports, expected):
    target = make_target(comparison=comparison, value=80 if comparison == "at-least" else 5)
    for value, as_of, precision in reports:
        report(target, value, as_of, precision)
    assert verdict_on(client, target) == expected


def test_a_report_in_another_unit_or_a_draft_report_decides_nothing(client):
    target = make_target()
    report(target, 95, Y2018, unit="points")
    report(target, 95, Y2018, status=Status.DRAFT)
    assert verdict_on(client, target) == "reported"
    page = client.get(target.get_absolute_url()).text
    assert "95 points" in page and "95 %" not in page  # the draft is not shown either


def test_a_target_whose_deadline_has_not_passed_is_not_yet_due(client, django_capture_on_commit_callbacks):
    target = make_target(deadline=datetime.date(timezone.localdate().year + 2, 1, 1))
    assert verdict_on(client, target) == "not-yet-due"
    with django_capture_on_commit_callbacks(execute=True):  # the page cache empties once the report is committed
        report(target, 90, datetime.date(timezone.localdate().year - 1, 1, 1))
    assert verdict_on(client, target) == "met-early"


def test_the_rule_is_written_on_the_page_and_the_status_is_in_words_not_colour_alone(client):
    target = make_target()
    page = client.get(target.get_absolute_url()).text
    assert "How the status is given" in page and page.count("<li><strong>") >= 6
    assert re.search(r'<span class="verdict verdict-no-report"><span aria-hidden="true">\?</span> No report found</span>', page)


def reaches(target, figure):
    if figure.unit != target.unit:
        return False
    return figure.value <= target.value if target.comparison == "at-most" else figure.value >= target.value


def test_every_target_of_the_content_has_the_status_its_reports_give(client, content):
    """Each status is checked against the rule's conditions, stated here in their own terms, not by calling it."""
    today = timezone.localdate()
    targets = Target.objects.published()
    listing = "".join(client.get(reverse("iplus:target-list"), {"page": page}).text for page in range(1, targets.count() // 50 + 2))
    assert targets.count() >= 30
    for target in targets:
        status = verdict_on(client, target)
        row = listing.split(f'href="{target.get_absolute_url()}"', 1)[1].split("</tr>", 1)[0]
        assert VERDICT.search(row).group(1) == status, target.slug  # the list agrees with the page
        reports = [f for f in Figure.objects.published().filter(target=target) if f.as_of]
        ends = [(period_end(f.as_of, f.as_of_precision), f) for f in reports]
        due = period_end(target.deadline, target.deadline_precision)
        reached_by_due = [end for end, f in ends if end <= due and reaches(target, f)]
        decided_after = [f for end, f in sorted(ends, key=lambda pair: pair[0]) if end >= due and f.unit == target.unit]
        if status == "met-early":
            assert any(end < target.deadline for end in reached_by_due), target.slug
        elif status == "met":
            assert reached_by_due and not any(end < target.deadline for end in reached_by_due), target.slug
        elif status == "not-met":
            assert not reached_by_due and decided_after and not reaches(target, decided_after[0]), target.slug
        elif status == "not-yet-due":
            assert not reached_by_due and today <= due, target.slug
        elif status == "reported":
            assert target.reports.filter(status=Status.PUBLISHED).exists() and today > due and not reached_by_due, target.slug
        else:
            assert status == "no-report" and not target.reports.filter(status=Status.PUBLISHED).exists() and today > due


def test_the_content_has_targets_from_national_and_provincial_plans_each_quoted_with_its_source(client, content):
    targets = Target.objects.published().select_related("document", "source")
    documents = {target.document for target in targets}
    assert len(targets) >= 30 and len(documents) >= 8
    assert {"national", "provincial"} <= {document.level for document in documents}
    assert all(document.province for document in documents if document.level == "provincial")
    for target in targets:
        assert target.passage and target.source.is_published, target.slug
        if re.search(r"[\u4e00-\u9fff]", target.passage):
            assert target.passage_en, target.slug  # a Chinese passage has our English rendering
        page = client.get(target.get_absolute_url()).text
        assert target.source.get_absolute_url() in page
        assert ("Our English rendering" in page) == bool(target.passage_en), target.slug
    reported = targets.filter(reports__status=Status.PUBLISHED).distinct()
    assert reported.count() >= 12


def test_the_provinces_page_sets_five_or_more_provinces_side_by_side(client, content):
    page = client.get(reverse("iplus:provinces")).text
    head = page.split('<table class="provinces">', 1)[1].split("</thead>", 1)[0]
    provinces = re.findall(r'<th scope="col">([^<]+)</th>', head)[2:]  # after "Measure" and "National"
    assert len(provinces) >= 5, provinces
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    side_by_side = [row for row in rows if len(re.findall(r'class="target-cell"', row)) >= 2]
    assert side_by_side, "no measure is set for two provinces or more"


def test_each_key_action_page_names_a_document_besides_the_guiding_opinions_or_says_none_was_found(client, content):
    guiding = reverse("iplus:document-detail", args=["guiding-opinions-2015"])
    for action in KeyAction.objects.published():
        page = client.get(action.get_absolute_url()).text
        listed = page.split("Documents that take it up", 1)[1].split("</ul>", 1)[0]
        others = {href for href in re.findall(r'href="(/documents/[^"]+)"', listed) if href != guiding}
        assert others or "No document that takes up this key action was found besides the Guiding Opinions." in page, action.slug


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_no_text_of_the_content_speaks_of_its_own_sources_reach():
    for path in sorted((settings.BASE_DIR / "fixtures").glob("*.json")):
        for item in json.loads(path.read_text("utf-8")):
            for text in strings(item["fields"]):
                found = [phrase for phrase in BANNED if phrase in text.lower()]
                assert not found, (path.name, item["fields"].get("slug"), found)


def test_a_document_key_action_sector_and_figure_show_their_targets_and_status(client):
    document = make_document(level="provincial", province="hunan")
    target = make_target(document=document, measure="Household broadband")
    action = KeyAction.objects.create(slug="ka", number=12, name="Action", name_zh="行动", status="published")
    target.key_actions.add(action)
    figure = report(target, 90, Y2018)
    sector = make_sector()
    target.sectors.add(sector)
    for url in [document.get_absolute_url(), action.get_absolute_url(), sector.get_absolute_url()]:
        page = client.get(url).text
        assert f'href="{target.get_absolute_url()}"' in page and "verdict-met" in page, url
    outcomes = client.get(reverse("iplus:outcomes")).text
    row = outcomes.split(f'id="{figure.slug}"', 1)[1].split("</tr>", 1)[0]
    assert "Reports on the target" in row and target.get_absolute_url() in row and "verdict-met" in row
    assert "Provincial: Hunan" in client.get(document.get_absolute_url()).text


def test_targets_reach_the_downloads_api_search_sitemap_feed_history_and_the_chinese_edition(client):
    target = make_target(slug="household-broadband-2018", measure="Household broadband penetration", measure_zh="家庭宽带普及率")
    report(target, 90, Y2018)
    csv = b"".join(client.get(reverse("iplus:target-list"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "household-broadband-2018" in csv and "到2018年，普及率达到80%。" in csv
    rows = json.loads(b"".join(client.get(reverse("iplus:target-list"), {"format": "json"}).streaming_content))
    assert [row["slug"] for row in rows] == ["household-broadband-2018"] and rows[0]["value"] == "80.00"
    figures = b"".join(client.get(reverse("iplus:outcomes"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "household-broadband-2018" in figures  # a report names its target
    item = client.get(reverse("api:item-targets", args=["household-broadband-2018"])).json()
    assert item["measure"] == "Household broadband penetration" and item["deadline"] == "2018-01-01"
    assert "/api/targets/" in client.get(reverse("api:openapi")).json()["paths"]
    assert target.get_absolute_url() in client.get(reverse("iplus:search"), {"q": "broadband penetration"}).text
    assert target.get_absolute_url() in client.get(reverse("iplus:search"), {"q": "家庭宽带"}).text
    assert f"http://testserver{target.get_absolute_url()}" in client.get("/sitemap.xml").text
    assert target.get_absolute_url() in client.get(reverse("iplus:kind-feed", args=["targets"])).text
    assert client.get(reverse("iplus:history", args=["targets", target.slug])).status_code == HTTPStatus.OK
    chinese = client.get(f"/zh-hans{target.get_absolute_url()}").text
    assert '<html lang="zh-Hans">' in chinese and "家庭宽带普及率" in chinese


def test_a_draft_target_is_nowhere_public(client):
    source = make_source()
    document = make_document(level="provincial", province="hunan")
    make_target(document=document, comparable_as="broadband", source=source)
    draft = make_target(slug="draft-target", document=document, comparable_as="broadband", measure="Secret measure",
                        status=Status.DRAFT, source=source)  # fmt: skip
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("api:item-targets", args=["draft-target"])).status_code == HTTPStatus.NOT_FOUND
    for url in [reverse("iplus:target-list"), reverse("iplus:provinces"), document.get_absolute_url(), source.get_absolute_url(),
                reverse("api:list-targets"), "/sitemap.xml", reverse("iplus:kind-feed", args=["targets"])]:  # fmt: skip
        assert "draft-target" not in client.get(url).content.decode(), url
    assert "Secret measure" not in client.get(reverse("iplus:search"), {"q": "secret measure"}).text
    csv = b"".join(client.get(reverse("iplus:target-list"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "draft-target" not in csv


@pytest.mark.parametrize("params", [{"status": "junk"}, {"year": "1800"}, {"province": "atlantis"}, {"document": "none-such"}])
def test_a_bad_filter_is_a_form_error_not_a_server_error(client, params):
    make_target()
    response = client.get(reverse("iplus:target-list"), params)
    assert response.status_code == HTTPStatus.OK and 'class="errorlist' in response.text
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_status_filter_keeps_only_targets_with_that_status(client):
    met, open_ = make_target(measure="Met one"), make_target(measure="Unreported one")
    report(met, 90, Y2018)
    page = client.get(reverse("iplus:target-list"), {"status": "met"}).text
    assert met.get_absolute_url() in page and open_.get_absolute_url() not in page
    page = client.get(reverse("iplus:target-list"), {"status": "no-report"}).text
    assert open_.get_absolute_url() in page and met.get_absolute_url() not in page


def test_a_target_cannot_take_the_provinces_page_address_or_a_negative_value():
    target = Target(slug="provinces", document=make_document(), measure="M", value=-1, unit="%", deadline=Y2018,
                    passage="x", source=make_source())  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        target.full_clean()
    assert "slug" in raised.value.message_dict and "value" in raised.value.message_dict


def test_a_provincial_document_names_its_province_and_only_a_provincial_one_does():
    with pytest.raises(ValidationError) as raised:
        make_document(level="provincial").full_clean()
    assert "province" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        make_document(level="national", province="hunan").full_clean()
    assert "province" in raised.value.message_dict
