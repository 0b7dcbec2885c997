"""`make run`'s gunicorn settings keep answering while slow clients hold connections open."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from bench.slow_clients import answer_time
from tests.servers import MAKE_RUN, gunicorn

pytestmark = pytest.mark.standalone


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with the settings `make run` uses, on a database of its own."""
    directory = tmp_path_factory.mktemp("slow-clients")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True, capture_output=True)
    with gunicorn(env, directory / "gunicorn.log") as (url, _process):
        yield url


def test_make_run_uses_these_settings():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert f"gunicorn iplus.wsgi --config {MAKE_RUN}" in makefile


@pytest.mark.parametrize("stalled", [2, 4])
def test_a_page_answers_at_once_while_clients_stall(server, stalled):
    # Two sync workers took 17-20 s here: each waited on a stalled connection until it timed out.
    assert answer_time(server + "/", stalled=stalled) < 2
