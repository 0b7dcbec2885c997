"""The site's settings for `make bench`: the bench app (generate_content) and a pages cache per database.

BENCH_CACHE_DIR: the pages cache's directory (bench/run.py gives each database its own, so pages of one
scale never answer for another); not used when REDIS_URL is set. BENCH_PAGE_CACHE=0: the site without
its page cache (both cache middlewares and their guard removed), the baseline.
"""

import os

from iplus.settings import *  # noqa: F403
from iplus.settings import BASE_DIR, CACHES, INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

if os.environ.get("BENCH_PAGE_CACHE") == "0":
    page_cache = {
        "django.middleware.cache.UpdateCacheMiddleware",
        "iplus.middleware.PageCacheGuard",
        "django.middleware.cache.FetchFromCacheMiddleware",
    }
    MIDDLEWARE = [name for name in MIDDLEWARE if name not in page_cache]

if not os.environ.get("REDIS_URL"):
    location = os.environ.get("BENCH_CACHE_DIR", str(BASE_DIR / "var" / "bench-cache"))
    CACHES = {**CACHES, "pages": {**CACHES["pages"], "LOCATION": location}}
