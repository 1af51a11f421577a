"""Every change to a workshop: validate, save in a transaction, then publish a live event (ids only)."""

import time
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.accounts.models import Sector
from intersector.live import publish
from intersector.refusals import Refused  # noqa: F401  (kinds and views import it from here)
from intersector.workshops.activities import get_kind, is_registered
from intersector.workshops.models import AgendaItem, Facilitator, Participant, Table, Workshop, topic_of
from intersector.workshops.passes import (  # noqa: F401  (views, kinds and tests use them from here)
    PASS, TOKEN_SALT, participant_from_token, token_for, workshop_and_participant,
)
from intersector.workshops.starter import starter_agenda
from intersector.workshops import screens, texts

# Tables of 6-10 for a plenary of 2,000 (a 1,000-person room at tables of 4 fits too).
MAX_TABLES = 400
MAX_ITEMS = 40


def announce(workshop, event, phones=False, **ids):
    """Tell the boards (console, projector), and with phones=True every phone, that something changed."""
    data = {"workshop": workshop.pk, **ids}
    publish(workshop.topic, event, data)
    if phones and event == "screen.changed":
        screens.push_screen(workshop, data)  # the new screen in the event (workshops/screens.py)
    elif phones:
        publish(workshop.phone_topic(), event, data)


def announce_timer(workshop):
    """The timer's new state travels in the event, so 500 screens can set their countdown
    without each asking the server for a new page (timer.js)."""
    ends = workshop.timer_ends_at
    announce(workshop, "timer.changed", phones=True, running=ends is not None,
             ends=int(ends.timestamp() * 1000) if ends else "", remaining=workshop.seconds_left(),
             now=int(time.time() * 1000))


def announce_to_phones(workshop, event, **ids):
    publish(workshop.phone_topic(), event, {"workshop": workshop.pk, **ids})


def announce_to_table(table, event, boards=False, for_table=None, **ids):
    """Tell the phones of one table (and with boards=True the console and projector) that
    something of that table changed: a shared sheet, a table's answer... Ids, and in `for_table`
    what every phone at that table may already see (the table's own shared text, never a brief),
    so that its phones need not each ask for it; the boards get the ids only."""
    data = {"workshop": table.workshop_id, "table": table.pk, **ids}
    publish(table.topic, event, {**data, **(for_table or {})})
    if boards:
        publish(topic_of(table.workshop_id), event, data)


# --- Workshops and agenda ------------------------------------------------------------------


def clean_title(title, what=None):
    title = " ".join((title or "").split())
    if not title:
        raise Refused(_("Please give %(what)s a title.") % {"what": what or _("the workshop")})
    if len(title) > 200:
        raise Refused(_("Please keep the title under 200 characters."))
    return title


def create_workshop(user, title, template="starter", language=None):
    """A workshop written in `language` (the view gives the facilitator's own, as they read the
    site; default the site's); the starter agenda comes in every language the site has (texts.py)."""
    title = clean_title(title)
    language = texts.known_or_site(language)
    with transaction.atomic():
        workshop = _create_with_code(title=title, created_by=user, language=language,
                                     other_languages=[code for code in texts.site_languages() if code != language])
        Facilitator.objects.create(workshop=workshop, user=user, lead=True)
        if template == "starter":
            for order, (item_title, kind, minutes, config) in enumerate(starter_agenda()):
                AgendaItem.objects.create(workshop=workshop, kind=kind, minutes=minutes, order=order,
                                          **texts.new_item(workshop, kind, item_title, config))
    return workshop


def _create_with_code(**fields):
    # Codes are random; a clash is rare, so try again a few times.
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Workshop.objects.create(**fields)
        except IntegrityError:
            continue
    raise Refused(_("Could not make a join code. Please try again."), status=503)


def duplicate_workshop(user, workshop):
    with transaction.atomic():
        title = clean_title(_("%(title)s (copy)") % {"title": workshop.title[:190]})
        copy = _create_with_code(title=title, created_by=user, language=workshop.language,
                                 other_languages=list(workshop.other_languages or []), texts=texts.copied_titles(workshop),
                                 projector_language=workshop.projector_language)
        Facilitator.objects.create(workshop=copy, user=user, lead=True)
        for item in workshop.items.all():
            copied = AgendaItem.objects.create(
                workshop=copy, title=item.title, kind=item.kind, minutes=item.minutes,
                order=item.order, config=item.activity.copy_config(item.config), texts=item.texts,
            )
            item.activity.on_copy(item, copied)
    return copy


def clean_item(title, kind, minutes, current_kind=None):
    """`current_kind`: an item being edited may keep a kind this site no longer has (its set-up
    stays as it was); nobody may pick such a kind for an item."""
    title = clean_title(title, _("the agenda item"))
    if not is_registered(kind) and kind != current_kind:
        raise Refused(_("“%(kind)s” is not a kind of activity this site offers. Please pick one of the listed kinds.")
                      % {"kind": str(kind or "")[:30]})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise Refused(_("Minutes must be a whole number, for example 20.")) from None
    if not 1 <= minutes <= 480:
        raise Refused(_("Minutes must be between 1 and 480."))
    return title, kind, minutes


def add_item(workshop, title, kind, minutes):
    title, kind, minutes = clean_item(title, kind, minutes)
    with transaction.atomic():
        if workshop.items.count() >= MAX_ITEMS:
            raise Refused(_("An agenda can have at most %(n)s items.") % {"n": MAX_ITEMS})
        last = workshop.items.aggregate(m=Max("order"))["m"]
        item = AgendaItem.objects.create(workshop=workshop, kind=kind, minutes=minutes,
                                         order=0 if last is None else last + 1,
                                         **texts.new_item(workshop, kind, title))
        announce(workshop, "agenda.changed")
    return item


def update_item(item, title, kind, minutes, text=None, translations=None):
    """`translations`: {language: {"title": ..., "text": ...}} for the workshop's other languages
    (an empty text takes that language's version away: phones there show the workshop's own)."""
    title, kind, minutes = clean_item(title, kind, minutes, current_kind=item.kind)
    text = texts.clean_text(text, _("text on the phones")) if text is not None else None
    translations = texts.clean_translations(item.workshop, translations)
    with transaction.atomic():
        if kind != item.kind:
            if item.workshop.current_item_id == item.pk:
                raise Refused(_("This item is running: move to another item before changing its kind."))
            # The new kind's set-up, in every language it has; the titles stay.
            titles = {language: fields.get("title") for language, fields in (item.texts or {}).items()}
            fresh = texts.new_item(item.workshop, kind, title)
            item.config, item.texts, item.state = fresh["config"], fresh["texts"], {}
            for language, value in titles.items():
                texts.set_translation(item, language, "title", value)
        item.title, item.kind, item.minutes = title, kind, minutes
        if text is not None and "text" in item.config:
            item.config["text"] = text
        for language, fields in translations.items():
            for field, value in fields.items():
                if field == "title" or field in item.config:
                    texts.set_translation(item, language, field, value)
        item.save()
        announce(item.workshop, "agenda.changed", item=item.pk)
        if item.workshop.current_item_id == item.pk:
            announce(item.workshop, "screen.changed", item=item.pk, phones=True)
    return item


def move_item(item, direction):
    """Swap the item with its neighbour above (-1) or below (+1)."""
    with transaction.atomic():
        items = list(item.workshop.items.select_for_update())
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index + (1 if direction > 0 else -1)
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            for order, other in enumerate(items):
                if other.order != order:
                    AgendaItem.objects.filter(pk=other.pk).update(order=order)
            announce(item.workshop, "agenda.changed")


def delete_item(item):
    with transaction.atomic():
        if item.workshop.current_item_id == item.pk:
            raise Refused(_("This item is running: move to another item before removing it."))
        workshop = item.workshop
        item.delete()
        announce(workshop, "agenda.changed")


def invite_facilitator(workshop, name_or_email):
    text = (name_or_email or "").strip()
    if not text:
        raise Refused(_("Type the user name or e-mail address of the person to invite."))
    User = get_user_model()
    matches = list(User.objects.filter(Q(username__iexact=text) | Q(email__iexact=text), is_active=True)[:2])
    if len(matches) != 1:
        # One message for "nobody" and "several": it tells nothing about who has an account.
        raise Refused(_("No single account matches “%(name)s”. Ask them for the user name they sign in with.") % {"name": text[:80]})
    with transaction.atomic():
        _row, created = Facilitator.objects.get_or_create(workshop=workshop, user=matches[0])
    if not created:
        raise Refused(_("%(name)s already runs this workshop.") % {"name": matches[0]})
    return matches[0]


# --- Running it ----------------------------------------------------------------------------


def _lock(workshop):
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def refuse_if_ended(workshop):
    """Run controls (items, timer, rounds) stop with the workshop: ending is not undone."""
    if workshop.status == Workshop.Status.ENDED:
        raise Refused(_("This workshop has ended, so it cannot be run again. Duplicate it to run it with "
                        "another group."), status=409)


def _lock_running(workshop):
    workshop = _lock(workshop)
    refuse_if_ended(workshop)
    return workshop


def go_to_item(workshop, item):
    if item.workshop_id != workshop.pk:
        raise Refused(_("That agenda item belongs to another workshop."), status=404)
    if not item.activity.available:
        raise Refused(_("“%(title)s” is a kind of activity that is not available on this site, so it cannot be run. "
                        "Go to another item.") % {"title": item.title}, status=409)
    with transaction.atomic():
        workshop = _lock_running(workshop)
        workshop.current_item = item
        workshop.status = Workshop.Status.LIVE
        workshop.timer_ends_at = None
        workshop.timer_remaining = item.minutes * 60
        workshop.save()
        item.activity.on_start(item)
        announce(workshop, "screen.changed", item=item.pk, phones=True)
    return workshop


def next_item(workshop):
    refuse_if_ended(workshop)  # go_to_item checks again, on the locked row
    items = list(workshop.items.all())
    if not items:
        raise Refused(_("The agenda is empty: add an item first."))
    if workshop.current_item_id is None:
        return go_to_item(workshop, items[0])
    ids = [item.pk for item in items]
    position = ids.index(workshop.current_item_id) if workshop.current_item_id in ids else -1
    if position + 1 >= len(items):
        raise Refused(_("This is the last item. End the workshop when you are ready."))
    return go_to_item(workshop, items[position + 1])


def start_timer(workshop, seconds=None):
    with transaction.atomic():
        workshop = _lock_running(workshop)
        left = seconds if seconds is not None else workshop.seconds_left()
        if left <= 0 and workshop.current_item_id:
            left = workshop.current_item.minutes * 60
        workshop.timer_ends_at = timezone.now() + timezone.timedelta(seconds=left)
        workshop.timer_remaining = left
        started = workshop.status == Workshop.Status.DRAFT
        if started:
            workshop.status = Workshop.Status.LIVE
        workshop.save()
        announce_timer(workshop)
        if started:
            announce(workshop, "screen.changed", phones=True)
    return workshop


def pause_timer(workshop):
    with transaction.atomic():
        workshop = _lock_running(workshop)
        workshop.timer_remaining = workshop.seconds_left()
        workshop.timer_ends_at = None
        workshop.save()
        announce_timer(workshop)
    return workshop


def add_time(workshop, minutes):
    with transaction.atomic():
        workshop = _lock_running(workshop)
        delta = timezone.timedelta(minutes=minutes)
        if workshop.timer_ends_at:
            workshop.timer_ends_at = max(workshop.timer_ends_at, timezone.now()) + delta
        else:
            workshop.timer_remaining += minutes * 60
        workshop.save()
        announce_timer(workshop)
    return workshop


def end_workshop(workshop):
    with transaction.atomic():
        workshop = _lock(workshop)
        if workshop.status == Workshop.Status.ENDED:
            raise Refused(_("This workshop has already ended."), status=409)
        workshop.status = Workshop.Status.ENDED
        workshop.ended = timezone.now()
        workshop.timer_ends_at = None
        workshop.timer_remaining = 0
        workshop.save()
        announce(workshop, "screen.changed", phones=True)
    return workshop


# --- Participants --------------------------------------------------------------------------


def find_workshop(code):
    """The workshop a participant may join with this code, or Refused with a clear message."""
    from intersector.workshops.models import normalise_code

    code = normalise_code(code)
    # The current item comes along: every participant action needs it.
    workshop = Workshop.objects.select_related("current_item").filter(code=code).first() if code else None
    if workshop is None:
        raise Refused(_("No workshop has the code “%(code)s”. Check the code on the big screen and try again.") % {"code": code[:12]}, status=404)
    if workshop.code_expired():
        raise Refused(_("This workshop has ended and its code no longer works."), status=410)
    return workshop


def join(workshop, display_name, sector, organisation=""):
    name = " ".join((display_name or "").split())
    if not name:
        raise Refused(_("Please type the name others will see."))
    if len(name) > 60:
        raise Refused(_("Please keep your name under 60 characters."))
    if sector not in Sector.values:
        raise Refused(_("Please pick your sector."))
    organisation = " ".join((organisation or "").split())[:120]
    if workshop.status == Workshop.Status.ENDED:
        raise Refused(_("This workshop has ended."), status=410)
    with transaction.atomic():
        participant = Participant.objects.create(
            workshop=workshop, display_name=name, sector=sector, organisation=organisation
        )
        announce(workshop, "people.changed", participant=participant.pk)
    return participant


# --- Tables ----------------------------------------------------------------------------------


def _seats_free(workshop):
    """Refuse to move people between tables while the running item seats them itself."""
    row = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    item = row.current_item
    if item is not None and row.status == Workshop.Status.LIVE:
        held = item.activity.seats_held(item)
        if held:
            raise Refused(held, status=409)


def set_table_count(workshop, count):
    _seats_free(workshop)
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise Refused(_("Type how many tables, for example 6.")) from None
    if not 0 <= count <= MAX_TABLES:
        raise Refused(_("Between 0 and %(n)s tables, please.") % {"n": MAX_TABLES})
    with transaction.atomic():
        _lock(workshop)
        existing = set(workshop.tables.values_list("number", flat=True))
        Table.objects.bulk_create([Table(workshop=workshop, number=number)
                                   for number in range(1, count + 1) if number not in existing])
        # People at removed tables become unassigned (their notes keep the table they had).
        # Tell phones first (their topics include the tables about to go), then remove tables.
        announce(workshop, "seat.changed", phones=True)
        workshop.tables.filter(number__gt=count).delete()
        announce(workshop, "people.changed")


def auto_assign(workshop):
    """Seat everyone so each table has about the same number of people and a mix of sectors."""
    _seats_free(workshop)
    with transaction.atomic():
        _lock(workshop)
        tables = list(workshop.tables.all())
        if not tables:
            raise Refused(_("Create tables first."))
        people = list(workshop.participants.all())
        by_sector = defaultdict(list)
        for person in people:
            by_sector[person.sector].append(person)
        # Deal sector by sector, round-robin, continuing where the last sector stopped.
        order = [p for sector in sorted(by_sector, key=lambda s: -len(by_sector[s])) for p in by_sector[sector]]
        moving = defaultdict(list)  # table id -> people who move there
        for index, person in enumerate(order):
            table = tables[index % len(tables)]
            if person.table_id != table.pk:
                moving[table.pk].append(person.pk)
        # One UPDATE per table, not one per person: 1,000 people at 150 tables in well under a second.
        for table_id, ids in moving.items():
            Participant.objects.filter(pk__in=ids).update(table=table_id)
        announce(workshop, "people.changed")
        announce(workshop, "seat.changed", phones=True)


def move_participant(workshop, participant_id, table_id):
    _seats_free(workshop)
    participant = workshop.participants.filter(pk=participant_id).first()
    if participant is None:
        raise Refused(_("That person is not in this workshop."), status=404)
    table = None
    if table_id not in (None, "", "0"):
        table = workshop.tables.filter(pk=table_id).first()
        if table is None:
            raise Refused(_("That table is not in this workshop."), status=404)
    with transaction.atomic():
        participant.table = table
        participant.save(update_fields=["table"])
        announce(workshop, "people.changed", participant=participant.pk)
        announce_to_phones(workshop, "seat.changed", participant=participant.pk)
    return participant


def who_has_joined(workshop):
    people = list(workshop.participants.select_related("table"))
    sectors = Counter(p.sector for p in people)
    tables = defaultdict(list)
    for person in people:
        tables[person.table_id].append(person)
    return {
        "count": len(people),
        "by_sector": [(label, sectors.get(value, 0)) for value, label in Sector.choices],
        "people": people,
        "tables": [
            {"table": table, "people": tables.get(table.pk, []),
             "sectors": Counter(p.sector for p in tables.get(table.pk, []))}
            for table in workshop.tables.all()
        ],
        "unseated": tables.get(None, []),
    }
