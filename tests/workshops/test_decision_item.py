"""The decision item through the real URLs: a facilitator who convenes a collaborative chooses one
of its open decisions for an agenda item and runs it; phones show the proposal and the result so
far to everyone; its representative votes on a phone signed in as herself; an observer, someone
not signed in and an outsider are told plainly that they do not vote; the facilitator closes the
voting from the console; the votes and the closing land in the collaborative's decision log with
the workshop named in its history."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intersector.collaboratives import decisions
from intersector.collaboratives import services as collab
from intersector.collaboratives.models import Decision, DecisionEvent, Vote
from intersector.workshops import services
from tests.workshops.conftest import phone_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def compact(facilitator, django_user_model):
    """The facilitator convenes a collaborative of two partners; Dana represents one, Omar observes."""
    c = collab.create_collaborative(facilitator, name="Clean Air Compact")
    chamber = collab.add_partner(c, name="River City Chamber", sector="business")
    lung = collab.add_partner(c, name="Lung Health Alliance", sector="non-profit")
    c.accounts = {}
    for name, role, partner in (("dana", "representative", chamber), ("alex", "alternate", chamber),
                                ("omar", "observer", lung)):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-pass-phrase-42")
        member = collab.add_person(c, name=name.title(), email=f"{name}@example.org", role=role, partner=partner)
        member.user = user
        member.save(update_fields=["user"])
        c.accounts[name] = user
    return c


@pytest.fixture
def proposal(compact):
    return decisions.open_decision(compact, None, title="First project", text="Where do we start?", kind="dots",
                                   options=["Bus lanes", "Tree planting", "Clean buses"], dots=3,
                                   closes_at=timezone.now() + timedelta(days=2))


@pytest.fixture
def item(workshop):
    return services.add_item(workshop, "Decide the first project", "decision", 10)


def item_url(workshop, item, rest):
    return f"/convene/{workshop.pk}/items/{item.pk}/decision/{rest}"


def signed_in_phone(participant, user):
    phone = phone_for(Client, participant)
    phone.force_login(user)
    return phone


def test_the_facilitator_puts_a_decision_to_the_room_and_it_lands_in_the_log(console, facilitator, workshop, item,
                                                                              compact, proposal, join_phone):
    # The agenda offers the choice; the choice page lists the open decisions the facilitator convenes.
    assert "Choose the decision to put to the room" in console.get(f"/convene/{workshop.pk}/agenda/").content.decode()
    page = console.get(item_url(workshop, item, "choose/")).content.decode()
    assert "First project" in page and "Clean Air Compact" in page
    response = console.post(item_url(workshop, item, "choose/save/"), {"decision": proposal.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.config["decision"] == proposal.pk
    services.go_to_item(workshop, item)
    put = proposal.events.get(kind="workshop")
    assert put.detail == {"workshop": workshop.title, "workshop_id": workshop.pk} and put.member.user == facilitator
    # Every phone sees the proposal and the result so far, and how to vote.
    participant, phone = join_phone("Dana")
    screen = phone.get(f"/w/{workshop.code}/").content.decode()
    assert "First project" in screen and "Where do we start?" in screen and "Vote as yourself" in screen
    assert 'data-live-refresh="decision.voted"' in screen
    # Not signed in: asked to sign in, and brought back.
    response = phone.get(f"/w/{workshop.code}/decision/vote/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    # Dana, signed in on her phone, spreads her dots; the log has it, naming the workshop.
    dana = signed_in_phone(participant, compact.accounts["dana"])
    page = dana.get(f"/w/{workshop.code}/decision/vote/").content.decode()
    assert "Spread your 3 dots over the options" in page
    assert "You vote as Dana, Representative for River City Chamber." in page
    bus, trees, buses = proposal.options.all()
    response = dana.post(f"/w/{workshop.code}/decision/vote/", {f"option-{bus.pk}": "2", f"option-{buses.pk}": "1"},
                         follow=True)
    assert "Your vote is counted for River City Chamber." in response.content.decode()
    vote = Vote.objects.get()
    assert vote.allocation == {str(bus.pk): 2, str(buses.pk): 1} and vote.member.user == compact.accounts["dana"]
    voted = DecisionEvent.objects.get(kind="voted")
    assert voted.detail["workshop"] == workshop.title
    # The console and the projector show the standing result.
    assert "An option carries so far" in console.get(f"/convene/{workshop.pk}/").content.decode()
    # The facilitator closes it from the console: the outcome is in the log, with the workshop named.
    assert console.post(item_url(workshop, item, "close/")).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.result == "carried" and proposal.chosen == bus
    closed = proposal.events.get(kind="closed")
    assert closed.detail["workshop"] == workshop.title and closed.member.user == facilitator
    log = console.get(proposal.get_absolute_url()).content.decode()
    assert f"Put to the room in the workshop “{workshop.title}”" in log
    assert f"Dana voted in the workshop “{workshop.title}”" in log
    assert f"The voting closed in the workshop “{workshop.title}”" in log
    # A vote after the closing: a clear 409, and nothing changes.
    response = dana.post(f"/w/{workshop.code}/decision/vote/", {f"option-{trees.pk}": "3"})
    assert response.status_code == 409 and Vote.objects.count() == 1
    assert "Closed: Carried" in phone.get(f"/w/{workshop.code}/").content.decode()


def test_who_does_not_vote_from_the_room_is_told_why(workshop, item, compact, proposal, join_phone, django_user_model):
    item.config = {"decision": proposal.pk}
    item.save()
    services.go_to_item(workshop, item)
    participant, _phone = join_phone("Omar")
    omar = signed_in_phone(participant, compact.accounts["omar"])
    response = omar.get(f"/w/{workshop.code}/decision/vote/")
    assert response.status_code == 403 and "Only the representatives and alternates" in response.content.decode()
    bus = proposal.options.first()
    assert omar.post(f"/w/{workshop.code}/decision/vote/", {f"option-{bus.pk}": "1"}).status_code == 403
    stranger = django_user_model.objects.create_user("sam", "sam@example.org", "a-long-pass-phrase-42")
    response = signed_in_phone(participant, stranger).post(f"/w/{workshop.code}/decision/vote/",
                                                           {f"option-{bus.pk}": "1"})
    assert response.status_code == 403
    # A signed-in member whose phone has not joined the workshop is sent to join it.
    outsider = Client()
    outsider.force_login(compact.accounts["dana"])
    assert outsider.get(f"/w/{workshop.code}/decision/vote/").status_code == 403
    assert not Vote.objects.exists()


def test_refusals_in_the_room_keep_what_was_typed(workshop, item, compact, proposal, join_phone):
    item.config = {"decision": proposal.pk}
    item.save()
    participant, _phone = join_phone("Dana")
    dana = signed_in_phone(participant, compact.accounts["dana"])
    bus, trees, _buses = proposal.options.all()
    # Not running yet: a plain 409.
    assert dana.get(f"/w/{workshop.code}/decision/vote/").status_code == 409
    services.go_to_item(workshop, item)
    response = dana.post(f"/w/{workshop.code}/decision/vote/", {f"option-{bus.pk}": "3", f"option-{trees.pk}": "2"})
    page = response.content.decode()
    assert response.status_code == 400 and "You placed 5 dots but have 3: take 2 off." in page
    assert f'name="option-{bus.pk}" value="3"' in page and f'name="option-{trees.pk}" value="2"' in page
    assert not Vote.objects.exists()
    # An alternate's vote after the representative's is kept, not counted, and the phone says so.
    dana.post(f"/w/{workshop.code}/decision/vote/", {f"option-{bus.pk}": "3"})
    alex = signed_in_phone(join_phone("Alex")[0], compact.accounts["alex"])
    response = alex.post(f"/w/{workshop.code}/decision/vote/", {f"option-{trees.pk}": "3"}, follow=True)
    assert "recorded but not counted" in response.content.decode()
    assert list(Vote.objects.order_by("pk").values_list("state", flat=True)) == ["counted", "not-counted"]


def test_choosing_a_decision_is_for_its_convenors_and_the_workshops_facilitators(console, workshop, item, compact,
                                                                                 proposal, django_user_model):
    # Another collaborative's decision, one the facilitator does not convene: refused plainly.
    other_convenor = django_user_model.objects.create_user("olga", "olga@example.org", "a-long-pass-phrase-42")
    other = collab.create_collaborative(other_convenor, name="Parks Together")
    theirs = decisions.open_decision(other, None, title="Their secret", text="x", kind="consent",
                                     closes_at=timezone.now() + timedelta(days=1))
    assert "Their secret" not in console.get(item_url(workshop, item, "choose/")).content.decode()
    response = console.post(item_url(workshop, item, "choose/save/"), {"decision": theirs.pk})
    assert response.status_code == 400 and "Choose one of the open decisions" in response.content.decode()
    assert console.post(item_url(workshop, item, "choose/save/"), {"decision": "x"}).status_code == 400
    decisions.close_decision(proposal, None)
    assert console.post(item_url(workshop, item, "choose/save/"), {"decision": proposal.pk}).status_code == 400
    item.refresh_from_db()
    assert not item.config.get("decision")
    # Someone who does not run the workshop: 404 for the pages and the actions.
    olga = Client()
    olga.force_login(other_convenor)
    assert olga.get(item_url(workshop, item, "choose/")).status_code == 404
    assert olga.post(item_url(workshop, item, "choose/save/"), {"decision": theirs.pk}).status_code == 404
    assert olga.post(item_url(workshop, item, "close/")).status_code == 404
    assert Decision.objects.get(pk=theirs.pk).status == "open"


def test_a_co_facilitator_who_is_not_a_convenor_cannot_close_it(workshop, item, compact, proposal,
                                                                django_user_model):
    from intersector.workshops.models import Facilitator

    helper = django_user_model.objects.create_user("hugo", "hugo@example.org", "a-long-pass-phrase-42")
    Facilitator.objects.create(workshop=workshop, user=helper)
    item.config = {"decision": proposal.pk}
    item.save()
    services.go_to_item(workshop, item)
    hugo = Client()
    hugo.force_login(helper)
    response = hugo.post(item_url(workshop, item, "close/"))
    assert response.status_code == 403 and "Only a convenor of Clean Air Compact" in response.content.decode()
    assert Decision.objects.get(pk=proposal.pk).status == "open"


def test_a_copied_workshop_chooses_its_decision_again(facilitator, workshop, item, proposal):
    item.config = {"decision": proposal.pk}
    item.save()
    copy = services.duplicate_workshop(facilitator, workshop)
    assert copy.items.get(kind="decision").config == {"decision": None}


def test_a_vote_from_the_decision_log_refreshes_the_room_showing_it(workshop, item, compact, proposal, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr("intersector.workshops.services.publish",
                        lambda topic, event, data=None: sent.append((topic, event)))
    item.config = {"decision": proposal.pk}
    item.save()
    rep = compact.members.get(role="representative")
    bus = proposal.options.first()
    # Not on the room's screens yet: a vote in the log tells no workshop.
    with django_capture_on_commit_callbacks(execute=True):
        decisions.cast_vote(proposal, rep, allocation={str(bus.pk): 1})
    assert not [s for s in sent if s[1] == "decision.voted"]
    services.go_to_item(workshop, item)
    sent.clear()
    dana = Client()
    dana.force_login(compact.accounts["dana"])
    with django_capture_on_commit_callbacks(execute=True):
        assert dana.post(f"{proposal.get_absolute_url()}vote/", {f"option-{bus.pk}": "3"}).status_code == 302
    assert (workshop.topic, "decision.voted") in sent and (workshop.phone_topic(), "decision.voted") in sent
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.close_decision(proposal, None)
    assert (workshop.topic, "decision.voted") in sent
