"""Headless Chromium (Debian's, never a downloaded build) against the live server."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]  # fmt: skip
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}

# The live server runs in a thread of this process; Playwright's sync API runs an event loop here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def require(path, how):
    if not path.exists():
        pytest.fail(f"{path} is missing: {how}", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "install Debian's Chromium (apt-get install chromium), or set CHROMIUM to its path")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server, content):
    """The live server's address, with the site's content in its database."""
    return live_server.url


def new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en")
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser):
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser):
    page = new_page(browser, PHONE)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def axe_source():
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    require(path, "run `npm ci --ignore-scripts` (make test does)")
    return path.read_text()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe(axe_source):
    """Run axe-core's WCAG 2.2 A/AA rules on a page; return its violations, readably.

    page.evaluate works under a strict Content-Security-Policy, where a <script> tag would not.
    """

    def run(page):
        page.evaluate(axe_source)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
        return [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}: {node['failureSummary']}"
            for violation in result["violations"]
            for node in violation["nodes"]
        ]

    return run


@pytest.fixture
def log_in(site):
    """Log a page in through the admin's login form."""

    def log_in(page, username, password):
        page.goto(site + reverse("admin:login"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(site + reverse("admin:index"))

    return log_in


@pytest.fixture
def screenshot():
    """Save a full-page screenshot into screenshots/ (ignored by git), to look at."""

    def screenshot(page, name):
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return screenshot


@pytest.fixture
def html_errors(tmp_path):
    """Check {name: html} in one run of the Nu HTML Checker; return its errors as "name:line: message".

    The checker is a Java program that takes seconds to start, so check many pages at once.
    """
    require(VNU, "run `npm ci --ignore-scripts` (make test does)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install a Java runtime (apt-get install default-jre-headless)", pytrace=False)

    def check(pages):
        files = {}
        for n, (name, html) in enumerate(pages.items()):
            file = tmp_path / f"page-{n}.html"
            file.write_bytes(html)
            files[file.name] = name
        run = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", *(str(tmp_path / file) for file in files)],
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        messages = json.loads(run.stderr)["messages"]  # vnu writes its report to stderr
        return [f"{files[m['url'].rpartition('/')[2]]}:{m.get('lastLine')}: {m['message']}" for m in messages]

    return check
