"""`make bench`: synthetic content at two scales, served by gunicorn, measured with wrk.

For each scale: generate (or reuse) a database of its own (var/bench-<critiques>.sqlite3, never the dev
database), serve it with gunicorn (2 sync workers) and a file-based page cache, count SQL queries per
request through Django's test client, then run wrk against each page, warm (the same URL again and
again) and cold (every request a distinct URL, so no page cache can answer), keeping the best of
`--repeat` runs. A 20 KB static file served by whitenoise, measured the same way, is the yardstick every
page is compared with.
"""

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
YARDSTICK = "/static/bench/yardstick.txt"
PER_PAGE = 25
DEEP_PAGE = 4_000
SEARCH_TERM = "privacy"
TOO_SLOW = 2.0  # seconds for one request, in-process


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--critiques", type=int, default=100_000, help="the large scale (default 100,000)")
    parser.add_argument("--small", type=int, default=1_000, help="the small scale the growth is measured from (default 1,000)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="wrk runs per figure, the best kept (default 2): on a shared machine other work only ever slows a run",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8210)))
    parser.add_argument("--no-page-cache", action="store_true", help="measure the site without its page cache (the baseline)")
    parser.add_argument(
        "--redis", action="store_true", help="keep the page cache in a redis-server of the bench's own (port + 1) instead of files"
    )
    parser.add_argument("--regenerate", action="store_true", help="build the databases anew even if they exist")
    parser.add_argument("--json", type=Path, default=VAR / "bench-results.json", help="where to write the figures")
    return parser.parse_args()


def environment(database, page_cache=True, redis_url=None):
    return {
        **os.environ,
        "BENCH_PAGE_CACHE": "1" if page_cache else "0",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "0",
        "DJANGO_DEBUG": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{database}",
        # One cache per database: counts and pages of one scale must never answer for the other.
        "BENCH_CACHE_DIR": str(VAR / f"{database.stem}-cache"),
        **({"REDIS_URL": redis_url} if redis_url else {}),
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(critiques, regenerate, page_cache, redis_url=None):
    database = VAR / f"bench-{critiques}.sqlite3"
    env = environment(database, page_cache, redis_url)
    if regenerate or not database.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        sectors, sources = max(10, critiques // 100), max(100, critiques // 10)
        print(f"generating {critiques:,} critiques, {sectors:,} sectors, {sources:,} sources into {database.relative_to(ROOT)}", flush=True)
        manage(env, "generate_content", f"--critiques={critiques}", f"--sectors={sectors}", f"--sources={sources}")
    else:
        manage(env, "migrate", "--no-input", "--verbosity", "0")
    return database, env


def prepare_static(env):
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    yardstick = ROOT / "staticfiles" / YARDSTICK.removeprefix("/static/")
    yardstick.parent.mkdir(parents=True, exist_ok=True)
    yardstick.write_text(("Internet Plus yardstick, 20 KB of static text served by whitenoise.\n" * 400)[: 20 * 1024])


def pages(database):
    """The pages to measure: name -> (path, file of paths walked in cold mode or None)."""
    db = sqlite3.connect(database)
    published = db.execute("SELECT count(*) FROM critiques_critique WHERE status = 'published'").fetchone()[0]
    sector = db.execute("SELECT slug FROM sectors_sector WHERE status = 'published' ORDER BY position, name LIMIT 1").fetchone()[0]
    slugs = [row[0] for row in db.execute("SELECT slug FROM critiques_critique WHERE status = 'published' ORDER BY id LIMIT 20000")]
    db.close()
    walk = VAR / f"bench-slugs-{database.stem}.txt"
    walk.write_text("".join(f"/critiques/{slug}/\n" for slug in slugs))
    deep = min(DEEP_PAGE, math.ceil(published / PER_PAGE))
    return {
        "home": ("/", None),
        "sector list": ("/sectors/", None),
        "critique list": ("/critiques/", None),
        "filtered list": (f"/critiques/?category=censorship&sector={sector}", None),
        "search": (f"/search/?q={SEARCH_TERM}", None),
        "detail": (f"/critiques/{slugs[0]}/", walk),
        "deep page": (f"/critiques/?page={deep}", None),
        "timeline": ("/timeline/", None),
    }


def start_server(env, port):
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "iplus.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=sync",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{YARDSTICK}", timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"bench: gunicorn did not answer on port {port}")


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a worker still busy with a page that takes minutes
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def settle(port):
    """Wait until the workers have answered the requests wrk left queued."""
    for _ in range(4):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{YARDSTICK}", timeout=300):
            pass


def served_from_cache(port, path):
    """Request the page twice; True when the second answer came from the page cache."""
    for _ in range(2):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=300) as response:
            state = response.headers.get("X-Page-Cache")
    return state == "hit"


def count_queries(env, urls):
    output = subprocess.run([PYTHON, "-m", "bench.queries", *urls], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def wrk(args, port, path, mode, walk=None, duration=None):
    """The best of `args.repeat` runs (the most requests/s), the static file's as every page's."""
    runs = [wrk_once(args, port, path, mode, walk, duration, start=run * 5_000) for run in range(1 if duration else args.repeat)]
    return max(runs, key=lambda figures: figures["rps"])


def wrk_once(args, port, path, mode, walk=None, duration=None, start=0):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration or args.duration}s",
        "--timeout=10s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
        f"http://127.0.0.1:{port}{path}",
        "--",
        mode,
    ]
    if walk:
        command += [str(walk), str(start)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    settle(port)
    result = json.loads(output.strip().splitlines()[-1])
    seconds = result["duration_us"] / 1e6
    return {
        "rps": result["requests"] / seconds if seconds else 0.0,
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["non2xx"] + result["socket_errors"],
    }


def measure_scale(args, critiques):
    redis = start_redis(args.port + 1) if args.redis else None
    try:
        return measure_scale_with(args, critiques, redis and f"redis://127.0.0.1:{args.port + 1}/0")
    finally:
        if redis:
            stop_server(redis)


def start_redis(port):
    """An empty redis-server of the bench's own, in memory only: each scale starts with no cached page."""
    if not shutil.which("redis-server"):
        raise SystemExit("bench: --redis needs redis-server (apt-get install -y redis-server)")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(0.5)
    return server


def read_through(database):
    """Read the database file once, so the measured requests find it in the OS cache as a serving machine
    would, not on disk (this machine's kernel reclaims idle file pages within minutes)."""
    with open(database, "rb") as db:
        while db.read(16 * 1024 * 1024):
            pass


def measure_scale_with(args, critiques, redis_url):
    database, env = prepare_database(critiques, args.regenerate, not args.no_page_cache, redis_url)
    read_through(database)
    prepare_static(env)
    shutil.rmtree(env["BENCH_CACHE_DIR"], ignore_errors=True)
    measured = pages(database)
    queries = count_queries(env, [path for path, _ in measured.values()])
    server = start_server(env, args.port)
    results = {"critiques": critiques, "pages": {}}
    try:
        wrk(args, args.port, "/sectors/", "cold", duration=1)  # load the templates in both workers
        results["static"] = wrk(args, args.port, YARDSTICK, "warm")
        print(
            f"\n{critiques:,} critiques: static file {results['static']['rps']:,.0f} requests/s "
            f"(each figure the best of {args.repeat} wrk runs of {args.duration} s)",
            flush=True,
        )
        header = f"{'page':<16}{'mode':<6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'ratio':>8}"
        print(f"{header}  url (cold queries: the first render after a change/again)")
        for name, (path, walk) in measured.items():
            counted = queries[path]
            entry = {
                "url": path,
                "status": counted["status"],
                "queries": counted["cold"],
                "queries_again": counted["cold_again"],
                "queries_warm": counted["warm"],
            }
            results["pages"][name] = entry
            if counted["status"] != 200:
                print(f"{name:<16}{'':<6}{'':>9}{'':>9}{'':>9}{'':>9}{'':>8}  {path}: HTTP {counted['status']}, not measured")
                continue
            slow = counted["seconds"] > TOO_SLOW
            for mode in ("warm", "cold"):
                if slow and not (mode == "warm" and served_from_cache(args.port, path)):
                    # wrk would queue minutes of work; one request tells enough (two workers: twice its rate).
                    seconds = counted["seconds"]
                    figures = {"rps": 2 / seconds, "p50_ms": seconds * 1000, "p99_ms": seconds * 1000, "errors": 0, "estimated": True}
                    figures["ratio"] = figures["rps"] / results["static"]["rps"]
                    entry[mode] = figures
                    shown = f"{figures['rps']:>9,.2f}{seconds * 1000:>9.0f}{'':>9}{counted[mode]:>9}{figures['ratio']:>8.4f}"
                    print(f"{name:<16}{mode:<6}{shown}  {path}: one request took {seconds:.1f} s, so not run with wrk")
                    continue
                if mode == "warm":
                    served_from_cache(args.port, path)  # warm means repeat requests: not 16 first misses at once
                figures = wrk(args, args.port, path, mode, walk=walk if mode == "cold" else None)
                figures["ratio"] = figures["rps"] / results["static"]["rps"]
                entry[mode] = figures
                shown = f"{counted['cold']}/{counted['cold_again']}" if mode == "cold" else counted["warm"]
                errors = f" ({figures['errors']} errors)" if figures["errors"] else ""
                print(
                    f"{name:<16}{mode:<6}{figures['rps']:>9,.0f}{figures['p50_ms']:>9.1f}{figures['p99_ms']:>9.1f}"
                    f"{shown:>9}{figures['ratio']:>8.2f}  {path}{errors}",
                    flush=True,
                )
    finally:
        stop_server(server)
    return results


def summarise(large, small):
    measured = {name: page for name, page in large["pages"].items() if "warm" in page}
    missing = [name for name, page in large["pages"].items() if "warm" not in page]
    warm_min = min((page["warm"]["ratio"] for page in measured.values()), default=0.0)
    cold_min = min((page["cold"]["ratio"] for page in measured.values()), default=0.0)
    queries_max = max(page["queries"] for scale in (large, small) for page in scale["pages"].values())
    growth = {}
    for name, page in measured.items():
        other = small["pages"].get(name)
        if other and "cold" in other:
            growth[name] = max(other[mode]["rps"] / page[mode]["rps"] if page[mode]["rps"] else math.inf for mode in ("warm", "cold"))
    print(f"\ngrowth from {small['critiques']:,} to {large['critiques']:,} critiques (slowdown, worst of warm and cold):")
    for name, factor in growth.items():
        print(f"  {name:<16}{factor:>7.2f}x")
    first = measured.get("critique list")
    if first:
        for name, page in measured.items():
            if name in ("deep page", "search"):
                ratio = first["cold"]["rps"] / page["cold"]["rps"] if page["cold"]["rps"] else math.inf
                print(f"  {name} vs page one, cold: {ratio:.2f}x slower")
    if missing:
        print(f"  not measured (not HTTP 200): {', '.join(missing)}")
    growth_max = max(growth.values(), default=0.0)
    return {"warm_min": warm_min, "cold_min": cold_min, "growth_max": growth_max, "queries_max": queries_max, "missing": missing}


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing; install it with: apt-get install -y wrk")
    VAR.mkdir(exist_ok=True)
    large = measure_scale(args, args.critiques)
    small = measure_scale(args, args.small)
    summary = summarise(large, small)
    args.json.write_text(
        json.dumps({"date": time.strftime("%Y-%m-%d %H:%M %Z"), "large": large, "small": small, "summary": summary}, indent=1)
    )
    print(f"figures written to {args.json}")
    print(
        f"bench: warm min {summary['warm_min']:.2f}, cold min {summary['cold_min']:.2f} of static; "
        f"growth max {summary['growth_max']:.2f}x; queries max {summary['queries_max']}"
    )


if __name__ == "__main__":
    main()
