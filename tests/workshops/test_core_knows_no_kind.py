"""The core of Convene names no activity kind: it imports none, and its code, templates and
static files mention no kind, no kind's events and no kind's URLs. Kinds plug in through the
registry (intersector/workshops/activities); removing one leaves the core untouched."""

import ast
import re
from pathlib import Path

from django.conf import settings

from intersector.workshops import activities

WORKSHOPS = Path(activities.__file__).resolve().parent.parent
CORE_PYTHON = [
    *WORKSHOPS.glob("*.py"),
    *WORKSHOPS.glob("templatetags/*.py"),
    *(WORKSHOPS / "activities" / name for name in ("__init__.py", "base.py", "actions.py")),
]
CORE_FILES = [*CORE_PYTHON, *WORKSHOPS.glob("templates/**/*.*"), *WORKSHOPS.glob("static/**/*.*")]


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_the_core_is_what_this_test_reads():
    names = {path.name for path in CORE_FILES}
    assert {"models.py", "services.py", "views.py", "public_views.py", "reports.py", "starter.py",
            "convene.py", "console.html", "projector.html", "screen.html", "console.js", "phone.js"} <= names
    assert len(activities.all_kinds()) >= 5  # the site's kinds and the tests' own


def test_the_core_imports_no_kind():
    kind_modules = tuple(settings.CONVENE_KINDS)
    for path in CORE_PYTHON:
        for module in imported_modules(path):
            assert not module.startswith(kind_modules), f"{path.name} imports {module}"


def test_the_core_names_no_kind_and_none_of_their_events():
    words = {activity.kind for activity in activities.all_kinds()}
    events = {event for activity in activities.all_kinds()
              for event in (*activity.board_events, *activity.phone_events)}
    word = re.compile(r"(?<![\w-])(%s)(?![\w-])" % "|".join(map(re.escape, sorted(words))), re.IGNORECASE)
    for path in CORE_FILES:
        text = path.read_text(encoding="utf-8")
        found = word.search(text)
        assert found is None, f"{path.relative_to(WORKSHOPS)} names the kind {found.group(0)!r}"
        for event in events:
            assert event not in text, f"{path.relative_to(WORKSHOPS)} knows the event {event!r}"
