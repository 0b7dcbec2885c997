"""What a visitor and an editor do, in a real browser against the live server."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from critiques.models import Category
from sectors.models import Sector
from tests.factories import make_critique, make_sector
from tests.routes import counterpart


def test_home_to_a_sector_and_its_critiques(page, site):
    sector = Sector.objects.published().filter(critiques__status="published").distinct().first()
    critique = sector.critiques.published().first()
    page.goto(site + reverse("iplus:home"))
    page.get_by_role("main").get_by_role("link", name=sector.name, exact=True).first.click()
    expect(page).to_have_url(site + sector.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(sector.name)
    page.get_by_role("main").get_by_role("link", name=critique.title, exact=True).first.click()
    expect(page).to_have_url(site + critique.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(critique.title)


def test_filter_sort_and_page_a_list_keeps_the_filters(page, site):
    # Thirty published critiques in one category and a few in another, so the filtered list has two pages.
    for n in range(30):
        make_critique(title=f"Privacy critique {n:02}", category=Category.PRIVACY)
    make_critique(title="Censorship critique", category=Category.CENSORSHIP)
    page.goto(site + reverse("critiques:list"))
    page.get_by_label("Category").select_option(Category.PRIVACY)
    page.get_by_role("main").get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"category={Category.PRIVACY}"))
    sort_order = page.get_by_role("navigation", name="Sort order")
    sort_order.get_by_role("link", name="Title").click()
    expect(page).to_have_url(re.compile(r"ordering=title"))
    expect(page).to_have_url(re.compile(rf"category={Category.PRIVACY}"))
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Censorship critique")).to_have_count(0)
    first_page = main.get_by_role("link", name=re.compile("Privacy critique")).all_inner_texts()
    assert first_page == sorted(first_page)

    main.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(rf"category={Category.PRIVACY}"))
    expect(page).to_have_url(re.compile(r"ordering=title"))
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.get_by_label("Category")).to_have_value(Category.PRIVACY)
    expect(sort_order.get_by_role("link", name="Title")).to_have_attribute("aria-current", "true")
    second_page = main.get_by_role("link", name=re.compile("Privacy critique")).all_inner_texts()
    first_page, second_page = set(first_page), set(second_page)
    assert second_page and not first_page & second_page
    assert len(first_page | second_page) == 30


def test_search(page, site):
    sector = Sector.objects.published().first()
    page.goto(site + reverse("iplus:search"))
    page.get_by_role("main").get_by_role("searchbox").fill(sector.name)
    page.get_by_role("main").get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(re.escape(reverse("iplus:search")) + r"\?"))
    expect(page.get_by_role("main").get_by_role("searchbox")).to_have_value(sector.name)
    page.get_by_role("main").get_by_role("link", name=sector.name).first.click()
    expect(page).to_have_url(site + sector.get_absolute_url())


FOCUSED = """() => {
  const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {
    text: el.textContent.trim(),
    id: el.id,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    onScreen: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""


def tab(page):
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["outline"] and focused["onScreen"], f"focus is not visible on {focused}"
    return focused


def test_keyboard_only_with_visible_focus(page, site):
    page.goto(site + reverse("iplus:home"))
    assert tab(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(site + reverse("iplus:home"))
    for _ in range(20):
        if tab(page)["text"] == "Sectors":
            break
    else:
        raise AssertionError("Tab never reached the Sectors link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + reverse("sectors:list"))

    sector = Sector.objects.published().first()
    page.get_by_role("main").get_by_role("link", name=sector.name, exact=True).first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + sector.get_absolute_url())
    for _ in range(5):
        tab(page)


def test_phone_sized_viewport(phone, site):
    for path in [reverse("iplus:home"), reverse("sectors:list"), Sector.objects.published().first().get_absolute_url(),
                 reverse("critiques:list"), reverse("iplus:timeline")]:  # fmt: skip
        phone.goto(site + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"], f"{path} scrolls sideways"
        expect(phone.get_by_role("navigation", name="Main").get_by_role("link", name="Sectors")).to_be_visible()


def test_a_phones_header_is_compact_and_the_comparison_scrolls_in_its_box(phone, site):
    for url in [reverse("iplus:home"), reverse("critiques:list"), reverse("iplus:compare")]:
        for path in [url, counterpart(url, "zh-hans")]:
            phone.goto(site + path)
            assert phone.locator(".site-header").bounding_box()["height"] <= 130, f"{path}: the header is too tall"
            assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"], f"{path} scrolls sideways"
            for target in phone.locator(".site-header a, .site-header input, .site-header button").all():
                box = target.bounding_box()
                assert box["width"] >= 24 and box["height"] >= 24, f"{path}: {target.text_content()} is under 24 by 24 px"
    # The menu scrolls sideways on its own line: a link out of sight scrolls into view when it takes the focus.
    sources = phone.get_by_role("navigation").get_by_role("link").last
    sources.focus()
    expect(sources).to_be_in_viewport()
    # The comparison's caption stays in view while its table scrolls in its own box.
    caption = phone.locator("#compare-caption")
    expect(caption).to_be_in_viewport()
    assert caption.bounding_box()["x"] + caption.bounding_box()["width"] <= phone.viewport_size["width"]
    scroll = phone.locator(".compare-scroll")
    assert scroll.evaluate("box => box.scrollWidth > box.clientWidth")


def test_an_editor_edits_and_publishes_a_sector(page, phone, site, log_in, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password")
    sector = make_sector(name="Internet + Testing", summary="The first summary.", status="draft")
    visitor = phone
    assert visitor.goto(site + sector.get_absolute_url()).status == 404

    log_in(page, "editor", "a-long-password")
    page.goto(site + reverse("admin:sectors_sector_change", args=[sector.pk]))
    # The change form's own fields, not the inlines' templates for new rows that share their labels.
    page.locator("#id_summary").fill("A summary an editor wrote.")
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("Internet + Testing")

    assert visitor.goto(site + sector.get_absolute_url()).ok
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Internet + Testing")
    expect(visitor.get_by_role("main")).to_contain_text("A summary an editor wrote.")
    visitor.goto(site + reverse("sectors:list"))
    expect(visitor.get_by_role("link", name="Internet + Testing")).to_be_visible()
