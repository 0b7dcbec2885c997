"""SQL queries per request for each benchmarked URL, through Django's test client (run by bench/run.py).

Usage: python -m bench.queries URL...  (prints one JSON object:
url -> {status, cold, cold_again, warm, seconds, seconds_again})

cold: the URL with a `_bench` parameter no view reads, which the page cache never stores, in a process
that has not served the page yet; cold_again: another such URL, the page's code and templates loaded;
warm: the URL itself once the page cache holds it (0 when it answers). No request carries a cookie an
earlier answer set, as a visitor's first request carries none.
"""

import json
import sys
import time
from http.cookies import SimpleCookie

import django
from django.db import connection
from django.test.utils import CaptureQueriesContext


def counted(client, url):
    """(status, queries, seconds) of one GET, with no cookie from earlier answers."""
    client.cookies = SimpleCookie()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries), time.perf_counter() - started


def measure(urls):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for n, url in enumerate(urls):
        separator = "&" if "?" in url else "?"
        status, cold, seconds = counted(client, f"{url}{separator}_bench=queries-{n}")
        _, cold_again, seconds_again = counted(client, f"{url}{separator}_bench=queries-{n}-again")
        counted(client, url)
        _, warm, _ = counted(client, url)
        results[url] = {
            "status": status,
            "cold": cold,
            "cold_again": cold_again,
            "warm": warm,
            "seconds": seconds,
            "seconds_again": seconds_again,
        }
    return results


if __name__ == "__main__":
    django.setup()
    print(json.dumps(measure(sys.argv[1:])))
