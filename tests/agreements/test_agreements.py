"""Writing an agreement with several partners: invite links, editor, ratings, sign-off, exports."""

import io
import re

import pytest
from django.test import Client

from intersector.accounts.models import Membership, Organisation
from intersector.agreements import services
from intersector.agreements.models import Agreement, Partner, Rating, TextChange


def url(agreement, rest=""):
    return f"/agreements/{agreement.pk}/{rest}"


def save(client, agreement, element, **data):
    return client.post(url(agreement, f"elements/{element}/"), data, HTTP_HX_REQUEST="true")


NEW_AGREEMENT = {
    "name": "Riverton clean air", "purpose": "Cleaner air for the east side.", "form": "mou",
    "partner-TOTAL_FORMS": "3", "partner-INITIAL_FORMS": "0", "partner-MIN_NUM_FORMS": "2",
    "partner-MAX_NUM_FORMS": "8",
    "partner-0-name": "City of Riverton", "partner-0-sector": "government",
    "partner-0-representative": "Ana Ruiz", "partner-0-alternate": "Ben Okafor",
    "partner-1-name": "Riverton Energy", "partner-1-sector": "business",
    "partner-1-representative": "Chen Li", "partner-1-email": "Chen@Energy.example",
}


@pytest.mark.django_db
def test_someone_without_an_account_starts_an_agreement_and_the_platform_mails_the_invitations(
        client, scorecard, mailoutbox):
    response = client.post("/agreements/new/", NEW_AGREEMENT)
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == url(agreement, "invitations/")
    assert agreement.scorecard == scorecard and agreement.partners.count() == 2
    city, energy = agreement.partners.all()
    assert city.claimed and city.claimed_browser and city.user is None   # bound to this browser
    assert not energy.claimed and energy.email == "chen@energy.example" and energy.invited_at
    [mail] = mailoutbox
    assert mail.to == ["chen@energy.example"] and "Riverton Energy" in mail.subject + mail.body
    link = re.search(r"http://testserver(/agreements/join/\S+/)", mail.body).group(1)
    shown = client.get(url(agreement, "invitations/"))
    assert link in shown.content.decode() and "will not be shown again" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert "/agreements/join/" not in client.get(url(agreement, "invitations/")).content.decode()
    html = client.get(url(agreement)).content.decode()
    assert "You are taking part as City of Riverton" in html and "Ben Okafor" in html
    assert "/agreements/join/" not in html and "chen@energy.example" in html


@pytest.mark.django_db
def test_every_partner_after_the_first_needs_an_invitation_address(client, scorecard, mailoutbox):
    data = dict(NEW_AGREEMENT, **{"partner-1-email": ""})
    response = client.post("/agreements/new/", data)
    assert response.status_code == 400
    assert "invitation goes to" in response.content.decode()
    response = client.post("/agreements/new/", dict(data, **{"partner-1-email": "not-an-address"}))
    assert response.status_code == 400 and "valid email" in response.content.decode()
    assert not Agreement.objects.exists() and not mailoutbox


@pytest.mark.django_db
def test_an_agreement_needs_two_partners_and_a_name(client, scorecard):
    response = client.post("/agreements/new/", {
        "name": "", "purpose": "x", "form": "mou", "partner-TOTAL_FORMS": "1",
        "partner-INITIAL_FORMS": "0", "partner-0-name": "Only one", "partner-0-sector": "business",
        "partner-0-representative": "Solo"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required" in html and "Please submit at least 2 forms" in html
    assert Agreement.objects.count() == 0


@pytest.mark.django_db
def test_people_outside_the_partnership_cannot_see_or_change_it(client, agreement, django_user_model):
    stranger = django_user_model.objects.create_user("stranger")
    client.force_login(stranger)
    for path in ("", "write/", "compare/", "history/", "agreement.pdf", "agreement.docx",
                 "scorecard.pdf", "scorecard.csv"):
        assert client.get(url(agreement, path)).status_code == 404, path
    for path in ("elements/vision/", "publish/", "sign/", "new-version/", "focus/",
                 "elements/vision/comments/"):
        assert client.post(url(agreement, path), {"text": "x", "name": "x"}).status_code == 404, path
    assert not TextChange.objects.exists() and not Partner.objects.filter(signed_by="x").exists()
    assert Client().get(url(agreement)).status_code == 404


@pytest.mark.django_db
def test_a_wrong_or_cancelled_invite_link_is_refused(client, agreement):
    partner = agreement.partners.first()
    token = services.invite_token(partner)
    assert client.get("/agreements/join/not-a-token/").status_code == 404
    Partner.objects.filter(pk=partner.pk).update(secret="new")
    response = client.get(f"/agreements/join/{token}/")
    assert response.status_code == 404 and "does not work" in response.content.decode()
    assert client.get(url(agreement)).status_code == 404


@pytest.mark.django_db
def test_members_of_a_partner_organisation_see_the_agreement(client, agreement, django_user_model):
    organisation = Organisation.objects.create(name="City of Riverton", sector="government")
    member = django_user_model.objects.create_user("ana")
    Membership.objects.create(organisation=organisation, user=member)
    client.force_login(member)
    assert client.get(url(agreement)).status_code == 404
    Partner.objects.filter(agreement=agreement, position=0).update(organisation=organisation)
    assert "You are taking part as City of Riverton" in client.get(url(agreement)).content.decode()
    assert "Riverton clean air" in client.get("/agree/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_person_who_opens_an_invite_keeps_access_from_any_browser(agreement, django_user_model):
    person = django_user_model.objects.create_user("chen")
    first, second = Client(), Client()
    first.force_login(person)
    second.force_login(person)
    first.get(f"/agreements/join/{services.invite_token(agreement.partners.all()[1])}/")
    assert "taking part as Riverton Energy" in second.get(url(agreement)).content.decode()


@pytest.mark.django_db
def test_saving_an_element_updates_the_scorecard_in_the_same_response(agreement, as_partner):
    city = as_partner(agreement, 0)
    response = save(city, agreement, "governance", text="A steering group meets monthly.",
                    rating="partially", comment="Say how it decides")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved." in html and 'id="score-panel"' in html and 'hx-swap-oob="true"' in html
    assert "Overall: 50%" in html
    response = save(city, agreement, "governance", text="A steering group meets monthly.",
                    rating="fully")
    assert "Overall: 100%" in response.content.decode()
    assert Rating.objects.get(element="governance").rating == "fully"
    assert TextChange.objects.count() == 1, "an unchanged text is not a new change"


@pytest.mark.django_db
def test_the_editor_refuses_unknown_elements_and_ratings_plainly(agreement, as_partner):
    city = as_partner(agreement, 0)
    response = save(city, agreement, "no-such-element", text="x")
    assert response.status_code == 400 and "not on the scorecard" in response.content.decode()
    response = save(city, agreement, "vision", rating="great")
    assert response.status_code == 400 and "Please check" in response.content.decode()


@pytest.mark.django_db
def test_the_editor_shows_the_chosen_families_first_and_the_forms_elements(agreement, as_partner):
    city = as_partner(agreement, 0)
    assert city.post(url(agreement, "focus/"), {"families": ["how", "what"]}).status_code == 302
    assert Agreement.objects.get().focus_families == []   # fewer than 3 refused
    city.post(url(agreement, "focus/"), {"families": ["how", "what-if", "who"]})
    html = city.get(url(agreement, "write/")).content.decode()
    assert html.index('id="family-who"') < html.index('id="family-how"') < html.index('id="family-what-if"') < html.index('id="family-why"')
    assert "How will the partners take decisions together?" in html
    assert "Guidance" in html and "Why it matters" in html


@pytest.mark.django_db
def test_a_partners_rating_stays_private_until_it_publishes(agreement, as_partner):
    city, energy = as_partner(agreement, 0), as_partner(agreement, 1)
    save(city, agreement, "vision", text="Clean air by 2035.", rating="fully", comment="city-secret")
    html = energy.get(url(agreement, "compare/")).content.decode()
    assert "city-secret" not in html and "private" in html
    assert "city-secret" not in energy.get(url(agreement, "scorecard.csv")).content.decode()
    city.post(url(agreement, "publish/"), {"published": "yes"})
    html = energy.get(url(agreement, "compare/")).content.decode()
    assert "city-secret" in html
    city.post(url(agreement, "publish/"), {"published": "no"})
    assert "city-secret" not in energy.get(url(agreement, "compare/")).content.decode()


@pytest.mark.django_db
def test_the_comparison_shows_agreement_difference_and_what_nobody_addressed(agreement, as_partner):
    city, energy = as_partner(agreement, 0), as_partner(agreement, 1)
    save(city, agreement, "vision", text="Clean air by 2035.", rating="fully")
    save(energy, agreement, "vision", rating="partially")
    save(city, agreement, "activities", text="Monthly clean-air days.", rating="fully")
    save(energy, agreement, "activities", rating="fully")
    for client in (city, energy):
        client.post(url(agreement, "publish/"), {"published": "yes"})
    html = city.get(url(agreement, "compare/")).content.decode()

    def section(key):
        return re.search(rf'id="element-{key}".*?</section>', html, re.S).group(0)

    assert "Partners differ" in section("vision")
    assert "Partners agree" in section("activities")
    assert "Nobody has addressed this" in section("governance")
    assert "Partners agree: 1<" in html and "Partners differ: 1<" in html
    response = energy.post(url(agreement, "elements/vision/comments/"), {"body": "Can we say 2030?"})
    assert response.status_code == 302
    assert "Can we say 2030?" in city.get(url(agreement, "compare/")).content.decode()
    assert energy.post(url(agreement, "elements/vision/comments/"), {"body": " "}).status_code == 302


@pytest.mark.django_db
def test_sign_off_by_every_partner_locks_the_text_until_a_new_version(agreement, as_partner):
    clients = [as_partner(agreement, i) for i in range(3)]
    save(clients[0], agreement, "vision", text="Clean air by 2035.")
    for number, client in enumerate(clients):
        assert client.post(url(agreement, "sign/"), {"name": f"Signer {number}"}).status_code == 302
        assert Agreement.objects.get().locked == (number == 2)
    response = save(clients[1], agreement, "vision", text="Clean air by 2030.")
    assert response.status_code == 400 and "locked" in response.content.decode()
    assert Agreement.objects.get().texts.get().text == "Clean air by 2035."
    clients[1].post(url(agreement, "new-version/"))
    fresh = Agreement.objects.get()
    assert fresh.version == 2 and not fresh.locked
    assert not any(p.has_signed for p in fresh.partners.all())
    assert save(clients[1], agreement, "vision", text="Clean air by 2030.").status_code == 200
    html = clients[0].get(url(agreement, "history/")).content.decode()
    assert "Version 2" in html and "Version 1" in html
    assert '<ins class="diff-added">2030.</ins>' in html and '<del class="diff-removed">2035.</del>' in html


@pytest.mark.django_db
def test_signing_needs_a_name(agreement, as_partner):
    city = as_partner(agreement, 0)
    city.post(url(agreement, "sign/"), {"name": ""})
    assert not Agreement.objects.get().partners.filter(signed_version__isnull=False).exists()


@pytest.mark.django_db
def test_the_agreement_exports_as_pdf_and_word_with_partners_sections_and_signatures(agreement, as_partner):
    from docx import Document
    from pypdf import PdfReader

    city = as_partner(agreement, 0)
    save(city, agreement, "vision", text="Every child breathes clean air by 2035.", rating="fully")
    save(city, agreement, "governance", text="A steering group decides by consensus.")
    response = city.get(url(agreement, "agreement.pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Riverton clean air", "City of Riverton", "Ana Ruiz", "Why?",
                     "Every child breathes clean air", "How?", "Signatures"):
        assert expected in text, expected
    assert "What if?" not in text, "families without text are left out"
    response = city.get(url(agreement, "agreement.docx"))
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Riverton clean air" in paragraphs and "A steering group decides by consensus." in paragraphs
    assert any(p.startswith("1. Why?") for p in paragraphs)
    assert document.tables[0].rows[1].cells[0].text == "City of Riverton"
    assert city.get(url(agreement, "agreement.exe")).status_code == 404


@pytest.mark.django_db
def test_the_scorecard_exports_as_pdf_and_csv(agreement, as_partner):
    from pypdf import PdfReader

    city = as_partner(agreement, 0)
    save(city, agreement, "vision", rating="partially", comment="Needs a date")
    csv = city.get(url(agreement, "scorecard.csv")).content.decode()
    assert "Shared vision" in csv and "Partially in place" in csv and "Needs a date" in csv
    response = city.get(url(agreement, "scorecard.pdf"))
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Shared vision" in text and "Partially in place" in text and "Why? 50%" in text


@pytest.mark.django_db
def test_partners_hear_of_changes_and_strangers_do_not(agreement, as_partner, client,
                                                       django_capture_on_commit_callbacks):
    city, energy = as_partner(agreement, 0), as_partner(agreement, 1)
    html = energy.get(url(agreement, "compare/")).content.decode()
    assert f'data-live-stream="/agreements/{agreement.pk}/live/"' in html
    position = re.search(r'data-live-last-event-id="([^"]*)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        city.post(url(agreement, "elements/vision/comments/"), {"body": "A new comment"})
    response = energy.get(url(agreement, "live/poll/"), {"last_event_id": position})
    assert [e["event"] for e in response.json()["events"]] == ["comment.added"]
    assert "A new comment" not in response.content.decode(), "events carry ids, not content"
    notice = energy.get(url(agreement, "changed/") + "?back=compare").content.decode()
    assert "Show the latest" in notice and url(agreement, "compare/") in notice
    for path in ("live/", "live/poll/", "changed/"):
        assert client.get(url(agreement, path)).status_code == 404


@pytest.mark.django_db
def test_changing_the_text_after_a_partner_signed_withdraws_that_signature(agreement, as_partner):
    city, energy = as_partner(agreement, 0), as_partner(agreement, 1)
    save(city, agreement, "vision", text="Clean air by 2035.")
    city.post(url(agreement, "sign/"), {"name": "Ana Ruiz"})
    assert Partner.objects.get(position=0).signed_by == "Ana Ruiz"
    save(energy, agreement, "vision", text="Clean air by 2030.")
    assert not Partner.objects.filter(signed_version__isnull=False).exists()
    save(energy, agreement, "vision", rating="fully")   # a rating alone does not touch the text
    energy.post(url(agreement, "sign/"), {"name": "Chen Li"})
    save(energy, agreement, "vision", text="Clean air by 2030.", rating="partially")
    assert Partner.objects.get(position=1).signed_by == "Chen Li"
