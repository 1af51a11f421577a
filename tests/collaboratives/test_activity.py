"""What changed, through the real URLs: the feed (newest first, paged, for those who see the
collaborative), each person's digest setting, and the digest job that mails what changed since
the last one (once, even when two runs meet), started with the daily jobs and run by the real
database worker."""

import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from intersector.collaboratives import activity, decisions, health, services
from intersector.collaboratives.models import DecisionEvent, Member

pytestmark = pytest.mark.django_db


def _proposal(c, title, days_ago=0):
    convenor = c.members.get(role="convenor")
    decision = decisions.open_decision(c, convenor, title=title, text="A proposal.", kind="consent",
                                       closes_at=timezone.now() + timedelta(days=3))
    if days_ago:
        DecisionEvent.objects.filter(decision=decision).update(at=timezone.now() - timedelta(days=days_ago))
    return decision


def test_the_feed_lists_what_changed_newest_first(client, people, collaborative):
    c = collaborative
    rep = c.members.get(role="representative")
    rep.joined_at = timezone.now() - timedelta(days=3)
    rep.save(update_fields=["joined_at"])
    c.partners.update(joined=timezone.localdate() - timedelta(days=5))
    _proposal(c, "Adopt the charter", days_ago=2)
    wave = health.open_wave(c, c.members.get(role="convenor"))
    step = c.steps.get(key="assess")
    tool = step.tools.first()
    answers = ["Who else?"] + [""] * (len(tool.question_list) - 1)
    services.save_worksheet(services.worksheet_for(step, tool), rep, answers, based_on=0)
    client.force_login(people["observer"])
    page = client.get(f"/collaborate/{c.slug}/activity/").content.decode()
    order = [page.index(text) for text in (
        f"saved version 1 of the worksheet “{tool.title}”", f"{wave} opened",
        "opened the proposal “Adopt the charter” for votes", "Rep joined as representative for River City Chamber",
        "River City Chamber became a partner")]
    assert order == sorted(order)
    assert "Who else?" not in page  # what was written stays on its page


def test_the_feed_is_paged(client, people, collaborative):
    for n in range(activity.PAGE + 5):
        _proposal(collaborative, f"Proposal number {n:02d}", days_ago=1)
    client.force_login(people["rep"])
    url = f"/collaborate/{collaborative.slug}/activity/"
    first = client.get(url).content.decode()
    assert "Proposal number 34" in first and "Older changes" in first and "Newer changes" not in first
    second = client.get(url + "?page=2").content.decode()
    assert "Proposal number 00" in second and "Proposal number 34" not in second and "Newer changes" in second
    shown = sum(f"Proposal number {n:02d}" in first or f"Proposal number {n:02d}" in second
                for n in range(activity.PAGE + 5))
    assert shown == activity.PAGE + 5  # every change on one page or the other
    assert client.get(url + "?page=9").status_code == 404
    assert client.get(url + "?page=zero").status_code == 200  # read as the first page


def test_the_feed_is_for_those_who_see_the_collaborative(client, people, collaborative):
    url = f"/collaborate/{collaborative.slug}/activity/"
    assert client.get(url).status_code == 404
    client.force_login(people["elsewhere"])
    assert client.get(url).status_code == 404
    client.force_login(people["observer"])
    assert client.get(url).status_code == 200


def test_a_person_chooses_a_digest(client, people, collaborative):
    url = f"/collaborate/{collaborative.slug}/settings/"
    client.force_login(people["alt"])
    assert "E-mail me what changed here" in client.get(url).content.decode()
    refused = client.post(url, {"digest": "hourly"})
    assert refused.status_code == 400 and "Choose no e-mail, once a day or once a week" in refused.content.decode()
    response = client.post(url, {"digest": "weekly"}, follow=True)
    assert "Saved. Once a week." in response.content.decode()
    member = Member.objects.get(user=people["alt"], collaborative=collaborative)
    assert member.digest == "weekly" and member.digest_sent_at is not None
    client.force_login(people["elsewhere"])
    assert client.post(url, {"digest": "daily"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_demonstration_visitor_has_no_settings_there(client, people, collaborative):
    collaborative.demonstration = True
    collaborative.save(update_fields=["demonstration"])
    client.force_login(people["stranger"])
    assert client.get(f"/collaborate/{collaborative.slug}/activity/").status_code == 200
    refused = client.post(f"/collaborate/{collaborative.slug}/settings/", {"digest": "daily"})
    assert refused.status_code == 403 and "Only people who take part" in refused.content.decode()


def test_the_digest_mails_what_changed_since_the_last_once(collaborative, mailoutbox):
    c = collaborative
    rep = c.members.get(role="representative")
    activity.set_digest(rep, "daily")
    start = rep.digest_sent_at
    _proposal(c, "Before the digest was chosen", days_ago=1)
    _proposal(c, "Bus lanes on Main Street")
    now = start + timedelta(days=1)
    assert activity.send_due_digests(now) == (1, 0)
    mail = mailoutbox[-1]
    assert mail.to == ["rep@example.org"] and mail.subject == "What changed in Clean Air Compact"
    assert "Bus lanes on Main Street" in mail.body and "Before the digest" not in mail.body
    assert "/collaborate/clean-air-compact/settings/" in mail.body
    # A second run at the same time, or an hour later: nothing twice
    assert activity.send_due_digests(now) == (0, 0)
    assert activity.send_due_digests(now + timedelta(hours=1)) == (0, 0)
    # The next day with nothing new: no e-mail, but the day is counted
    assert activity.send_due_digests(now + timedelta(days=1)) == (0, 0)
    assert len(mailoutbox) == 1
    rep.refresh_from_db()
    assert rep.digest_sent_at == now + timedelta(days=1)


def test_the_digest_comes_in_the_language_it_was_chosen_in(client, people, collaborative, mailoutbox):
    url = f"/collaborate/{collaborative.slug}/settings/"
    client.force_login(people["rep"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Envíeme por correo" in page or "lang=\"es\"" in page
    assert client.post(url, {"digest": "daily"}, HTTP_ACCEPT_LANGUAGE="es").status_code == 302
    rep = Member.objects.get(user=people["rep"], collaborative=collaborative)
    assert rep.digest_language == "es"
    _proposal(collaborative, "Carriles bus en la calle Mayor")
    assert activity.send_due_digests(rep.digest_sent_at + timedelta(days=1)) == (1, 0)
    mail = mailoutbox[-1]
    assert mail.subject == "Qué cambió en Clean Air Compact"
    assert "abrió la propuesta «Carriles bus en la calle Mayor» a votación" in mail.body
    assert "opened the proposal" not in mail.body
    # Saved again from an English page: the next digest is in English.
    assert client.post(url, {"digest": "daily"}, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    rep.refresh_from_db()
    assert rep.digest_language == "en"


def test_weekly_digests_wait_a_week_and_ended_roles_get_none(collaborative, mailoutbox):
    c = collaborative
    rep, alt = c.members.get(role="representative"), c.members.get(role="alternate")
    activity.set_digest(rep, "weekly")
    activity.set_digest(alt, "daily")
    Member.objects.filter(pk=alt.pk).update(ends=timezone.localdate() - timedelta(days=1),
                                            starts=timezone.localdate() - timedelta(days=30))
    _proposal(c, "Tree planting")
    start = timezone.now()
    assert activity.send_due_digests(start + timedelta(days=2)) == (0, 0)
    assert activity.send_due_digests(start + timedelta(days=7)) == (1, 0)
    assert [m.to for m in mailoutbox] == [["rep@example.org"]]


def test_a_failed_mail_is_tried_again_on_the_next_run(collaborative, mailoutbox, settings):
    rep = collaborative.members.get(role="representative")
    activity.set_digest(rep, "daily")
    _proposal(collaborative, "Cycle paths")
    later = timezone.now() + timedelta(days=1)
    settings.EMAIL_BACKEND = "tests.collaboratives.test_activity.BrokenMail"
    assert activity.send_due_digests(later) == (0, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert activity.send_due_digests(later + timedelta(minutes=5)) == (1, 0)
    assert "Cycle paths" in mailoutbox[-1].body


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")


@pytest.mark.django_db(transaction=True)
def test_the_daily_jobs_send_the_digests_through_the_worker(toolkit, people, mailoutbox, settings):
    from intersector.jobs.daily import start_daily_jobs
    from intersector.jobs.models import Job

    c = services.create_collaborative(people["convenor"], name="Digest Valley")
    partner = services.add_partner(c, name="Digest Chamber", sector="business")
    rep = services.add_person(c, name="Rep", email="rep@example.org", role="representative", partner=partner)
    activity.set_digest(rep, "daily")
    Member.objects.filter(pk=rep.pk).update(digest_sent_at=timezone.now() - timedelta(days=1))
    _proposal(c, "Shared data portal")
    settings.DAILY_JOBS_HOUR = 0
    assert "collaboratives.send_digests" in [job.kind for job in start_daily_jobs()]
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
    job = Job.objects.get(kind="collaboratives.send_digests")
    assert job.status == "done" and job.result["summary"] == "Digests sent: 1."
    assert [m.subject for m in mailoutbox if "Shared data portal" in m.body] == ["What changed in Digest Valley"]
