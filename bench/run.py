"""`make bench`: synthetic content at three scales, served by gunicorn, measured with wrk.

For each scale (1,000, 10,000 and 100,000 critiques unless --scales says otherwise): generate, or reuse,
a database of its own (var/bench-<critiques>.sqlite3, never the dev database) and a pages cache of its
own; count the SQL queries of a cold request for each page through Django's test client
(bench/queries.py); serve it with gunicorn (2 sync workers) and run wrk against each page:

- warm: the same URL again and again, which the page cache (django.middleware.cache) answers once the
  first request stored it;
- cold: every request a URL of its own (wrk.lua adds a `_bench` parameter no view reads, so the page
  cache never stores it; the detail page also walks distinct critiques): the database and Django only.

Each figure is the best of --repeat wrk runs, and every one is read as a ratio to a 20 KB static file
served by whitenoise in the same run. The last line sums the run up; the targets are checked above it.

    python -m bench.run [--quick] [--scales 1000,100000] [--duration 4] [--repeat 2] [--port 8210]
"""

import argparse
import contextlib
import http.client
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
YARDSTICK = "/static/bench/yardstick.txt"
SCALES = (1_000, 10_000, 100_000)
PER_PAGE = 25
MAX_PAGES = 200  # a list's last page (publishing.views.KeptCountPaginator.max_pages)
SEARCH_TERM = "privacy"
SEARCH_TERM_ZH = "互联网"  # the Chinese edition's search: three characters, the shortest its index finds
TOO_SLOW = 2.0  # seconds for one request, in-process: timed once instead of queued under wrk
PREFIX = "synthetic-"

WARM_TARGET = 0.9
COLD_TARGETS = {10_000: 0.08, 100_000: 0.05}
GROWTH_FROM, GROWTH_TO, GROWTH_TARGET = 1_000, 100_000, 2.0
QUERIES_TARGET = 10
CHINESE_SEARCH_TARGET = 2.0  # the Chinese search at most this much slower than the English one

# Every server the bench started and has not stopped yet: main() stops them on the way out, whatever
# the way (an error, Ctrl-C, SIGTERM).
RUNNING = []


class Failed(Exception):
    """The bench cannot go on; the message says why."""


def scales(text):
    """ "1000,10000,100000" or "1k,10k,100k": the numbers of critiques, smallest first."""
    values = set()
    for part in re.split(r"[,\s]+", text.strip().lower()):
        digits = part.removesuffix("k").replace("_", "")
        if not digits.isdigit() or int(digits) < 1:
            raise argparse.ArgumentTypeError(f"not a number of critiques: {part!r}")
        values.add(int(digits) * (1_000 if part.endswith("k") else 1))
    return sorted(values)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scales",
        type=scales,
        default=list(SCALES),
        help="numbers of critiques, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke check in about a minute: 1,000 critiques, wrk runs of 1 s, once")
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run (default 4)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="wrk runs per figure, the best kept (default 2): on a shared machine other work only ever slows a run",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8210)))
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for a started server's first answer (default 120; a busy machine is slow to start one)",
    )
    parser.add_argument("--no-page-cache", action="store_true", help="measure the site without its page cache (the baseline)")
    parser.add_argument(
        "--redis", action="store_true", help="keep the pages cache in a redis-server of the bench's own (port + 1) instead of files"
    )
    parser.add_argument("--regenerate", action="store_true", help="build the databases anew even if they exist")
    parser.add_argument("--json", type=Path, default=VAR / "bench-results.json", help="where to write the figures")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales, args.duration, args.repeat = [1_000], 1, 1
    if args.duration < 1 or args.repeat < 1:
        parser.error("--duration and --repeat must be at least 1")
    return args


# Processes -------------------------------------------------------------------------------------------


def refuse_taken_port(port):
    """Bind the port as gunicorn would: if something listens there, the bench would measure it instead."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is no obstacle
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise Failed(
                f"port {port} is already taken ({error.strerror}): stop what listens there, or choose another port "
                "(make bench BENCH_PORT=8310, or --port 8310)"
            ) from None


def start(command, env=None, stdout=None):
    # A session of its own: Ctrl-C in the terminal does not reach it, stop() does, workers included.
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, start_new_session=True)
    RUNNING.append(process)
    return process


def stop(process):
    """SIGTERM to the process group, SIGKILL after 10 s (a worker busy with a page that takes minutes)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # a worker that outlived its master
    if process in RUNNING:
        RUNNING.remove(process)


def stop_on_signal(signum, frame):
    print(f"bench: stopped by {signal.Signals(signum).name}", file=sys.stderr, flush=True)
    raise SystemExit(128 + signum)  # unwinds through every finally: the servers are stopped on the way out


def request(port, path, timeout):
    """One GET on a connection of its own: (status, headers). Raises OSError or HTTPException."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


def answer(port, path, seconds):
    """The first answer to GET `path` within `seconds`, however many tries that takes: (status, headers)."""
    deadline = time.monotonic() + seconds
    while True:
        for process in RUNNING:
            if process.poll() is not None:
                name = Path(process.args[0]).name
                raise Failed(f"{name} exited with status {process.returncode} (its messages are above)")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Failed(f"gunicorn gave no answer to {path} on port {port} within {seconds:g} s")
        try:
            return request(port, path, timeout=min(30.0, remaining))
        except (OSError, http.client.HTTPException):
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def start_server(env, port, start_timeout):
    refuse_taken_port(port)
    server = start(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "iplus.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=sync",
            "--timeout=120",
            "--graceful-timeout=5",
            "--log-level=warning",
        ],
        env=env,
    )
    status, _ = answer(port, YARDSTICK, start_timeout)
    if status != 200:
        raise Failed(f"gunicorn answered {YARDSTICK} with HTTP {status}, not the static file")
    return server


def start_redis(port, start_timeout):
    """An empty redis-server of the bench's own, in memory only: each scale starts with no stored page."""
    if not shutil.which("redis-server"):
        raise Failed("--redis needs redis-server (apt-get install -y redis-server)")
    refuse_taken_port(port)
    server = start(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + start_timeout
    while True:
        if server.poll() is not None:
            raise Failed(f"redis-server exited with status {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                raise Failed(f"redis-server gave no answer on port {port} within {start_timeout:g} s") from None
            time.sleep(0.1)


def run(command, **kwargs):
    try:
        return subprocess.run(command, cwd=ROOT, check=True, **kwargs)
    except subprocess.CalledProcessError as error:
        shown = " ".join(str(part) for part in command[:3])
        raise Failed(f"{shown} ... failed with status {error.returncode}{': ' + error.stderr if error.stderr else ''}") from None


# Content ---------------------------------------------------------------------------------------------


def environment(database, cache_dir, page_cache=True, redis_url=None):
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
        "BENCH_CACHE_DIR": str(cache_dir),
        **({"REDIS_URL": redis_url} if redis_url else {}),
    }


def manage(env, *args):
    run([PYTHON, "manage.py", *args], env=env)


def unusable(database, critiques):
    """Why an existing, migrated database cannot serve this scale; None when it can."""
    try:
        db = sqlite3.connect(database)
        try:
            count = db.execute("SELECT count(*) FROM critiques_critique WHERE slug LIKE ?", [f"{PREFIX}%"]).fetchone()[0]
            unrendered = db.execute("SELECT count(*) FROM critiques_critique WHERE argument_html = ''").fetchone()[0]
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        return f"unreadable ({error})"
    if count != critiques:
        return f"it holds {count:,} synthetic critiques"
    if unrendered:
        return f"{unrendered:,} critiques have no stored HTML (made before Markdown was rendered at save)"
    return None


def prepare_database(args, critiques, redis_url):
    """var/bench-<critiques>.sqlite3, migrated and filled; a database is only ever there complete."""
    database = VAR / f"bench-{critiques}.sqlite3"
    cache_dir = VAR / f"bench-{critiques}-cache"  # pages of one scale never answer for another
    env = environment(database, cache_dir, not args.no_page_cache, redis_url)
    reason = "--regenerate" if args.regenerate else None if database.exists() else "none yet"
    if reason is None:
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        reason = unusable(database, critiques)
    if reason is None:
        db = sqlite3.connect(database)
        db.execute("ANALYZE")  # as generate_content left it: statistics of every index, those migrations added too
        db.close()
        return database, env
    print(f"bench: a new {database.relative_to(ROOT)} ({reason})", flush=True)
    partial = database.with_suffix(".partial")
    for path in (database, partial):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    partial_env = environment(partial, cache_dir, not args.no_page_cache, redis_url)
    manage(partial_env, "migrate", "--no-input", "--verbosity", "0")
    sectors, sources = max(10, critiques // 100), max(100, critiques // 10)
    print(f"generating {critiques:,} critiques, {sectors:,} sectors, {sources:,} sources", flush=True)
    manage(partial_env, "generate_content", f"--critiques={critiques}", f"--sectors={sectors}", f"--sources={sources}")
    db = sqlite3.connect(partial)
    db.execute("PRAGMA journal_mode=DELETE")  # the write-ahead log folded in: one file to rename
    db.close()
    partial.replace(database)
    return database, env


def prepare_static(env):
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    yardstick = ROOT / "staticfiles" / YARDSTICK.removeprefix("/static/")
    yardstick.parent.mkdir(parents=True, exist_ok=True)
    yardstick.write_text(("Internet Plus yardstick, 20 KB of static text served by whitenoise.\n" * 400)[: 20 * 1024])


def read_through(database):
    """Read the database file once, so the measured requests find it in the OS cache as a serving machine
    would, not on disk (this machine's kernel reclaims idle file pages within minutes)."""
    with open(database, "rb") as db:
        while db.read(16 * 1024 * 1024):
            pass


def pages(database):
    """The pages to measure: name -> (path, file of paths walked in cold mode or None)."""
    db = sqlite3.connect(database)
    published = db.execute("SELECT count(*) FROM critiques_critique WHERE status = 'published'").fetchone()[0]
    sector = db.execute("SELECT slug FROM sectors_sector WHERE status = 'published' ORDER BY position, name LIMIT 1").fetchone()[0]
    slugs = [row[0] for row in db.execute("SELECT slug FROM critiques_critique WHERE status = 'published' ORDER BY id LIMIT 20000")]
    db.close()
    walk = VAR / f"bench-slugs-{database.stem}.txt"
    walk.write_text("".join(f"/critiques/{slug}/\n" for slug in slugs))
    deep = min(MAX_PAGES, math.ceil(published / PER_PAGE))  # the deepest page a list shows
    return {
        "home": ("/", None),
        "sector list": ("/sectors/", None),
        "critique list": ("/critiques/", None),
        "filtered list": (f"/critiques/?category=censorship&sector={sector}", None),
        "search": (f"/search/?q={SEARCH_TERM}", None),
        "Chinese search": (f"/zh-hans/search/?q={quote(SEARCH_TERM_ZH)}", None),
        "detail": (f"/critiques/{slugs[0]}/", walk),
        "deep page": (f"/critiques/?page={deep}", None),
        "timeline": ("/timeline/", None),
    }


def cold_url(path, tag):
    return f"{path}{'&' if '?' in path else '?'}_bench={tag}"


# Measuring -------------------------------------------------------------------------------------------


def count_queries(env, urls):
    output = run([PYTHON, "-m", "bench.queries", *urls], env=env, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def settle(port):
    """Wait until the workers have answered what wrk left queued (their answers wrk no longer reads)."""
    for _ in range(4):
        answer(port, YARDSTICK, 300)


def cacheable(headers):
    """Cache-Control with a max-age above 0 and without "private": what the page cache stores (the guard
    marks what it must not store with add_never_cache_headers, max-age=0 and private)."""
    control = headers.get("Cache-Control", "")
    max_age = re.search(r"max-age=(\d+)", control)
    return bool(max_age and int(max_age.group(1)) > 0 and "private" not in control)


def stored(port, path):
    """Request the page twice: (whether the second answer says the page cache may keep it, a note when the
    two answers disagree). A page served from the cache carries the headers of the answer that was stored."""
    _, first = answer(port, path, 300)
    _, second = answer(port, path, 300)
    if cacheable(first) and not cacheable(second):
        return False, f"stored, but the next answer says {second.get('Cache-Control')!r}"
    return cacheable(second), "" if cacheable(second) else "not stored by the page cache"


def warm_up(args, measured, database):
    """A short cold wrk run over every page, so that both workers have loaded each page's code and templates
    before anything is timed."""
    walk = VAR / f"bench-pages-{database.stem}.txt"
    walk.write_text("".join(f"{path}\n" for path, _ in measured.values()))
    wrk_once(args, args.port, "/", "cold", walk, duration=2)


def wrk(args, port, path, mode, walk=None):
    """The best of `args.repeat` runs (the most requests/s); a later cold walk starts further on."""
    runs = [wrk_once(args, port, path, mode, walk, start=n * 5_000) for n in range(args.repeat)]
    return max(runs, key=lambda figures: figures["rps"])


def wrk_once(args, port, path, mode, walk=None, start=0, duration=None):
    duration = duration or args.duration
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout=10s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
        f"http://127.0.0.1:{port}{path}",
        "--",
        mode,
    ]
    if walk:
        command += [str(walk), str(start)]
    try:
        output = run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    except subprocess.TimeoutExpired:
        raise Failed(f"wrk ran {duration + 60} s on {path} instead of {duration}") from None
    settle(port)
    try:
        result = json.loads(output.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise Failed(f"wrk printed no figures for {path}: {output[-500:]!r}") from None
    seconds = result["duration_us"] / 1e6
    return {
        "rps": result["requests"] / seconds if seconds else 0.0,
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["non2xx"] + result["socket_errors"],
    }


def measure_scale(args, critiques):
    redis_port = args.port + 1
    redis = start_redis(redis_port, args.start_timeout) if args.redis else None
    try:
        return measure_scale_with(args, critiques, redis and f"redis://127.0.0.1:{redis_port}/0")
    finally:
        if redis:
            stop(redis)


def measure_scale_with(args, critiques, redis_url):
    database, env = prepare_database(args, critiques, redis_url)
    read_through(database)
    shutil.rmtree(env["BENCH_CACHE_DIR"], ignore_errors=True)
    measured = pages(database)
    queries = count_queries(env, [path for path, _ in measured.values()])
    shutil.rmtree(env["BENCH_CACHE_DIR"], ignore_errors=True)  # what the test client stored
    server = start_server(env, args.port, args.start_timeout)
    results = {"critiques": critiques, "pages": {}}
    try:
        warm_up(args, measured, database)
        results["static"] = wrk(args, args.port, YARDSTICK, "warm")
        static = results["static"]["rps"]
        print(
            f"\n{critiques:,} critiques: static file {static:,.0f} requests/s "
            f"(each figure the best of {args.repeat} wrk run{'s' if args.repeat > 1 else ''} of {args.duration} s)",
            flush=True,
        )
        print(f"{'page':<16}{'mode':<6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'ratio':>8}  url")
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
            # Also primes the page: warm means repeat requests, not 16 first misses at once.
            entry["stored"], entry["stored_note"] = stored(args.port, path)
            slow = min(counted["seconds"], counted["seconds_again"]) > TOO_SLOW
            for mode in ("warm", "cold"):
                shown = counted["warm"] if mode == "warm" else queries_shown(counted)
                note = f" ({entry['stored_note']})" if mode == "warm" and entry["stored_note"] else ""
                if slow and not (mode == "warm" and entry["stored"]):
                    # wrk would queue minutes of work; one request tells enough (two workers: twice its rate).
                    seconds = min(counted["seconds"], counted["seconds_again"])
                    figures = {"rps": 2 / seconds, "p50_ms": seconds * 1000, "p99_ms": seconds * 1000, "errors": 0, "estimated": True}
                    figures["ratio"] = figures["rps"] / static
                    entry[mode] = figures
                    print(
                        f"{name:<16}{mode:<6}{figures['rps']:>9,.2f}{seconds * 1000:>9.0f}{'':>9}{shown:>9}{figures['ratio']:>8.4f}  "
                        f"{path}: one request took {seconds:.1f} s, so not run with wrk{note}"
                    )
                    continue
                figures = wrk(args, args.port, path, mode, walk=walk if mode == "cold" else None)
                figures["ratio"] = figures["rps"] / static if static else 0.0
                entry[mode] = figures
                errors = f" ({figures['errors']} errors)" if figures["errors"] else ""
                print(
                    f"{name:<16}{mode:<6}{figures['rps']:>9,.0f}{figures['p50_ms']:>9.1f}{figures['p99_ms']:>9.1f}"
                    f"{shown:>9}{figures['ratio']:>8.2f}  {path}{errors}{note}",
                    flush=True,
                )
    finally:
        stop(server)
    return results


def queries_shown(counted):
    """A cold request's queries; "first/second" when a second cold request made a different number."""
    if counted["cold"] == counted["cold_again"]:
        return str(counted["cold"])
    return f"{counted['cold']}/{counted['cold_again']}"


# The verdict -----------------------------------------------------------------------------------------


def figure(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"


def summarise(runs):
    """Print the growth, queries and targets; return the summary figures (None where not measured)."""
    by_scale = {scale["critiques"]: scale for scale in runs}
    names = list(dict.fromkeys(name for scale in runs for name in scale["pages"]))
    missing = sorted({f"{name} at {scale['critiques']:,}" for scale in runs for name, page in scale["pages"].items() if "warm" not in page})

    warm = [(page["warm"]["ratio"], name, scale["critiques"]) for scale in runs for name, page in scale["pages"].items() if "warm" in page]
    warm_min = min(warm, default=None)
    cold_min = {}
    for critiques in COLD_TARGETS:
        scale = by_scale.get(critiques)
        if scale:
            cold_min[critiques] = min(
                ((page["cold"]["ratio"], name) for name, page in scale["pages"].items() if "cold" in page), default=None
            )

    growth = {}
    small, large = by_scale.get(GROWTH_FROM), by_scale.get(GROWTH_TO)
    if small and large:
        print(
            f"\ngrowth from {GROWTH_FROM:,} to {GROWTH_TO:,} critiques "
            "(slowdown of each page's ratio to the static file, worst of warm and cold):"
        )
        for name in names:
            before, after = small["pages"].get(name, {}), large["pages"].get(name, {})
            if "cold" in before and "cold" in after:
                growth[name] = max(
                    before[mode]["ratio"] / after[mode]["ratio"] if after[mode]["ratio"] else math.inf for mode in ("warm", "cold")
                )
                print(f"  {name:<16}{growth[name]:>7.2f}x")
    growth_max = max(growth.items(), key=lambda item: item[1], default=None)

    print(f"\nqueries per cold request (first/second where they differ), at {', '.join(f'{s:,}' for s in by_scale)} critiques:")
    counts = {}
    for name in names:
        counts[name] = [
            (scale["pages"][name]["queries"], scale["pages"][name]["queries_again"]) for scale in runs if name in scale["pages"]
        ]
        shown = "  ".join(f"{first}/{again}" if first != again else str(first) for first, again in counts[name])
        print(f"  {name:<16}{shown}")
    all_counts = [n for pairs in counts.values() for pair in pairs for n in pair]
    queries_max = max(all_counts, default=None)
    varying = [name for name, pairs in counts.items() if len(set(pairs)) > 1]

    verdicts = []
    if warm_min is None:
        verdicts.append(("not measured", f"warm: every page >= {WARM_TARGET} of the static file", ""))
    else:
        ratio, name, critiques = warm_min
        met = ratio >= WARM_TARGET and not missing
        verdicts.append(
            ("met" if met else "MISSED", f"warm: every page >= {WARM_TARGET} of the static file", f"{ratio:.2f} ({name}, {critiques:,})")
        )
    for critiques, target in COLD_TARGETS.items():
        label = f"cold at {critiques:,}: every page >= {target}"
        if cold_min.get(critiques) is None:
            verdicts.append(("not measured", label, ""))
        else:
            ratio, name = cold_min[critiques]
            met = ratio >= target and not any(item.endswith(f" at {critiques:,}") for item in missing)
            verdicts.append(("met" if met else "MISSED", label, f"{ratio:.2f} ({name})"))
    label = f"growth: no page more than {GROWTH_TARGET:g}x slower at {GROWTH_TO:,} than at {GROWTH_FROM:,}"
    if growth_max is None:
        verdicts.append(("not measured", label, ""))
    else:
        verdicts.append(("met" if growth_max[1] <= GROWTH_TARGET else "MISSED", label, f"{growth_max[1]:.2f}x ({growth_max[0]})"))
    largest = by_scale[max(by_scale)] if by_scale else {"pages": {}}
    english, chinese = (largest["pages"].get(name, {}).get("cold") for name in ("search", "Chinese search"))
    label = f"search in Chinese: cold within {CHINESE_SEARCH_TARGET:g}x of the English search, at {max(by_scale, default=0):,}"
    if not (english and chinese and chinese["ratio"]):
        verdicts.append(("not measured", label, ""))
    else:
        slower = english["ratio"] / chinese["ratio"]
        verdicts.append(("met" if slower <= CHINESE_SEARCH_TARGET else "MISSED", label, f"{slower:.2f}x"))
    label = f"queries: constant across scales and <= {QUERIES_TARGET}"
    if queries_max is None:
        verdicts.append(("not measured", label, ""))
    elif queries_max > QUERIES_TARGET or varying:
        verdicts.append(("MISSED", label, f"max {queries_max}" + (f"; varies: {', '.join(varying)}" if varying else "")))
    elif len(runs) < 2:
        verdicts.append(("not measured", label, f"max {queries_max}; one scale, so constancy is not measured"))
    else:
        verdicts.append(("met", label, f"{min(all_counts)}-{queries_max}"))

    print("\ntargets:")
    for state, label, result in verdicts:
        print(f"  {state:<13}{label}{': ' + result if result else ''}")
    if missing:
        print(f"  not measured (not HTTP 200): {', '.join(missing)}")
    return {
        "warm_min": warm_min and warm_min[0],
        "cold_min": {str(critiques): value and value[0] for critiques, value in cold_min.items()},
        "growth": growth,
        "growth_max": growth_max and growth_max[1],
        "queries_max": queries_max,
        "missing": missing,
        "targets": [{"target": label, "state": state, "result": result} for state, label, result in verdicts],
    }


def summary_line(summary):
    cold = {int(critiques): value for critiques, value in summary["cold_min"].items()}
    growth = "n/a" if summary["growth_max"] is None else f"{summary['growth_max']:.2f}x"
    queries = "n/a" if summary["queries_max"] is None else summary["queries_max"]
    return (
        f"bench: warm min {figure(summary['warm_min'])}, cold min {figure(cold.get(10_000))} at 10k, "
        f"{figure(cold.get(100_000))} at 100k; growth max {growth}; queries max {queries}"
    )


def measure(args):
    if not shutil.which("wrk"):
        raise Failed("wrk is missing; install it with: apt-get install -y wrk")
    refuse_taken_port(args.port)
    if args.redis:
        refuse_taken_port(args.port + 1)
    VAR.mkdir(exist_ok=True)
    started, date = time.monotonic(), time.strftime("%Y-%m-%d %H:%M %Z")
    prepare_static(environment(VAR / "bench-static.sqlite3", VAR / "bench-static-cache"))  # touches neither
    runs = [measure_scale(args, critiques) for critiques in args.scales]
    summary = summarise(runs)
    args.json.write_text(
        json.dumps(
            {
                "date": date,
                "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
                "wrk": {"duration": args.duration, "repeat": args.repeat, "connections": args.connections, "threads": args.threads},
                "page_cache": "off" if args.no_page_cache else "redis" if args.redis else "files",
                "scales": runs,
                "summary": summary,
            },
            indent=1,
        )
    )
    print(f"\nfigures written to {args.json}; {(time.monotonic() - started) / 60:.1f} minutes")
    print(summary_line(summary))


def main(argv=None):
    args = parse_args(argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    try:
        measure(args)
    except Failed as error:
        raise SystemExit(f"bench: {error}") from None
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the stopping short
        while RUNNING:
            stop(RUNNING[-1])


if __name__ == "__main__":
    main()
