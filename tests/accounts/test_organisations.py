import pytest
from django.core.exceptions import ValidationError

from intersector.accounts import services
from intersector.accounts.models import Membership, Organisation, Role, Sector

pytestmark = pytest.mark.django_db

CMS_LIST = "/cms/snippets/accounts/organisation/"
CMS_ADD = CMS_LIST + "add/"


@pytest.fixture
def city():
    return services.create_organisation(name="City of Riverton", sector=Sector.GOVERNMENT)


# --- Services ------------------------------------------------------------------------------


def test_sectors_have_plain_names():
    assert [label for _value, label in Sector.choices] == [
        "Government",
        "Business",
        "Non-profit",
        "Other",
    ]


def test_new_organisation_gets_a_web_address_name_from_its_name(city):
    assert city.slug == "city-of-riverton"
    twin = services.create_organisation(name="City of Riverton!", sector=Sector.GOVERNMENT)
    assert twin.slug == "city-of-riverton-2"


def test_a_chosen_web_address_name_must_be_free(city):
    with pytest.raises(ValidationError) as error:
        services.create_organisation(
            name="Another", sector=Sector.BUSINESS, slug="city-of-riverton"
        )
    assert "slug" in error.value.message_dict


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"name": "  ", "sector": Sector.BUSINESS}, "name"),
        ({"name": "Acme", "sector": "army"}, "sector"),
        ({"name": "Acme", "sector": Sector.BUSINESS, "website": "not a web address"}, "website"),
    ],
)
def test_organisation_with_bad_details_is_not_saved(fields, problem):
    with pytest.raises(ValidationError) as error:
        services.create_organisation(**fields)
    assert problem in error.value.message_dict
    assert not Organisation.objects.exists()


def test_a_person_can_belong_to_several_organisations(city, alice):
    shelter = services.create_organisation(name="Harbour Shelter", sector=Sector.NON_PROFIT)
    services.add_member(city, alice, Role.ADMIN)
    services.add_member(shelter, alice)
    roles = {m.organisation.name: m.role for m in alice.memberships.all()}
    assert roles == {"City of Riverton": "admin", "Harbour Shelter": "member"}


def test_adding_someone_twice_is_refused(city, alice):
    services.add_member(city, alice)
    with pytest.raises(ValidationError, match="already a member of City of Riverton"):
        services.add_member(city, alice, Role.ADMIN)
    assert Membership.objects.get().role == Role.MEMBER


def test_unknown_role_is_refused(city, alice):
    with pytest.raises(ValidationError):
        services.add_member(city, alice, "owner")
    assert not Membership.objects.exists()


def test_removing_a_member(city, alice):
    services.add_member(city, alice)
    services.remove_member(city, alice)
    assert not city.memberships.exists()
    with pytest.raises(ValidationError, match="is not a member"):
        services.remove_member(city, alice)


def test_deleting_an_organisation_keeps_its_peoples_accounts(city, alice):
    services.add_member(city, alice)
    city.delete()
    alice.refresh_from_db()
    assert not alice.memberships.exists()


# --- Managing organisations in /cms/ -------------------------------------------------------


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("editor", is_staff=True))
    return client


def organisation_form(members=(), saved_members=(), **fields):
    """The CMS form's fields; saved_members are (membership, role) already in the database."""
    rows = [(m.pk, m.user, role) for m, role in saved_members] + [
        ("", user, role) for user, role in members
    ]
    data = {
        "name": "Harbour Shelter",
        "slug": "",
        "sector": Sector.NON_PROFIT,
        "website": "https://shelter.example.org",
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(len(saved_members)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for number, (pk, user, role) in enumerate(rows):
        data[f"memberships-{number}-id"] = str(pk)
        data[f"memberships-{number}-user"] = str(user.pk)
        data[f"memberships-{number}-role"] = role
    return data


def test_staff_see_organisations_in_the_cms(staff_client, city):
    response = staff_client.get(CMS_LIST)
    assert response.status_code == 200
    assert "City of Riverton" in response.content.decode()
    assert "Organisations" in staff_client.get("/cms/").content.decode()


def test_staff_add_an_organisation_with_its_members(staff_client, alice, make_user):
    bob = make_user("bob")
    response = staff_client.post(
        CMS_ADD, organisation_form([(alice, Role.ADMIN), (bob, Role.MEMBER)])
    )
    assert response.status_code == 302
    shelter = Organisation.objects.get()
    assert shelter.slug == "harbour-shelter"
    roles = {m.user.username: m.role for m in shelter.memberships.all()}
    assert roles == {"alice": "admin", "bob": "member"}


def test_staff_change_a_members_role(staff_client, city, alice):
    membership = services.add_member(city, alice)
    data = organisation_form(
        saved_members=[(membership, Role.ADMIN)], name=city.name, slug=city.slug, sector=city.sector
    )
    response = staff_client.post(f"{CMS_LIST}edit/{city.pk}/", data)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_the_same_person_twice_is_explained_not_a_crash(staff_client, alice):
    response = staff_client.post(
        CMS_ADD, organisation_form([(alice, Role.ADMIN), (alice, Role.MEMBER)])
    )
    assert response.status_code == 200  # the form again, with the problem shown
    assert "Please correct the duplicate" in response.content.decode()
    assert not Organisation.objects.exists()


def test_search_finds_organisations_by_name(staff_client, city):
    services.create_organisation(name="Harbour Shelter", sector=Sector.NON_PROFIT)
    html = staff_client.get(CMS_LIST, {"q": "harbour"}).content.decode()
    assert "Harbour Shelter" in html
    assert "City of Riverton" not in html


def test_people_who_are_not_staff_cannot_add_organisations(client, alice):
    client.force_login(alice)
    response = client.post(CMS_ADD, organisation_form())
    assert response.status_code == 403
    assert not Organisation.objects.exists()
