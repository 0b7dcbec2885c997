from http import HTTPStatus

import pytest
from django.urls import reverse

from critiques.models import Critique
from iplus.models import KeyAction, PolicyDocument, Source
from sectors.models import Sector

LIST_URLS = ["iplus:home", "iplus:strategy", "iplus:keyaction-list", "iplus:timeline", "iplus:glossary", "iplus:source-list",
             "iplus:compare", "iplus:document-list", "iplus:outcomes", "iplus:coverage", "sectors:list", "critiques:list"]  # fmt: skip


@pytest.mark.parametrize("name", LIST_URLS)
def test_every_page_renders_the_content(client, content, name):
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("model", [Sector, Critique, KeyAction, Source, PolicyDocument])
def test_every_detail_page_renders(client, content, model):
    for obj in model.objects.all():
        response = client.get(obj.get_absolute_url())
        assert response.status_code == HTTPStatus.OK, obj


def test_home_links_every_sector_and_the_latest_critiques(client, content):
    response = client.get(reverse("iplus:home"))
    for obj in [*Sector.objects.all(), *Critique.objects.order_by("-created")[:3]]:
        assert f'href="{obj.get_absolute_url()}"' in response.text
    assert f'href="{reverse("critiques:list")}"' in response.text


@pytest.mark.parametrize("model", [Sector, Critique, KeyAction, Source, PolicyDocument])
def test_a_draft_is_not_public(client, content, model):
    obj = model.objects.first()
    model.objects.filter(pk=obj.pk).update(status="draft")
    assert client.get(obj.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("model", [Sector, Critique, KeyAction, Source, PolicyDocument])
def test_staff_preview_a_draft_with_a_banner(client, content, admin_user, model):
    obj = model.objects.first()
    model.objects.filter(pk=obj.pk).update(status="draft")
    client.force_login(admin_user)
    response = client.get(obj.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert 'class="draft-banner"' in response.text


NUMBER_ONLY = "The Internet Plus article cites this work only by its reference number: it names no title, author or address"
NO_ADDRESS = "This source has no address: there is no copy of it to follow."


@pytest.mark.parametrize(
    ("slug", "says"),
    [("article-reference-44", NUMBER_ONLY), ("article-reference-75", NUMBER_ONLY), ("jeong-2007", NO_ADDRESS),
     ("south-china-morning-post", None), ("article-internet-plus", None)],
)  # fmt: skip
def test_a_source_page_says_plainly_when_there_is_nothing_to_follow(client, content, slug, says):
    text = client.get(Source.objects.get(slug=slug).get_absolute_url()).text
    assert [sentence for sentence in (NUMBER_ONLY, NO_ADDRESS) if sentence in text] == ([says] if says else [])


def test_the_footer_promises_what_the_site_does(client, db):
    footer = client.get("/").text.split('<footer class="site-footer">', 1)[1]
    assert "Every item lists its sources; footnotes mark the sentences a source backs." in footer
    assert "Every statement" not in footer
