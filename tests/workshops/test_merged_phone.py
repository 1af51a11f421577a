"""A facilitator merges two entries of one person: the phone of the entry merged away carries on
as the kept person (its pass re-pointed, told so), and no other way leads anyone into them."""

import pytest
from django.test import Client

from intersector import tokens
from intersector.workshops import services
from intersector.workshops.access import cookie_name
from intersector.workshops.models import MergedAway
from intersector.workshops.passes import PASS

pytestmark = pytest.mark.django_db


def merge(console, workshop, source, target):
    response = console.post(f"/convene/{workshop.pk}/people/{source.pk}/", {"action": "merge", "into": target.pk})
    assert response.status_code == 302
    return response


def test_the_merged_away_phone_carries_on_as_the_kept_person_and_is_told(workshop, console, join_phone):
    kept, first = join_phone("Ana")
    gone, second = join_phone("Ana", organisation="City")
    merge(console, workshop, gone, kept)

    page = second.get(f"/w/{workshop.code}/")
    text = page.content.decode()
    assert page.status_code == 200 and page.context["participant"].pk == kept.pk
    assert "You are now joined as Ana on this phone too" in text and "display_name" not in text
    assert services.participant_from_token(workshop, second.cookies[cookie_name(workshop)].value).pk == kept.pk
    # From now on the phone is simply the kept person: no notice again, the same pass as theirs.
    again = second.get(f"/w/{workshop.code}/")
    assert again.context["participant"].pk == kept.pk and "on this phone too" not in again.content.decode()
    assert first.get(f"/w/{workshop.code}/now").status_code == 200


def test_a_phone_busy_typing_keeps_going_through_its_own_requests(workshop, console, join_phone):
    kept, _first = join_phone("Ana")
    gone, second = join_phone("Ana", organisation="City")
    merge(console, workshop, gone, kept)
    # The phone reloads only its screen (someone was typing): that request carries on as Ana too.
    screen = second.get(f"/w/{workshop.code}/now")
    assert screen.status_code == 200 and "screen-content" in screen.content.decode()
    assert services.participant_from_token(workshop, second.cookies[cookie_name(workshop)].value).pk == kept.pk


def test_merges_in_a_row_lead_the_first_phone_to_the_last_kept_person(workshop, console, join_phone):
    a, phone_a = join_phone("Ana")
    b, _phone_b = join_phone("Ana", organisation="City")
    c, _phone_c = join_phone("Ana", organisation="Town")
    merge(console, workshop, a, b)
    merge(console, workshop, b, c)
    assert phone_a.get(f"/w/{workshop.code}/").context["participant"].pk == c.pk


def test_nobody_else_takes_over_the_kept_person_by_this_route(workshop, console, join_phone, facilitator):
    kept, _first = join_phone("Ana")
    gone, second = join_phone("Ana", organisation="City")
    stray, stray_phone = join_phone("Mickey", "business")
    gone_pk = gone.pk
    merge(console, workshop, gone, kept)
    record = MergedAway.objects.get()
    assert record.old_participant == gone_pk and record.into_id == kept.pk

    def refused(cookie):
        stranger = Client()
        stranger.cookies[cookie_name(workshop)] = cookie
        page = stranger.get(f"/w/{workshop.code}/")
        assert page.status_code == 400 and 'name="display_name"' in page.content.decode()
        assert stranger.get(f"/w/{workshop.code}/now").status_code == 403
        assert stranger.cookies[cookie_name(workshop)].value == cookie  # no pass given

    # The merged-away entry's ids with a guessed secret, properly signed: nothing.
    refused(PASS.make([workshop.pk, gone_pk, "guessed-secret"]))
    # The right secret in a token not signed by the site: nothing.
    refused(tokens.Kind("something.else", max_age=3600).make([workshop.pk, gone_pk, record.old_secret]))
    # Another workshop's pass with the same ids and secret: nothing.
    other = services.create_workshop(facilitator, "Another one", "starter")
    refused(PASS.make([other.pk, gone_pk, record.old_secret]))
    # A removed (not merged) entry's phone goes to the join page, as before.
    assert console.post(f"/convene/{workshop.pk}/people/{stray.pk}/", {"action": "remove"}).status_code == 302
    assert stray_phone.get(f"/w/{workshop.code}/now").status_code == 403
    assert 'name="display_name"' in stray_phone.get(f"/w/{workshop.code}/").content.decode()
    # Once the kept person is removed too, the merged-away phone's pass leads nowhere.
    assert console.post(f"/convene/{workshop.pk}/people/{kept.pk}/", {"action": "remove"}).status_code == 302
    assert not MergedAway.objects.exists()
    assert second.get(f"/w/{workshop.code}/now").status_code == 403
