"""A fault run: editors save in the admin under load while a gunicorn worker is killed mid-request; afterwards
SQLite is intact and every save the admin confirmed is in the database, in its history and on the public page."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings

from bench.load import load
from tests.forms import form_fields
from tests.servers import Browser, gunicorn

pytestmark = pytest.mark.standalone

EDITORS, SAVES = 3, 12  # each editor saves its own source this many times


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, timeout=120)


@pytest.fixture
def site(tmp_path):
    """`make run`'s gunicorn (its settings, a page cache on disk that its workers share) on a database of its own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TEST_PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "DJANGO_SUPERUSER_PASSWORD": "a-long-password",
    }
    manage("migrate", env=env)
    manage("load_content", env=env)
    for number in range(EDITORS):
        manage("createsuperuser", "--no-input", "--username", f"editor{number}", "--email", f"editor{number}@example.org", env=env)
    with gunicorn(env, tmp_path / "gunicorn.log") as (url, process):
        yield url, process, tmp_path / "db.sqlite3"


def workers(master):
    """The pids of a gunicorn master's workers."""
    return [int(task.name) for task in Path("/proc").iterdir() if task.name.isdigit() and parent(task) == master]


def parent(task):
    try:
        return int((task / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def edit(url, number, slug, pk, confirmed, attempted):
    """Save the source `slug` SAVES times as editor `number`, opening its form afresh each time."""
    browser = Browser()
    browser.sign_in(url, f"editor{number}", "a-long-password")
    change = f"{url}/admin/iplus/source/{pk}/change/"
    for save in range(SAVES):
        title = f"Fault run: editor {number}, save {save}"
        attempted.append((slug, title))
        try:
            fields = [(name, title if name == "title" else value) for name, value in form_fields(browser.get(change)[1], "source_form")]
            status, landed, _html = browser.post(change, [*fields, ("_save", "Save")])
        except OSError:  # the worker that had the request was killed: the save may or may not have committed
            continue
        if status == HTTPStatus.OK and urllib.parse.urlsplit(landed).path == "/admin/iplus/source/":
            confirmed.append((slug, title))


def test_saves_under_load_while_a_worker_is_killed_lose_nothing(site):
    """About 20 s with its site: the database is migrated and loaded by manage.py processes and served by a real
    gunicorn, whose workers are killed and restarted during six seconds of load."""
    url, process, database = site
    with sqlite3.connect(database) as db:
        sources = db.execute("SELECT slug, id FROM iplus_source ORDER BY slug LIMIT ?", (EDITORS,)).fetchall()
    confirmed, attempted, killed = [], [], []  # lists: appends from threads are atomic
    threads = [threading.Thread(target=edit, args=(url, n, slug, pk, confirmed, attempted)) for n, (slug, pk) in enumerate(sources)]
    threads.append(threading.Thread(target=load, args=(url,), kwargs={"seconds": 6, "concurrency": 2}))
    for thread in threads:
        thread.start()
    for share in (4, 2, 4 / 3):  # a worker killed after a quarter, a half and three quarters of the saves
        while len(attempted) < EDITORS * SAVES / share and threads[0].is_alive():
            time.sleep(0.01)
        killed.append(workers(process.pid)[0])
        os.kill(killed[-1], signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=120)

    assert process.poll() is None, "gunicorn's master restarts its workers and keeps serving"
    assert not set(killed) & set(workers(process.pid))
    assert len(confirmed) > EDITORS * SAVES // 2, (len(confirmed), process.log.read_text()[-2000:])
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        titles = dict(db.execute("SELECT slug, title FROM iplus_source"))
        history = set(db.execute("SELECT slug, title FROM iplus_historicalsource"))
    for slug, _pk in sources:
        tried = [title for each, title in attempted if each == slug]
        mine = [title for each, title in confirmed if each == slug]
        # The last save confirmed is there, or one after it that committed before its answer was lost.
        assert titles[slug] in tried[tried.index(mine[-1]) :]
        assert {(slug, title) for title in mine} <= history
        _status, page = Browser().get(f"{url}/sources/{slug}/")
        assert titles[slug].replace("'", "&#x27;") in page
