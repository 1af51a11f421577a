"""Commitments through their real URLs: the convenor makes one (directly, or from a decision once
it has an outcome), its holders record progress, others are refused; a date in the past is a
clear 400 with nothing lost; the daily job e-mails each overdue commitment's owner and the
convenors once, not every day (Django's locmem outbox)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intersector.collaboratives import commitments, decisions
from intersector.collaboratives.models import Commitment, Decision
from intersector.collaboratives.tasks import email_overdue_commitments
from intersector.jobs import daily
from intersector.jobs.models import Job

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def days(n):
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def convenor(collaborative):
    return collaborative.members.get(role="convenor")


@pytest.fixture
def decided(collaborative, convenor):
    """A consent proposal the chamber agreed to, closed by the convenor."""
    decision = decisions.open_decision(collaborative, convenor, title="Share commute data", text="We share it.",
                                       kind=Decision.Kind.CONSENT, closes_at=timezone.now() + timedelta(days=2))
    decisions.cast_vote(decision, collaborative.members.get(name="Rep"), choice="agree")
    return decisions.close_decision(decision, convenor)


def test_the_convenor_makes_a_commitment_from_a_decision_with_an_outcome(client, collaborative, people, decided):
    c = signed_in(client, people["convenor"])
    base = f"/collaborate/{collaborative.slug}/commitments/"
    form = c.get(f"{base}new/?decision={decided.pk}").content.decode()
    assert "Share commute data" in form and "Agreed" in form
    rep = collaborative.members.get(name="Rep")
    response = c.post(f"{base}new/", {"decision": decided.pk, "next": "decision", "what": "Send the first figures",
                                       "partner": collaborative.chamber.pk, "owner": rep.pk, "due": days(30)})
    assert response.status_code == 302 and response["Location"].endswith(f"/decisions/{decided.pk}/#commitments")
    made = collaborative.commitments.get()
    assert (made.decision, made.partner, made.owner, made.status) == (decided, collaborative.chamber, rep, "not-started")
    page = c.get(decided.get_absolute_url()).content.decode()
    assert "Commitments from this decision" in page and "Send the first figures" in page
    listing = signed_in(client, people["observer"]).get(base).content.decode()
    assert "Send the first figures" in listing and "Update this commitment" not in listing


def test_an_open_decision_cannot_make_commitments(collaborative, convenor):
    open_one = decisions.open_decision(collaborative, convenor, title="Still open", text="x", kind="consent",
                                       closes_at=timezone.now() + timedelta(days=2))
    with pytest.raises(Exception, match="still open") as refused:
        commitments.make_commitment(collaborative, convenor, what="Too early", due=timezone.localdate(),
                                    partner=collaborative.chamber, decision=open_one)
    assert refused.value.status == 409


def test_a_date_in_the_past_and_other_bad_input_are_refused_with_the_form_kept(client, collaborative, people):
    c = signed_in(client, people["convenor"])
    url = f"/collaborate/{collaborative.slug}/commitments/new/"
    response = c.post(url, {"what": "Plant trees", "partner": collaborative.lung.pk, "due": days(-1)})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"The date {days(-1)} has passed: choose today or a later date." in page
    assert "Plant trees" in page  # nothing typed is lost
    assert c.post(url, {"what": "Nobody holds it", "due": days(3)}).status_code == 400
    assert c.post(url, {"what": "Bad date", "partner": collaborative.lung.pk, "due": "soon"}).status_code == 400
    assert c.post(url, {"what": "", "partner": collaborative.lung.pk, "due": days(3)}).status_code == 400
    assert c.post(url, {"what": "x", "partner": "99999", "due": days(3)}).status_code == 400
    rep = collaborative.members.get(name="Rep")  # takes part for the chamber, not for the lung alliance
    response = c.post(url, {"what": "Mixed up", "partner": collaborative.lung.pk, "owner": rep.pk, "due": days(3)})
    assert response.status_code == 400 and "takes part for River City Chamber" in response.content.decode()
    assert c.get(url + "?decision=99999").status_code == 404
    assert not collaborative.commitments.exists()
    # Today is fine.
    assert c.post(url, {"what": "Today", "partner": collaborative.lung.pk, "due": days(0)}).status_code == 302


@pytest.fixture
def chamber_commitment(collaborative, convenor):
    return commitments.make_commitment(collaborative, convenor, what="Count the bikes", due=timezone.localdate(),
                                       partner=collaborative.chamber)


def test_the_partner_holders_record_progress_and_others_are_refused(client, collaborative, people,
                                                                     chamber_commitment):
    url = f"/collaborate/{collaborative.slug}/commitments/{chamber_commitment.pk}/"
    alt = signed_in(client, people["alt"])  # an alternate of the chamber holds it too
    response = alt.post(url, {"status": "under-way", "progress": "40", "note": "Two counters installed"})
    assert response.status_code == 302
    chamber_commitment.refresh_from_db()
    assert (chamber_commitment.status, chamber_commitment.progress) == ("under-way", 40)
    response = alt.post(url, {"status": "under-way", "progress": "140", "note": "Typo"})
    assert response.status_code == 400 and "from 0 to 100" in response.content.decode()
    assert "Typo" in response.content.decode()
    assert signed_in(client, people["observer"]).post(url, {"status": "done"}).status_code == 403
    assert signed_in(client, people["elsewhere"]).post(url, {"status": "done"}).status_code == 404
    assert signed_in(client, people["rep"]).post(url, {"action": "due", "due": days(9)}).status_code == 403
    client.logout()
    assert client.post(url, {"status": "done"}).status_code == 404
    assert signed_in(client, people["rep"]).post(url, {"status": "done"}).status_code == 302
    chamber_commitment.refresh_from_db()
    assert (chamber_commitment.status, chamber_commitment.progress) == ("done", 100)
    history = [(u.status, u.progress, u.said) for u in chamber_commitment.updates.order_by("at", "pk")]
    assert history == [("not-started", 0, "Made the commitment."), ("under-way", 40, "Two counters installed"),
                       ("done", 100, "")]


def test_a_person_named_on_it_updates_it_though_another_partner_holds_nothing(collaborative, convenor):
    observer = collaborative.members.get(name="Observer")
    rep = collaborative.members.get(name="Rep")
    lung = commitments.make_commitment(collaborative, convenor, what="Lung walk", due=timezone.localdate(),
                                       partner=collaborative.lung)
    assert not commitments.may_update(rep, lung)  # the chamber's representative: not theirs
    assert not commitments.may_update(observer, lung)  # observers follow, even for their own partner
    mine = commitments.make_commitment(collaborative, convenor, what="Rep's own", due=timezone.localdate(), owner=rep)
    assert commitments.may_update(rep, mine) and commitments.may_update(convenor, mine)


def overdue_one(collaborative, convenor, what, days_late, **holders):
    commitment = commitments.make_commitment(collaborative, convenor, what=what, due=timezone.localdate(), **holders)
    Commitment.objects.filter(pk=commitment.pk).update(due=timezone.localdate() - timedelta(days=days_late))
    return commitment


def test_the_daily_job_emails_each_overdue_commitment_once(client, collaborative, people, convenor, mailoutbox):
    rep = collaborative.members.get(name="Rep")
    late = overdue_one(collaborative, convenor, "Send the bike counts", 2, partner=collaborative.chamber, owner=rep)
    partner_only = overdue_one(collaborative, convenor, "Host the walk", 1, partner=collaborative.chamber)
    done = overdue_one(collaborative, convenor, "Already done", 3, partner=collaborative.chamber)
    commitments.record_progress(done, convenor, status="done")
    elsewhere = collaborative.other.members.get()  # another collaborative's convenor holds it
    overdue_one(collaborative.other, elsewhere, "Mow the park", 4, owner=elsewhere)
    commitments.make_commitment(collaborative, convenor, what="Due today", due=timezone.localdate(),
                                partner=collaborative.chamber)

    page = signed_in(client, people["observer"]).get(f"/collaborate/{collaborative.slug}/commitments/")
    assert page.content.decode().count("Overdue: due by") == 2

    # The worker starts the day's job once (after DAILY_JOBS_HOUR), and it runs.
    morning = timezone.localtime().replace(hour=9, minute=0)
    assert daily.start_daily_jobs(morning.replace(hour=3)) == []  # too early in the day
    started = daily.start_daily_jobs(morning)  # with the digests of what changed (test_activity.py)
    assert [job.kind for job in started] == ["collaboratives.email_overdue_commitments", "collaboratives.send_digests"]
    assert daily.start_daily_jobs(morning.replace(hour=15)) == []  # once a day
    email_overdue_commitments.call(job_id=str(started[0].pk))
    job = Job.objects.get(pk=started[0].pk)
    assert job.status == "done" and job.result["summary"] == "3 overdue commitments e-mailed."

    assert len(mailoutbox) == 3
    by_subject = {m.subject: m for m in mailoutbox}
    first = by_subject["Overdue in Clean Air Compact: Send the bike counts"]
    assert first.to == ["rep@example.org", "convenor@example.org"]  # the person, then the convenor
    assert f"/collaborate/{collaborative.slug}/commitments/#c{late.pk}" in first.body
    second = by_subject["Overdue in Clean Air Compact: Host the walk"]
    # No person named: the partner's representative and alternate, and the convenor.
    assert sorted(second.to) == ["alt@example.org", "convenor@example.org", "rep@example.org"]
    assert by_subject["Overdue in Parks Together: Mow the park"].to == ["elsewhere@example.org"]

    # The next day only the commitment that became overdue overnight is e-mailed; a second run, none.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert commitments.notify_overdue(tomorrow) == (1, 0)
    assert mailoutbox[-1].subject == "Overdue in Clean Air Compact: Due today"
    assert commitments.notify_overdue(tomorrow) == (0, 0)
    assert len(mailoutbox) == 4
    # A new date clears the record: once that one passes too, it is e-mailed again.
    commitments.change_due(partner_only, convenor, timezone.localdate())
    assert commitments.notify_overdue(tomorrow) == (1, 0)
    assert mailoutbox[-1].subject == "Overdue in Clean Air Compact: Host the walk" and len(mailoutbox) == 5


def test_an_email_that_fails_is_tried_again_next_time(collaborative, convenor, mailoutbox, settings):
    overdue_one(collaborative, convenor, "Fix the counter", 1, partner=collaborative.chamber)
    settings.EMAIL_BACKEND = "tests.collaboratives.test_commitments.BrokenMail"
    assert commitments.notify_overdue() == (0, 1)
    assert Commitment.objects.get().overdue_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert commitments.notify_overdue() == (1, 0)


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")


def test_a_demonstration_is_never_emailed(collaborative, convenor, mailoutbox):
    overdue_one(collaborative, convenor, "Demo", 1, partner=collaborative.chamber)
    collaborative.demonstration = True
    collaborative.save(update_fields=["demonstration"])
    assert commitments.notify_overdue() == (0, 0) and mailoutbox == []


def test_change_due_refuses_a_past_date(collaborative, convenor, chamber_commitment):
    with pytest.raises(Exception, match="today or a later date"):
        commitments.change_due(chamber_commitment, convenor, timezone.localdate() - timedelta(days=1))


def test_the_history_reads_in_each_readers_language_whoever_acted(client, collaborative, people):
    from datetime import date

    from django.utils.formats import date_format
    from django.utils.translation import override

    base = f"/collaborate/{collaborative.slug}/commitments/"
    c = signed_in(client, people["convenor"])  # the convenor works in Spanish
    assert c.post(f"{base}new/", {"what": "Contar las bicis", "partner": collaborative.chamber.pk, "due": days(3)},
                  HTTP_ACCEPT_LANGUAGE="es").status_code == 302
    made = collaborative.commitments.get()
    assert c.post(f"{base}{made.pk}/", {"action": "due", "due": days(10)}, HTTP_ACCEPT_LANGUAGE="es").status_code == 302
    signed_in(client, people["observer"])
    english = client.get(base, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get(base, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    old, new = (date.fromisoformat(days(n)) for n in (3, 10))
    with override("en"):
        moved_en = f"Moved the date from {date_format(old, 'j M Y')} to {date_format(new, 'j M Y')}."
    with override("es"):
        moved_es = f"Cambió la fecha del {date_format(old, 'j M Y')} al {date_format(new, 'j M Y')}."
    assert "Made the commitment." in english and moved_en in english
    assert "Creó el compromiso." not in english and "Cambió la fecha" not in english
    assert "Creó el compromiso." in spanish and moved_es in spanish
    assert "Made the commitment." not in spanish and "Moved the date from" not in spanish


@pytest.mark.django_db(transaction=True)
def test_notes_saved_before_are_read_in_each_language_after_the_upgrade(people):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils.translation import override

    from intersector.collaboratives.models import CommitmentUpdate

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        return executor.migrate(targets)

    old = migrate([("collaboratives", "0011_health_answer_outlives_member")]).apps
    Collaborative, Commitment_, Update = (old.get_model("collaboratives", name)
                                          for name in ("Collaborative", "Commitment", "CommitmentUpdate"))
    made = Commitment_.objects.create(collaborative=Collaborative.objects.create(name="C", slug="c"), what="x",
                                      due="2027-01-10")
    notes = ["Creó el compromiso.", "Moved the date from 2027-01-10 to 2027-02-01.",
             "Cambió la fecha del 2027-02-01 al 2027-03-01.", "Two counters installed"]
    for note in notes:
        Update.objects.create(commitment=made, status="not-started", progress=0, note=note)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    updates = list(CommitmentUpdate.objects.order_by("pk"))
    assert [u.kind for u in updates] == ["made", "moved", "moved", ""]
    with override("en"):
        assert [u.said for u in updates] == ["Made the commitment.", "Moved the date from 10 Jan 2027 to 1 Feb 2027.",
                                             "Moved the date from 1 Feb 2027 to 1 Mar 2027.", "Two counters installed"]
    with override("es"):
        assert updates[0].said == "Creó el compromiso." and updates[3].said == "Two counters installed"
        assert updates[2].said.startswith("Cambió la fecha del 1 ")
