import pytest
from django.test import Client

from intersector.accounts import services
from intersector.accounts.models import Role, Sector

pytestmark = pytest.mark.django_db

ACCOUNT = "/accounts/"


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def details(**changes):
    return {"first_name": "Alice", "last_name": "Ayala", "email": "alice@example.org", **changes}


def test_signed_out_visitors_are_asked_to_sign_in(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response.url == "/accounts/sign-in/?next=/accounts/"


def test_account_page_shows_name_email_and_organisations(signed_in, alice, make_user):
    city = services.create_organisation(name="City of Riverton", sector=Sector.GOVERNMENT)
    shelter = services.create_organisation(name="Harbour Shelter", sector=Sector.NON_PROFIT)
    elsewhere = services.create_organisation(name="Elsewhere Ltd", sector=Sector.BUSINESS)
    services.add_member(city, alice, Role.ADMIN)
    services.add_member(shelter, alice)
    services.add_member(elsewhere, make_user("bob"))

    html = signed_in.get(ACCOUNT).content.decode()
    assert "Alice Ayala" in html
    assert "alice@example.org" in html
    assert "<td>City of Riverton</td><td>Government</td><td>Admin</td>" in html
    assert "<td>Harbour Shelter</td><td>Non-profit</td><td>Member</td>" in html
    assert "Elsewhere Ltd" not in html


def test_account_page_says_when_you_have_no_organisation(signed_in):
    assert "You do not belong to any organisation yet." in signed_in.get(ACCOUNT).content.decode()


def test_account_page_links_to_password_change(signed_in):
    assert 'href="/accounts/password/"' in signed_in.get(ACCOUNT).content.decode()


def test_account_page_links_to_api_tokens_and_jobs(signed_in):
    html = signed_in.get(ACCOUNT).content.decode()
    assert '<a href="/accounts/tokens/">Your API tokens</a>' in html
    assert '<a href="/jobs/">Your recent jobs</a>' in html


def test_account_edit_form_has_labelled_boxes_filled_in(signed_in):
    html = signed_in.get(ACCOUNT).content.decode()
    assert '<label for="id_first_name">First name' in html
    assert 'autocomplete="given-name"' in html
    assert 'autocomplete="family-name"' in html
    assert 'autocomplete="email"' in html
    assert 'value="alice@example.org"' in html


def test_you_can_change_your_name_and_email(signed_in, alice):
    response = signed_in.post(
        ACCOUNT, details(first_name="Alicia", email="alicia@example.org"), follow=True
    )
    assert response.redirect_chain[-1][0] == ACCOUNT
    assert "Your details are saved." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.first_name, alice.email) == ("Alicia", "alicia@example.org")


def test_a_mistyped_email_is_explained_and_nothing_is_saved(signed_in, alice):
    response = signed_in.post(ACCOUNT, details(first_name="Alicia", email="alice at example"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Enter an e-mail address like name@example.org." in html
    alice.refresh_from_db()
    assert (alice.first_name, alice.email) == ("Alice", "alice@example.org")


def test_an_email_used_by_another_account_is_refused(signed_in, alice, make_user):
    make_user("bob", email="bob@example.org")
    response = signed_in.post(ACCOUNT, details(first_name="Alicia", email="BOB@example.org"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Another account already uses this e-mail address." in html
    # The page shows what is saved above the form, not the refused change.
    saved_details = html.split('id="edit-details"')[0]
    assert "Alice Ayala" in saved_details
    assert "Alicia" not in saved_details
    alice.refresh_from_db()
    assert (alice.first_name, alice.email) == ("Alice", "alice@example.org")


def test_email_cannot_be_emptied(signed_in, alice):
    response = signed_in.post(ACCOUNT, details(email=""))
    assert response.status_code == 400
    assert "Enter your e-mail address." in response.content.decode()


def test_changing_details_needs_the_forms_security_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(ACCOUNT, details(first_name="Mallory"))
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.first_name == "Alice"
