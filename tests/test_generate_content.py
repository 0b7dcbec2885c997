import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains

from bench.management.commands.generate_content import Command
from critiques.models import Critique
from iplus import settings as site_settings
from iplus.models import Milestone
from publishing.markdown import render
from sectors.models import Sector
from tests.factories import make_critique

pytestmark = pytest.mark.django_db

SMALL = {"critiques": 60, "sectors": 4, "sources": 10, "milestones": 3, "verbosity": 0}


def generate(**options):
    # Only bench/settings.py installs the bench app, so the command is passed in, not named.
    call_command(Command(), **{**SMALL, **options})


def test_fills_an_empty_database_with_related_published_content():
    generate()
    assert Critique.objects.count() == 60
    assert Sector.objects.count() == 4
    assert Critique.objects.published().count() > 50
    assert Critique.sectors.through.objects.count() >= 60
    assert Critique.sources.through.objects.count() >= 60
    assert Sector.sources.through.objects.count() == 8
    assert Milestone.sources.through.objects.count() == 3


def test_stores_the_rendered_markdown_bulk_create_does_not():
    generate()
    for model, field in ((Critique, "argument"), (Sector, "body"), (Milestone, "description")):
        for item in model.objects.all():
            assert getattr(item, f"{field}_html") == render(getattr(item, field))
    assert "<strong>in practice</strong>" in Critique.objects.first().argument_html


def test_a_stored_page_shows_the_generated_content(client, settings):
    settings.MIDDLEWARE = site_settings.MIDDLEWARE
    response = client.get(reverse("critiques:list"))
    assert "max-age=" in response["Cache-Control"]
    assert "private" not in response["Cache-Control"]
    generate()
    newest = Critique.objects.published().order_by("-created").first()
    assertContains(client.get(reverse("critiques:list")), newest.title)


def test_running_again_replaces_the_synthetic_content():
    generate()
    generate(critiques=20)
    assert Critique.objects.count() == 20


def test_refuses_a_database_with_real_content_unless_forced():
    make_critique(slug="a-real-critique")
    with pytest.raises(CommandError, match="real content"):
        generate()
    assert Critique.objects.count() == 1
    generate(force=True)
    assert Critique.objects.count() == 61
    assert Critique.objects.filter(slug="a-real-critique").exists()
