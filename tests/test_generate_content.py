import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from critiques.models import Critique
from iplus import fulltext, pagecache
from sectors.models import Sector
from tests.factories import make_critique

pytestmark = pytest.mark.django_db

SMALL = {"critiques": 60, "sectors": 4, "sources": 10, "milestones": 3, "verbosity": 0}


def test_fills_an_empty_database_with_related_published_content():
    before = pagecache.current_version()
    call_command("generate_content", **SMALL)
    assert Critique.objects.count() == 60
    assert Sector.objects.count() == 4
    assert Critique.objects.published().count() > 50
    assert Critique.sectors.through.objects.count() >= 60
    assert Critique.sources.through.objects.count() >= 60
    # Cached pages are stale, and the full-text index took the bulk-created rows.
    assert pagecache.current_version() != before
    assert fulltext.matching(Critique.objects.all(), Critique.objects.first().title.split()[0]).exists()


def test_running_again_replaces_the_synthetic_content():
    call_command("generate_content", **SMALL)
    call_command("generate_content", **{**SMALL, "critiques": 20})
    assert Critique.objects.count() == 20


def test_refuses_a_database_with_real_content_unless_forced():
    make_critique(slug="a-real-critique")
    with pytest.raises(CommandError, match="real content"):
        call_command("generate_content", **SMALL)
    assert Critique.objects.count() == 1
    call_command("generate_content", **SMALL, force=True)
    assert Critique.objects.count() == 61
    assert Critique.objects.filter(slug="a-real-critique").exists()
