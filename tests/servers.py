"""Starting a real gunicorn in a test."""

import socket
import time
import urllib.parse
import urllib.request

from django.core.management import call_command
from django.db import connection


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
