"""axe-core's WCAG 2.2 A and AA rules find no violation on any public page or on the admin pages editors use."""

from django.urls import reverse

from tests.browser.pages import admin_pages, finding_pages, public_pages


def violations_on(page, axe, site, paths):
    found = {}
    for path in paths:
        response = page.goto(site + path)
        assert response.ok, f"{path}: {response.status}"
        if violations := axe(page):
            found[path] = violations
    return found


def test_public_pages(page, axe, site):
    """About 20 s: Chromium loads each kind of public page and axe-core checks it, one page after another."""
    assert violations_on(page, axe, site, public_pages()) == {}


def test_pages_that_search_filter_and_sort(page, axe, site):
    assert violations_on(page, axe, site, finding_pages()) == {}


def test_phone_sized_pages(phone, axe, site):
    assert violations_on(phone, axe, site, [reverse("iplus:home"), reverse("sectors:list"), reverse("critiques:list")]) == {}


def test_admin_login_page(page, axe, site):
    assert violations_on(page, axe, site, [reverse("admin:login")]) == {}


def test_admin_pages(page, axe, site, admin_user, log_in):
    """About 30 s: Chromium loads each admin page editors use (the lists, change and history pages of every kind) and
    axe-core checks it, one page after another."""
    log_in(page, "admin", "password")
    assert violations_on(page, axe, site, admin_pages()) == {}


def test_the_preview_page(page, axe, site, admin_user, log_in):
    from critiques.models import Critique

    log_in(page, "admin", "password")
    page.goto(site + reverse("admin:critiques_critique_change", args=[Critique.objects.first().pk]))
    page.locator("#id_argument").fill("Some **bold** words and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview the texts (opens a new tab; nothing is saved)").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert "Preview of a critique" in preview.title()
    assert axe(preview) == []
