"""Confidentiality is the point of the exercise: a role's brief reaches only the person (or mirror
pair) who holds it, and the facilitators' own pages, until the facilitator reveals the briefs.

A unique marker is planted in every confidential field of every role (brief, must get, can give,
red lines) in every language of the snapshot. Then, at each stage of the simulation, every
address of Convene (found by the URL resolver, so a new one is covered by default), every poll
answer, every live event, the API, the exports and the PDF report are read as every kind of
visitor, and no marker may show where it must not.
"""

import functools
import re
import subprocess

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from intersector import live
from intersector.workshops import services
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import RoleSeat, SheetEntry, Simulation, TableRun
from tests.workshops.conftest import phone_for

pytestmark = pytest.mark.django_db

CONFIDENTIAL = ("brief", "must_get", "can_give", "red_lines")
# Facilitator pages that exist to show the briefs to the people who run the workshop.
FACILITATOR_BRIEF_PAGES = re.compile(r"brief|guide")
# Addresses that change things or stream: read through their own checks, not by this crawl.
SKIP = {"workshops:live", "workshops:phone_live", "workshops:item_page_moved", "workshops:qr"}


def marker(role_key, language, field, n=0):
    return f"mk-{role_key}-{language}-{field.replace('_', '')}-{n}-q"


def plant_markers(simulation):
    """A marker at the start of every confidential text of every role, in every language."""
    packs = simulation.packs
    for language, data in packs.items():
        for role in data["roles"]:
            role["brief"] = f"{marker(role['key'], language, 'brief')} {role['brief']}"
            for field in CONFIDENTIAL[1:]:
                for n, item in enumerate(role[field]):
                    item["text"] = f"{marker(role['key'], language, field, n)} {item['text']}"
    Simulation.objects.filter(pk=simulation.pk).update(packs=packs)
    simulation.refresh_from_db()
    return simulation


def markers_of(simulation, role_key):
    found = set()
    for language, data in simulation.packs.items():
        for role in data["roles"]:
            if role["key"] == role_key:
                found |= set(re.findall(r"mk-[a-z0-9-]+?-q", repr(role)))
    return found


def all_markers(simulation):
    return set(re.findall(r"mk-[a-z0-9-]+?-q", repr(simulation.packs)))


@functools.cache
def addresses():
    """{url name: its parameters} for every Convene address (the core's and the kinds')."""
    found = {}

    def walk(patterns, namespace, params):
        for pattern in patterns:
            converters = set(getattr(pattern.pattern, "converters", {}))
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])),
                     params | converters)
            elif isinstance(pattern, URLPattern) and namespace.split(":")[0] == "workshops":
                found[f"{namespace}:{pattern.name}"] = params | converters

    walk(get_resolver().url_patterns, "", set())
    return found


class Room:
    """The simulation's world: eight people at two tables, a mirror, an observer, an outsider
    from another workshop, a stranger with an account, a visitor with none, and the facilitator."""

    def __init__(self, workshop, facilitator, item, django_user_model):
        self.workshop, self.item = workshop, item
        people = [services.join(workshop, f"Person {n}", ["government", "business", "non-profit"][n % 3])
                  for n in range(10)]
        services.set_table_count(workshop, 2)
        services.go_to_item(workshop, item)
        self.simulation = plant_markers(state.simulation_of(item))
        self.seats = list(RoleSeat.objects.filter(simulation=self.simulation).select_related("participant"))
        self.clients = {}
        # A role holder at each table, a mirror and an observer (when numbers give one).
        chosen, kinds = [], set()
        for seat in self.seats:
            kind = (seat.mode, seat.table_id if seat.mode == "role" else None)
            if kind not in kinds:
                kinds.add(kind)
                chosen.append(seat)
        self.seats = chosen
        for seat in self.seats:
            self.clients[f"{seat.mode}-{seat.participant.display_name}"] = phone_for(Client, seat.participant)
        other = services.create_workshop(facilitator, "Another room", "starter")
        outsider = services.join(other, "Olga", "non-profit")
        self.clients["outsider"] = phone_for(Client, outsider)
        from intersector.workshops.access import cookie_name
        self.clients["outsider"].cookies[cookie_name(workshop)] = services.token_for(outsider)
        self.clients["anonymous"] = Client()
        stranger = django_user_model.objects.create_user("sam", "sam@example.org", "a-long-pass-phrase-42")
        self.clients["stranger"] = Client()
        self.clients["stranger"].force_login(stranger)
        self.clients["facilitator"] = Client()
        self.clients["facilitator"].force_login(facilitator)
        self.seat_of = {f"{s.mode}-{s.participant.display_name}": s for s in self.seats}

    def allowed(self, persona, name):
        """The markers this persona may meet at this address."""
        if self.simulation.revealed_at is not None and persona in self.seat_of:
            return all_markers(self.simulation)  # revealed: everyone at the tables reads every brief
        if persona == "facilitator":
            if FACILITATOR_BRIEF_PAGES.search(name.split(":")[-1]):
                return all_markers(self.simulation)
            return set()
        seat = self.seat_of.get(persona)
        if seat is None or not seat.role_key:
            return set()
        return markers_of(self.simulation, seat.role_key)

    @staticmethod
    def agree_token(run):
        """A real "Take our draft to Agree" link of the first table (casesim/agree.py)."""
        from intersector import tokens
        from intersector.workshops.activities.casesim import agree

        if run is None:
            return "no-table"
        if not run.agree_secret:
            run.agree_secret = tokens.new_secret()
            TableRun.objects.filter(pk=run.pk).update(agree_secret=run.agree_secret)
        return agree.LINK.make({"r": run.pk, "s": run.agree_secret})

    def values(self, params):
        run = TableRun.objects.filter(simulation=self.simulation).first()
        entry = SheetEntry.objects.filter(run__simulation=self.simulation).first()
        known = {"pk": self.workshop.pk, "item_pk": self.item.pk, "code": self.workshop.code,
                 "kind": "casesim", "name": "drafts.csv", "rest": "x/",
                 "table_pk": run.table_id if run else 0, "run_pk": run.pk if run else 0,
                 "entry_pk": entry.pk if entry else 0, "element": entry.element if entry else "vision",
                 "note_pk": 0, "report_pk": 0, "participant_pk": self.seats[0].participant_id,
                 "person_pk": self.seats[0].participant_id,
                 "theme_pk": 0}  # brainwriting's notes behind a theme: not this kind, so refused
        if getattr(self, "report", None) is not None:
            known["report_pk"] = self.report.pk
        known["token"] = self.agree_token(run)
        from intersector.workshops import screens  # the room's shared screen (a kind of its own: the phone's own)
        known.update(key=screens.key_for(self.workshop), language="en", version="0")
        missing = params - known.keys()
        assert not missing, f"Give test_confidential.py a value for the URL parameter(s) {missing}"
        return {param: known[param] for param in params}


def crawl(room, stage):
    """Every GET address as every persona, the poll answers, the exports and the API: leaks."""
    leaks, seen = [], set()
    every = all_markers(room.simulation)
    urls = []
    for name, params in sorted(addresses().items()):
        if name in SKIP:
            continue
        values = room.values(params)
        if name == "workshops:console_panel":
            values["name"] = "now"
        urls.append((name, reverse(name, kwargs=values)))
    for kind_export in room.item.activity.exports():
        urls.append((f"export:{kind_export.name}", reverse(
            "workshops:export", kwargs={"pk": room.workshop.pk, "kind": "casesim", "name": kind_export.name})))
    urls += [("api:cases", "/api/cases"), ("api:toolkit", "/api/toolkit"), ("api:me", "/api/me")]
    # Addresses that only take POST answer every GET with 405: one ask says so.
    urls = [(name, url) for name, url in urls if room.clients["facilitator"].get(url).status_code != 405]
    for persona, client in room.clients.items():
        for name, url in urls:
            # A fragment (htmx) may be built apart from the page: ask for both where there are two.
            both = name.startswith("workshops:casesim") or name.endswith(("now", "panel"))
            for extra in ({}, {"HTTP_HX_REQUEST": "true"}) if both else ({},):
                response = client.get(url, **extra)
                if response.get("Content-Type", "").startswith("text/event-stream"):
                    continue
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode("utf-8", errors="replace")
                found = set(re.findall(r"mk-[a-z0-9-]+?-q", text)) & every
                bad = found - room.allowed(persona, name)
                seen |= found
                if bad:
                    leaks.append(f"[{stage}] {persona} GET {url} ({name}): {sorted(bad)[:3]}")
    more, more_seen = crawl_table_screens(room, stage, every)
    return leaks + more, seen | more_seen


def crawl_table_screens(room, stage, every):
    """Each table's shared screen (one rendering for everyone at the table, workshops/screens.py),
    at the position its phones would ask for, asked by every persona: it carries no brief at all,
    not even for the people who hold one (theirs comes only from their own page or /mine), until
    the facilitator reveals them."""
    leaks, seen, addresses = [], set(), set()
    for persona in room.seat_of:
        page = room.clients[persona].get(f"/w/{room.workshop.code}/").content.decode()
        found = re.search(r'data-screens="([^"]+)"', page)
        if found and "~" in found.group(1):
            seat = room.seat_of[persona]
            seat.participant.refresh_from_db()
            addresses.add(found.group(1) + live.current_event_id(room.workshop.phone_topics(seat.participant)))
    assert addresses, "no table screen was found to crawl"
    for persona, client in room.clients.items():
        for url in sorted(addresses):
            text = client.get(url).content.decode("utf-8", errors="replace")
            found = set(re.findall(r"mk-[a-z0-9-]+?-q", text)) & every
            allowed = room.allowed(persona, "table screen") if room.simulation.revealed_at else set()
            if "data-shared" in text and found - allowed:
                leaks.append(f"[{stage}] {persona} GET {url} (a table's shared screen): {sorted(found)[:3]}")
            elif found - room.allowed(persona, "table screen"):
                leaks.append(f"[{stage}] {persona} GET {url} (their own screen): {sorted(found)[:3]}")
            seen |= found
    return leaks, seen


@pytest.fixture
def room(workshop, facilitator, django_user_model):
    item = workshop.items.get(kind="casesim")
    return Room(workshop, facilitator, item, django_user_model)


def pdf_report(room):
    """The workshop's PDF report, made as its background job makes it (reports.make_report)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from intersector.workshops.models import Report
    from intersector.workshops.reports import result_sections

    html = render_to_string("workshops/report_pdf.html",
                            {"workshop": room.workshop, "sections": result_sections(room.workshop)})
    return Report.objects.create(workshop=room.workshop, pdf=HTML(string=html).write_pdf())


def pdf_text(pdf):
    result = subprocess.run(["pdftotext", "-", "-"], input=bytes(pdf), capture_output=True, check=True)
    return result.stdout.decode("utf-8", errors="replace")


def test_no_brief_reaches_anyone_but_its_holder_until_revealed(room, monkeypatch):
    events = []
    real_send = live._send
    monkeypatch.setattr(live, "_send", lambda topic, event, data: (events.append((topic, event, data)),
                                                                     real_send(topic, event, data)))
    leaks, seen = crawl(room, "reading")
    # Each holder really sees their own brief (so the absence elsewhere means something).
    for persona, seat in room.seat_of.items():
        if seat.role_key:
            page = room.clients[persona].get(f"/w/{room.workshop.code}/").content.decode()
            assert markers_of(room.simulation, seat.role_key) & set(re.findall(r"mk-[a-z0-9-]+?-q", page)), persona
    # The tables move on to negotiating, write on their sheets, and the room reports back.
    for run in TableRun.objects.filter(simulation=room.simulation):
        TableRun.objects.filter(pk=run.pk).update(phase="negotiate", families=["who", "how", "what-if"])
        SheetEntry.objects.create(run=run, family="who", element="partners", text="We, the partners", version=1)
    more, more_seen = crawl(room, "negotiating")
    leaks += more
    seen |= more_seen
    Simulation.objects.filter(pk=room.simulation.pk).update(stage="report")
    room.simulation.refresh_from_db()
    room.report = pdf_report(room)
    more, more_seen = crawl(room, "report")
    text = pdf_text(room.report.pdf)
    assert "Table 1" in text or "Mesa 1" in text  # the simulation's part is in the report
    if re.search(r"mk-[a-z0-9-]+?-q", text):
        leaks.append("the PDF report carries a marker")
    leaks += more
    seen |= more_seen
    # Every view the projector has in the report back.
    run = TableRun.objects.filter(simulation=room.simulation).first()
    for screen in ({"view": "overview"}, {"view": "family", "family": "who"},
                   {"view": "table", "table": run.table_id}, {"view": "debrief"}):
        Simulation.objects.filter(pk=room.simulation.pk).update(screen=screen)
        for address in (f"/w/{room.workshop.code}/screen", f"/w/{room.workshop.code}/screen/now"):
            text = room.clients["facilitator"].get(address).content.decode()
            assert "Table 1" in text or "Mesa 1" in text or screen["view"] == "debrief", (screen, address)
            if re.search(r"mk-[a-z0-9-]+?-q", text):
                leaks.append(f"the projector's {screen['view']} view ({address}) carries a marker")
    for topic, event, data in events:
        if re.search(r"mk-[a-z0-9-]+?-q", repr(data)):
            leaks.append(f"live event {event} on {topic} carries a marker")
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks[:40])
    assert seen, "no marker was seen at all: the crawl looked at nothing"


def test_revealing_the_briefs_is_the_only_way_they_spread(room):
    from django.utils import timezone

    Simulation.objects.filter(pk=room.simulation.pk).update(revealed_at=timezone.now(), stage="report")
    room.simulation.refresh_from_db()
    leaks, seen = crawl(room, "revealed")
    assert not leaks, "\n".join(leaks[:40])
    # After the reveal a phone reads the other roles' briefs too.
    persona, seat = next((p, s) for p, s in room.seat_of.items() if s.role_key)
    page = room.clients[persona].get(f"/w/{room.workshop.code}/").content.decode()
    others = {key for key in room.simulation.cast if key != seat.role_key}
    assert any(markers_of(room.simulation, key) & set(re.findall(r"mk-[a-z0-9-]+?-q", page)) for key in others)
