"""Every filtered list has the same filter panel: closed on a phone, so the results start on the first screen, and open
with its fields and the count of results on a wide screen, in both editions."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.pages import both_editions

FILTERED_LISTS = ["critiques:list", "sectors:list", "iplus:timeline", "iplus:document-list", "iplus:outcomes", "iplus:target-list"]
# The top of the first result, in CSS pixels from the top of the page: the first item of the list under the count.
FIRST_RESULT_TOP = """() => {
  let first = document.querySelector("#results-heading").nextElementSibling;
  if (first.matches("ul, ol")) first = first.firstElementChild;
  return first.getBoundingClientRect().top + scrollY;
}"""


def filtered_lists():
    return both_editions([reverse(name) for name in FILTERED_LISTS])


def test_on_a_phone_the_panel_is_closed_and_the_first_result_is_on_the_first_screen(phone, site, axe):
    for path in filtered_lists():
        phone.goto(site + path)
        panel = phone.locator("details.filter-panel")
        expect(panel.locator("summary")).to_be_visible()
        expect(panel.locator(".filter-form")).to_be_hidden()
        assert phone.evaluate(FIRST_RESULT_TOP) < 700, f"{path}: the first result starts below 700 px"
        assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"], f"{path} scrolls sideways"
        # The summary opens the panel, and the fields fit the screen.
        panel.locator("summary").click()
        expect(panel.locator(".filter-form")).to_be_visible()
        expect(panel.get_by_role("button")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"], f"{path} scrolls sideways"
        assert axe(phone) == [], path


def test_on_a_wide_screen_the_fields_and_the_count_show(page, site):
    for path in filtered_lists():
        page.goto(site + path)
        panel = page.locator("details.filter-panel")
        expect(panel.locator("summary")).to_be_hidden()
        fields = panel.locator(".filter-field").locator("input:not([type=hidden]), select")
        assert fields.count() >= 2, f"{path} has no filter fields"
        for field in fields.all():
            expect(field).to_be_visible()
        expect(panel.locator(".filter-actions button")).to_be_visible()
        # The fields take the focus in a closed <details> shown by CSS.
        fields.first.focus()
        expect(fields.first).to_be_focused()
        expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\d+ ?\S"))


def test_a_filter_with_an_error_opens_the_panel_on_a_phone(phone, site):
    for path in both_editions([reverse("iplus:timeline") + "?year=1999"]):
        phone.goto(site + path)
        expect(phone.locator("details.filter-panel .filter-form")).to_be_visible()
        expect(phone.get_by_role("alert")).to_be_visible()
