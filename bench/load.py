"""A bounded load run against a running site: N threads, keep-alive connections, a fixed time.

    python bench/load.py http://127.0.0.1:8000 --seconds 10 --concurrency 8

Only loopback addresses are accepted. Prints requests, errors, requests per second and latency percentiles;
exits non-zero on any error (a status other than 200 or a failed connection).
"""

import argparse
import http.client
import ipaddress
import socket
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

PATHS = ["/", "/strategy/", "/sectors/", "/key-actions/", "/critiques/", "/timeline/", "/glossary/", "/sources/", "/compare/"]


def check_loopback(host):
    address = ipaddress.ip_address(socket.gethostbyname(host))
    if not address.is_loopback:
        raise SystemExit(f"refusing to load {host} ({address}): only loopback addresses")


def load(base_url, paths=PATHS, seconds=5.0, concurrency=4, max_requests=100_000):
    """Request paths round-robin from `concurrency` threads until `seconds` pass; returns counts and latencies."""
    parts = urlsplit(base_url)
    check_loopback(parts.hostname)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    results = {"requests": 0, "errors": [], "latencies": []}

    def worker(offset):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        n = offset
        while time.monotonic() < deadline:
            path = paths[n % len(paths)]
            n += 1
            started = time.monotonic()
            try:
                connection.request("GET", path, headers={"Host": parts.netloc})
                response = connection.getresponse()
                response.read()
                error = None if response.status == 200 else f"{path}: {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{path}: {exc!r}"
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            with lock:
                results["requests"] += 1
                results["latencies"].append(time.monotonic() - started)
                if error:
                    results["errors"].append(error)
                if results["requests"] >= max_requests:
                    break
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = sorted(results.pop("latencies")) or [0.0]
    return {
        **results,
        "seconds": round(elapsed, 2),
        "rps": round(results["requests"] / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1 if len(latencies) > 1 else 0] * 1000, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    result = load(args.base_url, seconds=args.seconds, concurrency=args.concurrency)
    errors = result.pop("errors")
    print(" ".join(f"{key}={value}" for key, value in result.items()), f"errors={len(errors)}")
    for error in errors[:10]:
        print("error:", error)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
