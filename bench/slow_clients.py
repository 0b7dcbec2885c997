"""Does a server still answer while slow clients hold connections open?

    python -m bench.slow_clients http://127.0.0.1:8000 --stalled 2

Opens the stalled connections (one sends nothing, the next half a request, and so on) and keeps them open while it
times one normal GET. Only loopback addresses are accepted. Prints the time; exits non-zero past --limit seconds.
"""

import argparse
import socket
import sys
import time
import urllib.request
from contextlib import ExitStack
from urllib.parse import urlsplit

from bench.load import check_loopback

HALF_A_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # and never the blank line that ends it


def answer_time(base_url, stalled=2, timeout=30.0):
    """Seconds a GET of base_url takes while `stalled` connections are open and silent."""
    parts = urlsplit(base_url)
    check_loopback(parts.hostname)
    with ExitStack() as stack:
        for n in range(stalled):
            sock = stack.enter_context(socket.create_connection((parts.hostname, parts.port), timeout=timeout))
            if n % 2:
                sock.sendall(HALF_A_REQUEST)
        time.sleep(0.5)  # let the server take them up
        start = time.monotonic()
        with urllib.request.urlopen(base_url, timeout=timeout) as response:
            response.read()
        return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--stalled", type=int, default=2, help="connections held open without a request (default 2)")
    parser.add_argument("--limit", type=float, default=2.0, help="seconds a GET may take (default 2)")
    args = parser.parse_args()
    try:
        seconds = answer_time(args.url, args.stalled)
    except OSError as error:
        print(f"GET {args.url} with {args.stalled} stalled connections open: {error}")
        return 1
    print(f"GET {args.url} with {args.stalled} stalled connections open: {seconds:.2f} s")
    return 0 if seconds <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
