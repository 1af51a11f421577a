"""A facilitator's own case pack for one simulation item (issue 10: "a facilitator can bring a
licensed case without it ever entering the repository").

The pack file is read with intersector.casepacks and kept in ItemPack rows of this item only:
never in the site's library (/case-packs/, /cms/), never in another item's list. A second file
with the same key in another language adds that language (phones get their own); a file with
another key replaces the item's own pack. Removing goes back to the library's packs.

Duplicating a workshop copies the item's rows to the copy's item (activity.on_copy -> copy):
the pack stays chosen there, and its briefs reach only that workshop's facilitators (the person
who duplicated it) and, once started, each seat's holder, as for the original.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from intersector import casepacks
from intersector.casepacks import packs as p
from intersector.refusals import Refused
from intersector.workshops.activities.casesim.models import ItemPack, Simulation
from intersector.workshops.models import AgendaItem
from intersector.workshops.services import announce

SUFFIXES = (".yaml", ".yml")


def own_packs(item):
    """{language: CasePack} of the item's own pack ({} when it has none)."""
    return {row.language: p.validate(row.data) for row in ItemPack.objects.filter(item=item)}


def own_key(item):
    return ItemPack.objects.filter(item=item).values_list("key", flat=True).first()


def summary(item):
    """What the set-up shows: title, language, who uploaded (never the pack's text)."""
    return list(ItemPack.objects.filter(item=item).select_related("uploaded_by").defer("data"))


def read(upload):
    """The pack in an uploaded file: CasePackError (400, or 413 when too large) otherwise."""
    if upload is None or not upload.size:
        raise casepacks.CasePackError([_("Choose your case pack file (.yaml) to upload.")])
    if not upload.name.lower().endswith(SUFFIXES):
        raise casepacks.CasePackError([_("This is not a case pack file: choose a .yaml file (see the case pack "
                                         "format in the facilitator guide).")])
    if upload.size > casepacks.MAX_FILE_BYTES:
        raise p._too_large(upload.size)
    return casepacks.load(upload.read(casepacks.MAX_FILE_BYTES + 1))


def _not_started(item):
    if Simulation.objects.filter(item=item).exists():
        raise Refused(_("The simulation has started: its case pack no longer changes."), status=409)


def upload(item, upload_file, user):
    """Keep the uploaded pack for this item and choose it. Returns the pack."""
    _not_started(item)
    pack = read(upload_file)
    if len(pack.roles) < casepacks.seating.MIN_TABLE:
        raise casepacks.CasePackError([_("This pack has fewer than three roles: a table needs at least three.")])
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
        _not_started(item)
        ItemPack.objects.filter(item=item).exclude(key=pack.key).delete()  # another case: it replaces
        ItemPack.objects.update_or_create(item=item, language=pack.language, defaults={
            "key": pack.key, "title": pack.title, "data": casepacks.to_data(pack),
            "uploaded_by": user if user.is_authenticated else None})
        language = item.config.get("language") or ""
        if language and language not in own_packs(item):
            language = ""
        item.config.update(pack=pack.key, own_pack=True, language=language,
                           phase_minutes={})  # the library pack's lengths do not carry over
        item.save(update_fields=["config"])
        announce(item.workshop, "screen.changed", item=item.pk)
    return pack


def copy(item, target):
    """Give `target` (the item a duplicated workshop made from `item`) the same own pack, every
    language of it. Called in the duplication's transaction. A copy whose config chose an own
    pack that `item` no longer has goes back to the library's default pack."""
    from intersector.workshops.activities.casesim import state

    rows = [ItemPack(item=target, key=row.key, language=row.language, title=row.title, data=row.data,
                     uploaded_by_id=row.uploaded_by_id, uploaded=row.uploaded)
            for row in ItemPack.objects.filter(item=item)]
    ItemPack.objects.bulk_create(rows)
    if not rows and target.config.pop("own_pack", False):
        target.config.update(pack=state.DEFAULT_PACK, language="", phase_minutes={})
        target.save(update_fields=["config"])


def remove(item):
    """Forget the item's own pack; the item goes back to the library's default pack."""
    from intersector.workshops.activities.casesim import state

    _not_started(item)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
        _not_started(item)
        ItemPack.objects.filter(item=item).delete()
        item.config.pop("own_pack", None)
        item.config.update(pack=state.DEFAULT_PACK, language="", phase_minutes={})
        item.save(update_fields=["config"])
        announce(item.workshop, "screen.changed", item=item.pk)
