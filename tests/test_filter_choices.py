"""What a first visit to a list shows, with the site's content, in both editions: every choice of every filter select
gives items and says how many, an unknown sort order still lists everything, an address with empty parameters
redirects to the address without them, and a filtered page's title names its filters."""

import html
import re
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from tests.routes import counterpart

ENGLISH = [reverse(name) for name in ("critiques:list", "sectors:list", "iplus:timeline", "iplus:document-list", "iplus:outcomes")]
LISTS = [*ENGLISH, *(counterpart(url, "zh-hans") for url in ENGLISH)]
SORTED = [url for url in LISTS if "/timeline/" not in url and "/outcomes/" not in url]  # the lists with sort orders
COUNTED = re.compile(r"^(?P<label>.+?) ?[(（](?P<count>\d+)[)）]$")  # "Cloud computing (3)", "云计算（3）"


class Selects(HTMLParser):
    """(select name, option value, option text) for each option of the filter form's selects."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.options, self.select, self.option, self.inside = [], None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = "filter-form" in (attrs.get("class") or "")
        elif tag == "select" and self.inside:
            self.select = attrs["name"]
        elif tag == "option" and self.select:
            self.option = [self.select, attrs["value"], ""]

    def handle_data(self, data):
        if self.option:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option:
            self.options.append(tuple(self.option))
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def choices(response):
    """(name, value, label without its count, count) for each choice of a select but its "Any ..." one."""
    parser = Selects()
    parser.feed(response.text)
    shown = []
    for name, value, text in parser.options:
        if value:
            counted = COUNTED.match(text.strip())
            assert counted, (name, text)
            shown.append((name, value, counted["label"], int(counted["count"])))
    return shown


def items(response):
    """How many items the page lists: the timeline lists policy documents among its milestones."""
    assert response.status_code == HTTPStatus.OK
    context = response.context
    return len(context["entries"]) if "entries" in context else context["paginator"].count


def title(response):
    return html.unescape(re.search(r"<title>(.*?)</title>", response.text, re.DOTALL).group(1))


def language(url):
    return "zh-hans" if url.startswith("/zh-hans/") else "en"


@pytest.mark.parametrize("url", LISTS)
def test_every_choice_of_every_select_gives_the_items_it_counts(client, content, url):
    page = client.get(url)
    shown = choices(page)
    assert shown
    for name, value, label, count in shown:
        assert count >= 1, (name, value)
        chosen = client.get(url, {name: value})
        assert items(chosen) == count, (name, value, label)
        assert (name, value) in {(other, kept) for other, kept, *_ in choices(chosen)}  # the chosen one stays


@pytest.mark.parametrize("url", LISTS)
def test_the_choices_of_a_filtered_list_count_with_its_filters(client, content, url):
    """From the list filtered by its first choice, every choice of the other selects gives what it counts, together."""
    first, value, _label, _count = choices(client.get(url))[0]
    filtered = client.get(url, {first: value})
    for name, other, label, count in choices(filtered):
        if name != first:
            assert count >= 1
            assert items(client.get(url, {first: value, name: other})) == count, (name, other, label)


def test_a_technology_no_sector_uses_is_no_choice_and_gives_an_empty_list_if_asked_for(client, content):
    assert ("technology", "cloud-computing") not in {(name, value) for name, value, *_ in choices(client.get("/sectors/"))}
    response = client.get("/sectors/", {"technology": "cloud-computing"})
    assert items(response) == 0
    assert ("technology", "cloud-computing", "Cloud computing", 0) in choices(response)  # the chosen one, which gives none


@pytest.mark.parametrize("ordering", ["bogus", "-title,name", "名字", '"><b>bold</b>'])
@pytest.mark.parametrize("url", LISTS)
def test_an_unknown_sort_order_lists_the_items_in_the_usual_order_and_says_so(client, content, url, ordering):
    usual = client.get(url)
    response = client.get(url, {"ordering": ordering})
    assert items(response) == items(usual) >= 1
    assert list(response.context["object_list"]) == list(usual.context["object_list"])
    assert "<b>bold" not in response.text
    if url in SORTED:
        with translation.override(language(url)):
            note = gettext("There is no sort order “%(value)s”: the list is in its usual order.") % {"value": ordering}
        assert escape(note) in response.text
        assert "no-store" in response["Cache-Control"]  # made-up values must not fill the page cache


@pytest.mark.parametrize("url", LISTS)
def test_empty_parameters_redirect_to_the_address_without_them(client, url):
    response = client.get(f"{url}?q=&year=&sector=")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url
    kept = {"category": "censorship", "sector": "", "q": "互联网", "ordering": "title", "page": ""}
    response = client.get(f"{url}?{urlencode(kept)}")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{url}?{urlencode({'category': 'censorship', 'q': '互联网', 'ordering': 'title'})}"
    repeated = client.get(f"{url}?kind=a&kind=&kind=b")
    assert repeated["Location"] == f"{url}?kind=a&kind=b"


def test_a_download_with_an_empty_parameter_is_not_redirected(client, content):
    response = client.get("/critiques/", {"format": "csv", "category": ""})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("url", LISTS)
def test_a_filtered_page_names_each_filter_in_its_title(client, content, url):
    page = client.get(url)
    plain = title(page)
    name = plain.split(" · ")[0]
    for field, value, label, _count in choices(page):
        with translation.override(language(url)):
            after = pgettext("after a list's name in a page title, before its filters", ": ")
            words = pgettext("a filter in a page title", "%(label)s: %(value)s") % {
                "label": page.context["filter"].form.fields[field].label,
                "value": label,
            }
        assert title(client.get(url, {field: value})) == plain.replace(name, f"{name}{after}{words}", 1), (field, value)


def test_a_filtered_page_title_in_words(client, content):
    assert title(client.get("/critiques/", {"category": "censorship"})) == "Critiques: Category: Censorship · iplus"
    assert title(client.get("/zh-hans/critiques/", {"category": "censorship"})) == "批评与质疑：类别：网络审查 · iplus"
