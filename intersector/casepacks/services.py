"""Case packs in the database: store an imported or starter pack, check what staff typed in
/cms/, and lay a pack out as the form's rows.

Every pack stored is checked with `casepacks.validate`, and `data` is always `to_data(pack)`:
downloading gives exactly what `export(pack)` writes. The version goes up by one whenever the
content changes (an edit in /cms/, or an import that replaces the pack).
"""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from intersector.casepacks import packs as p
from intersector.casepacks.models import (
    BackgroundSection, DebriefQuestion, GuideSection, InterestGroup, Phase, ResultField, Role,
    StoredPack,
)
from intersector.refusals import Refused

ITEM = re.compile(r"^(?P<element>[a-z0-9]+(?:-[a-z0-9]+)*)\s*:\s*(?P<text>.*)$")
AGAINST = re.compile(r"\s*\[\s*against\s*:\s*(?P<keys>[^\]]*)\]\s*$", re.IGNORECASE)
ITEM_FIELDS = ("must_get", "can_give", "red_lines")


class PackExists(Refused):
    """An import of a key and language already stored, without saying to replace it."""

    def __init__(self, stored):
        self.stored = stored
        super().__init__(_("There is already a pack '%(key)s' in '%(language)s' (version "
                           "%(version)s). Tick 'Replace it' to replace it; its version will go "
                           "up to %(next)s.") % {"key": stored.key, "language": stored.language,
                                                 "version": stored.version,
                                                 "next": stored.version + 1}, status=409)


# --- Items as lines: "finances: Money kept in the city's books. [against: chamber]" -----------


def item_line(item):
    line = f"{item.element}: {item.text}" if item.element else item.text
    line = " ".join(line.split("\n"))
    if item.against:
        line += f" [against: {', '.join(item.against)}]"
    return line


def items_text(items):
    return "\n".join(item_line(item) for item in items)


def items_data(text):
    """One item per non-empty line, as the file format writes it."""
    found = []
    for line in _plain(text).split("\n"):
        line = line.strip()
        if not line:
            continue
        item = {}
        against = AGAINST.search(line)
        if against:
            line = line[:against.start()].strip()
            item["against"] = [key.strip() for key in against["keys"].split(",") if key.strip()]
        match = ITEM.match(line)
        if match:
            item["element"] = match["element"]
            line = match["text"].strip()
        item["text"] = line
        found.append(item)
    return found


def _plain(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _keys(text):
    return [key.strip() for key in re.split(r"[,\n]", _plain(text)) if key.strip()]


# --- The form's rows <-> a pack ---------------------------------------------------------------


def pack_data(fields, rows):
    """Pack data, as a file would hold it, from the form's fields and its rows (lists of dicts
    in order). Empty phases or debrief lists mean the usual ones."""
    def text(row, name):
        return _plain(row.get(name)).strip()

    data = {
        "format": p.FORMAT, "key": text(fields, "key"), "version": fields.get("version") or 1,
        "language": text(fields, "language"), "title": text(fields, "title"),
        "summary": text(fields, "summary"), "source": text(fields, "source"),
        "licence": text(fields, "licence"),
        "background": [{"heading": text(r, "heading"), "text": text(r, "text")}
                       for r in rows["background_rows"]],
        "interest_groups": [{"key": text(r, "key"), "name": text(r, "name"),
                             "description": text(r, "description")} for r in rows["group_rows"]],
        "roles": [_role_data(r, text) for r in rows["role_rows"]],
        "families": {"min": fields.get("families_min"), "max": fields.get("families_max")},
        "facilitator_guide": [{"heading": text(r, "heading"), "text": text(r, "text")}
                              for r in rows["guide_rows"]],
        "results_template": {"intro": text(fields, "results_intro"),
                             "fields": [{"key": text(r, "key"), "label": text(r, "label"),
                                         "help": text(r, "help")} for r in rows["result_rows"]]},
    }
    if rows["phase_rows"]:
        data["phases"] = [{"key": r.get("key"), "title": text(r, "title"),
                           "minutes": r.get("minutes"), "instructions": text(r, "instructions")}
                          for r in rows["phase_rows"]]
    if rows["debrief_rows"]:
        data["debrief"] = [{"key": text(r, "key"), "question": text(r, "question")}
                           for r in rows["debrief_rows"]]
    return data


def _role_data(row, text):
    data = {name: text(row, name) for name in ("key", "name", "organisation", "sector",
                                               "interest_group", "focus", "brief")}
    data["elements"] = _keys(row.get("elements"))
    for name in ITEM_FIELDS:
        data[name] = items_data(row.get(name))
    return data


def fill(stored, pack):
    """Set the stored pack's fields and rows from `pack` (not saved)."""
    for name in ("key", "language", "version", "title", "summary", "source", "licence",
                 "families_min", "families_max", "results_intro"):
        setattr(stored, name, getattr(pack, name))
    stored.background_rows = [BackgroundSection(heading=s.heading, text=s.text)
                              for s in pack.background]
    stored.guide_rows = [GuideSection(heading=s.heading, text=s.text)
                         for s in pack.facilitator_guide]
    stored.group_rows = [InterestGroup(key=g.key, name=g.name, description=g.description)
                         for g in pack.interest_groups]
    stored.role_rows = [Role(key=r.key, name=r.name, organisation=r.organisation, sector=r.sector,
                             interest_group=r.interest_group, focus=r.focus,
                             elements=", ".join(r.elements), brief=r.brief,
                             must_get=items_text(r.must_get), can_give=items_text(r.can_give),
                             red_lines=items_text(r.red_lines)) for r in pack.roles]
    stored.phase_rows = [Phase(key=ph.key, title=ph.title, minutes=ph.minutes,
                               instructions=ph.instructions) for ph in pack.phases]
    stored.debrief_rows = [DebriefQuestion(key=q.key, question=q.question) for q in pack.debrief]
    stored.result_rows = [ResultField(key=f.key, label=f.label, help=f.help)
                          for f in pack.results_fields]
    for relation in ("background_rows", "guide_rows", "group_rows", "role_rows", "phase_rows",
                     "debrief_rows", "result_rows"):
        for order, row in enumerate(getattr(stored, relation).all()):
            row.sort_order = order
    return stored


def same_content(one, other):
    """Two packs' data alike but for their version numbers."""
    strip = lambda data: {k: v for k, v in (data or {}).items() if k != "version"}  # noqa: E731
    return strip(one) == strip(other)


def stamp(stored, pack, user):
    """Before an edit from /cms/ is saved: the version goes up if anything changed, and `data`
    becomes the checked pack."""
    before = StoredPack.objects.filter(pk=stored.pk).values_list("data", "version").first() \
        if stored.pk else None
    pack.version = before[1] if before else 1
    if before and not same_content(before[0], p.to_data(pack)):
        pack.version += 1
    stored.version = pack.version
    stored.data = p.to_data(pack)
    stored.updated_by = user if user is not None and user.is_authenticated else None
    return stored


# --- Import -----------------------------------------------------------------------------------


def read_upload(upload):
    """The pack in an uploaded file; CasePackError (413 when too large) otherwise."""
    if upload is None or not upload.size:
        raise p.CasePackError([_("Choose a case pack file (.yaml) to import.")])
    if upload.size > p.MAX_FILE_BYTES:
        raise p._too_large(upload.size)
    return p.load(upload.read(p.MAX_FILE_BYTES + 1))


def store(pack, user=None, *, replace=False, starter=False):
    """Store `pack` (already checked). Returns (stored pack, "created" | "replaced" | "unchanged").

    A pack with the same key and language is replaced only when `replace` says so (PackExists
    otherwise); its version then goes up: to the file's version or one more than before,
    whichever is higher.
    """
    with transaction.atomic():
        stored = StoredPack.objects.select_for_update().filter(key=pack.key,
                                                               language=pack.language).first()
        outcome = "created"
        if stored is not None:
            if not replace:
                raise PackExists(stored)
            if same_content(stored.data, p.to_data(pack)):
                return stored, "unchanged"
            pack.version = max(pack.version, stored.version + 1)
            outcome = "replaced"
        stored = fill(stored or StoredPack(starter=starter), pack)
        stored.data = p.to_data(pack)
        stored.updated_by = user if user is not None and user.is_authenticated else None
        stored.save()
    return stored, outcome


def import_file(upload, user, *, replace=False):
    return store(read_upload(upload), user, replace=replace)
