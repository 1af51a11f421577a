"""Loaded by pytest (`-p tests.env`) before Django's settings: the tests' own environment.

Tests never read the developer's .env, so they see the production defaults a fresh clone has.
"""

import os
import secrets
from pathlib import Path

os.environ.setdefault("INTERSECTOR_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-" + secrets.token_urlsafe(40))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Tests serve static files from the apps' folders; no collectstatic manifest is needed.
os.environ.setdefault("STATIC_MANIFEST", "false")
# WhiteNoise warns when the collectstatic folder is missing, as it is on a fresh clone.
(Path(__file__).resolve().parent.parent / "staticfiles").mkdir(exist_ok=True)
# A kind that exists only for the tests (tests/workshops/tally), added the way a site adds its own.
os.environ.setdefault("CONVENE_EXTRA_KINDS", "tests.workshops.tally")
