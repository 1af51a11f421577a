"""A large collaborative's progress report is a summary, not a dump: each long list names at most
report_sections.LISTED items (the best-connected partners, the commitments still to do; the 25
most recent decisions) and says, in the report itself, how many more there are and where they
are; nothing is cut from a small collaborative's report. Through the real URLs, in the page, the
PDF and the Word file."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from intersector.collaboratives import commitments, report_sections
from intersector.collaboratives.models import Decision, Visibility
from intersector.collaboratives.models_results import Commitment
from tests.collaboratives.test_report_network import surveyed  # noqa: F401  (a fixture)
from tests.collaboratives.test_reports import every_form, squash

pytestmark = pytest.mark.django_db


def _title(n):
    return f"Long-log decision {n:03d} ends."


@pytest.fixture
def long_log(collaborative):
    """61 closed decisions, decision 61 the most recent; the newest 55 marked public."""
    c = collaborative
    convenor = c.members.get(role="convenor")
    now = timezone.now()
    Decision.objects.bulk_create(
        Decision(collaborative=c, title=_title(n), text="A step of the plan.", opened_by=convenor,
                 opened_at=now - timedelta(days=100 - n, hours=1), closes_at=now - timedelta(days=100 - n),
                 closed_at=now - timedelta(days=100 - n), status=Decision.Status.CLOSED,
                 result=Decision.Result.AGREED if n % 4 else Decision.Result.NO_QUORUM,
                 tally={"took_part": 2, "seats": 2}, statement="Agreed at the partners' meeting.",
                 visibility=Visibility.PUBLIC if n > 6 else Visibility.PARTNERS)
        for n in range(1, 62))
    return c


def _listed(text):
    return [n for n in range(1, 62) if squash(_title(n)) in text]


def _texts(client, c, audience, form):
    """every_form's texts, HTML's entities read back (the page writes an apostrophe as &#x27;) and
    the Word file's text without its XML (a fact's label and value are runs apart)."""
    texts = {kind: html.unescape(text) for kind, text in every_form(client, c, audience, form).items()}
    texts["docx"] = re.sub(r"<[^>]+>", "", texts["docx"])
    return texts


def _fact(label, value, kind):
    """A Facts block's line as each form writes it (the page's colon is added by its CSS)."""
    return f"<dt>{squash(label)}</dt><dd>{value}</dd>" if kind == "page" else squash(f"{label}: {value}")


def test_a_long_log_lists_the_most_recent_decisions_and_says_how_many_more(client, people, long_log):
    assert report_sections.LISTED_DECISIONS == 25
    client.force_login(people["observer"])
    for kind, text in _texts(client, long_log, "partners", "detailed").items():
        assert _listed(text) == list(range(37, 62)), kind  # the 25 most recent, not the 36 earliest
        assert squash("The table lists the 25 most recent decisions; 36 earlier decisions are in the "
                      "workspace's list of decisions.") in text, kind
        # How many came to each outcome counts every decision, listed or not
        assert _fact("Agreed", 46, kind) in text and _fact("Quorum not met", 15, kind) in text, kind
    # Funders read the 55 marked public: the 25 most recent of those, and 30 more
    for kind, text in _texts(client, long_log, "funders", "detailed").items():
        assert _listed(text) == list(range(37, 62)), kind
        assert squash("The table lists the 25 most recent decisions; 30 earlier decisions are in the") in text, kind
        assert _fact("Agreed", 41, kind) in text and _fact("Quorum not met", 14, kind) in text, kind
    update = client.get(f"/collaborate/{long_log.slug}/reports/public/update/").content.decode()
    assert _listed(squash(update)) == list(range(56, 62)) and "And 49 earlier decisions." in update


def test_every_long_list_is_cut_to_the_limit_and_says_so(client, people, surveyed, monkeypatch):
    """With the limit at 2, the fixture's 4 partners, their network and 3 commitments stand for a
    large collaborative (480 partners against 50 is the same, and slow to build)."""
    c = surveyed
    convenor = c.members.get(role="convenor")
    today = timezone.localdate()
    made = [commitments.make_commitment(c, convenor, what=f"Commitment number {n}", due=today + timedelta(days=n * 4),
                                        partner=c.chamber) for n in range(3)]
    Commitment.objects.filter(pk=made[0].pk).update(due=today - timedelta(days=3))  # overdue by now
    client.force_login(people["convenor"])
    for kind, text in _texts(client, c, "partners", "detailed").items():  # under the limit nothing is cut
        assert "morethanareportcanlist" not in text and "partnerswiththemostties" not in text, kind
        assert "ValleyTransit" in text and "Commitmentnumber2" in text, kind
    monkeypatch.setattr(report_sections, "LISTED", 2)
    for kind, text in _texts(client, c, "partners", "detailed").items():
        assert squash("4 organisations are more than a report can list one by one: here they are by interest "
                      "group. The workspace's partners page lists every one.") in text, kind
        assert squash("The 2 partners with the most ties, numbered as on the map; the survey's page lists all 4.") \
            in text, kind
        assert squash("The table lists 2 commitments, those still to do first; 1 more is on the workspace's "
                      "commitments page.") in text, kind
        assert "Commitmentnumber0" in text and "Commitmentnumber1" in text, kind  # overdue, then due soonest
        assert "Commitmentnumber2" not in text, kind
    # The map of a large network: a path per sector, no element (hover title, label) per partner
    page = client.get(f"/collaborate/{c.slug}/reports/partners/detailed/").content.decode()
    assert '<svg class="network-map"' in page and 'class="node"' not in page
    assert "The table after the map lists the 2 partners with the most ties." in page
