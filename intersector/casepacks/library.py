"""The case packs a workshop can use: what other code (the case simulation) calls.

    available_packs()            -> [PackChoice(id, key, language, title, version), ...]
    get_pack("sacramento", "es") -> CasePack (that language, else any language of the key)
    pack_languages("sacramento") -> {"en": CasePack, "es": CasePack}

Packs come from the database (edited in /cms/, imported as files). A site whose database holds
no pack at all (a test that loaded no starter content, a site before `manage.py setup`) reads
the starter files in content/simulations/ instead, so a workshop always has the Sacramento pack.
A key nobody has raises `PackMissing` (a 404 `Refused`, and a LookupError).
"""

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from intersector.casepacks import packs
from intersector.refusals import Refused


class PackMissing(Refused, LookupError):
    def __init__(self, key):
        super().__init__(_("There is no case pack '%(key)s' on this site.") % {"key": key},
                         status=404)


@dataclass(frozen=True, order=True)
class PackChoice:
    """One pack a facilitator may pick; `id` is None for a starter file read from content/."""
    key: str
    language: str
    title: str
    version: int
    id: int | None = field(default=None, compare=False)

    def __getitem__(self, name):   # choice["title"] works as well as choice.title
        return asdict(self)[name]


def available_packs():
    """Every pack, by key then language."""
    stored = _stored()
    if stored is None:
        return sorted(PackChoice(p.key, p.language, p.title, p.version) for p in _files())
    return [PackChoice(*row) for row in
            stored.order_by("key", "language").values_list("key", "language", "title", "version",
                                                           "id")]


def pack_languages(key):
    """{language: CasePack} for every language the pack `key` has ({} when none)."""
    stored = _stored()
    if stored is None:
        return {p.language: p for p in _files() if p.key == key}
    rows = stored.filter(key=key).order_by("language").values_list("id", "version", "updated",
                                                                   "language")
    return {language: _parsed(pk, version, updated) for pk, version, updated, language in rows}


def get_pack(key, language=None):
    """The pack `key` in `language`; else in the site's language, else in any language."""
    found = pack_languages(key)
    if not found:
        raise PackMissing(key)
    for wanted in (language, settings.LANGUAGE_CODE.split("-")[0], "en"):
        if wanted in found:
            return found[wanted]
    return next(iter(found.values()))


def _stored():
    """The stored packs' queryset, or None when the database has none."""
    from intersector.casepacks.models import StoredPack

    packs_here = StoredPack.objects.all()
    return packs_here if packs_here.exists() else None


@lru_cache(maxsize=64)
def _parsed(pk, version, updated):
    """A stored pack as a CasePack, read again whenever it is saved (its `updated` changes)."""
    from intersector.casepacks.models import StoredPack

    return packs.validate(StoredPack.objects.values_list("data", flat=True).get(pk=pk))


def starter_files():
    from intersector.content import CONTENT_DIR

    return sorted((Path(CONTENT_DIR) / "simulations").glob("*.yaml"))


def _files():
    return [_file(str(path), path.stat().st_mtime_ns) for path in starter_files()]


@lru_cache(maxsize=16)
def _file(path, mtime):
    return packs.load_file(path)
