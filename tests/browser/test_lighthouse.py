"""Lighthouse (in Debian's Chromium) scores 100 for accessibility, best practices and SEO on the home page, a list and
a detail page, and on a list of the Chinese edition. Its fourth score, performance, is a timing, and the house
measures speed in bench/, not in tests: the README gives the figures and the command."""

import json
import os
import subprocess

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, NODE_MODULES, require

LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"


@pytest.mark.parametrize("path", ["/", "/critiques/", "/critiques/censorship/", "/zh-hans/sectors/"])
def test_lighthouse_scores_100(site, path):
    """About 12 s a page: Lighthouse is a Node program that starts a Chromium of its own and runs every audit."""
    require(LIGHTHOUSE, "run `npm ci --ignore-scripts` (make test does)")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    ran = subprocess.run(
        ["node", str(LIGHTHOUSE), site + path, "--quiet", "--output=json", "--output-path=stdout",
         "--only-categories=accessibility,best-practices,seo", f"--chrome-flags={flags}"],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    report = json.loads(ran.stdout)
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failing = [audit["id"] for audit in report["audits"].values() if audit["scoreDisplayMode"] == "binary" and audit["score"] == 0]
    assert scores == {"accessibility": 1, "best-practices": 1, "seo": 1}, failing
