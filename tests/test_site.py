import re
from html import unescape
from http import HTTPStatus

import pytest
from django.template.loader import get_template
from django.test import RequestFactory, override_settings
from django.urls import resolve, reverse
from django.views.defaults import server_error

from critiques.models import Critique
from iplus.models import GlossaryTerm, KeyAction, Source
from sectors.models import Sector
from tests.article_facts import ARTICLE_FACTS, SUPPLEMENT_FACTS
from tests.factories import make_section
from tests.helpers import crawl


def visible_text(html):
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def site(client, content):
    return crawl(client)


def test_every_page_kind_is_reachable_from_home(site):
    reached = {resolve(path).view_name for path in site}
    assert reached >= {
        "iplus:home", "iplus:strategy", "iplus:keyaction-list", "iplus:keyaction-detail", "iplus:compare", "iplus:timeline",
        "iplus:glossary", "iplus:source-list", "iplus:source-detail", "iplus:search", "sectors:list", "sectors:detail",
        "critiques:list", "critiques:detail", "sitemap",
    }  # fmt: skip


def test_every_published_item_with_a_page_is_reachable(site):
    for model in (Sector, Critique, KeyAction, Source):
        for obj in model.objects.published():
            assert obj.get_absolute_url() in site, obj


def test_every_fact_is_visible_on_the_public_site(site):
    text = " ".join(visible_text(html) for html in site.values())
    missing = {
        section: [fact for fact in facts if fact not in text]
        for section, facts in [*ARTICLE_FACTS.items(), ("Supplement", SUPPLEMENT_FACTS)]
    }
    assert {section: facts for section, facts in missing.items() if facts} == {}


def test_visible_text_ignores_markup_and_attributes():
    assert visible_text('<p title="hidden">Seen &amp; <a href="/x">linked</a></p>') == "Seen & linked"


def test_the_sitemap_lists_published_pages(client, content):
    Critique.objects.filter(slug="censorship").update(status="draft")
    response = client.get(reverse("sitemap"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/xml")
    for name in ["iplus:home", "iplus:strategy", "iplus:timeline", "iplus:compare", "iplus:glossary", "sectors:list", "critiques:list"]:
        assert f"<loc>http://testserver{reverse(name)}</loc>" in response.text
    for model in (Sector, Critique, KeyAction, Source):
        for obj in model.objects.published():
            assert f"<loc>http://testserver{obj.get_absolute_url()}</loc>" in response.text
    assert "/critiques/censorship/" not in response.text
    assert "<lastmod>" in response.text


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.text.splitlines()
    assert "Disallow: /admin/" in response.text


@override_settings(DEBUG=False)
def test_a_missing_page_is_branded(client, db):
    response = client.get("/nope/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "<h1>Page not found</h1>" in response.text
    assert 'role="search"' in response.text
    assert f'href="{reverse("iplus:home")}"' in response.text


@override_settings(DEBUG=False)
def test_a_missing_detail_page_is_branded(client, db):
    response = client.get(reverse("iplus:source-detail", kwargs={"slug": "no-such-source"}))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "<h1>Page not found</h1>" in response.text


def test_the_server_error_page_needs_no_request_context_or_database():
    # No database fixture: any query would raise.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong" in response.content.decode()
    assert "互联网+" in get_template("500.html").render()


def test_base_page_structure(client, content):
    text = client.get(reverse("iplus:strategy")).text
    assert '<html lang="en">' in text
    assert '<a class="skip-link" href="#main">' in text
    assert '<main id="main" tabindex="-1">' in text
    assert '<link rel="canonical" href="http://testserver/strategy/">' in text
    assert '<meta name="description" content="What Internet Plus is' in text
    assert '<footer class="site-footer">' in text


def test_glossary_terms_link_once_and_inside_text_only(client, db):
    GlossaryTerm.objects.create(
        slug="two-sessions", term="Two Sessions", term_zh="两会", definition='Meetings "<b>yearly</b>".', status="published"
    )
    make_section(
        title="Two Sessions heading",
        body=(
            "## Two Sessions in a heading\n\nThe Two Sessions met. [Two Sessions link](https://example.org/) "
            'and the Two Sessions again; 两会. <span lang="zh-Hans">A &amp; B</span>'
        ),
    )
    text = client.get(reverse("iplus:strategy")).text
    link = '<a class="term" href="/glossary/#two-sessions" title="Meetings &quot;yearly&quot;.">Two Sessions</a>'
    assert text.count('class="term"') == 1
    assert f"The {link} met." in text
    assert "<h2>Two Sessions in a heading</h2>" in text
    assert '<a href="https://example.org/" rel="noopener noreferrer">Two Sessions link</a>' in text
    assert '<span lang="zh-Hans">A &amp; B</span>' in text


def test_glossary_linking_cannot_inject_markup(client, db):
    GlossaryTerm.objects.create(slug="evil", term='Evil"term', definition='"><script>alert(1)</script>', status="published")
    make_section(body='An Evil"term here, and <script>alert(2)</script> text.')
    text = client.get(reverse("iplus:strategy")).text
    main = text.split("<main", 1)[1]
    assert "<script>" not in main
    assert '<a class="term" href="/glossary/#evil" title="&quot;&gt;">Evil&quot;term</a>' in main
