from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from iplus import pagecache
from tests.factories import make_critique, make_sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def get(client, url):
    response = client.get(url)
    return response, response.headers.get(pagecache.HEADER)


def test_second_anonymous_request_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    make_critique(title="Cached critique")
    first, state = get(client, reverse("critiques:list"))
    assert (first.status_code, state) == (HTTPStatus.OK, "miss")
    with django_assert_num_queries(0):
        second, state = get(client, reverse("critiques:list"))
    assert state == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_each_query_string_is_a_page_of_its_own(client):
    make_critique()
    get(client, "/critiques/")
    _, state = get(client, "/critiques/?page=1")
    assert state == "miss"
    _, state = get(client, "/critiques/?page=1")
    assert state == "hit"


def test_an_orm_edit_shows_on_the_next_request(client):
    critique = make_critique(title="Before the edit")
    get(client, critique.get_absolute_url())
    get(client, reverse("critiques:list"))
    critique.title = "After the edit"
    critique.save()
    for url in (critique.get_absolute_url(), reverse("critiques:list")):
        response, state = get(client, url)
        assert state == "miss"
        assert b"After the edit" in response.content
        assert b"Before the edit" not in response.content


def test_a_many_to_many_change_shows_on_the_next_request(client):
    critique = make_critique()
    sector = make_sector(name="Internet + Linked sector")
    response, _ = get(client, critique.get_absolute_url())
    assert b"Internet + Linked sector" not in response.content
    critique.sectors.add(sector)
    response, _ = get(client, critique.get_absolute_url())
    assert b"Internet + Linked sector" in response.content


def test_a_deleted_item_is_gone_on_the_next_request(client):
    critique = make_critique()
    url = critique.get_absolute_url()
    assert get(client, url)[0].status_code == HTTPStatus.OK
    critique.delete()
    assert get(client, url)[0].status_code == HTTPStatus.NOT_FOUND


def test_unpublishing_hides_the_item_at_once(client):
    critique = make_critique(title="Soon a draft")
    assert b"Soon a draft" in get(client, reverse("critiques:list"))[0].content
    critique.status = "draft"
    critique.save()
    assert b"Soon a draft" not in get(client, reverse("critiques:list"))[0].content
    assert get(client, critique.get_absolute_url())[0].status_code == HTTPStatus.NOT_FOUND


def test_an_admin_edit_shows_to_visitors_on_the_next_request(client, staff_client):
    from django.test import Client

    visitor = Client()
    sector = make_sector(name="Internet + Before", summary="Old summary.")
    assert b"Old summary." in get(visitor, sector.get_absolute_url())[0].content
    form = {
        "slug": sector.slug,
        "status": "published",
        "name": sector.name,
        "name_zh": "",
        "summary": "New summary from the admin.",
        "body": sector.body,
        "position": 0,
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        "applications-TOTAL_FORMS": 0,
        "applications-INITIAL_FORMS": 0,
        "figures-TOTAL_FORMS": 0,
        "figures-INITIAL_FORMS": 0,
    }
    response = staff_client.post(reverse("admin:sectors_sector_change", args=[sector.pk]), form)
    assert response.status_code == HTTPStatus.FOUND, getattr(response, "context", None) and response.context["adminform"].errors
    response, state = get(visitor, sector.get_absolute_url())
    assert state == "miss"
    assert b"New summary from the admin." in response.content


def test_another_workers_edit_is_seen_through_the_shared_version(client):
    critique = make_critique()
    get(client, critique.get_absolute_url())
    assert get(client, critique.get_absolute_url())[1] == "hit"
    # Another process bumps the version in the shared cache; nothing in this process is told.
    cache.set(pagecache.VERSION_KEY, "set-by-another-worker", timeout=None)
    assert get(client, critique.get_absolute_url())[1] == "miss"


def test_a_lost_version_key_makes_every_page_a_miss(client):
    make_critique()
    get(client, "/critiques/")
    cache.delete(pagecache.VERSION_KEY)
    assert get(client, "/critiques/")[1] == "miss"
    assert get(client, "/critiques/")[1] == "hit"


def test_staff_never_get_cached_pages_and_never_fill_the_cache(client, staff_client):
    from django.test import Client

    visitor = Client()
    make_critique(title="Published one")
    draft = make_critique(title="Draft one", status="draft")
    get(visitor, reverse("critiques:list"))
    get(visitor, draft.get_absolute_url())
    for _ in range(2):
        response, state = get(staff_client, draft.get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        assert state is None
        response, state = get(staff_client, reverse("critiques:list"))
        assert state is None
    # The staff requests stored nothing: the visitor still gets the anonymous pages.
    assert get(visitor, draft.get_absolute_url())[0].status_code == HTTPStatus.NOT_FOUND
    assert get(visitor, reverse("critiques:list"))[1] == "hit"


def test_not_found_is_not_cached_and_a_new_item_appears_at_once(client):
    url = reverse("critiques:detail", kwargs={"slug": "coming-soon"})
    response, state = get(client, url)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert state is None
    make_critique(slug="coming-soon", title="Now here")
    response, _ = get(client, url)
    assert response.status_code == HTTPStatus.OK
    assert b"Now here" in response.content


def test_posts_and_heads_bypass_the_cache(client):
    make_critique()
    get(client, "/critiques/")
    assert client.head("/critiques/").headers.get(pagecache.HEADER) is None
    assert client.post("/critiques/").headers.get(pagecache.HEADER) is None


def test_responses_setting_a_cookie_are_not_stored(client):
    # The admin login form carries a CSRF token, so its response sets the CSRF cookie.
    for _ in range(2):
        response, state = get(client, reverse("admin:login"))
        assert response.status_code == HTTPStatus.OK
        assert state is None


@pytest.mark.parametrize(
    ("headers", "nonce", "cacheable"),
    [
        ({}, None, True),
        ({"Cache-Control": "private"}, None, False),
        ({"Cache-Control": "no-store"}, None, False),
        ({}, "a-used-nonce", False),
        ({"Vary": "Cookie"}, None, True),
        ({"Vary": "Accept-Language"}, None, False),
        ({"Vary": "Cookie, Accept-Encoding"}, None, False),
    ],
)
def test_what_responses_are_stored(headers, nonce, cacheable):
    request = RequestFactory().get("/")
    request._csp_nonce = nonce
    response = HttpResponse("x", headers=headers)
    assert pagecache.is_cacheable_response(request, response) is cacheable


def test_a_transaction_bumps_the_version_again_after_its_commit(django_capture_on_commit_callbacks):
    before = pagecache.current_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_critique()
    during = pagecache.current_version()
    assert during != before
    for callback in callbacks:
        callback()
    assert pagecache.current_version() not in (before, during)


def test_a_bulk_change_bumps_the_version_once():
    before = pagecache.current_version()
    with pagecache.invalidation_deferred():
        make_critique()
        assert pagecache.current_version() == before
    assert pagecache.current_version() != before


def test_a_per_process_cache_is_reported_by_the_deploy_checks(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [warning.id for warning in pagecache.check_shared_cache(None)] == ["iplus.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/x"}}
    assert pagecache.check_shared_cache(None) == []


def test_a_made_up_parameter_is_answered_but_never_stored(client):
    make_critique(title="Listed critique")
    for _ in range(2):
        response, state = get(client, "/critiques/?utm_source=newsletter")
        assert response.status_code == HTTPStatus.OK
        assert b"Listed critique" in response.content
        assert state == "not stored"
    # The parameters the list reads are stored as before.
    get(client, "/critiques/?category=censorship&page=1")
    assert get(client, "/critiques/?category=censorship&page=1")[1] == "hit"


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("/search/?q=privacy", True),
        ("/search/?q=privacy&kind=x", False),
        ("/timeline/?year=2015", True),
        ("/sectors/?technology=&ordering=name", True),
        ("/sectors/?position=1", False),
        ("/?page=2", False),
        ("/strategy/?x=1", False),
    ],
)
def test_only_parameters_the_view_reads_are_stored(client, url, stored):
    make_critique()
    get(client, url)
    response, state = get(client, url)
    assert response.status_code == HTTPStatus.OK
    assert state == ("hit" if stored else "not stored")


def test_a_page_in_this_processes_memory_is_served_without_the_shared_copy(client):
    make_critique()
    first, _ = get(client, "/critiques/")
    cache.delete(pagecache.page_key(RequestFactory().get("/critiques/")))
    second, state = get(client, "/critiques/")
    assert state == "hit"
    assert second.content == first.content


def test_a_page_in_memory_is_stale_once_another_worker_changes_the_content(client):
    critique = make_critique(title="Old title")
    get(client, critique.get_absolute_url())
    # Another worker saved an edit: the shared version moved and the database holds the new title.
    type(critique).objects.filter(pk=critique.pk).update(title="New title")
    cache.set(pagecache.VERSION_KEY, "after-the-other-workers-edit", timeout=None)
    response, state = get(client, critique.get_absolute_url())
    assert state == "miss"
    assert b"New title" in response.content


def test_memory_entries_stay_within_their_budget_oldest_out_first():
    entries = pagecache.LocalEntries(budget=4_000)
    for n in range(10):
        entries.put(f"k{n}", "v1", "x" * 400)
    assert entries.used <= 4_000
    assert entries.get("k0") is None
    assert entries.get("k9") == ("v1", "x" * 400)
    entries.put("huge", "v1", "x" * 1_000)  # over an eighth of the budget: never kept
    assert entries.get("huge") is None


def test_memory_entries_expire_with_the_shared_copy(monkeypatch):
    entries = pagecache.LocalEntries(budget=4_000)
    entries.put("page", "v1", "body", seconds=60)
    now = pagecache.time.monotonic()
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now + 61)
    assert entries.get("page") is None
    assert entries.used == 0
