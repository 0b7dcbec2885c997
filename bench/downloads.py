"""Memory of a whole-list download: `python -m bench.downloads` streams /critiques/?format=csv (and json) from each
var/bench-<critiques>.sqlite3 that `make bench` made, one fresh process per database, and prints the rows, the bytes,
the seconds and the peak of memory Python allocated while streaming (tracemalloc). Flat memory: the same peak at
1,000 and at 100,000 rows.
"""

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = (1_000, 10_000, 100_000)


def measure(database, format):
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="bench", DJANGO_HTTPS="0",
                      DJANGO_ALLOWED_HOSTS="testserver", DATABASE_URL=f"sqlite:///{database}")  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    client = Client()
    list(client.get("/critiques/", {"format": format}).streaming_content)  # warm: imports, templates, connection
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get("/critiques/", {"format": format})
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n{" if format == "json" else b"\r\n")
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    print(f"{Path(database).name:<24}{format:<6}{lines:>9,} rows {size / 1e6:>9.1f} MB {seconds:>7.1f} s   peak {peak / 1e6:>6.1f} MB")


def main():
    if len(sys.argv) == 3:
        return measure(sys.argv[1], sys.argv[2])
    for critiques in SCALES:
        database = ROOT / "var" / f"bench-{critiques}.sqlite3"
        if not database.exists():
            print(f"{database.name}: missing (make bench creates it)")
            continue
        for format in ("csv", "json"):
            subprocess.run([sys.executable, "-m", "bench.downloads", str(database), format], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
