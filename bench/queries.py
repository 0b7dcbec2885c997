"""SQL queries per request for each benchmarked URL, through Django's test client (run by bench/run.py).

Usage: python -m bench.queries URL...  (prints one JSON object: url -> {status, cold, cold_again, warm, seconds})

cold: the first request for the page after a content change (nothing kept yet); cold_again: a second
cold URL for it; warm: the URL itself once it is in the page cache.
"""

import json
import sys
import time

import django
from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(urls):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for n, url in enumerate(urls):
        cold_url = f"{url}{'&' if '?' in url else '?'}_bench=queries-{n}"
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(cold_url)
        seconds = time.perf_counter() - started
        cold_queries = len(cold)  # now: a new connection clears the log the context reads from
        # Cold again: another made-up parameter, so still no stored page, but what the first render kept per
        # content version (counts, page keys, choices, fragments) is there to use.
        with CaptureQueriesContext(connection) as again:
            client.get(f"{cold_url}-again")
        again_queries = len(again)
        # Warm: the URL itself, again (a cold URL's made-up parameter keeps it out of the page cache).
        client.get(url)
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        results[url] = {
            "status": response.status_code,
            "cold": cold_queries,
            "cold_again": again_queries,
            "warm": len(warm),
            "seconds": seconds,
        }
    return results


if __name__ == "__main__":
    django.setup()
    print(json.dumps(measure(sys.argv[1:])))
