"""A partner's invitation reaches only its invitee and acts for nobody else: it is e-mailed,
shown once to the person who sends it, claimed once (then bound to that browser or account),
expires, and can be sent again or withdrawn until it is opened."""

import re

import pytest
from django.test import Client

from intersector.agreements import services
from intersector.agreements.invitations import INVITE
from intersector.agreements.models import Partner, Rating
from tests.agreements.conftest import made_days_ago

pytestmark = pytest.mark.django_db


def url(agreement, rest=""):
    return f"/agreements/{agreement.pk}/{rest}"


def mailed_link(mailoutbox, email):
    message = [m for m in mailoutbox if m.to == [email]][-1]
    return re.search(r"http://testserver(/agreements/join/\S+/)", message.body).group(1)


@pytest.fixture
def started(client, scorecard, mailoutbox):
    """The City starts the agreement in `client` (no account); Energy and Clean Air are invited."""
    response = client.post("/agreements/new/", {
        "name": "Riverton clean air", "purpose": "Cleaner air.", "form": "mou",
        "partner-TOTAL_FORMS": "3", "partner-INITIAL_FORMS": "0",
        "partner-0-name": "City of Riverton", "partner-0-sector": "government",
        "partner-0-representative": "Ana Ruiz",
        "partner-1-name": "Riverton Energy", "partner-1-sector": "business",
        "partner-1-representative": "Chen Li", "partner-1-email": "chen@energy.example",
        "partner-2-name": "Clean Air Now", "partner-2-sector": "non-profit",
        "partner-2-representative": "Dana Smith", "partner-2-email": "dana@air.example"})
    assert response.status_code == 302
    from intersector.agreements.models import Agreement

    return Agreement.objects.get()


def opened(link):
    browser = Client()
    assert browser.get(link).status_code == 302
    return browser


def test_another_partners_browser_opening_a_claimed_link_is_refused_and_sees_nothing_of_it(
        started, client, mailoutbox):
    city = client
    city.post(url(started, "elements/vision/"), {"text": "Clean air by 2035.", "rating": "fully",
                                                 "comment": "city-private-note"})
    energy = opened(mailed_link(mailoutbox, "chen@energy.example"))
    energy_link = mailed_link(mailoutbox, "chen@energy.example")
    # The attack: the non-profit (in its own browser) opens Energy's link after Energy claimed it.
    ngo = opened(mailed_link(mailoutbox, "dana@air.example"))
    response = ngo.get(energy_link)
    assert response.status_code == 409, "a browser acting for one partner never takes another"
    stranger = Client()
    response = stranger.get(energy_link)
    html = response.content.decode()
    assert response.status_code == 403 and "already opened" in html and "new invitation" in html
    for secret in ("Riverton Energy", "Riverton clean air", "city-private-note", "Chen Li"):
        assert secret not in html, secret
    assert stranger.get(url(started)).status_code == 404
    assert stranger.post(url(started, "publish/"), {"published": "yes"}).status_code == 404
    assert stranger.post(url(started, "sign/"), {"name": "Mallory"}).status_code == 404
    assert "taking part as Clean Air Now" in ngo.get(url(started)).content.decode()
    assert "taking part as Riverton Energy" in energy.get(url(started)).content.decode()
    assert not Partner.objects.filter(signed_by="Mallory").exists()
    assert not Partner.objects.get(name="Riverton Energy").ratings_published


def test_an_unclaimed_link_binds_to_whoever_opens_it_first(started, mailoutbox):
    link = mailed_link(mailoutbox, "dana@air.example")
    first = opened(link)                       # why it goes only to the invitee, by e-mail
    assert "taking part as Clean Air Now" in first.get(url(started)).content.decode()
    assert Client().get(link).status_code == 403
    assert first.get(link).status_code == 302  # its holder may open it again


def test_no_partner_page_shows_another_partners_link_or_secret(started, client, mailoutbox):
    assert "/agreements/join/" in client.get(url(started, "invitations/")).content.decode()  # once
    energy = opened(mailed_link(mailoutbox, "chen@energy.example"))
    secrets = [p.secret for p in started.partners.all()]
    tokens_ = [services.invite_token(p) for p in started.partners.all()]
    for browser in (client, energy):
        for path in ("", "write/", "compare/", "history/", "guests/", "invitations/",
                     "scorecard.csv"):
            html = browser.get(url(started, path)).content.decode()
            assert "/agreements/join/" not in html, path
            for secret in secrets + tokens_:
                assert secret not in html, path
    assert "/agreements/join/" not in client.get("/agree/").content.decode()


def test_the_creator_is_bound_at_once_to_their_account(scorecard, django_user_model, mailoutbox):
    ana = django_user_model.objects.create_user("ana")
    browser = Client()
    browser.force_login(ana)
    browser.post("/agreements/new/", {
        "name": "Deal", "purpose": "x", "form": "mou", "partner-TOTAL_FORMS": "2",
        "partner-INITIAL_FORMS": "0", "partner-0-name": "City", "partner-0-sector": "government",
        "partner-0-representative": "Ana", "partner-1-name": "Energy",
        "partner-1-sector": "business", "partner-1-representative": "Chen",
        "partner-1-email": "chen@energy.example"})
    city = Partner.objects.get(name="City")
    assert city.user == ana and city.claimed and not city.claimed_browser
    other = Client()
    other.force_login(ana)
    assert "taking part as City" in other.get(url(city.agreement)).content.decode()
    assert len(mailoutbox) == 1


def test_an_expired_invitation_is_refused_but_its_holder_still_gets_in(started, mailoutbox,
                                                                       settings):
    energy = Partner.objects.get(name="Riverton Energy")
    old = made_days_ago(INVITE, {"p": energy.pk, "s": energy.secret}, 15)
    response = Client().get(f"/agreements/join/{old}/")
    assert response.status_code == 410 and "run out" in response.content.decode()
    assert not Partner.objects.get(pk=energy.pk).claimed
    holder = opened(mailed_link(mailoutbox, "chen@energy.example"))
    assert holder.get(f"/agreements/join/{old}/").status_code == 302
    settings.AGREEMENT_INVITE_DAYS = 30
    assert Client().get(f"/agreements/join/{old}/").status_code == 403   # valid again, but claimed


def test_the_overview_says_when_an_invitation_expired(started, client, settings):
    Partner.objects.filter(name="Riverton Energy").update(
        invited_at=Partner.objects.get(name="Riverton Energy").invited_at.replace(year=2020))
    html = client.get(url(started)).content.decode()
    assert "expired on" in html and "Send a new invitation to Riverton Energy" in html


def test_a_partner_withdraws_an_unopened_invitation(started, client, mailoutbox):
    link = mailed_link(mailoutbox, "dana@air.example")
    ngo = Partner.objects.get(name="Clean Air Now")
    response = client.post(url(started, f"partners/{ngo.pk}/withdraw/"), follow=True)
    assert "withdrawn" in response.content.decode()
    assert Client().get(link).status_code == 404
    assert "No invitation has been sent yet." in client.get(url(started)).content.decode()
    again = client.post(url(started, f"partners/{ngo.pk}/withdraw/"))
    assert again.status_code == 409 and "no open invitation to withdraw" in again.content.decode()
    # An invitation already opened cannot be withdrawn or sent again by another partner.
    energy = Partner.objects.get(name="Riverton Energy")
    opened(mailed_link(mailoutbox, "chen@energy.example"))
    assert client.post(url(started, f"partners/{energy.pk}/withdraw/")).status_code == 409
    response = client.post(url(started, f"partners/{energy.pk}/invite/"),
                           {"email": "mallory@example.org"})
    assert response.status_code == 409 and "already opened" in response.content.decode()
    assert not [m for m in mailoutbox if m.to == ["mallory@example.org"]]


def test_a_partner_sends_an_invitation_again_with_a_new_link_shown_once(started, client,
                                                                       mailoutbox):
    old_link = mailed_link(mailoutbox, "dana@air.example")
    ngo = Partner.objects.get(name="Clean Air Now")
    client.get(url(started, "invitations/"))          # the links of the start, seen once
    response = client.post(url(started, f"partners/{ngo.pk}/invite/"), {"email": "Dana@NGO.example"})
    assert response.status_code == 302 and response["Location"] == url(started, "invitations/")
    new_link = mailed_link(mailoutbox, "dana@ngo.example")
    assert new_link != old_link
    shown = client.get(url(started, "invitations/"))
    assert new_link in shown.content.decode() and "no-store" in shown["Cache-Control"]
    assert new_link not in client.get(url(started, "invitations/")).content.decode()
    assert Client().get(old_link).status_code == 404
    assert "taking part as Clean Air Now" in opened(new_link).get(url(started)).content.decode()


def test_sending_again_needs_a_valid_address(started, client, mailoutbox):
    ngo = Partner.objects.get(name="Clean Air Now")
    before = len(mailoutbox)
    response = client.post(url(started, f"partners/{ngo.pk}/invite/"), {"email": "nope"})
    assert response.status_code == 400 and "valid email" in response.content.decode()
    assert len(mailoutbox) == before
    assert Client().get(url(started, f"partners/{ngo.pk}/invite/")).status_code == 405
    assert Client().post(url(started, f"partners/{ngo.pk}/invite/"),
                         {"email": "a@b.example"}).status_code == 404


def test_a_sign_off_records_who_how_and_when(started, client, mailoutbox, django_user_model):
    from intersector.agreements.models import SignOff

    client.post(url(started, "sign/"), {"name": "Ana Ruiz"})
    chen = django_user_model.objects.create_user("chen")
    energy = Client()
    energy.force_login(chen)
    energy.get(mailed_link(mailoutbox, "chen@energy.example"))
    energy.post(url(started, "sign/"), {"name": "Chen Li, CEO"})
    city_record = SignOff.objects.get(partner__name="City of Riverton")
    assert city_record.how == "link" and city_record.user is None and city_record.version == 1
    energy_record = SignOff.objects.get(partner__name="Riverton Energy")
    assert energy_record.how == "account" and energy_record.user == chen
    assert energy_record.name == "Chen Li, CEO" and energy_record.signed_at
    html = client.get(url(started)).content.decode()
    assert "Signed by Chen Li, CEO on" in html and "signed in with the partner&#x27;s account" in html
    assert "account “chen”" in html and "opened in this browser" in html
    history = client.get(url(started, "history/")).content.decode()
    assert "Sign-offs" in history and "Chen Li, CEO" in history
    # Changing the text withdraws the signatures; the records stay, marked.
    client.post(url(started, "elements/vision/"), {"text": "New words."})
    assert SignOff.objects.filter(withdrawn_at__isnull=False).count() == 2
    assert "No longer counts" in client.get(url(started, "history/")).content.decode()


def test_a_member_of_the_partners_organisation_signs_as_such(agreement, django_user_model):
    from intersector.accounts.models import Membership, Organisation
    from intersector.agreements.models import SignOff

    organisation = Organisation.objects.create(name="City of Riverton", sector="government")
    member = django_user_model.objects.create_user("ben")
    Membership.objects.create(organisation=organisation, user=member)
    Partner.objects.filter(agreement=agreement, position=0).update(organisation=organisation)
    browser = Client()
    browser.force_login(member)
    browser.post(url(agreement, "sign/"), {"name": "Ben Okafor"})
    record = SignOff.objects.get()
    assert record.how == "organisation" and record.user == member


def test_the_pdf_and_word_show_how_each_partner_signed(agreement, as_partner):
    import io

    from docx import Document
    from pypdf import PdfReader

    city = as_partner(agreement, 0)
    city.post(url(agreement, "sign/"), {"name": "Ana Ruiz"})
    pdf = city.get(url(agreement, "agreement.pdf")).content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Identified by" in text and "opened in this browser" in text
    document = Document(io.BytesIO(city.get(url(agreement, "agreement.docx")).content))
    cell = document.tables[0].rows[1].cells[2].text
    assert "Signed on the platform" in cell and "opened in this browser" in cell


def test_a_browser_that_held_a_partner_before_claim_once_keeps_it_and_no_other_does(agreement):
    """Sessions from before this change hold the partner's id only (migration 0004)."""
    energy = agreement.partners.get(position=1)
    before, other = Client(), Client()
    for browser in (before, other):
        session = browser.session
        session["agree_partners"] = {str(agreement.pk): energy.pk}
        session.save()
    assert "taking part as Riverton Energy" in before.get(url(agreement)).content.decode()
    assert Partner.objects.get(pk=energy.pk).claimed
    assert other.get(url(agreement)).status_code == 404


def test_the_migration_cancels_old_links_and_keeps_accounts_and_signatures(agreement,
                                                                          django_user_model):
    import importlib

    from django.apps import apps

    from intersector.agreements.models import SignOff

    migration = importlib.import_module(
        "intersector.agreements.migrations.0004_existing_invitations")
    chen = django_user_model.objects.create_user("chen")
    Partner.objects.filter(position=1).update(user=chen)
    Partner.objects.filter(position=0).update(signed_version=1, signed_by="Ana Ruiz")
    old_links = [services.invite_token(p) for p in agreement.partners.all()]
    migration.forwards(apps, None)
    for link in old_links:
        assert Client().get(f"/agreements/join/{link}/").status_code == 404
    assert Partner.objects.get(position=1).claimed and not Partner.objects.get(position=2).claimed
    assert SignOff.objects.get().how == "unrecorded"


def test_opening_a_link_is_never_cached(started, mailoutbox):
    response = Client().get(mailed_link(mailoutbox, "dana@air.example"))
    assert "no-store" in response["Cache-Control"]
    response = Client().get("/agreements/join/not-a-token/")
    assert response.status_code == 404 and "no-store" in response["Cache-Control"]


def test_csv_exports_neutralise_formulas_planted_in_comments(agreement, as_partner, client,
                                                            scorecard):
    from intersector.spreadsheets import read_back

    city = as_partner(agreement, 0)
    planted = '=HYPERLINK("http://evil.example","click")'
    city.post(url(agreement, "elements/vision/"), {"rating": "fully", "comment": planted},
              HTTP_HX_REQUEST="true")
    assert Rating.objects.get().comment == planted
    cells = sum(read_back(city.get(url(agreement, "scorecard.csv")).content.decode()), [])
    assert "'" + planted in cells and planted not in cells
    client.post("/agreements/scorecard/", {"rating-vision": "fully", "comment-vision": planted})
    response = client.get("/agreements/scorecard/self-assessment.csv")
    cells = sum(read_back(response.content.decode()), [])
    assert "'" + planted in cells and planted not in cells
    assert response["Content-Type"].startswith("text/csv")


def test_the_starting_partner_takes_back_an_invitation_the_wrong_person_opened(started, client, mailoutbox):
    """A forwarded e-mail: Mallory opens Energy's link first and writes as Energy. The City (which
    started the agreement) takes the place back: Mallory's browser loses the agreement at once,
    even though its session still names Energy, and Chen's new link works; what was written stays."""
    energy = Partner.objects.get(name="Riverton Energy")
    mallory = opened(mailed_link(mailoutbox, "chen@energy.example"))
    mallory.post(url(started, "elements/vision/"), {"text": "Written by the wrong person.", "rating": "fully"})
    page = client.get(url(started)).content.decode()
    assert "Opened by the wrong person?" in page
    response = client.post(url(started, f"partners/{energy.pk}/reset/"), {"email": "chen@energy.example"})
    assert response.status_code == 302 and response["Location"] == url(started, "invitations/")
    assert mallory.get(url(started)).status_code == 404
    assert mallory.get(url(started)).status_code == 404, "the old session never claims the place again"
    energy.refresh_from_db()
    assert not energy.claimed and energy.user_id is None
    chen = opened(mailed_link(mailoutbox, "chen@energy.example"))
    assert "taking part as Riverton Energy" in chen.get(url(started)).content.decode()
    assert mallory.get(url(started)).status_code == 404
    assert Rating.objects.filter(partner=energy, element="vision").exists(), "nothing written is lost"


def test_only_the_starting_partner_may_take_back_an_opened_invitation(started, client, mailoutbox):
    energy_partner = Partner.objects.get(name="Riverton Energy")
    ngo_partner = Partner.objects.get(name="Clean Air Now")
    city_partner = Partner.objects.get(name="City of Riverton")
    energy = opened(mailed_link(mailoutbox, "chen@energy.example"))
    ngo = opened(mailed_link(mailoutbox, "dana@air.example"))
    # Another partner cannot take the non-profit's (or the City's) place for someone else.
    for target in (ngo_partner, city_partner):
        response = energy.post(url(started, f"partners/{target.pk}/reset/"), {"email": "mallory@example.org"})
        assert response.status_code == 403 and "started the agreement" in response.content.decode()
    assert "Opened by the wrong person?" not in energy.get(url(started)).content.decode()
    assert not [m for m in mailoutbox if m.to == ["mallory@example.org"]]
    assert "taking part as Clean Air Now" in ngo.get(url(started)).content.decode()
    # The City cannot reset itself, nor a place nobody opened, nor with a bad address.
    assert client.post(url(started, f"partners/{city_partner.pk}/reset/"),
                       {"email": "x@example.org"}).status_code == 403
    withdrawn = client.post(url(started, f"partners/{energy_partner.pk}/reset/"), {"email": "not an address"})
    assert withdrawn.status_code == 400 and "valid email" in withdrawn.content.decode()
    assert "<details class=\"reset-invitation\" open>" in withdrawn.content.decode()
    assert "taking part as Riverton Energy" in energy.get(url(started)).content.decode()
    # A place whose holder signed this version is not taken back until a new version is opened.
    energy.post(url(started, "sign/"), {"name": "Chen Li"})
    energy_partner.refresh_from_db()
    assert energy_partner.has_signed
    response = client.post(url(started, f"partners/{energy_partner.pk}/reset/"), {"email": "chen@energy.example"})
    assert response.status_code == 409 and "new version" in response.content.decode()
    assert "taking part as Riverton Energy" in energy.get(url(started)).content.decode()
    # Stranger: 404, as for every page of the agreement.
    assert Client().post(url(started, f"partners/{energy_partner.pk}/reset/"),
                         {"email": "x@example.org"}).status_code == 404


def test_a_link_opened_before_signing_in_stays_with_the_account_after_signing_out(started, mailoutbox,
                                                                                   django_user_model):
    """Chen opens Energy's invitation without an account, later signs in on the same browser and
    then signs out: the place went with the account, so signing in anywhere brings it back."""
    password = "a long enough pass phrase 42"
    django_user_model.objects.create_user(username="chen", email="chen@energy.example", password=password)
    chen = opened(mailed_link(mailoutbox, "chen@energy.example"))
    response = chen.post("/accounts/sign-in/", {"username": "chen", "password": password})
    assert response.status_code == 302
    assert "taking part as Riverton Energy" in chen.get(url(started)).content.decode()
    chen.post("/accounts/sign-out/")
    assert chen.get(url(started)).status_code == 404, "signed out, the browser holds nothing"
    elsewhere = Client()
    elsewhere.post("/accounts/sign-in/", {"username": "chen", "password": password})
    assert "taking part as Riverton Energy" in elsewhere.get(url(started)).content.decode()
    assert Partner.objects.get(name="Riverton Energy").user.username == "chen"
