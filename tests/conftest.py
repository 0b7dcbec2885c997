import pytest

from tests.helpers import load_content, signed_in

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.database)


@pytest.fixture
def content(db):
    """The site's real content, loaded from fixtures/ (see load_content for how it is made fast)."""
    load_content()


@pytest.fixture(autouse=True)
def _empty_caches():
    """Rolled-back test data sends no signal: start each test with no cached pages."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """A request leaves its edition's language active in the thread (the page cache's key needs it): start in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def as_superuser(client, superuser):
    """The test client, signed in as a superuser."""
    client.force_login(superuser)
    return client


@pytest.fixture
def staff(db):
    """A browser of its own, signed in as a superuser named "editor", beside the anonymous `client`."""
    return signed_in("editor")
