"""Partners invite named people (an adviser, a lawyer) by e-mail to read or comment on an
agreement; guests never rate, publish or sign, and a withdrawn invitation stops working."""

import re

import pytest
from django.test import Client

from intersector.agreements import services
from intersector.agreements.models import Comment, ElementText, Guest, Partner, Rating

pytestmark = pytest.mark.django_db


def url(agreement, rest=""):
    return f"/agreements/{agreement.pk}/{rest}"


def invite(partner_client, agreement, mailoutbox, *, email="lee@law.example", role="viewer"):
    """A partner sends an invitation; returns the link from the e-mail."""
    response = partner_client.post(url(agreement, "guests/"),
                                   {"name": "Lee Park", "email": email, "role": role})
    assert response.status_code == 302
    message = mailoutbox[-1]
    assert message.to == [email] and "Riverton clean air" in message.body
    return re.search(r"http://testserver(/agreements/guest/\S+/)", message.body).group(1)


def as_guest(link):
    guest = Client()
    assert guest.get(link).status_code == 302
    return guest


@pytest.fixture
def city(agreement, as_partner):
    services.save_element(agreement, agreement.partners.first(), "vision",
                          text="Clean air in every school by 2035.", author="Ana")
    return as_partner(agreement, 0)


def test_a_partner_invites_an_adviser_who_reads_the_agreement_from_the_mailed_link(
        agreement, city, mailoutbox):
    link = invite(city, agreement, mailoutbox)
    guest = as_guest(link)
    page = guest.get(url(agreement))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Clean air in every school by 2035." in html and "You are invited as Lee Park" in html
    assert "Add comment" not in html            # a viewer gets no comment box
    assert "Riverton clean air" in guest.get("/agree/").content.decode()
    listing = city.get(url(agreement, "guests/")).content.decode()
    assert "lee@law.example" in listing and "can read" in listing


def test_a_commenter_comments_and_the_partners_see_it(agreement, city, mailoutbox):
    guest = as_guest(invite(city, agreement, mailoutbox, role="commenter"))
    response = guest.post(url(agreement, "elements/vision/comments/"), {"body": "Define 'clean'."})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.partner is None and comment.author == "Lee Park (guest)"
    assert "Define &#x27;clean&#x27;." in city.get(url(agreement, "compare/")).content.decode()
    assert guest.post(url(agreement, "elements/vision/comments/"), {"body": " "}).status_code == 400
    assert guest.post(url(agreement, "elements/nope/comments/"), {"body": "x"}).status_code == 400


def test_a_viewer_cannot_comment_rate_write_publish_or_sign(agreement, city, mailoutbox):
    guest = as_guest(invite(city, agreement, mailoutbox))
    assert guest.post(url(agreement, "elements/vision/comments/"), {"body": "Hi"}).status_code == 403
    for path in ("elements/vision/", "publish/", "sign/", "new-version/", "focus/", "guests/"):
        response = guest.post(url(agreement, path), {"text": "x", "rating": "fully", "name": "x",
                                                     "published": "yes", "email": "a@b.example",
                                                     "role": "viewer"})
        assert response.status_code == 404, path
    for path in ("write/", "compare/", "guests/"):
        assert guest.get(url(agreement, path)).status_code == 404, path
    assert not Comment.objects.exists() and not Rating.objects.exists()
    assert not Partner.objects.filter(signed_by="x").exists()
    assert ElementText.objects.get().text == "Clean air in every school by 2035."
    assert Guest.objects.count() == 1


def test_a_commenter_cannot_rate_or_sign_either(agreement, city, mailoutbox):
    guest = as_guest(invite(city, agreement, mailoutbox, role="commenter"))
    assert guest.post(url(agreement, "elements/vision/"),
                      {"rating": "fully", "text": "x"}).status_code == 404
    assert guest.post(url(agreement, "sign/"), {"name": "Lee"}).status_code == 404
    assert not Rating.objects.exists() and not Partner.objects.exclude(signed_by="").exists()


def test_a_withdrawn_invitation_stops_the_link_and_the_open_session(agreement, city, mailoutbox,
                                                                    django_user_model):
    link = invite(city, agreement, mailoutbox)
    account = django_user_model.objects.create_user("lee")
    signed_in, elsewhere = Client(), Client()
    signed_in.force_login(account)
    elsewhere.force_login(account)
    assert signed_in.get(link).status_code == 302           # claimed by the account ...
    assert elsewhere.get(url(agreement)).status_code == 200  # ... which keeps access anywhere
    invited = Guest.objects.get()
    assert city.post(url(agreement, f"guests/{invited.pk}/withdraw/")).status_code == 302
    assert signed_in.get(url(agreement)).status_code == 404
    assert elsewhere.get(url(agreement)).status_code == 404
    assert Client().get(link).status_code == 404
    assert "Withdrawn" in city.get(url(agreement, "guests/")).content.decode()
    again = city.post(url(agreement, f"guests/{invited.pk}/withdraw/"), follow=True)
    assert "already withdrawn" in again.content.decode()


def test_a_guest_link_works_only_in_the_browser_that_opened_it_first(agreement, city, mailoutbox):
    link = invite(city, agreement, mailoutbox)
    guest = as_guest(link)
    assert guest.get(link).status_code == 302               # its holder may open it again
    stranger = Client()
    response = stranger.get(link)
    html = response.content.decode()
    assert response.status_code == 403 and "already opened" in html
    assert "Riverton clean air" not in html and "Clean air in every school" not in html
    assert stranger.get(url(agreement)).status_code == 404
    assert "no-store" in response["Cache-Control"] and "no-store" in guest.get(link)["Cache-Control"]
    assert Guest.objects.get().claimed_browser


def test_a_partner_cannot_take_a_guests_invitation(agreement, city, mailoutbox):
    link = invite(city, agreement, mailoutbox)
    response = city.get(link)
    assert response.status_code == 409 and "for someone else" in response.content.decode()
    assert not Guest.objects.get().claimed
    assert as_guest(link).get(url(agreement)).status_code == 200   # still works for the guest


def test_an_unopened_guest_invitation_expires_and_a_new_one_works(agreement, city, mailoutbox,
                                                                 settings):
    from tests.agreements.conftest import made_days_ago
    from intersector.agreements.invitations import GUEST

    link = invite(city, agreement, mailoutbox)
    invited = Guest.objects.get()
    old = made_days_ago(GUEST, {"g": invited.pk, "s": invited.secret}, 15)
    response = Client().get(f"/agreements/guest/{old}/")
    assert response.status_code == 410 and "run out" in response.content.decode()
    assert not Guest.objects.get().claimed
    settings.AGREEMENT_INVITE_DAYS = 30
    assert Client().get(f"/agreements/guest/{old}/").status_code == 302
    assert Client().get(link).status_code == 403             # claimed by the one above


def test_nobody_else_gets_in_and_a_link_opens_only_its_own_agreement(agreement, city, mailoutbox,
                                                                     django_user_model):
    other = services.create_agreement(name="Other deal", purpose="x", form="mou", partners=[
        {"name": "A", "sector": "other", "representative": "a"},
        {"name": "B", "sector": "other", "representative": "b"}])
    guest = as_guest(invite(city, agreement, mailoutbox, role="commenter"))
    assert guest.get(url(other)).status_code == 404           # wrong agreement
    assert guest.post(url(other, "elements/vision/comments/"), {"body": "x"}).status_code == 404
    stranger = django_user_model.objects.create_user("stranger")
    outsider = Client()
    outsider.force_login(stranger)
    assert outsider.get(url(agreement)).status_code == 404   # not invited
    assert Client().get("/agreements/guest/not-a-token/").status_code == 404
    # A partner token is not a guest token and the other way round.
    partner_token = services.invite_token(agreement.partners.first())
    assert Client().get(f"/agreements/guest/{partner_token}/").status_code == 404
    # Only the agreement's partners may withdraw, and only its own invitations.
    invited = Guest.objects.get()
    assert outsider.post(url(agreement, f"guests/{invited.pk}/withdraw/")).status_code == 404
    energy_of_other = Client()
    energy_of_other.get(f"/agreements/join/{services.invite_token(other.partners.first())}/")
    assert energy_of_other.post(url(other, f"guests/{invited.pk}/withdraw/"),
                                follow=True).status_code == 200
    assert Guest.objects.get().revoked is None


def test_an_invitation_needs_a_name_a_valid_address_and_a_known_access(agreement, city, mailoutbox):
    for data in ({"name": "", "email": "a@b.example", "role": "viewer"},
                 {"name": "Lee", "email": "not-an-address", "role": "viewer"},
                 {"name": "Lee", "email": "a@b.example", "role": "owner"}):
        response = city.post(url(agreement, "guests/"), data)
        assert response.status_code == 400, data
    assert not Guest.objects.exists() and not mailoutbox
