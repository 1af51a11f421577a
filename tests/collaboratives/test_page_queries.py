"""Every workspace page asks the database a fixed number of times, however many partners, people,
decisions and votes the collaborative has (bench/bench_collaborate.py times them at 480
organisations, 1,040 people and 2,000 decisions), and long lists come in pages.

Each page is read as the convenor (who sees every form), then the collaborative grows (more
partners with their people, more decisions with votes, more health answers) and the page must
ask no more than before, and never more than its pinned number."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intersector.collaboratives import decisions, health, services
from intersector.collaboratives.models import Member

pytestmark = pytest.mark.django_db

# The most statements each page may run: as measured when these were pinned, plus one.
PINNED = {"home": 10, "partners": 13, "steps": 11, "worksheet": 10, "decisions": 7, "decision": 14,
          "health": 6, "health results": 9, "api decisions": 8, "api partners": 7, "api votes": 8,
          "activity": 11, "results": 8}


def grow(collaborative, n, groups):
    """n more partners (a representative and an alternate each), each voting on n more decisions,
    and each answering the open health check."""
    convenor = collaborative.members.get(role=Member.Role.CONVENOR)
    start = collaborative.partners.count()
    reps = []
    for i in range(start, start + n):
        partner = services.add_partner(collaborative, name=f"Partner {i}", sector=["business", "government",
                                       "non-profit"][i % 3], group=groups[i % len(groups)])
        reps.append(services.add_person(collaborative, name=f"Rep {i}", email="", role="representative",
                                        partner=partner))
        services.add_person(collaborative, name=f"Alt {i}", email="", role="alternate", partner=partner)
    for i in range(n):
        kind = "vote" if i % 2 else "consent"
        decision = decisions.open_decision(collaborative, convenor, title=f"Proposal {start + i}", text="Text",
                                           kind=kind, options=["One", "Two"] if kind == "vote" else (),
                                           closes_at=timezone.now() + timedelta(days=2))
        for rep in reps:
            decisions.cast_vote(decision, rep, choice="agree", option=decision.options.first())
        if i % 2:
            decisions.close_decision(decision, convenor)
    # A health check each time, answered by every representative so far, then closed.
    wave = health.open_wave(collaborative, convenor)
    for rep in collaborative.members.filter(role="representative"):
        health.answer(wave, rep, {factor.key: 3 + rep.pk % 3 for factor in health.factors()})
    health.close_wave(wave)


def urls(collaborative):
    slug = collaborative.slug
    decision = collaborative.decisions.order_by("pk").first()
    wave = collaborative.health_waves.first()
    base = f"/collaborate/{slug}/"
    return {"home": base, "partners": base + "partners/", "steps": base + "steps/",
            "worksheet": base + "steps/assess/tools/engage-potential-partners/",
            "decisions": base + "decisions/", "decision": base + f"decisions/{decision.pk}/",
            "health": base + "health/", "health results": base + f"health/{wave.number}/",
            "api decisions": f"/api/collaboratives/{slug}/decisions",
            "api partners": f"/api/collaboratives/{slug}/partners",
            "api votes": f"/api/collaboratives/{slug}/decisions/{decision.pk}/votes",
            "activity": base + "activity/", "results": base + "results/"}


def counts(client, collaborative):
    found = {}
    for name, url in urls(collaborative).items():
        client.get(url)  # a first look may close a decision that is due, or make the worksheet
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found[name] = len(queries)
    return found


def test_no_page_asks_more_as_the_collaborative_grows(client, collaborative, people):
    client.force_login(people["convenor"])
    groups = list(collaborative.groups.all())
    convenor = collaborative.members.get(role=Member.Role.CONVENOR)
    sheet = services.worksheet_for(collaborative.steps.get(key="assess"),
                                   collaborative.steps.get(key="assess").tools.get(slug="engage-potential-partners"))
    services.save_worksheet(sheet, convenor, ["Who else?"] + [""] * (len(sheet.tool.question_list) - 1), based_on=0)
    grow(collaborative, 1, groups)
    grow(collaborative, 2, groups)  # a second health check: its results show the change since the first
    small = counts(client, collaborative)
    print("statements per page:", small)
    grow(collaborative, 4, groups)
    services.save_worksheet(sheet, convenor, ["Who else now?"] + [""] * (len(sheet.tool.question_list) - 1),
                            based_on=1)
    big = counts(client, collaborative)
    assert big == small, {name: (small[name], big[name]) for name in big if big[name] != small[name]}
    over = {name: (n, PINNED[name]) for name, n in big.items() if n > PINNED[name]}
    assert not over, f"pages asking more than pinned: {over}"


def test_the_decision_log_its_votes_and_the_partners_come_in_pages(client, collaborative, people, monkeypatch):
    from intersector.collaboratives import views, views_decisions

    client.force_login(people["convenor"])
    convenor = collaborative.members.get(role=Member.Role.CONVENOR)
    for i in range(views_decisions.LOG_PAGE + 2):
        decisions.open_decision(collaborative, convenor, title=f"Proposal number {i}", text="Text", kind="consent",
                                closes_at=timezone.now() + timedelta(days=2))
    base = f"/collaborate/{collaborative.slug}/decisions/"
    first = client.get(base).content.decode()
    assert f"Proposal number {views_decisions.LOG_PAGE + 1}<" in first and "Proposal number 0<" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    last = client.get(base + "?page=2").content.decode()
    assert "Proposal number 0<" in last and "Proposal number 1<" in last
    assert client.get(base + "?page=nonsense").status_code == 200  # the first page, not an error

    for i in range(views.PARTNER_PAGE):
        services.add_partner(collaborative, name=f"Member org {i:03d}", sector="business")
    page = client.get(f"/collaborate/{collaborative.slug}/partners/").content.decode()
    assert "Page 1 of 2" in page and "Member org 059" not in page.split('id="manage"')[0]
    # The "add a person" form still offers every partner, on every page.
    assert page.count("Member org ") >= views.PARTNER_PAGE
    second = client.get(f"/collaborate/{collaborative.slug}/partners/?page=2").content.decode()
    assert "Member org 059" in second.split('id="manage"')[0]

    # A decision's votes: a page at a time; its history says how many came.
    monkeypatch.setattr(views_decisions, "VOTE_PAGE", 1)
    decision = collaborative.decisions.order_by("pk").first()
    decisions.cast_vote(decision, collaborative.members.get(role="alternate"), choice="agree")
    decisions.cast_vote(decision, collaborative.members.get(role="representative"), choice="abstain")
    page = client.get(f"{base}{decision.pk}/").content.decode()
    assert "Page 1 of 2" in page and "Not counted any more" in page and "2 votes cast" in page
    second = client.get(f"{base}{decision.pk}/?page=2").content.decode()
    assert "Abstain" in second and "Not counted any more" not in second
