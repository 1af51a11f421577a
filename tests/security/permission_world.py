"""The world the permission matrix runs in: two workshops, two agreements, a review, jobs, and one
client per kind of visitor, with marker strings planted in everything private.

Everything is made the way people make it (services, or the real URL where the flow is one, such
as opening an invitation link), so the matrix sees the site as its users do.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from intersector.workshops.access import cookie_name

SCORECARD = Path(__file__).resolve().parent.parent / "agreements" / "fixtures" / "scorecard.yaml"
ELEMENT = "vision"

# Private content, each only for the personas named in VISIBLE_TO below. Plain letters and
# hyphens, so that HTML escaping can't hide one from the check.
NOTE = "marker-note-of-ana-q7"  # a brainwriting note in workshop A
REPORT = "marker-report-pdf-k2"  # workshop A's PDF report
RATING_A = "marker-private-rating-of-partner-a-x9"  # partner A's unpublished rating comment
RATING_B = "marker-private-rating-of-partner-b-v4"  # partner B's unpublished rating comment
TEXT = "marker-agreement-text-m5"  # the agreement's text
COMMENT = "marker-partner-comment-c8"  # partner B's comment on an element
REVIEW = "marker-review-clause-r3"  # the text of a reviewed agreement
JOB = "marker-job-result-j6"  # a finished job's result
PACK = "marker-pack-brief-p5"  # a confidential role brief in a stored case pack
WORKSHEET = "marker-worksheet-answer-w4"  # a collaborative's worksheet answer (partners only)
DECISION = "marker-decision-proposal-d2"  # a proposal's text in a collaborative's decision log
COMMITMENT = "marker-commitment-what-k3"  # what a partner committed to do
RESULT = "marker-result-title-r7"  # a result the collaborative works towards
INDICATOR = "marker-indicator-name-i2"  # a shared indicator's name
# A partner of an unpublished collaborative, named in the representative's network answer: its map,
# its table of ties and the convenor's downloads show it, and nothing else may.
NETWORK = "marker-network-partner-n6"

# Who may ever see each marker. A participant's own note shows on their phone, and notes of a
# workshop reach its other phones when they build on them or vote.
VISIBLE_TO = {
    NOTE: {"facilitator", "participant", "co_participant"},
    REPORT: {"facilitator"},
    RATING_A: {"partner_a"},
    RATING_B: {"partner_b"},
    TEXT: {"partner_a", "partner_b", "guest"},
    COMMENT: {"partner_a", "partner_b", "guest"},
    REVIEW: {"job_owner"},
    JOB: {"job_owner", "staff"},
    PACK: {"staff"},
    WORKSHEET: {"convenor", "representative", "observer"},
    DECISION: {"convenor", "representative", "observer"},
    COMMITMENT: {"convenor", "representative", "observer"},
    RESULT: {"convenor", "representative", "observer"},
    INDICATOR: {"convenor", "representative", "observer"},
    NETWORK: {"convenor", "representative", "observer"},
}

PERSONAS = [
    "anonymous",
    "participant",  # joined workshop A on a phone (its holder on the phone side)
    "co_participant",  # another phone in workshop A
    "outsider_phone",  # joined workshop B, and tries its pass on workshop A too
    "facilitator",  # runs workshop A
    "other_facilitator",  # runs workshop B
    "partner_a",  # started the agreement (bound to their account) and invited the others
    "partner_b",  # opened the invitation partner A e-mailed, signed in
    "guest",  # invited by partner A to read and comment (no account)
    "withdrawn_guest",  # was invited, opened the link, then the invitation was withdrawn
    "staff",
    "job_owner",  # owns the job and the agreement review
    "signed_in",  # any other account
    "convenor",  # started the collaborative
    "representative",  # represents a partner of it (joined by the e-mailed invitation)
    "observer",  # observes for a partner: sees, does not decide or write
]
SIGNED_IN = {"facilitator", "other_facilitator", "partner_a", "partner_b", "staff", "job_owner",
             "signed_in", "convenor", "representative", "observer"}


@dataclass
class World:
    clients: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)  # what fills the URLs' parameters
    crossed: list = field(default_factory=list)  # (persona, url name, params, status): another's object
    secrets: dict = field(default_factory=dict)  # secret -> the personas a page may show it to
    seen: list = field(default_factory=list)  # markers and secrets shown to those who may see them


def build(django_user_model, mailoutbox):
    world = World()
    users = {}
    for name in SIGNED_IN:
        users[name] = django_user_model.objects.create_user(
            name, f"{name}@example.org", "a-long-pass-phrase-42", is_staff=(name == "staff"))
    for name in PERSONAS:
        world.clients[name] = Client()
        if name in users:
            world.clients[name].force_login(users[name])
    _workshops(world, users)
    _jobs(world, users)
    _agreements(world, users, mailoutbox)
    _api(world, users)
    _casepacks(world, users)
    _collaboratives(world, users, mailoutbox)
    return world


# --- Convene ---------------------------------------------------------------------------------


def _workshops(world, users):
    from intersector.workshops import services
    from intersector.workshops.activities.brainwriting import services as bw
    from intersector.workshops.models import Report

    mine = services.create_workshop(users["facilitator"], "Riverside workshop", "starter")
    theirs = services.create_workshop(users["other_facilitator"], "Hillside workshop", "starter")
    item = running_brainwriting(mine)
    ana = services.join(mine, "Ana", "government")
    carl = services.join(mine, "Carl", "business")
    olga = services.join(theirs, "Olga", "non-profit")
    note = bw.add_note(item, ana, 0, "government", NOTE, "key-marker-note-1")[0]
    carl_note = bw.add_note(item, carl, 0, "business", "Carl's own note", "key-carl-note-1")[0]
    report = Report.objects.create(workshop=mine, pdf=b"%PDF-1.4 " + REPORT.encode())
    _phone(world.clients["participant"], mine, ana)
    _phone(world.clients["co_participant"], mine, carl)
    outsider = world.clients["outsider_phone"]
    _phone(outsider, theirs, olga)
    # Its pass from workshop B, sent as if it were a pass for workshop A.
    outsider.cookies[cookie_name(mine)] = services.token_for(olga)
    world.ids.update(pk=mine.pk, item_pk=item.pk, code=mine.code, note_pk=note.pk,
                     report_pk=report.pk, name="now", person_pk=carl.pk)
    other_item = theirs.items.get(kind="brainwriting")
    # Workshop B runs its brainwriting too, so its phone gets as far as looking for the note.
    running_brainwriting(theirs)
    world.crossed += [
        # Another workshop's facilitator asks for this workshop's items and report under their own.
        *[("other_facilitator", name, {"pk": theirs.pk}, 404) for name in (
            "workshops:agenda_item", "workshops:report_pdf", "workshops:brainwriting:settings",
            "workshops:brainwriting:round", "workshops:brainwriting:themes", "workshops:brainwriting:themes_panel",
            "workshops:brainwriting:themes_make", "workshops:brainwriting:themes_edit", "workshops:person")],
        # A phone of another workshop, through its own workshop's address, at Ana's note.
        ("outsider_phone", "workshops:brainwriting:edit_note", {"code": theirs.code}, 404),
        ("outsider_phone", "workshops:brainwriting:delete_note", {"code": theirs.code}, 404),
        # Ana at Carl's note.
        ("participant", "workshops:brainwriting:edit_note", {"note_pk": carl_note.pk}, 404),
        ("participant", "workshops:brainwriting:delete_note", {"note_pk": carl_note.pk}, 404),
    ]
    world.secrets[signed_part(services.token_for(ana))] = set()  # a cookie, never in a page


def running_brainwriting(workshop):
    from intersector.workshops import services
    from intersector.workshops.activities.brainwriting import services as bw
    from intersector.workshops.models import AgendaItem

    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    bw.open_round(item)
    return AgendaItem.objects.select_related("workshop").get(pk=item.pk)


def _phone(client, workshop, participant):
    from intersector.workshops import services

    client.cookies[cookie_name(workshop)] = services.token_for(participant)


# --- Jobs ------------------------------------------------------------------------------------


def _jobs(world, users):
    from intersector.jobs.models import Job

    job = Job.objects.create(owner=users["job_owner"], label="Importing the marker list", kind="test.matrix",
                             status=Job.Status.DONE, done=1, total=1,
                             result={"summary": JOB, "url": "/learn/", "link_text": "Open"})
    world.ids["job_id"] = job.pk
    world.ids["id"] = job.pk  # the API's /api/jobs/{id}


# --- Agree -----------------------------------------------------------------------------------


def _agreements(world, users, mailoutbox):
    from intersector.agreements import services

    services.import_scorecard(yaml.safe_load(SCORECARD.read_text(encoding="utf-8")), note="matrix")
    partners = [
        {"name": "City of Riverton", "sector": "government", "representative": "Ana Ruiz", "alternate": ""},
        {"name": "Riverton Energy", "sector": "business", "representative": "Chen Li", "alternate": ""},
        {"name": "Clean Air Now", "sector": "non-profit", "representative": "Dana Smith", "alternate": ""},
    ]
    # Partner A's person starts the agreement (bound to their account) and invites the others by
    # e-mail; partner B's person opens their mailed link, signed in, and so claims it.
    agreement = services.create_agreement(
        name="Riverton clean air", purpose="Cleaner air together.", form="mou",
        partners=[{**partners[0], "user": users["partner_a"]}, dict(partners[1]), dict(partners[2])],
        created_by=users["partner_a"])
    city, energy, ngo = agreement.partners.all()
    link_b = invite_partner(world.clients["partner_a"], agreement, energy, mailoutbox, "chen@example.org")
    link_ngo = invite_partner(world.clients["partner_a"], agreement, ngo, mailoutbox, "dana@example.org")
    assert world.clients["partner_b"].get(link_b).status_code == 302
    energy.refresh_from_db()
    services.save_element(agreement, city, ELEMENT, text=TEXT, rating="partially", comment=RATING_A,
                          author="Ana Ruiz")
    services.rate(energy, ELEMENT, "fully", RATING_B)
    services.add_comment(agreement, energy, ELEMENT, "Chen Li", COMMENT)
    guest_link = invite_guest(world.clients["partner_a"], agreement, mailoutbox, "gia@example.org")
    assert world.clients["guest"].get(guest_link).status_code == 302
    gone_link = invite_guest(world.clients["partner_a"], agreement, mailoutbox, "wes@example.org")
    assert world.clients["withdrawn_guest"].get(gone_link).status_code == 302
    gone = agreement.guests.get(email="wes@example.org")
    services.revoke_guest(agreement, gone.pk)
    guest = agreement.guests.get(email="gia@example.org")
    # Partner B also runs an agreement of its own, and from it reaches for agreement X's guest and
    # X's unopened invitation: it is told there is no such thing; nothing changes.
    own = services.create_agreement(name="Energy side deal", purpose="Ours.", form="mou",
                                    partners=[{**partners[1], "user": users["partner_b"]}, dict(partners[2])],
                                    created_by=users["partner_b"])
    world.crossed += [("partner_b", "agreements:guest_revoke", {"pk": own.pk}, 302),
                      ("partner_b", "agreements:partner_invite", {"pk": own.pk}, 404),
                      ("partner_b", "agreements:partner_withdraw", {"pk": own.pk}, 409)]
    world.ids.update(pk_agreement=agreement.pk, guest_id=guest.pk, element=ELEMENT, kind="docx",
                     token="forged-token", number=1, partner_id=ngo.pk, partner_b_link=token_of(link_b),
                     guest_link=token_of(guest_link), withdrawn_link=token_of(gone_link))
    # Links are e-mailed, and a partner's is shown once to whoever sent it (invite_partner looked
    # at that page): after that no page shows one, not even to its holder.
    for link in (link_b, link_ngo, guest_link, gone_link):
        world.secrets[signed_part(token_of(link))] = set()
    _review(world, users)


def token_of(link):
    return link.rstrip("/").rsplit("/", 1)[-1]


def signed_part(token):
    """What stays the same in every token made for the same record: the signed payload (the
    rest is the time it was made and the signature)."""
    return token.split(":", 1)[0]


def invite_partner(partner_client, agreement, partner, mailoutbox, email):
    """A partner's person sends another partner's invitation; the page after it shows the new link
    once. Returns the link from the e-mail."""
    response = partner_client.post(f"/agreements/{agreement.pk}/partners/{partner.pk}/invite/", {"email": email})
    assert response.status_code == 302, response.content[:300]
    link = re.search(r"http://testserver(/agreements/join/\S+/)", mailoutbox[-1].body).group(1)
    assert link in partner_client.get(response["Location"]).content.decode()  # shown this once
    return link


def invite_guest(partner_client, agreement, mailoutbox, email):
    response = partner_client.post(f"/agreements/{agreement.pk}/guests/",
                                   {"name": "Guest " + email[:3], "email": email, "role": "commenter"})
    assert response.status_code == 302, response.content[:300]
    return re.search(r"http://testserver(/agreements/guest/\S+/)", mailoutbox[-1].body).group(1)


def _review(world, users):
    from intersector.agreements import services

    text = ("1. Purpose\nThe partners work together on clean air and on the health of the people in the valley. "
            + REVIEW + "\n\n"
            "2. Governance\nA steering group of one person per partner meets monthly to decide on the work.\n")
    review = services.create_review(owner=users["job_owner"],
                                    upload=SimpleUploadedFile("deal.txt", text.encode()), title="Deal")
    # What the review job stores when it has read the document (the job itself is tested in
    # tests/agreements): one proposal resting on the first clause.
    first = review.clauses.first()
    services.store_proposals(review, [SimpleNamespace(element=ELEMENT, rating="partially", score=0.5,
                                                      passages=[(first.position, 0.5)], sentences=None)], "test")
    world.ids["review_pk"] = review.pk


# --- API -------------------------------------------------------------------------------------


def _api(world, users):
    from intersector.api.services import create_token

    token, secret = create_token(users["signed_in"], "Report script")
    world.ids["token_id"] = token.pk
    world.secrets[secret] = set()  # shown once, on the page that made it


# --- Case packs ------------------------------------------------------------------------------


def _casepacks(world, users):
    """A stored pack with a marked brief; staff may edit case packs (the /cms/ permissions)."""
    from django.contrib.auth.models import Permission

    from intersector.casepacks import library, packs, services

    staff = users["staff"]
    staff.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="casepacks", codename__in=["view_storedpack", "add_storedpack",
                                                           "change_storedpack"]))
    pack = packs.load_file(library.starter_files()[0])
    pack.roles[0].brief += " " + PACK
    stored, _outcome = services.store(pack)
    world.ids["pack_pk"] = stored.pk


# --- Collaborate -----------------------------------------------------------------------------


def _collaboratives(world, users, mailoutbox):
    """A collaborative whose representative and observer joined through their e-mailed links, a
    worksheet answer with a marker, and one invitation nobody opened (its link is never shown)."""
    from intersector.collaboratives import services
    from intersector.library.content import Run, load_toolkit

    load_toolkit(Path(__file__).resolve().parents[2] / "content" / "library", Run())
    collaborative = services.create_collaborative(users["convenor"], name="Marker Valley Compact")
    chamber = services.add_partner(collaborative, name="Marker Valley Chamber", sector="business")
    convenor = world.clients["convenor"]
    links = {}
    for persona, role, email in (("representative", "representative", "representative@example.org"),
                                 ("observer", "observer", "observer@example.org"),
                                 (None, "alternate", "nobody-opened@example.org")):
        response = convenor.post(f"/collaborate/{collaborative.slug}/partners/manage/", {
            "action": "person", "partner": chamber.pk, "name": f"{role.title()} of the chamber",
            "email": email, "role": role})
        assert response.status_code == 302, response.content[:300]
        links[role] = re.search(r"http://testserver(/collaborate/join/\S+/)", mailoutbox[-1].body).group(1)
        if persona:
            assert world.clients[persona].post(links[role]).status_code == 302
    sheet = f"/collaborate/{collaborative.slug}/steps/assess/tools/engage-potential-partners/"
    assert world.clients["representative"].post(sheet, {"answer-0": WORKSHEET, "based_on": "0"}).status_code == 302
    world.ids.update(collab_slug=collaborative.slug, key="assess", tool_slug="engage-potential-partners")
    # An open health check the representative has answered (their answers are theirs alone).
    from intersector.collaboratives import health
    from intersector.collaboratives.models import Member

    wave = health.open_wave(collaborative, Member.objects.get(collaborative=collaborative, role="convenor"))
    health.answer(wave, Member.objects.get(collaborative=collaborative, role="representative"),
                  {"history-of-working-together": 5})
    world.ids.update(health_number=wave.number)
    # A closed network survey in which the chamber named a partner whose name is a marker (its map
    # and the downloads show it), and an open one the representative has answered.
    from intersector.collaboratives import network

    marked = services.add_partner(collaborative, name=NETWORK, sector="non-profit")
    convenor_member = Member.objects.get(collaborative=collaborative, role="convenor")
    representative = Member.objects.get(collaborative=collaborative, role="representative")
    closed = network.open_wave(collaborative, convenor_member)
    network.answer(closed, representative, {marked.pk: {"mission": 4}})
    network.close_wave(closed)
    current = network.open_wave(collaborative, convenor_member)
    network.answer(current, representative, {})
    world.ids.update(network_number=closed.number, network_open=current.number)
    # A consent proposal with a marker in its text, opened by the convenor on the decision log's page.
    closes = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = convenor.post(f"/collaborate/{collaborative.slug}/decisions/new/", {
        "title": "Adopt the charter", "text": f"We adopt it. {DECISION}", "kind": "consent", "closes_at": closes})
    assert response.status_code == 302, response.content[:300]
    world.ids["decision_pk"] = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    # A commitment the chamber holds (its representative updates it), a result and an indicator
    # with a figure, each made by the convenor on its page.
    base = f"/collaborate/{collaborative.slug}/"
    response = convenor.post(base + "commitments/new/", {"what": f"Count the bikes. {COMMITMENT}",
                                                         "partner": chamber.pk, "due": timezone.localdate().isoformat()})
    assert response.status_code == 302, response.content[:300]
    response = convenor.post(base + "results/new/", {"title": f"Cleaner air {RESULT}"})
    assert response.status_code == 302, response.content[:300]
    response = convenor.post(base + "results/indicators/new/", {"title": f"Bus riders {INDICATOR}", "unit": "riders",
                                                                "baseline": "100", "target": "150"})
    assert response.status_code == 302, response.content[:300]
    world.ids.update(commitment_pk=collaborative.commitments.get().pk, result_pk=collaborative.results.get().pk,
                     indicator_pk=collaborative.indicators.get().pk)
    # The API's names for the same things (/api/collaboratives/{slug}/...); the person whose role
    # the API's "end" reaches is the one who never opened their invitation.
    world.ids.update(slug=collaborative.slug, decision_id=world.ids["decision_pk"],
                     member_id=Member.objects.get(collaborative=collaborative, email="nobody-opened@example.org").pk,
                     commitment_id=world.ids["commitment_pk"], result_id=world.ids["result_pk"],
                     indicator_id=world.ids["indicator_pk"], wave_number=world.ids["network_number"],
                     kind="nodes.csv")  # the export whose partners' names hold the network's marker
    for link in links.values():
        world.secrets[signed_part(token_of(link))] = set()
