"""The read-only JSON API: the pages' filters, pagination links, items by slug, no drafts, and a valid OpenAPI 3 description."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from publishing.kinds import mirrored
from tests.factories import make_critique

MIRRORED = mirrored()


def test_the_openapi_description_is_valid_and_linked_from_every_page(client, content):
    response = client.get(reverse("api:openapi"))
    spec = response.json()
    validate(spec)
    assert set(spec["paths"]) == {f"/api/{kind}/" for kind in MIRRORED} | {f"/api/{kind}/{{slug}}/" for kind in MIRRORED}
    assert '<link rel="service-desc" type="application/vnd.oai.openapi+json" href="/api/openapi.json">' in client.get("/").text


@pytest.mark.parametrize("kind", MIRRORED)
def test_every_kind_lists_and_shows_its_items(client, content, kind):
    listing = client.get(reverse(f"api:list-{kind}")).json()
    assert 0 < len(listing["results"]) == min(listing["count"], 50)
    first = listing["results"][0]
    item = client.get(reverse(f"api:item-{kind}", args=[first["slug"]]))
    assert item.status_code == HTTPStatus.OK and item.json() == first


def test_the_api_filters_as_the_page_does_and_links_its_pages(client, content):
    for n in range(60):
        make_critique(slug=f"api-{n:02}", category="privacy")
    first = client.get(reverse("api:list-critiques"), {"category": "privacy", "ordering": "title"}).json()
    assert first["count"] == Critique_count("privacy") and len(first["results"]) == 50
    assert first["previous"] is None and "page=2" in first["next"] and "category=privacy" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None and len(first["results"]) + len(second["results"]) == first["count"]
    html = client.get(reverse("critiques:list"), {"category": "privacy", "ordering": "title"}).text
    assert html.index(first["results"][0]["address"].removeprefix("http://testserver")) < html.index(
        first["results"][1]["address"].removeprefix("http://testserver")
    )


def Critique_count(category):
    from critiques.models import Critique

    return Critique.objects.published().filter(category=category).count()


def test_drafts_are_not_in_the_api(client, content):
    draft = make_critique(slug="draft-in-api", status="draft")
    assert client.get(reverse("api:item-critiques", args=[draft.slug])).status_code == HTTPStatus.NOT_FOUND
    assert "draft-in-api" not in client.get(reverse("api:list-critiques"), {"page": 1}).content.decode()


@pytest.mark.parametrize(("params", "status"), [({"category": "junk"}, 400), ({"page": "99"}, 404), ({"page": "x"}, 404)])
def test_bad_input_is_a_json_error_that_does_not_echo_it(client, content, params, status):
    response = client.get(reverse("api:list-critiques"), params)
    assert response.status_code == status and "error" in response.json()
    assert "junk" not in response.content.decode()


def test_the_api_is_stored_by_the_page_cache_like_the_pages(client, content):
    response = client.get(reverse("api:list-critiques"), {"category": "censorship"})
    assert "private" not in response.get("Cache-Control", "") and "max-age" in response["Cache-Control"]
