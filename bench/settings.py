"""The site's own settings, plus a page cache every gunicorn worker shares when none is configured."""

import os

from iplus.settings import *  # noqa: F403
from iplus.settings import BASE_DIR, MIDDLEWARE

# The baseline: the same site without its page cache.
if os.environ.get("BENCH_PAGE_CACHE") == "0":
    MIDDLEWARE = [name for name in MIDDLEWARE if name != "iplus.pagecache.PageCacheMiddleware"]

# The site's settings fall back on a file cache in var/cache: the bench keeps one per database instead,
# so that counts and pages of one scale never answer for the other. REDIS_URL, when set, is used as is.
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "iplus.cache.FileCache",
            "LOCATION": os.environ.get("BENCH_CACHE_DIR", BASE_DIR / "var" / "bench-cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
