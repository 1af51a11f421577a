"""Small bundles of our own CSS and JavaScript written into the page itself.

A phone on a slow network (Slow 3G: 400 ms a round trip) pays one round trip for the page and a
second one for its style sheet and scripts; written into the page, the first load is one round
trip. The site's Content-Security-Policy lists each bundle's sha256 (see intersector.middleware),
so exactly these blocks may run inline and nothing else: no 'unsafe-inline'.
"""

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# Comments are for the people who read the files, not for every phone that loads the page. In
# scripts only whole-line comments go (a "//" inside a line may be in a string).
CSS_COMMENT = re.compile(r"/\*.*?\*/\n?", re.S)
SCRIPT_COMMENT = re.compile(r"^[ \t]*(//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/[ \t]*)\n", re.M)

# name -> (kind, static files in order); a callable gives the files when first needed.
BUNDLES = {
    "phone.css": ("style", lambda: ["workshops/phone.css", *_activity_styles()]),
    "phone.js": ("script", lambda: ["live/live.js", "workshops/timer.js", "workshops/phone.js", *_activity_scripts()]),
}


def _activity_styles():
    """Convene's activity kinds' styles for the phone and the projector (Activity.phone_styles)."""
    from intersector.workshops.activities import phone_styles

    return phone_styles()


def _activity_scripts():
    """Convene's activity kinds' phone scripts (Activity.phone_scripts), after the core's."""
    from intersector.workshops.activities import phone_scripts

    return phone_scripts()


def _read(path):
    found = finders.find(path) or staticfiles_storage.path(path)
    return Path(found).read_text(encoding="utf-8")


@cache
def bundle(name):
    """(text, sha256 in base64) of a bundle, read once per process."""
    kind, paths = BUNDLES[name]
    paths = paths() if callable(paths) else paths
    text = "\n".join(_read(path) for path in paths)
    text = (CSS_COMMENT if kind == "style" else SCRIPT_COMMENT).sub("", text)
    if kind == "script":
        text = text.replace("</", "<\\/")  # so no "</script>" ends the block early
    elif "</" in text:
        raise ValueError(f"{name} contains '</', which would end its <style> block early.")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, digest


def sources(kind):
    """The CSP sources ('sha256-...') of every bundle of this kind ('script' or 'style')."""
    return " ".join(f"'sha256-{bundle(name)[1]}'" for name, (k, _paths) in BUNDLES.items() if k == kind)
