import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from critiques.models import Critique
from iplus.models import Milestone, Source
from tests.factories import make_critique, make_figure, make_key_action, make_milestone, make_section, make_sector, make_source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field", "make"),
    [
        (Critique, "category", make_critique),
        (Critique, "status", make_critique),
        (Source, "kind", make_source),
        (Milestone, "precision", make_milestone),
        (Milestone, "kind", make_milestone),
    ],
)
def test_database_rejects_a_value_outside_the_choices(model, field, make):
    obj = make()
    with pytest.raises(IntegrityError), transaction.atomic():
        # Short enough for every column, so PostgreSQL's length check doesn't answer first.
        model.objects.filter(pk=obj.pk).update(**{field: "nope"})


@pytest.mark.parametrize("bad", [{"unit": ""}, {"value": Decimal("-1")}, {"qualifier": "roughly"}])
def test_database_rejects_a_bad_figure(bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_figure(**bad)


def test_slugs_and_key_action_numbers_are_unique():
    make_sector(slug="finance")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_sector(slug="finance")
    make_key_action(number=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_key_action(number=5)


@pytest.mark.parametrize(
    ("date", "precision", "valid"),
    [
        (datetime.date(2011, 1, 1), "year", True),
        (datetime.date(2011, 3, 5), "year", False),
        (datetime.date(2015, 7, 1), "month", True),
        (datetime.date(2015, 7, 4), "month", False),
        (datetime.date(2015, 7, 4), "day", True),
    ],
)
def test_milestone_date_must_match_its_precision(date, precision, valid):
    milestone = make_milestone(date=date, precision=precision)
    if valid:
        milestone.full_clean()
    else:
        with pytest.raises(ValidationError, match="must be"):
            milestone.full_clean()


def test_milestone_shows_only_the_known_part_of_its_date():
    assert make_milestone(date=datetime.date(2011, 1, 1), precision="year").date_display == "2011"
    assert make_milestone(date=datetime.date(2015, 7, 1), precision="month").date_display == "July 2015"
    assert make_milestone(date=datetime.date(2015, 3, 5), precision="day").date_display == "5 March 2015"


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "expected"),
    [
        ("649000000", "about", "users", "about 649 million users"),
        ("13000000000000", "more_than", "yuan", "more than 13 trillion yuan"),
        ("3500000000", "exact", "yuan", "3.5 billion yuan"),
        ("12345", "exact", "sites", "12,345 sites"),
    ],
)
def test_figure_reads_as_words(value, qualifier, unit, expected):
    assert make_figure(value=Decimal(value), qualifier=qualifier, unit=unit).display == expected


def test_a_section_cannot_sit_inside_itself():
    parent = make_section()
    child = make_section(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="inside itself"):
        parent.full_clean()


def test_every_model_names_itself():
    assert str(make_sector(name="Internet + Finance")) == "Internet + Finance"
    assert str(make_critique(title="Censorship")) == "Censorship"
    assert str(make_key_action(number=8, name="E-commerce")) == "8. E-commerce"
    assert str(make_figure(label="Users", value=Decimal(649000000), qualifier="about")) == "Users: about 649 million users"
