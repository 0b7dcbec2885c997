"""Starting a real gunicorn in a test."""

import socket
import time
import urllib.request


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
