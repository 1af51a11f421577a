"""A small but complete site for the input tests: one of every object a URL can name, and the
clients of the people who may open them (a facilitator who is also partner and curator, a
participant's phone, an invited guest, a stranger)."""

import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

TESTS = Path(__file__).resolve().parent.parent
SCORECARD = TESTS / "agreements" / "fixtures" / "scorecard.yaml"
LIBRARY = TESTS / "library" / "fixtures"
PASSWORD = "a-long-pass-phrase-42"
OLD_AGREEMENT = (
    b"1. Representatives\nEach partner names a representative and an alternate who may agree plans.\n\n"
    b"2. Money\nEach partner pays its own costs unless the partners agree otherwise in writing.\n\n"
    b"3. Ending\nAny partner may leave the partnership after giving three months of notice.\n"
)


@pytest.fixture
def fast_and_fresh(settings):
    """Cheap password hashing and a fresh cache (rate limits) for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"security-{uuid.uuid4()}"}}


def make_site(django_user_model):
    from intersector.agreements import services as agree
    from intersector.api.services import create_token
    from intersector.library import services as library
    from intersector.library import similar
    from intersector.library.content import load_library
    from intersector.library.models import Briefing, Case, Resource, Stage, Subscriber, Tool
    from intersector.workshops import services as convene
    from intersector.workshops.activities.brainwriting import services as bw

    staff = django_user_model.objects.create_user(
        "sam", "sam@example.org", PASSWORD, first_name="Sam", is_staff=True, is_superuser=True)
    similar.forget()
    load_library(LIBRARY)

    workshop = convene.create_workshop(staff, "Clean air workshop", "starter")
    item = workshop.items.get(kind="brainwriting")
    convene.go_to_item(workshop, item)
    bw.open_round(item)
    item.refresh_from_db()
    participant = convene.join(workshop, "Ana", "government", "")
    note, _created = bw.add_note(item, participant, "0", "government", "Slow approvals", "key-site-0001")

    scorecard, _created = agree.import_scorecard(yaml.safe_load(SCORECARD.read_text("utf-8")), note="test")
    agreement = agree.create_agreement(
        name="Riverton clean air", purpose="Cleaner air together.", form="mou", created_by=staff,
        partners=[{"name": "City of Riverton", "sector": "government", "representative": "Ana Ruiz",
                   "alternate": "", "user": staff},
                  {"name": "Clean Air Now", "sector": "non-profit", "representative": "Dana Smith",
                   "alternate": ""}])
    partner = agreement.partners.first()
    guest = agree.invite_guest(agreement, partner, name="Lee Adviser", email="lee@example.org",
                               role="commenter", link_for=lambda token: token)
    review = agree.create_review(owner=staff, upload=SimpleUploadedFile("old-agreement.txt", OLD_AGREEMENT),
                                 title="Old agreement")
    upload = library.store_upload(staff, "resources.csv", b"title,url\nA guide,https://example.org\n")
    subscriber = Subscriber.objects.create(email="reader@example.org")
    token, secret = create_token(staff, "Fuzz script")

    site = SimpleNamespace(
        staff=staff, workshop=workshop, item=item, participant=participant, note=note,
        scorecard=scorecard, agreement=agreement, partner=partner, guest=guest, review=review,
        job=review.job, upload=upload, subscriber=subscriber, api_token=token, api_secret=secret,
        element=next(iter(scorecard.card.elements)),
        invite_token=agree.invite_token(partner), guest_token=agree.guest_token(guest),
        newsletter_token=library.newsletter_link("library:newsletter_confirm", subscriber)
        .rstrip("/").rsplit("/", 1)[-1],
        uid=urlsafe_base64_encode(force_bytes(staff.pk)),
        reset_token=default_token_generator.make_token(staff),
        case=Case.objects.filter(live=True).first(), resource=Resource.objects.filter(live=True).first(),
        briefing=Briefing.objects.filter(live=True).first(), tool=Tool.objects.filter(live=True).first(),
        stage=Stage.objects.filter(live=True).first(),
    )
    site.clients = clients_for(site)
    return site


def clients_for(site):
    from intersector.workshops import services as convene
    from intersector.workshops.access import cookie_name

    staff = Client()
    staff.force_login(site.staff)
    phone = Client()
    phone.cookies[cookie_name(site.workshop)] = convene.token_for(site.participant)
    guest = Client()
    assert guest.get(f"/agreements/guest/{site.guest_token}/").status_code == 302
    return {"staff": staff, "phone": phone, "guest": guest, "stranger": Client()}


@pytest.fixture
def site(db, django_user_model, fast_and_fresh):
    return make_site(django_user_model)
