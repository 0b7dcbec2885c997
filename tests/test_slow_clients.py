"""`make run`'s gunicorn settings keep answering while slow clients hold connections open."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from bench.slow_clients import answer_time
from tests.servers import free_port, wait_until_serving

GUNICORN_SETTINGS = "python:iplus.gunicorn_settings"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with the settings `make run` uses, on a database of its own."""
    directory = tmp_path_factory.mktemp("slow-clients")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True, capture_output=True)
    port = free_port()
    log = directory / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iplus.wsgi", "--config", GUNICORN_SETTINGS, "--bind", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    process.log = log
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_make_run_uses_these_settings():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert f"gunicorn iplus.wsgi --config {GUNICORN_SETTINGS}" in makefile


@pytest.mark.parametrize("stalled", [2, 4])
def test_a_page_answers_at_once_while_clients_stall(server, stalled):
    # Two sync workers took 17-20 s here: each waited on a stalled connection until it timed out.
    assert answer_time(server + "/", stalled=stalled) < 2
