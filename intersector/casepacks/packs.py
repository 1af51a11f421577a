"""A case pack: the case everyone reads, the confidential roles, and how the simulation runs.

`load(text)` reads a pack file (YAML, format in docs/case-packs.md) and returns a `CasePack`,
or raises `CasePackError` whose `problems` are plain sentences naming the line and field.
`export(pack)` writes the same format back; loading the export gives the same pack.
Plain Python: no database; the scorecard's element keys come from content/ unless given.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from intersector.agreements import scorecard as sc
from intersector.casepacks import yamlfile
from intersector.refusals import Refused

FORMAT = "intersector-case-pack/1"
SECTORS = ["government", "business", "non-profit"]
PHASE_KEYS = ["read", "choose-families", "negotiate", "present"]
DEFAULT_MINUTES = {"read": 10, "choose-families": 5, "negotiate": 25, "present": 10}
# Limits: a pack is read on phones in a ten-minute reading phase and kept in the database.
MAX_FILE_BYTES = 512 * 1024
MAX_BRIEF_WORDS = 1200       # about two printed pages
MAX_TEXT_CHARS = 20_000      # one background section, guide section or brief
MAX_LINE_CHARS = 300         # titles, names, single items
MAX_ROLES = 60
MAX_ITEMS = 40               # sections, questions, must-get items...
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


def common_debrief():
    """The six usual debrief questions (feelings, events, lessons, real world, what if, next)."""
    return [
        Question("feel", _("How do you feel now that the negotiation is over?")),
        Question("happened", _("What happened at your table? Which moments changed the talks?")),
        Question("learned", _("What did you learn about working with the other sectors?")),
        Question("real-world", _("Where have you met this in your own partnerships?")),
        Question("what-if", _("What would have changed if one thing had been different, for "
                              "example more time, another chair or one partner fewer?")),
        Question("next", _("What will you do differently in the next agreement you help write?")),
    ]


def default_phases():
    titles = {"read": _("Read the case and your role"),
              "choose-families": _("Choose the question families"),
              "negotiate": _("Negotiate the agreement"),
              "present": _("Prepare what you will present")}
    return [Phase(key, titles[key], DEFAULT_MINUTES[key]) for key in PHASE_KEYS]


@dataclass
class Item:
    """One thing a role must get, can give or will not accept, tied to a scorecard element.

    A must-get may name, in `against`, the roles with a red line on the same element that it
    runs into: that is what gives a table something real to negotiate (see `tensions`).
    """
    text: str
    element: str = ""
    against: list = field(default_factory=list)


@dataclass
class Role:
    key: str
    name: str
    organisation: str
    sector: str
    interest_group: str
    brief: str
    elements: list
    must_get: list
    can_give: list
    red_lines: list
    focus: str = ""


@dataclass
class Section:
    heading: str
    text: str


@dataclass
class InterestGroup:
    key: str
    name: str
    description: str = ""


@dataclass
class Phase:
    key: str
    title: str
    minutes: int
    instructions: str = ""


@dataclass
class Question:
    key: str
    question: str


@dataclass
class ResultField:
    key: str
    label: str
    help: str = ""


@dataclass
class CasePack:
    key: str
    version: int
    language: str
    title: str
    summary: str
    source: str
    licence: str
    background: list
    interest_groups: list
    roles: list
    phases: list
    families_min: int
    families_max: int
    facilitator_guide: list
    debrief: list
    results_intro: str
    results_fields: list = field(default_factory=list)

    def role(self, key):
        return next((role for role in self.roles if role.key == key), None)

    @property
    def minutes(self):
        return sum(phase.minutes for phase in self.phases)


class CasePackError(Refused):
    """The file is not a usable case pack; `problems` lists every reason found, in file order."""

    def __init__(self, problems, status=400):
        self.problems = list(problems)
        intro = _("This case pack cannot be used yet:") if len(self.problems) > 1 else ""
        message = "\n".join([intro] + self.problems) if intro else self.problems[0]
        super().__init__(message, status=status, title=_("The case pack has problems"))


@lru_cache(maxsize=8)
def _elements_in(path, mtime):
    data = yamlfile.parse(Path(path).read_text(encoding="utf-8"))
    card = sc.Scorecard(sc.validate(data))
    return tuple(card.elements)


def scorecard_elements(content_dir=None):
    """Element keys of the scorecard shipped in content/agreements/scorecard.yaml, in order."""
    if content_dir is None:
        try:
            from django.conf import settings
            content_dir = getattr(settings, "CONTENT_DIR", None)
        except Exception:  # settings not configured: a plain script
            content_dir = None
    path = Path(content_dir or DEFAULT_CONTENT_DIR) / "agreements" / "scorecard.yaml"
    return list(_elements_in(str(path), path.stat().st_mtime_ns))


# --- Reading ----------------------------------------------------------------------------------


def load_file(path, **options):
    return load(Path(path).read_bytes(), **options)


def load(text, *, element_keys=None):
    """Read a pack file (str or bytes). Raises CasePackError with every problem found."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise _too_large(len(text))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise CasePackError([_("The file is not UTF-8 text. Save it as UTF-8 (plain text) "
                                   "and try again.")]) from None
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise _too_large(len(text.encode("utf-8")))
    try:
        data = yamlfile.parse(text)
    except yamlfile.YamlProblem as problem:
        raise CasePackError([_yaml_message(problem)]) from None
    return validate(data, element_keys=element_keys)


def _too_large(size):
    return CasePackError([_("The file is %(size)s KB; a case pack may be at most %(limit)s KB.")
                          % {"size": -(-size // 1024), "limit": MAX_FILE_BYTES // 1024}], status=413)


def _yaml_message(problem):
    if problem.kind == "alias":
        text = _("the file uses a YAML alias (*name). Write each text out in full instead.")
    elif problem.kind == "duplicate":
        text = _("the field '%(field)s' appears twice in the same place; keep one.") % {
            "field": problem.detail}
    elif problem.kind == "tag":
        text = _("the file uses a YAML tag (!!...), which case packs do not allow. Write plain "
                 "text, numbers and lists.")
    elif problem.kind == "depth":
        text = _("the file is nested too deeply to be a case pack.")
    else:
        text = _("this is not readable YAML (%(detail)s). Check the indentation and that "
                 "texts containing a colon are in quotes.") % {"detail": problem.detail}
    if problem.line:
        return _("Line %(line)s: %(problem)s") % {"line": problem.line, "problem": text}
    return text[:1].upper() + text[1:]


def validate(data, *, element_keys=None):
    """Check parsed pack data and build a CasePack; raises CasePackError."""
    from intersector.casepacks.checks import Checker

    known = list(element_keys) if element_keys is not None else scorecard_elements()
    checker = Checker(known)
    pack = checker.pack(data)
    if checker.problems:
        raise CasePackError(checker.problems)
    return pack


def suggest(word, choices):
    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None


# --- Writing ----------------------------------------------------------------------------------


def _items(items):
    found = []
    for item in items:
        data = {"element": item.element} if item.element else {}
        data["text"] = item.text
        if item.against:
            data["against"] = list(item.against)
        found.append(data)
    return found


def _role(role):
    data = {"key": role.key, "name": role.name, "organisation": role.organisation,
            "sector": role.sector, "interest_group": role.interest_group}
    if role.focus:
        data["focus"] = role.focus
    data.update({"elements": list(role.elements), "brief": role.brief,
                 "must_get": _items(role.must_get), "can_give": _items(role.can_give),
                 "red_lines": _items(role.red_lines)})
    return data


def _drop_empty(data, *names):
    for name in names:
        if not data.get(name):
            data.pop(name, None)
    return data


def to_data(pack):
    """The pack as plain data in the file's field order."""
    return {
        "format": FORMAT, "key": pack.key, "version": pack.version, "language": pack.language,
        "title": pack.title, "summary": pack.summary, "source": pack.source,
        "licence": pack.licence,
        "background": [{"heading": s.heading, "text": s.text} for s in pack.background],
        "interest_groups": [_drop_empty({"key": g.key, "name": g.name,
                                         "description": g.description}, "description")
                            for g in pack.interest_groups],
        "roles": [_role(role) for role in pack.roles],
        "phases": [_drop_empty({"key": p.key, "title": p.title, "minutes": p.minutes,
                                "instructions": p.instructions}, "instructions")
                   for p in pack.phases],
        "families": {"min": pack.families_min, "max": pack.families_max},
        "facilitator_guide": [{"heading": s.heading, "text": s.text}
                              for s in pack.facilitator_guide],
        "debrief": [{"key": q.key, "question": q.question} for q in pack.debrief],
        "results_template": {
            "intro": pack.results_intro,
            "fields": [_drop_empty({"key": f.key, "label": f.label, "help": f.help}, "help")
                       for f in pack.results_fields]},
    }


HEADER = ("# Intersector case pack. The format is described in docs/case-packs.md.\n"
          "# Role briefs are confidential: share this file only with facilitators.\n")


def export(pack):
    """The pack as a YAML file's text, in the format `load` reads."""
    return HEADER + yamlfile.dump(to_data(pack))


# --- What makes the negotiation real ----------------------------------------------------------


@dataclass(frozen=True)
class Tension:
    """`wants` must get something on `element` that runs into `refuses`' red lines there."""
    element: str
    wants: str
    refuses: str
    wants_text: str
    refuses_texts: tuple    # the refusing role's red lines on that element


def tensions(pack, role_keys=None):
    """Where roles pull against each other: a must-get of one role that names, in `against`,
    another role with a red line on the same element. One Tension per (must-get, role named).

    `role_keys` limits it to the roles in play (a table's cast). Ordered as in the pack.
    """
    keys = None if role_keys is None else set(role_keys)
    roles = {r.key: r for r in pack.roles if keys is None or r.key in keys}
    found = []
    for wants in roles.values():
        for item in wants.must_get:
            for other in item.against:
                refuses = roles.get(other)
                lines = tuple(line.text for line in (refuses.red_lines if refuses else [])
                              if line.element == item.element)
                if lines:
                    found.append(Tension(item.element, wants.key, refuses.key, item.text, lines))
    return found
