"""Screenshots of the key pages at phone and desktop widths, saved into screenshots/ (ignored by git) to look at."""

import pytest
from django.urls import reverse

from critiques.models import Critique
from sectors.models import Sector, Target
from tests.routes import counterpart

KEY_PAGES = {
    "home": lambda: reverse("iplus:home"),
    "sectors": lambda: reverse("sectors:list"),
    "sector": lambda: Sector.objects.published().first().get_absolute_url(),
    "critiques": lambda: reverse("critiques:list"),
    "critique": lambda: Critique.objects.published().first().get_absolute_url(),
    "timeline": lambda: reverse("iplus:timeline"),
    "compare": lambda: reverse("iplus:compare"),
    "documents": lambda: reverse("iplus:document-list"),
    "document": lambda: reverse("iplus:document-detail", args=["guiding-opinions-2015"]),
    "outcomes": lambda: reverse("iplus:outcomes"),
    "coverage": lambda: reverse("iplus:coverage"),
    "targets": lambda: reverse("iplus:target-list"),
    "target": lambda: Target.objects.published().filter(reports__isnull=False).first().get_absolute_url(),
    "provinces": lambda: reverse("iplus:provinces"),
    "search": lambda: reverse("iplus:search") + "?q=internet",
    "admin-login": lambda: reverse("admin:login"),
}
# The Chinese edition of each public page.
KEY_PAGES |= {f"{name}-zh": (lambda url=url: counterpart(url(), "zh-hans")) for name, url in KEY_PAGES.items() if name != "admin-login"}
WIDTHS = ["phone", "page"]  # the 375 px and 1280 px wide page fixtures


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", KEY_PAGES)
def test_key_page(request, site, screenshot, name, width):
    page = request.getfixturevalue(width)
    assert page.goto(site + KEY_PAGES[name]()).ok
    assert screenshot(page, name).stat().st_size > 0


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_sector_form(request, site, admin_user, log_in, screenshot, width):
    page = request.getfixturevalue(width)
    log_in(page, "admin", "password")
    assert page.goto(site + reverse("admin:sectors_sector_change", args=[Sector.objects.first().pk])).ok
    assert screenshot(page, "admin-sector").stat().st_size > 0
