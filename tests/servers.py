"""Starting a real gunicorn in a test, and talking to it as a browser would."""

import http.cookiejar
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.forms import form_fields


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MAKE_RUN = "python:iplus.gunicorn_settings"  # the gunicorn settings `make run` serves with


@contextmanager
def gunicorn(env, log):
    """`make run`'s gunicorn on a free port, with `env`, logging to `log`: yields its address and its process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iplus.wsgi", "--config", MAKE_RUN, "--bind", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    process.log = log
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, url)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_serving(process, url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn for {url} exited: {process.log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/static/css/site.css", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn for {url} did not start in {timeout} s: {process.log.read_text()}")


def database_url(directory=None):
    """The test database, as DATABASE_URL for a second process: PostgreSQL's as it is, SQLite's (in memory) copied
    to a file in `directory`. The second process sees what the test committed (transactional_db)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        call_command("backup_content", "--output-dir", str(directory), verbosity=0)
        (path,) = directory.glob("*.sqlite3")
        return f"sqlite:///{path}"
    user = urllib.parse.quote(db["USER"], safe="")
    password = urllib.parse.quote(db["PASSWORD"], safe="")
    return f"postgresql://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Browser:
    """`logs`: the servers' log files, whose ends a server error's failure shows (the page itself says nothing)."""

    def __init__(self, logs=()):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.logs = logs

    def open(self, request):
        try:
            return self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            if error.code < 500:
                raise
            ends = "\n".join(f"{log}:\n{log.read_text()[-6000:]}" for log in self.logs)
            raise AssertionError(f"{error.code} from {error.url}\n{ends}") from error

    def get(self, url):
        with self.open(url) as response:
            return response.status, response.read().decode()

    def post(self, url, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.open(urllib.request.Request(url, data=data, headers={"Referer": url})) as response:
            return response.status, response.url, response.read().decode()

    def sign_in(self, base, username, password):
        _, html = self.get(base + "/admin/login/")
        fields = dict(form_fields(html, "login-form"))
        fields.update(username=username, password=password)
        return self.post(base + "/admin/login/?next=/admin/", fields)
