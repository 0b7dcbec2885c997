"""Whatever an editor types into a Markdown field, no script, event handler, javascript:/data: URL,
style or frame reaches a visitor: checked on each field's public page, in the HTML as parsed."""

import datetime
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

from iplus.models import GlossaryTerm, Strategy, Technology
from publishing.kinds import content_models
from sectors.models import Application
from tests.factories import make_critique, make_document, make_key_action, make_milestone, make_section, make_sector

PAYLOAD = """VISIBLE-MARKER

<script>alert(1)</script>
<img src="x" onerror="alert(2)">
<a href="javascript:alert(3)" onclick="alert(4)">raw link</a> and [markdown link](javascript:alert(5)),
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==), <a href="data:text/html,x">raw data link</a>,
[mixed case](JaVaScRiPt:alert(7)) and <a href=" javascript:alert(8)">padded</a>.

<p style="color: red" onmouseover="alert(9)">styled paragraph</p>

<iframe src="https://example.org/"></iframe>
<svg onload="alert(10)"><circle r="1"/></svg>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://example.org/"><input name="q"></form>
<style>body { display: none }</style>
<div onclick="alert(11)"><span style="font-size: 99px" onfocus="alert(12)">inner span</span></div>

<div class="table-scroll" role="region" tabindex="0" aria-label="box" onscroll="alert(13)" style="position: fixed">scrolling box</div>

A marker <sup class="fn" id="fnref-x" onmouseover="alert(14)"><a href="javascript:alert(15)" aria-label="back"
onfocus="alert(16)">sup link</a></sup>.

<ol><li id="fn-x" onclick="alert(17)" style="color: red">note item</li></ol>
"""

VISIBLE_TEXT = ["VISIBLE-MARKER", "raw link", "markdown link", "data link", "styled paragraph", "inner span", "scrolling box", "sup link",
                "note item"]  # fmt: skip
# The site's own forms (header search, filters) post to relative URLs; a typed form would not.
FORBIDDEN_TAGS = {"script", "iframe", "frame", "object", "embed", "svg", "style", "base", "meta"}
FORBIDDEN_SCHEMES = ("javascript:", "data:", "vbscript:")


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        where = f"<{tag} {attrs}>"
        # The page's own schema.org block is data, never run (iplus.templatetags.iplus.ld_json); Markdown cannot make one.
        data_block = tag == "script" and attrs == [("type", "application/ld+json")]
        if tag == "script" and not data_block and not dict(attrs).get("src", "").startswith(settings.STATIC_URL):
            self.problems.append(f"inline script: {where}")
        elif tag in FORBIDDEN_TAGS - {"script", "meta"} or (tag == "meta" and "http-equiv" in dict(attrs)):
            self.problems.append(f"forbidden tag: {where}")
        elif tag == "form" and not dict(attrs).get("action", "").startswith("/"):
            self.problems.append(f"foreign form: {where}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler: {where}")
            if name == "style":
                self.problems.append(f"style attribute: {where}")
            if name in {"href", "src", "action", "formaction", "data"} and "".join((value or "").split()).lower().startswith(
                FORBIDDEN_SCHEMES
            ):
                self.problems.append(f"dangerous URL: {where}")

    handle_startendtag = handle_starttag


def assert_sanitized(html):
    parser = Markup()
    parser.feed(html)
    assert parser.problems == []
    assert "alert(" not in html
    for text in VISIBLE_TEXT:
        assert text in html, f"{text!r} missing: the field was not rendered"


def public_page(url):
    return url.split("#")[0]


def section(payload):
    return public_page(make_section(body=payload).get_absolute_url())


def sector(payload):
    return make_sector(body=payload).get_absolute_url()


def application(payload):
    obj = Application.objects.create(sector=make_sector(), slug="app", name="App", description=payload, status="published")
    return obj.sector.get_absolute_url()


def critique(payload):
    return make_critique(argument=payload).get_absolute_url()


def key_action(payload):
    return make_key_action(description=payload).get_absolute_url()


def milestone(payload):
    return public_page(make_milestone(description=payload, date=datetime.date(2015, 3, 5)).get_absolute_url())


def glossary_term(payload):
    obj = GlossaryTerm.objects.create(slug="term", term="Term", definition=payload, status="published")
    return public_page(obj.get_absolute_url())


def strategy(payload):
    obj = Strategy.objects.create(slug="strategy", name="Strategy", summary=payload, status="published")
    return public_page(obj.get_absolute_url())


def document(payload):
    return make_document(body=payload).get_absolute_url()


MARKDOWN_FIELDS = {
    "Section.body": section,
    "Sector.body": sector,
    "Application.description": application,
    "Critique.argument": critique,
    "KeyAction.description": key_action,
    "Milestone.description": milestone,
    "GlossaryTerm.definition": glossary_term,
    "Strategy.summary": strategy,
    "PolicyDocument.body": document,
}


@pytest.mark.parametrize("make_page", MARKDOWN_FIELDS.values(), ids=MARKDOWN_FIELDS.keys())
def test_markdown_is_sanitized_on_its_public_page(client, db, make_page):
    response = client.get(make_page(PAYLOAD))
    assert response.status_code == HTTPStatus.OK
    assert_sanitized(response.content.decode())


@pytest.mark.parametrize("make_page", MARKDOWN_FIELDS.values(), ids=MARKDOWN_FIELDS.keys())
def test_markdown_is_sanitized_for_staff_too(admin_client, make_page):
    assert_sanitized(admin_client.get(make_page(PAYLOAD)).content.decode())


def test_technology_description_is_sanitized_at_save(db):
    # The strategy page prints the HTML stored at save.
    technology = Technology.objects.create(slug="cloud", name="Cloud", description=PAYLOAD, status="published")
    assert_sanitized(Technology.objects.get(pk=technology.pk).description_html)


def test_safe_markdown_survives(client, db):
    url = critique("An *argued* point with [a source](https://example.org/report) and **emphasis**.")
    html = client.get(url).content.decode()
    assert "<em>argued</em>" in html
    assert '<a href="https://example.org/report" rel="noopener noreferrer">a source</a>' in html
    assert "<strong>emphasis</strong>" in html


def test_footnote_and_table_markup_keeps_only_its_own_classes_and_values(client, db):
    """Footnotes and table boxes need ids, labels, classes, a role and a tabindex: typed markup gets no more than that."""
    payload = (
        '<div class="table-scroll wide" role="alert" tabindex="5" aria-label="box">boxed</div>\n\n'
        '<div class="footnotes" role="region" tabindex="0" id="spoof">notes</div>\n\n'
        'Text <sup class="fn other" id="ref">[1]</sup> <span class="fn" aria-label="x">span</span>'
    )
    html = client.get(critique(payload)).content.decode()
    assert '<div class="table-scroll" aria-label="box">boxed</div>' in html
    assert '<div class="footnotes" role="region" tabindex="0">notes</div>' in html
    assert '<sup class="fn" id="ref">[1]</sup> <span>span</span>' in html
    assert 'role="alert"' not in html
    assert 'tabindex="5"' not in html


def test_the_checker_catches_what_it_should():
    parser = Markup()
    parser.feed('<p onclick="x" style="y"><a href=" JavaScript:x">a</a><script>x</script><iframe></iframe></p>')
    assert len(parser.problems) == 5
    parser.feed('<script type="application/ld+json">{}</script><script type="text/javascript">x</script>')
    assert len(parser.problems) == 6  # the data block passes, the script does not


def test_every_markdown_field_is_covered():
    markdown_fields = {
        f"{model.__name__}.{field.name}" for model in content_models() for field in model._meta.fields if "Markdown" in str(field.help_text)
    }
    assert markdown_fields == set(MARKDOWN_FIELDS) | {"Technology.description"}


def test_the_strategy_page_is_where_sections_show(client, db):
    assert section("x") == reverse("iplus:strategy")
