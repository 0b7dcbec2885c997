"""What a first visit shows, in both editions: the menu marks where you are, the home page does not repeat it,
every page names its icon, dates say only what is known, and staff (never visitors) get an Edit link."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from critiques.models import Critique
from iplus.models import KeyAction, Milestone, PolicyDocument, Source
from sectors.models import Sector
from tests.factories import make_milestone
from tests.helpers import queries_of, stored
from tests.routes import counterpart

EDITIONS = ["en", "zh-hans"]
MENU = re.compile(r'<a href="([^"]+)" aria-current="(page|true)">')
SECTIONS = [("sectors:list", Sector), ("critiques:list", Critique), ("iplus:keyaction-list", KeyAction),
            ("iplus:document-list", PolicyDocument), ("iplus:source-list", Source), ("iplus:timeline", None),
            ("iplus:compare", None)]  # fmt: skip
ITEMS = [Sector, Critique, KeyAction, PolicyDocument, Source]


def in_edition(url, language):
    return url if language == "en" else counterpart(url, language)


def menu_marks(client, url):
    """The (address, aria-current) pairs of the header's menu."""
    header = client.get(url).text.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    return MENU.findall(header.split("<nav ", 1)[1])


@pytest.mark.parametrize("language", EDITIONS)
@pytest.mark.parametrize(("name", "model"), SECTIONS)
def test_the_menu_marks_a_section_on_its_list_and_on_its_items(client, content, language, name, model):
    section = in_edition(reverse(name), language)
    assert menu_marks(client, section) == [(section, "page")]
    # An item page is within the section, not the page its link names: aria-current="true" (ARIA's "current item").
    if model:
        item = in_edition(model.objects.published().first().get_absolute_url(), language)
        assert menu_marks(client, item) == [(section, "true")]


@pytest.mark.parametrize("language", EDITIONS)
def test_the_home_page_and_search_mark_no_section(client, content, language):
    for name in ["iplus:home", "iplus:search"]:
        assert menu_marks(client, in_edition(reverse(name), language)) == []


@pytest.mark.parametrize("language", EDITIONS)
def test_the_home_page_does_not_repeat_the_menu(client, content, language):
    main = client.get(in_edition(reverse("iplus:home"), language)).text.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<nav" not in main
    with translation.override(language):
        # The menu's own list pages that the home page has no section of (glossary terms in the text link their entries).
        for name in ["iplus:glossary", "iplus:compare", "iplus:search", "iplus:source-list"]:
            assert f'href="{reverse(name)}"' not in main, name


@pytest.mark.parametrize("language", EDITIONS)
def test_every_page_names_its_icon_and_favicon_ico_leads_to_it(client, content, language):
    for url in [reverse("iplus:home"), Critique.objects.published().first().get_absolute_url()]:
        text = client.get(in_edition(url, language)).text
        assert '<link rel="icon" href="/static/images/favicon.svg" type="image/svg+xml">' in text
    response = client.get("/favicon.ico", follow=True)
    assert response.redirect_chain == [("/static/images/favicon.svg", HTTPStatus.MOVED_PERMANENTLY)]
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("language", EDITIONS)
def test_a_date_says_only_what_is_known(client, content, language):
    make_milestone(slug="march-2011", date=datetime.date(2011, 3, 1), precision="month")
    assert Milestone.objects.filter(date=datetime.date(2011, 1, 1), precision="year").exists()
    for name in ["iplus:home", "iplus:timeline"]:
        text = client.get(in_edition(reverse(name), language)).text
        assert '<time datetime="2011">' in text
        assert 'datetime="2011-01-01"' not in text
    timeline = client.get(in_edition(reverse("iplus:timeline"), language)).text
    assert '<time datetime="2011-03">' in timeline and 'datetime="2011-03-01"' not in timeline
    # A policy document known to its year only (the timeline lists the documents too).
    assert PolicyDocument.objects.filter(issued_on=datetime.date(2016, 1, 1), issued_precision="year").exists()
    assert '<time datetime="2016">' in timeline


@pytest.mark.parametrize("language", EDITIONS)
@pytest.mark.parametrize("model", ITEMS)
def test_staff_see_an_edit_link_and_a_visitors_stored_page_never_has_it(content, admin_user, language, model):
    item = model.objects.published().first()
    url = in_edition(item.get_absolute_url(), language)
    change = f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/change/"
    edit = f'<a href="{change}">{"Edit" if language == "en" else "编辑"}</a>'
    visitor = Client()
    first = visitor.get(url)
    assert stored(first) and edit not in first.text
    staff = Client()
    staff.force_login(admin_user)
    response = staff.get(url)
    assert edit in response.text and not stored(response)
    # The visitor's next request is answered from the cache (no query), still without the link.
    again, queries = queries_of(visitor, url)
    assert queries == 0 and edit not in again.text
    assert staff.get(change).status_code == HTTPStatus.OK
