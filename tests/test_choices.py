import re

import pytest
from django import forms
from django.urls import reverse

from iplus import choices
from tests.factories import make_critique, make_sector

pytestmark = pytest.mark.django_db


def sector_options(html):
    select = re.search(r'<select name="sector".*?</select>', html, re.DOTALL).group()
    return re.findall(r'<option value="([^"]*)"( selected)?>', select)


@pytest.mark.parametrize("value", [None, "", "b", "missing"])
def test_fast_select_writes_what_django_select_writes(value):
    listed = [("", "Any <kind>"), ("a", "A & B"), ("b", "“B”"), (1, "One")]
    attrs = {"id": "id_kind", "required": False, "aria-describedby": "id_kind_helptext"}
    expected = forms.Select(choices=listed).render("kind", value, attrs)
    assert choices.FastSelect(choices=listed).render("kind", value, attrs) == expected


def test_a_long_select_lists_only_the_first_choices_and_says_so(client, monkeypatch):
    monkeypatch.setattr(choices, "DEFAULT_LIMIT", 3)
    sectors = [make_sector(name=f"Sector {n:02}", position=n) for n in range(5)]
    make_critique().sectors.add(sectors[4])
    page = client.get(reverse("critiques:list")).content.decode()
    assert [value for value, _ in sector_options(page)] == ["", *(sector.slug for sector in sectors[:3])]
    assert "Only the first 3 are listed." in page

    # A sector past the limit can still be chosen, and is then listed as the selected option.
    response = client.get(reverse("critiques:list"), {"sector": sectors[4].slug})
    page = response.content.decode()
    assert response.context["paginator"].count == 1
    assert (sectors[4].slug, " selected") in sector_options(page)
    assert "Sector 04: <strong>" not in page  # the label comes from the active-filters list, not the raw value
    assert "<strong>Sector 04</strong>" in page


def test_the_listed_choices_follow_content_changes(client):
    make_sector(name="First sector", position=1)
    assert "Second sector" not in client.get(reverse("critiques:list")).content.decode()
    make_sector(name="Second sector", position=2)
    assert "Second sector" in client.get(reverse("critiques:list")).content.decode()


def test_an_unknown_choice_is_a_form_error_not_an_option(client):
    make_sector(name="Known sector")
    response = client.get(reverse("critiques:list"), {"sector": "<b>nope</b>"})
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["filter"].errors
    assert "<b>nope</b>" not in page
    assert all(value != "<b>nope</b>" for value, _ in sector_options(page))
