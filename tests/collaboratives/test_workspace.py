"""Collaborate's workspace through its real URLs: starting one, partners and people, invitations,
the five steps and worksheets; and the refusals that go with each."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from intersector.collaboratives import services
from intersector.collaboratives.models import Member, Step, WorksheetVersion

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_starting_a_collaborative_makes_its_five_steps_with_the_toolkit_on_them(client, toolkit, people):
    signed_in(client, people["convenor"])
    response = client.post("/collaborate/new/", {"name": "Clean Air Compact", "issue": "Air quality",
                                                 "place": "River City", "purpose": "Cleaner air"})
    assert response.status_code == 302 and response["Location"] == "/collaborate/clean-air-compact/partners/"
    steps = list(Step.objects.filter(collaborative__slug="clean-air-compact"))
    assert [s.key for s in steps] == ["assess", "organize", "educate", "negotiate", "implement"]
    assert all(step.tools.exists() for step in steps)
    assert "engage-potential-partners" in steps[0].tools.values_list("slug", flat=True)
    convenor = Member.objects.get(collaborative__slug="clean-air-compact")
    assert convenor.role == "convenor" and convenor.user == people["convenor"]
    page = client.get("/collaborate/clean-air-compact/").content.decode()
    assert "Clean Air Compact" in page and "Assess" in page and "Implement" in page


def test_a_collaborative_needs_a_name_and_an_account(client, toolkit, people):
    assert client.get("/collaborate/new/").status_code == 302  # to sign in
    signed_in(client, people["convenor"])
    response = client.post("/collaborate/new/", {"name": "   "})
    assert response.status_code == 400 and "Give the name" in response.content.decode()
    # A name that would take one of Collaborate's own addresses gets another.
    client.post("/collaborate/new/", {"name": "New"})
    assert client.get("/collaborate/new/").status_code == 200


PAGES = ["/collaborate/{slug}/", "/collaborate/{slug}/partners/", "/collaborate/{slug}/steps/",
         "/collaborate/{slug}/steps/assess/tools/engage-potential-partners/", "/collaborate/{slug}/commitments/",
         "/collaborate/{slug}/results/"]


@pytest.mark.parametrize("who, expected", [
    ("convenor", 200), ("rep", 200), ("alt", 200), ("observer", 200),
    ("elsewhere", 404), ("stranger", 404), (None, 404)])
def test_who_sees_the_partner_pages(client, collaborative, people, who, expected):
    if who:
        signed_in(client, people[who])
    for page in PAGES:
        assert client.get(page.format(slug=collaborative.slug)).status_code == expected, page


def test_a_published_collaborative_shows_the_public_only_its_public_page(client, collaborative, people):
    collaborative.published = True
    collaborative.save()
    page = client.get(f"/collaborate/{collaborative.slug}/").content.decode()
    assert "Cleaner air" in page and "River City Chamber" not in page and "Rep" not in page
    assert client.get(f"/collaborate/{collaborative.slug}/partners/").status_code == 403
    signed_in(client, people["stranger"])
    assert client.get(f"/collaborate/{collaborative.slug}/steps/").status_code == 403
    assert "Clean Air Compact" in client.get("/collaborate/").content.decode()


MANAGE = [
    ("/collaborate/{slug}/partners/manage/", {"action": "group", "name": "Transport"}),
    ("/collaborate/{slug}/partners/manage/", {"action": "partner", "name": "Bus Co", "sector": "business"}),
    ("/collaborate/{slug}/steps/assess/", {"action": "step", "status": "under-way"}),
]


@pytest.mark.parametrize("who, expected", [
    ("convenor", 302), ("rep", 403), ("alt", 403), ("observer", 403), ("elsewhere", 404), ("stranger", 404),
    (None, 404)])
def test_only_a_convenor_manages(client, collaborative, people, who, expected):
    if who:
        signed_in(client, people[who])
    for url, data in MANAGE:
        assert client.post(url.format(slug=collaborative.slug), data).status_code == expected, (url, data)


@pytest.mark.parametrize("who, expected", [
    ("convenor", 302), ("rep", 302), ("alt", 302), ("observer", 403), ("elsewhere", 404), ("stranger", 404)])
def test_who_writes_worksheets(client, collaborative, people, who, expected):
    signed_in(client, people[who])
    url = f"/collaborate/{collaborative.slug}/steps/assess/tools/engage-potential-partners/"
    answers = {"answer-0": "The chamber and the clinics", "based_on": "0"}
    assert client.post(url, answers).status_code == expected


def test_the_convenor_adds_groups_partners_and_people_and_each_is_invited_by_e_mail(client, collaborative, people):
    signed_in(client, people["convenor"])
    url = f"/collaborate/{collaborative.slug}/partners/manage/"
    assert client.post(url, {"action": "group", "name": "Transport"}).status_code == 302
    group = collaborative.groups.get(name="Transport")
    assert client.post(url, {"action": "partner", "name": "Metro Transit", "sector": "government",
                             "group": group.pk}).status_code == 302
    transit = collaborative.partners.get(organisation__name="Metro Transit")
    assert transit.group == group and transit.organisation.sector == "government"
    response = client.post(url, {"action": "person", "partner": transit.pk, "name": "Dana Ortiz",
                                 "email": "Dana@Example.org", "role": "representative"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.org"]
    assert "/collaborate/join/" in mail.outbox[0].body
    page = client.get(f"/collaborate/{collaborative.slug}/partners/").content.decode()
    assert "Metro Transit" in page and "Dana Ortiz" in page and "Transport" in page


def test_bad_input_is_a_clear_message_not_a_crash(client, collaborative, people):
    signed_in(client, people["convenor"])
    url = f"/collaborate/{collaborative.slug}/partners/manage/"
    cases = [
        ({"action": "group", "name": "Business"}, 409, "already a group"),
        ({"action": "partner", "name": "River City Chamber", "sector": "business"}, 409, "already a partner"),
        ({"action": "partner", "name": "X", "sector": "pirates"}, 400, "sector"),
        ({"action": "person", "partner": collaborative.chamber.pk, "name": "Second", "role": "representative"},
         409, "already has a representative"),
        ({"action": "person", "partner": collaborative.chamber.pk, "name": "Al", "role": "alternate",
          "email": "not-an-address"}, 400, "e-mail address"),
        ({"action": "person", "partner": collaborative.chamber.pk, "name": "Al", "role": "alternate",
          "starts": "2027-05-01", "ends": "2027-01-01"}, 400, "end date comes before"),
        ({"action": "person", "partner": collaborative.chamber.pk, "name": "Al", "role": "alternate",
          "starts": "soon"}, 400, "as a date"),
        ({"action": "person", "partner": "99999", "name": "Al", "role": "alternate"}, 400, "Choose the partner"),
        ({"action": "person", "partner": collaborative.chamber.pk, "name": "Al", "role": "king"}, 400, "role"),
        ({"action": "dance"}, 400, "Choose what to do"),
    ]
    for data, status, words in cases:
        response = client.post(url, data)
        assert response.status_code == status, data
        assert words in response.content.decode(), data
    step_url = f"/collaborate/{collaborative.slug}/steps/"
    assert client.post(step_url + "nowhere/", {"action": "step", "status": "done"}).status_code == 404
    assert client.post(step_url + "assess/", {"action": "step", "status": "finished"}).status_code == 400
    assert client.post(step_url + "assess/", {"action": "place", "tool": "x"}).status_code == 400
    assert client.get(step_url + "assess/tools/no-such-tool/").status_code == 404
    other_tool = "tell-the-story-of-the-collaboration"  # on Implement, not on Assess
    assert client.get(step_url + f"assess/tools/{other_tool}/").status_code == 404


def invitation_link(client, collaborative, people, email="dana@example.org", role="alternate"):
    signed_in(client, people["convenor"])
    client.post(f"/collaborate/{collaborative.slug}/partners/manage/", {
        "action": "person", "partner": collaborative.chamber.pk, "name": "Dana Ortiz", "email": email,
        "role": role})
    client.logout()
    return re.search(r"http://testserver(/collaborate/join/\S+/)", mail.outbox[-1].body).group(1)


def test_an_invited_person_without_an_account_makes_one_and_joins_once(client, collaborative, people,
                                                                       django_user_model):
    link = invitation_link(client, collaborative, people)
    page = client.get(link).content.decode()
    assert "invited as Alternate for River City Chamber" in page and "dana@example.org" in page
    assert client.post(link, {"password": "123"}).status_code == 400  # too short, numeric
    response = client.post(link, {"password": "clean-air-for-all-27", "name": "Dana Ortiz"})
    assert response.status_code == 302 and response["Location"] == f"/collaborate/{collaborative.slug}/"
    dana = django_user_model.objects.get(email="dana@example.org")
    assert Member.objects.get(name="Dana Ortiz").user == dana
    assert client.get(f"/collaborate/{collaborative.slug}/steps/").status_code == 200
    # The same link, opened by anyone else afterwards, is refused; its holder is let in.
    other = client_for(people["stranger"])
    assert other.post(link).status_code == 403
    assert client.get(link).status_code == 302


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_an_invited_person_with_an_account_joins_with_it(client, collaborative, people, django_user_model):
    link = invitation_link(client, collaborative, people, email="stranger@example.org")
    stranger = client_for(people["stranger"])
    assert "You are signed in as" in stranger.get(link).content.decode()
    assert stranger.post(link).status_code == 302
    assert stranger.get(f"/collaborate/{collaborative.slug}/").status_code == 200
    # Nobody can make a second account for an address that has one.
    link2 = invitation_link(client, collaborative, people, email="rep@example.org", role="observer")
    response = client.post(link2, {"password": "clean-air-for-all-27"})
    assert response.status_code == 409 and "sign in with it" in response.content.decode()


def test_an_altered_replaced_or_expired_invitation_is_refused(client, collaborative, people, settings):
    link = invitation_link(client, collaborative, people)
    assert client.get(link[:-3] + "xx/").status_code == 404
    member = Member.objects.get(name="Dana Ortiz")
    signed_in(client, people["convenor"])
    client.post(f"/collaborate/{collaborative.slug}/partners/manage/", {"action": "invite", "member": member.pk})
    client.logout()
    assert client.get(link).status_code == 404  # the new invitation replaced it
    new_link = re.search(r"http://testserver(/collaborate/join/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(new_link).status_code == 200
    import time

    from django.core import signing

    later = time.time() + (services.INVITE_DAYS + 1) * 86400
    original = signing.time.time
    signing.time.time = lambda: later
    try:
        assert client.get(new_link).status_code == 410
    finally:
        signing.time.time = original


def test_an_ended_role_no_longer_opens_the_workspace(client, collaborative, people):
    import datetime

    member = Member.objects.get(user=people["alt"])
    member.starts = datetime.date.today() - datetime.timedelta(days=30)
    member.save()
    services.end_membership(member, datetime.date.today() - datetime.timedelta(days=1))
    signed_in(client, people["alt"])
    assert client.get(f"/collaborate/{collaborative.slug}/").status_code == 404
    convenor = Member.objects.get(user=people["convenor"])
    with pytest.raises(services.Refused):
        services.end_membership(convenor)  # the last convenor stays


def test_worksheets_keep_every_version_with_its_author_and_each_collaborative_its_own(client, collaborative,
                                                                                       people):
    url = f"/collaborate/{collaborative.slug}/steps/assess/tools/engage-potential-partners/"
    rep, alt = client_for(people["rep"]), client_for(people["alt"])
    assert rep.post(url, {"answer-0": "The chamber", "based_on": "0"}).status_code == 302
    # The alternate had the page open before the representative saved: both versions are kept.
    response = alt.post(url, {"answer-0": "The clinics", "based_on": "0"}, follow=True)
    assert "saved a version while you wrote" in response.content.decode()
    versions = list(WorksheetVersion.objects.order_by("number"))
    assert [(v.number, v.author.name, v.answers[0]["answer"]) for v in versions] == [
        (1, "Rep", "The chamber"), (2, "Alt", "The clinics")]
    page = rep.get(url).content.decode()
    assert "The clinics" in page and "Version 1 by Rep" in page
    # Another collaborative opening the same tool starts from nothing.
    services.create_collaborative  # (made in the fixture)
    elsewhere = client_for(people["elsewhere"])
    other = elsewhere.get(f"/collaborate/{collaborative.other.slug}/steps/assess/tools/engage-potential-partners/")
    assert other.status_code == 200 and "The chamber" not in other.content.decode()
    assert rep.post(url, {"based_on": "2"}).status_code == 400  # nothing written
    assert rep.post(url, {"answer-0": "x" * 5001, "based_on": "2"}).status_code == 400


def test_the_convenor_runs_the_steps(client, collaborative, people):
    signed_in(client, people["convenor"])
    owner = Member.objects.get(user=people["rep"])
    url = f"/collaborate/{collaborative.slug}/steps/"
    assert client.post(url + "assess/", {"action": "step", "status": "under-way", "starts": "2027-01-10",
                                         "ends": "2027-03-31", "owner": owner.pk}).status_code == 302
    step = collaborative.steps.get(key="assess")
    assert step.status == "under-way" and str(step.ends) == "2027-03-31" and step.owner == owner
    page = client.get(url).content.decode()
    assert "Under way" in page and "Led by Rep" in page
    from intersector.library.models import Tool

    story = Tool.objects.get(slug="tell-the-story-of-the-collaboration")
    assert client.post(url + "assess/", {"action": "place", "tool": story.pk}).status_code == 302
    assert step.tools.filter(pk=story.pk).exists()
    assert client.post(url + "assess/", {"action": "remove", "tool": story.pk}).status_code == 302
    assert not step.tools.filter(pk=story.pk).exists()
    rep = client_for(people["rep"])
    rep.post(url + "assess/tools/engage-potential-partners/", {"answer-0": "Kept", "based_on": "0"})
    engage = Tool.objects.get(slug="engage-potential-partners")
    assert client.post(url + "assess/", {"action": "remove", "tool": engage.pk}).status_code == 409


def test_the_demonstration_collaborative_loads_once_and_anyone_may_look_but_not_act(client, toolkit, people):
    from intersector.collaboratives.content import load_demonstration
    from intersector.collaboratives.models import Collaborative
    from tests.collaboratives.conftest import CONTENT

    summary = load_demonstration(CONTENT.parent)
    assert "48 partners, 105 people" in summary  # 104 partner people and the convenor
    demo = Collaborative.objects.get(demonstration=True)
    assert demo.groups.count() == 5
    assert demo.members.filter(role="representative").count() == 48
    assert {p.organisation.sector for p in demo.partners.all()} >= {"government", "business", "non-profit"}
    # A dozen decisions, consent and votes, open and closed (one vote per organisation), commitments
    # (some overdue, some done), results with sub-results, indicators with figures.
    decided = demo.decisions.all()
    assert decided.count() == 12 and {d.kind for d in decided} == {"consent", "vote"}
    assert decided.filter(status="open").count() == 3 and decided.filter(status="closed").count() == 9
    assert {"agreed", "blocked", "carried", "no-quorum"} <= {d.result for d in decided}
    assert all(d.per_organisation and d.closed_at < d.closes_at + timedelta(minutes=1) for d in decided.filter(
        status="closed"))
    counted = [v.seat for d in decided for v in d.votes.filter(state="counted")]
    assert len(counted) > 300 and len(set(zip(counted, [v.decision_id for d in decided
                                                        for v in d.votes.filter(state="counted")]))) == len(counted)
    assert demo.decisions.filter(votes__state="replaced").exists()  # a representative spoke over an alternate
    today = timezone.localdate()
    assert sum(c.is_overdue(today) for c in demo.commitments.all()) == 3
    assert demo.commitments.filter(status="done").count() == 3
    assert demo.commitments.filter(decision__isnull=False).count() == 10
    assert demo.results.filter(parent__isnull=True).count() == 3 and demo.results.count() == 15
    assert demo.indicators.count() == 4 and all(i.actuals.count() >= 3 for i in demo.indicators.all())
    assert "already loaded" in load_demonstration(CONTENT.parent)
    assert Collaborative.objects.filter(demonstration=True).count() == 1 and demo.decisions.count() == 12
    # A demonstration loaded before the decision log and results existed gets them once.
    from intersector.collaboratives.models import Vote

    Vote.objects.filter(decision__collaborative=demo).delete()
    for part in (demo.decisions, demo.commitments, demo.results, demo.indicators):
        part.all().delete()
    assert "added" in load_demonstration(CONTENT.parent)
    assert demo.decisions.count() == 12 and demo.results.count() == 15
    assert "already loaded" in load_demonstration(CONTENT.parent)
    for page in PAGES:
        response = client.get(page.format(slug=demo.slug))
        assert response.status_code == 200 and "demonstration" in response.content.decode()
    signed_in(client, people["stranger"])
    url = f"/collaborate/{demo.slug}/steps/assess/tools/engage-potential-partners/"
    assert "Families near the freeway" in client.get(url).content.decode()
    assert client.post(url, {"answer-0": "mine", "based_on": "1"}).status_code == 403
    assert client.post(f"/collaborate/{demo.slug}/partners/manage/", {"action": "group", "name": "X"}).status_code == 403


def test_the_convenor_links_one_of_their_agreements_as_the_charter(client, collaborative, people):
    from pathlib import Path

    import yaml

    from intersector.agreements import services as agree

    card = Path(__file__).resolve().parents[1] / "agreements" / "fixtures" / "scorecard.yaml"
    agree.import_scorecard(yaml.safe_load(card.read_text(encoding="utf-8")), note="test")
    agreement = agree.create_agreement(
        name="Clean Air Compact charter", purpose="How we work together.", form="mou", created_by=people["convenor"],
        partners=[{"name": "City", "sector": "government", "representative": "Carla", "user": people["convenor"]},
                  {"name": "Chamber", "sector": "business", "representative": "Rep"}])
    theirs = agree.create_agreement(
        name="Someone else's", purpose="Not yours.", form="mou", created_by=people["stranger"],
        partners=[{"name": "X", "sector": "business", "representative": "S", "user": people["stranger"]},
                  {"name": "Y", "sector": "government", "representative": "T"}])
    signed_in(client, people["convenor"])
    url = f"/collaborate/{collaborative.slug}/charter/"
    assert client.post(url, {"action": "link", "agreement": theirs.pk}).status_code == 400
    assert client.post(url, {"action": "link", "agreement": "abc"}).status_code == 400
    assert client.post(url, {"action": "link", "agreement": agreement.pk}).status_code == 302
    collaborative.refresh_from_db()
    assert collaborative.charter == agreement
    rep_page = client_for(people["rep"]).get(f"/collaborate/{collaborative.slug}/").content.decode()
    assert "Clean Air Compact charter" in rep_page and "Link as the charter" not in rep_page
    assert client_for(people["rep"]).post(url, {"action": "unlink"}).status_code == 403
    assert client.post(url, {"action": "unlink"}).status_code == 302
    collaborative.refresh_from_db()
    assert collaborative.charter is None


@pytest.mark.django_db(transaction=True)
def test_people_saving_one_worksheet_at_once_each_get_a_version(collaborative, people):
    """Threads on the real database (PostgreSQL in CI): no save is lost, numbers never repeat."""
    import threading

    from django.db import connection

    from intersector.collaboratives.models import Worksheet
    from intersector.library.models import Tool

    step = collaborative.steps.get(key="assess")
    sheet = services.worksheet_for(step, Tool.objects.get(slug="engage-potential-partners"))
    authors = list(Member.objects.filter(collaborative=collaborative, user__isnull=False))
    questions = len(sheet.tool.question_list)
    problems = []

    def save(n):
        try:
            services.save_worksheet(Worksheet.objects.get(pk=sheet.pk), authors[n % len(authors)],
                                    [f"answer {n}"] + [""] * (questions - 1), based_on=0)
        except services.Refused as refusal:
            problems.append(refusal.status)
        except Exception as error:  # noqa: BLE001 - any crash is the failure
            problems.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(WorksheetVersion.objects.filter(worksheet=sheet).values_list("number", flat=True))
    saved = len(numbers)
    assert all(p == 409 for p in problems), problems  # only the plain "save again", never a crash
    assert numbers == list(range(1, saved + 1)) and saved + len(problems) == 8
    if connection.vendor == "postgresql":
        assert saved == 8  # row locks: every save gets its turn
