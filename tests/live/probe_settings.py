"""Test-only settings: the site plus probe URLs that publish and stream live events.

Used by the uvicorn processes that tests/live and bench/bench_live.py start; never in production.
"""

import os

from intersector.settings import *  # noqa: F403
from intersector.settings import STORAGES

ROOT_URLCONF = "tests.live.probe_urls"
# Each test session uses its own Redis key prefix, so it never touches anyone else's keys.
LIVE_REDIS_PREFIX = os.environ.get("LIVE_REDIS_PREFIX", "intersector:live:")
# Serve live.js straight from the app folder: the probe page needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
