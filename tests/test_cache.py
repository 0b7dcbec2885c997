"""The page cache: Django's cache middleware on the "pages" alias, iplus.middleware.PageCacheGuard, and the
on-commit clear of publishing.signals, tested the way djangoproject.com's blog/tests.py tests its cache: through the
real MIDDLEWARE, by the Cache-Control header a response leaves with and by what the next request shows.

Stored: UpdateCacheMiddleware gave the response its max-age and nothing made it private. Served from the cache:
the second request runs no query. Tests run inside a transaction that never commits, so a change only clears
the cache where its on-commit callbacks are run (django_capture_on_commit_callbacks) or where it really commits
(transactional_db).
"""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path, reverse
from django.utils.cache import has_vary_header

from critiques.models import Critique
from iplus.models import Source
from tests.factories import make_critique, make_figure, make_milestone, make_sector, make_source
from tests.helpers import admin_url, critique_form_data, queries_of, stored

pytestmark = pytest.mark.django_db


def refused(response):
    cache_control = response.get("Cache-Control", "")
    return "private" in cache_control and "no-store" in cache_control


def quietly_retitle(critique, title):
    """An edit that sends no signal, so the cache is left as it is: a page that shows it was not served from the cache."""
    Critique.objects.filter(pk=critique.pk).update(title=title)


@pytest.mark.parametrize(
    "url",
    [
        lambda: "/",
        lambda: reverse("critiques:list"),
        lambda: make_critique(title="Cached critique").get_absolute_url(),
        lambda: reverse("sectors:list"),
        lambda: make_figure().sector.get_absolute_url(),
        lambda: reverse("iplus:timeline"),
        lambda: make_source().get_absolute_url(),
        lambda: reverse("iplus:search") + "?q=cached",
    ],
    ids=["home", "critique-list", "critique", "sector-list", "sector", "timeline", "source", "search"],
)
def test_a_second_anonymous_get_is_served_from_the_cache_without_a_query(client, django_assert_num_queries, url):
    make_critique(title="Cached critique")
    url = url()
    first = client.get(url)
    assert first.status_code == HTTPStatus.OK
    assert stored(first), first.get("Cache-Control")
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == HTTPStatus.OK
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Age" in second  # set by FetchFromCacheMiddleware on what it serves
    assert "Age" not in first


def test_each_query_string_is_a_page_of_its_own(client):
    make_critique(title="A censorship critique", category="censorship")
    make_critique(title="A privacy critique", category="privacy")
    censorship, _ = queries_of(client, "/critiques/", category="censorship")
    privacy, queries = queries_of(client, "/critiques/", category="privacy")
    assert queries > 0
    assert stored(censorship) and stored(privacy)
    assert "A privacy critique" in privacy.text and "A censorship critique" not in privacy.text
    assert "A censorship critique" in censorship.text and "A privacy critique" not in censorship.text
    # The same list under another query string is rendered, then stored, on its own.
    for url in ["/critiques/", "/critiques/?page=1", "/critiques/?page=1&category=privacy"]:
        response, queries = queries_of(client, url)
        assert queries > 0, url
        assert stored(response), url
        assert queries_of(client, url)[1] == 0, url


def retitle(critique):
    critique.title = "After the change"
    critique.save()


def delete(critique):
    critique.delete()


def unpublish(critique):
    critique.status = "draft"
    critique.save()


@pytest.mark.parametrize(
    ("change", "detail_status", "listed"),
    [
        (retitle, HTTPStatus.OK, "1 critique<"),
        (delete, HTTPStatus.NOT_FOUND, "0 critiques"),
        (unpublish, HTTPStatus.NOT_FOUND, "0 critiques"),
    ],
    ids=["orm-edit", "delete", "unpublish"],
)
def test_a_change_shows_at_once_on_every_stored_page(client, django_capture_on_commit_callbacks, change, detail_status, listed):
    critique = make_critique(title="Before the change")
    detail, listing = critique.get_absolute_url(), reverse("critiques:list")
    for url in (detail, listing):
        response = client.get(url)
        assert stored(response)
        assert "Before the change" in response.text
        assert queries_of(client, url)[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        change(critique)
    response = client.get(detail)
    assert response.status_code == detail_status
    listing = client.get(listing).text
    assert listed in listing
    assert "Before the change" not in listing
    if detail_status == HTTPStatus.OK:
        assert "After the change" in response.text
        assert "After the change" in listing


def test_a_many_to_many_change_shows_at_once_on_both_sides(client, django_capture_on_commit_callbacks):
    critique = make_critique(title="Linked critique")
    sector = make_sector(name="Linked sector")
    assert "Linked sector" not in client.get(critique.get_absolute_url()).text
    assert "Linked critique" not in client.get(sector.get_absolute_url()).text
    assert "0 figures · 0 critiques" in client.get(reverse("sectors:list")).text
    with django_capture_on_commit_callbacks(execute=True):
        critique.sectors.add(sector)
    assert "Linked sector" in client.get(critique.get_absolute_url()).text
    assert "Linked critique" in client.get(sector.get_absolute_url()).text
    assert "0 figures · 1 critique<" in client.get(reverse("sectors:list")).text


def test_the_cache_is_emptied_when_the_change_commits_not_before(client, django_capture_on_commit_callbacks):
    critique = make_critique(title="Before the change")
    client.get(critique.get_absolute_url())
    with django_capture_on_commit_callbacks() as callbacks:
        retitle(critique)
    # Not yet committed: other connections would not see the new title, so the stored page is still served.
    response, queries = queries_of(client, critique.get_absolute_url())
    assert (queries, "Before the change" in response.text) == (0, True)
    for callback in callbacks:
        callback()
    response, queries = queries_of(client, critique.get_absolute_url())
    assert queries > 0
    assert "After the change" in response.text


def test_a_committed_change_shows_at_once(transactional_db, client):
    critique = make_critique(title="Before the change")
    assert "Before the change" in client.get(reverse("critiques:list")).text
    retitle(critique)
    assert "After the change" in client.get(reverse("critiques:list")).text
    make_critique(title="Another critique")
    assert "2 critiques" in client.get(reverse("critiques:list")).text


def test_new_search_results_show_at_once(client, django_capture_on_commit_callbacks):
    make_critique(title="Quantum lending")
    url = reverse("iplus:search") + "?q=quantum"
    first = client.get(url)
    assert stored(first)
    assert "1 result for" in first.text
    with django_capture_on_commit_callbacks(execute=True):
        make_critique(title="Quantum fraud")
    page = client.get(url).text
    assert "2 results for" in page
    assert "<mark>Quantum</mark> fraud" in page


def test_an_admin_edit_shows_at_once_to_a_visitor(transactional_db, staff):
    visitor = Client()
    critique = make_critique(title="Before the admin edit")
    assert stored(visitor.get(critique.get_absolute_url()))
    assert "Before the admin edit" in visitor.get(critique.get_absolute_url()).text
    response = staff.post(admin_url(Critique, "change", critique.pk), critique_form_data(critique, title="After the admin edit"))
    assert response.status_code == HTTPStatus.FOUND
    for url in (critique.get_absolute_url(), reverse("critiques:list")):
        page = visitor.get(url).text
        assert "After the admin edit" in page, url
        assert "Before the admin edit" not in page, url


def test_staff_are_never_served_a_stored_page_and_their_pages_are_never_stored(client, staff):
    critique = make_critique(title="Stored title")
    url = reverse("critiques:list")
    assert stored(client.get(url))
    quietly_retitle(critique, "Quiet title")
    assert "Stored title" in client.get(url).text  # visitors get the stored page
    for title in ["Quiet title", "Quieter title"]:
        quietly_retitle(critique, title)
        response = staff.get(url)
        assert response.status_code == HTTPStatus.OK
        assert refused(response), response.get("Cache-Control")
        assert title in response.text
    assert "Stored title" in client.get(url).text  # and the staff pages replaced nothing


def test_a_draft_is_shown_to_staff_under_the_banner_never_stored_and_not_found_for_visitors(client, staff):
    draft = make_critique(title="Draft critique", status="draft")
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    for _ in range(2):
        response = staff.get(draft.get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        assert refused(response)
        assert "Draft critique" in response.text
        assert '<p class="draft-banner" role="status"><strong>Draft</strong>: visitors cannot see this' in response.text
    response = client.get(draft.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Draft critique" not in response.text


def test_a_not_found_page_is_not_stored(client):
    url = reverse("critiques:detail", kwargs={"slug": "coming-soon"})
    response = client.get(url)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not stored(response)
    # bulk_create sends no signal: only a 404 that was never stored lets the new item show.
    Critique.objects.bulk_create([Critique(slug="coming-soon", title="Now here", category="censorship", status="published")])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "Now here" in response.text


def test_a_request_with_a_csrf_cookie_is_not_stored(client):
    critique = make_critique(title="First title")
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    for title in ["First title", "Second title"]:
        quietly_retitle(critique, title)
        response = client.get(reverse("critiques:list"))
        assert response.status_code == HTTPStatus.OK
        assert refused(response)
        assert title in response.text
    assert "Second title" in Client().get(reverse("critiques:list")).text  # no visitor gets its page either


def test_a_post_is_never_answered_from_the_cache(client):
    make_critique(title="Listed critique")
    assert stored(client.get(reverse("critiques:list")))
    response = client.post(reverse("critiques:list"))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert "Listed critique" not in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/critiques/?page=1",
        "/critiques/?q=listed",
        "/critiques/?category=censorship&ordering=title",
        "/critiques/?category=censorship&page=1",
        "/sectors/?has_figures=no&ordering=name",
        "/timeline/?year=2015&kind=report",
        "/search/?q=listed",
    ],
)
def test_parameters_the_view_reads_are_stored(client, url):
    make_critique(title="Listed critique")
    make_milestone(title="Listed milestone")
    response, _ = queries_of(client, url)
    assert response.status_code == HTTPStatus.OK
    assert stored(response), response.get("Cache-Control")
    again, queries = queries_of(client, url)
    assert queries == 0
    assert again.content == response.content
    assert stored(again), again.get("Cache-Control")  # the stored copy goes out as it came in, not private


@pytest.mark.parametrize(
    "url",
    [
        "/critiques/?utm_source=x",
        "/critiques/?page=1&utm_source=x",
        "/critiques/?category=censorship&fbclid=1",
        "/sectors/?position=1",
        "/timeline/?year=2015&page=1&x=1",
        "/search/?q=listed&kind=critiques",
        "/?page=2",
        "/strategy/?x=1",
    ],
)
def test_a_parameter_the_view_does_not_read_is_answered_but_not_stored(client, url):
    critique = make_critique(title="Listed critique")
    make_sector(name="Listed sector")  # a list with rows: its rows are read even when its counts are kept
    make_milestone(title="Listed milestone")
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert refused(response), response.get("Cache-Control")
    again, queries = queries_of(client, url)
    assert queries > 0
    if url.startswith("/critiques/"):
        assert "Listed critique" in response.text
        quietly_retitle(critique, "Retitled critique")
        assert "Retitled critique" in client.get(url).text


@pytest.mark.parametrize(
    "url",
    ["/", "/critiques/", "/critiques/?utm_source=x", "/sectors/", "/timeline/", "/search/?q=x", "/critiques/missing/", "/admin/login/"],
)
def test_every_response_varies_on_cookie(client, url):
    response = client.get(url)
    assert has_vary_header(response, "Cookie"), response.get("Vary")


def test_the_admin_login_page_uses_a_nonce_and_is_never_stored(client):
    for _ in range(2):
        response = client.get(reverse("admin:login"))
        assert response.status_code == HTTPStatus.OK
        assert "'nonce-" in response["Content-Security-Policy"]
        assert refused(response)


NONCE = engines["django"].from_string('<style nonce="{{ csp_nonce }}">p {}</style>')
NO_NONCE = engines["django"].from_string("<p>No nonce</p>")


def page_with_nonce(request):
    return HttpResponse(NONCE.render({}, request))


def page_without_nonce(request):
    return HttpResponse(NO_NONCE.render({}, request))


urlpatterns = [path("nonce/", page_with_nonce), path("no-nonce/", page_without_nonce)]


@pytest.mark.urls(__name__)
def test_a_page_that_used_a_nonce_is_never_stored(client):
    # The nonce alone decides here: no cookie, no parameter, no never_cache on the view.
    without = client.get("/no-nonce/")
    assert "'nonce-" not in without["Content-Security-Policy"]
    assert stored(without)
    nonces = set()
    for _ in range(2):
        response = client.get("/nonce/")
        assert "'nonce-" in response["Content-Security-Policy"]
        assert refused(response)
        nonces.add(response.text)
    assert len(nonces) == 2  # each request its own nonce, never a stored one


def test_loading_the_content_empties_the_cache(client, django_capture_on_commit_callbacks):
    assert "0 critiques" in client.get(reverse("critiques:list")).text
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", verbosity=0)
    count = Critique.objects.published().count()
    assert count > 1
    assert f"{count} critiques" in client.get(reverse("critiques:list")).text


@pytest.mark.parametrize("flags", [[], ["--json"]], ids=["site-format", "json"])
def test_a_restore_empties_the_cache(transactional_db, client, tmp_path, flags):
    source = make_source(title="Title in the backup")
    call_command("backup_content", "--output-dir", str(tmp_path), *flags, verbosity=0)
    (backup,) = tmp_path.glob("*.manifest.json")  # restore finds the backup its manifest names
    source.title = "Title after the backup"
    source.save()
    page = client.get(source.get_absolute_url())
    assert stored(page)
    assert "Title after the backup" in page.text
    call_command("restore_content", str(backup), "--yes", verbosity=0)
    assert Source.objects.get(pk=source.pk).title == "Title in the backup"
    page = client.get(source.get_absolute_url()).text
    assert "Title in the backup" in page
    assert "Title after the backup" not in page


@pytest.mark.parametrize(
    "url", ["/critiques/?category=junk1", "/sectors/?has_figures=maybe", "/timeline/?year=1999", "/critiques/?q=" + "x" * 201]
)
def test_a_list_whose_filters_do_not_validate_is_answered_but_not_stored(client, url):
    make_critique()
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "Some filters could not be applied" in response.text
    assert not stored(response), response.get("Cache-Control")


@pytest.mark.parametrize("url", ["/critiques/?ordering=junk1", "/sectors/?ordering=junk2&has_figures=no"])
def test_a_list_in_its_usual_order_for_an_unknown_sort_order_is_answered_but_not_stored(client, url):
    make_critique(title="Listed critique").sectors.add(make_sector(name="Listed sector"))
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "the list is in its usual order" in response.text
    assert refused(response), response.get("Cache-Control")


@pytest.mark.parametrize("url", ["/critiques/?q=", "/critiques/?category=censorship&sector=&page=1", "/zh-hans/sectors/?technology="])
def test_an_address_with_empty_parameters_redirects_at_once_and_is_not_stored(client, url):
    response, queries = queries_of(client, url)
    assert response.status_code == HTTPStatus.FOUND
    assert queries == 0
    assert not stored(response), response.get("Cache-Control")


FLOOD, BOUND = 5000, 500


@pytest.mark.standalone
def test_a_flood_of_distinct_addresses_stays_within_the_bound_and_leaves_no_stale_page(transactional_db, client, settings, tmp_path):
    """5,000 distinct search addresses, each a page of its own, against the file cache of `make run` bounded at 500
    entries: its culls keep it within the bound, each stored page is its own address's, and a change still empties
    it (invalidation is one clear(), not a key a cull could evict). It takes about a minute: 5,000 pages through the
    whole stack, ten times the bound, so that the culls run many times over; bash .ci/run runs it once."""
    directory = tmp_path / "pages"
    backend = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(directory)}
    settings.CACHES = {**settings.CACHES, "pages": {**backend, "OPTIONS": {"MAX_ENTRIES": BOUND}}}
    search = reverse("iplus:search")
    for number in range(FLOOD):
        assert stored(client.get(search, {"q": f"flood{number}"}))
        assert len(list(directory.iterdir())) <= BOUND
    served = {number: queries_of(client, search, q=f"flood{number}") for number in range(FLOOD - 50, FLOOD)}
    assert all(f"flood{number}" in response.text for number, (response, _queries) in served.items())
    assert sum(queries == 0 for _response, queries in served.values()) > 0  # some were still stored, and served

    make_critique(title="A change after the flood")  # commits: the cache is emptied
    assert not list(directory.iterdir())
