import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The site's real content, loaded from fixtures/."""
    call_command("load_content", verbosity=0)


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
