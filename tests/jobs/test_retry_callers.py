"""Features that keep their own link to a job (a review, a themes page, an import, a newsletter
issue) follow the new job when its failed one is tried again, and so still find their result."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from intersector.jobs.models import Job
from intersector.jobs.services import start_job

pytestmark = pytest.mark.django_db(transaction=True)

STOPPED = "The server doing this work stopped before it finished. Nothing you saved is lost."


def worker_died(client, job):
    """The job's worker died an hour ago; its page, once read, says so."""
    an_hour_ago = timezone.now() - timezone.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started=an_hour_ago,
                                         heartbeat=an_hour_ago)
    assert STOPPED in client.get(f"/jobs/{job.pk}/").content.decode()


def try_again(client, job):
    response = client.post(f"/jobs/{job.pk}/retry")
    again = Job.objects.get(retry_of=job)
    assert response["Location"] == f"/jobs/{again.pk}/"
    return again


def test_a_review_follows_the_new_try_and_gets_its_proposals(client, owner, run_worker):
    from intersector.agreements import services as agree
    from intersector.agreements.models import Review
    from tests.agreements.conftest import FIXTURE_SCORECARD, load

    agree.import_scorecard(load(FIXTURE_SCORECARD), note="test")
    text = (b"1. Purpose\n1.1 The partners work together on cleaner air for the whole city and its people.\n\n"
            b"2. Money\n2.1 Each partner pays an equal share of the costs, agreed every year in writing.")
    review = agree.create_review(owner=owner, upload=SimpleUploadedFile("pact.txt", text))
    client.force_login(owner)
    worker_died(client, review.job)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.FAILED)

    again = try_again(client, review.job)

    review.refresh_from_db()
    assert review.job == again and review.status == Review.Status.WAITING
    run_worker()
    review.refresh_from_db()
    assert review.status == Review.Status.READY and review.proposals.count() == 12


def test_a_review_whose_worker_died_says_so_and_leads_to_try_again(client, owner):
    from intersector.agreements import services as agree
    from tests.agreements.conftest import FIXTURE_SCORECARD, load

    agree.import_scorecard(load(FIXTURE_SCORECARD), note="test")
    text = (b"1. Purpose\n1.1 The partners work together on cleaner air for the whole city and its people.\n\n"
            b"2. Money\n2.1 Each partner pays an equal share of the costs, agreed every year in writing.")
    review = agree.create_review(owner=owner, upload=SimpleUploadedFile("pact.txt", text))
    client.force_login(owner)
    page = client.get(f"/agreements/reviews/{review.pk}/").content.decode()
    assert "being prepared" in page
    an_hour_ago = timezone.now() - timezone.timedelta(hours=1)
    Job.objects.filter(pk=review.job.pk).update(status=Job.Status.RUNNING, started=an_hour_ago,
                                                heartbeat=an_hour_ago)

    page = client.get(f"/agreements/reviews/{review.pk}/").content.decode()

    assert STOPPED in page and "being prepared" not in page
    assert f'href="/jobs/{review.job.pk}/"' in page and "Try again" in page
    assert 'hx-trigger="every 2s"' not in page  # it no longer asks every 2 s for nothing


@pytest.fixture
def themes_item(owner):
    from intersector.workshops import services as convene

    workshop = convene.create_workshop(owner, "Sector styles", "starter")
    item = workshop.items.get(kind="brainwriting")
    convene.go_to_item(workshop, item)
    return item


def test_the_themes_page_follows_the_new_try(client, owner, themes_item, run_worker):
    from intersector.workshops.activities.brainwriting import services as bw
    from intersector.workshops.activities.brainwriting.tasks import start_theming

    job = start_theming(themes_item, owner, count=3)
    bw.remember_job(themes_item, job, 3)
    client.force_login(owner)
    worker_died(client, job)

    again = try_again(client, job)

    themes_item.refresh_from_db()
    assert themes_item.state["themes_job"] == str(again.pk) and themes_item.state["theme_count"] == 3
    assert again.arguments == {"item_id": themes_item.pk, "count": 3}
    run_worker()
    page = client.get(f"/convene/{themes_item.workshop_id}/items/{themes_item.pk}/brainwriting/themes/").content.decode()
    assert 'id="job-status"' in page and STOPPED not in page and "There were too few new notes" in page


def test_the_themes_page_keeps_a_run_started_meanwhile(client, owner, themes_item):
    from intersector.workshops.activities.brainwriting import services as bw
    from intersector.workshops.activities.brainwriting.tasks import start_theming

    job = start_theming(themes_item, owner)
    bw.remember_job(themes_item, job)
    client.force_login(owner)
    worker_died(client, job)
    newer = start_theming(themes_item, owner)
    bw.remember_job(themes_item, newer)

    try_again(client, job)

    themes_item.refresh_from_db()
    assert themes_item.state["themes_job"] == str(newer.pk)


def test_a_resource_import_follows_the_new_try(client, owner):
    from intersector.library import services as learn
    from intersector.library.models import ResourceImport
    from intersector.library.tasks import import_resources

    upload = learn.store_upload(owner, "resources.csv", b"title,url\nA guide,https://example.org/guide\n")
    job = start_job(import_resources, label="Importing resources.csv", owner=owner,
                    kind="library.import_resources", upload_id=str(upload.pk))
    ResourceImport.objects.filter(pk=upload.pk).update(job=job)
    client.force_login(owner)
    worker_died(client, job)

    again = try_again(client, job)

    assert ResourceImport.objects.get(pk=upload.pk).job == again


def test_a_newsletter_issue_follows_the_new_try(client, owner):
    from intersector.library.models import NewsletterIssue
    from intersector.library.tasks import send_newsletter_issue

    issue = NewsletterIssue.objects.create(key="k" * 20, subject="News", created_by=owner)
    job = start_job(send_newsletter_issue, label="Sending News", owner=owner,
                    kind="library.newsletter", issue_id=issue.pk)
    NewsletterIssue.objects.filter(pk=issue.pk).update(job=job)
    client.force_login(owner)
    worker_died(client, job)

    again = try_again(client, job)

    assert NewsletterIssue.objects.get(pk=issue.pk).job == again
