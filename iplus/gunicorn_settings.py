"""gunicorn's settings for `make run` and production: `gunicorn iplus.wsgi --config python:iplus.gunicorn_settings`.

Options on the command line override these.
"""

# Threads: a stalled client holds one thread for about 5 s (then gthread hands the connection back to its poller),
# not a whole worker. Two stalled connections stopped two sync workers until they timed out; with 4 threads a
# worker, 8 stalled connections delayed a page by 9.5 s, with 8 threads not at all (python -m bench.slow_clients).
worker_class = "gthread"
workers = 2
threads = 8
# A request still running after this long is cut off and its worker restarted.
timeout = 30
graceful_timeout = 20
# An idle kept-alive connection is closed after this long.
keepalive = 5
# Long filter URLs: gunicorn's default refuses request lines over 4,094 bytes with a 414.
limit_request_line = 8190
