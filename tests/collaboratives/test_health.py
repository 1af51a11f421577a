"""The collaboration health check: the bands at their edges, the sector split and its hiding of
small groups, the change between waves, and every refusal, through the real URLs."""

from decimal import Decimal
from fractions import Fraction

import pytest

from intersector.collaboratives import health, services
from intersector.collaboratives.models import HealthResponse, HealthWave

pytestmark = pytest.mark.django_db

FIRST = health.factors()[0].key  # "history-of-working-together", in Environment
SECOND = health.factors()[1].key


def signed_in(client, user):
    client.force_login(user)
    return client


# --- Pure scoring ----------------------------------------------------------------------------


@pytest.mark.parametrize("values, shown, band", [
    ([3] * 9 + [2], "2.9", "attention"),
    ([3] * 10, "3.0", "discuss"),
    ([4] * 9 + [3], "3.9", "discuss"),
    ([4] * 10, "4.0", "strength"),
    ([4] * 19 + [3], "4.0", "strength"),  # 3.95 shows as 4.0, and is banded as it shows
    ([3] * 47 + [2] * 3, "2.9", "attention"),  # 2.94
    ([3] * 19 + [2], "3.0", "discuss"),  # 2.95
])
def test_bands_at_their_edges_follow_the_mean_as_shown(values, shown, band):
    mean = health.mean_of(values)
    assert health.shown(mean) == Decimal(shown) and health.band(mean) == band


def test_bands_are_exact_where_floats_are_not():
    # 0.1 * 3 * 10 / 10 in floats is 2.9999999999999996; fractions keep it 3.0.
    assert health.band(Fraction(30, 10)) == "discuss" and health.band(Fraction(29, 10)) == "attention"


def test_a_group_under_three_is_hidden_and_so_is_the_one_that_would_give_it_away():
    assert health.hidden_groups({"business": 5, "government": 3}) == set()
    # government's single answer = total - business's: business is hidden with it.
    assert health.hidden_groups({"business": 5, "government": 1}) == {"government", "business"}
    # two small groups together make three: the total gives away only their shared average.
    assert health.hidden_groups({"business": 5, "government": 2, "non-profit": 1}) == {"government", "non-profit"}
    assert health.hidden_groups({"business": 4, "government": 3, "non-profit": 2}) == {"non-profit", "government"}


# --- Through the URLs ------------------------------------------------------------------------


@pytest.fixture
def crowd(collaborative, django_user_model):
    """Six more people with accounts: three for a business partner, three for a government one."""
    from tests.collaboratives.conftest import make_user

    city = services.add_partner(collaborative, name="River City Council", sector="government")
    people = {}
    for n in range(3):
        for partner, sector in ((collaborative.chamber, "biz"), (city, "gov")):
            name = f"{sector}{n}"
            member = services.add_person(collaborative, name=name.title(), email=f"{name}@example.org",
                                         role="representative" if n == 0 and sector == "gov" else "observer",
                                         partner=partner)
            member.user = make_user(django_user_model, name)
            member.save(update_fields=["user"])
            people[name] = member.user
    return people


def open_wave(client, people, collaborative):
    signed_in(client, people["convenor"])
    response = client.post(f"/collaborate/{collaborative.slug}/health/open/")
    assert response.status_code == 302
    return HealthWave.objects.get(collaborative=collaborative, closed__isnull=True)


def answer(client, user, collaborative, wave, values):
    signed_in(client, user)
    return client.post(f"/collaborate/{collaborative.slug}/health/{wave.number}/answer/",
                       {f"factor-{key}": value for key, value in values.items()})


def close(client, people, collaborative, wave):
    signed_in(client, people["convenor"])
    response = client.post(f"/collaborate/{collaborative.slug}/health/{wave.number}/close/")
    assert response.status_code == 302
    return client.get(f"/collaborate/{collaborative.slug}/health/{wave.number}/").content.decode()


def row_of(page, statement):
    start = page.index(statement)
    return page[start:page.index("</tr>", start)]


def test_a_wave_answered_by_sector_shows_bands_a_split_and_the_gap(client, collaborative, people, crowd):
    wave = open_wave(client, people, collaborative)
    page = client.get(f"/collaborate/{collaborative.slug}/health/").content.decode()
    assert "Health check 1 is open" in page and "Close it and show the results" in page
    # Business (the chamber's rep, alt and three observers): 5 answers of 4 -> 4.0 strength.
    for name in ("biz0", "biz1", "biz2"):
        assert answer(client, crowd[name], collaborative, wave, {FIRST: 4, SECOND: 3}).status_code == 302
    for who in ("rep", "alt"):
        answer(client, people[who], collaborative, wave, {FIRST: 4, SECOND: 3})
    # Government: three answers of 3, 3, 2 -> 2.7 needs attention; SECOND left "not sure" by one.
    for name, value in (("gov0", 3), ("gov1", 3), ("gov2", 2)):
        answer(client, crowd[name], collaborative, wave, {FIRST: value, SECOND: 3 if name != "gov2" else ""})
    # While open, no figures: they would move as each person answers.
    signed_in(client, people["rep"])
    page = client.get(f"/collaborate/{collaborative.slug}/health/1/").content.decode()
    assert "still open: 8 people have answered" in page and "strength" not in page
    page = close(client, people, collaborative, wave)
    first = row_of(page, health.factors()[0].statement)
    # Everyone: (5*4 + 3 + 3 + 2) / 8 = 3.5; business 4.0 strength; government 2.7; the gap 1.3.
    assert "3.5" in first and "4.0" in first and "2.7" in first and "1.3" in first
    assert "strength" in first and "discuss" in first and "needs attention" in first
    # SECOND: business 5 answers of 3; government only 2 answered -> hidden, and business with it
    # (otherwise the total minus business would give the two away).
    second = row_of(page, health.factors()[1].statement)
    assert second.count("fewer than 3 answers") == 2 and "3.0" in second
    assert "no figure can be shown" not in page  # eight answered: figures show
    assert "Business" in page and "Government" in page


def test_the_change_since_the_last_wave(client, collaborative, people, crowd):
    names = ["biz0", "biz1", "biz2"]
    wave = open_wave(client, people, collaborative)
    for name in names:
        answer(client, crowd[name], collaborative, wave, {FIRST: 2})
    close(client, people, collaborative, wave)
    wave = open_wave(client, people, collaborative)
    assert wave.number == 2
    for name in names:
        answer(client, crowd[name], collaborative, wave, {FIRST: 4})
    page = close(client, people, collaborative, wave)
    assert "Changes are since Health check 1" in page
    assert "+2.0 since the last" in row_of(page, health.factors()[0].statement)


def test_a_member_changes_their_answers_until_closing_and_sees_only_their_own(client, collaborative, people, crowd):
    wave = open_wave(client, people, collaborative)
    answer(client, people["rep"], collaborative, wave, {FIRST: 5})
    answer(client, people["rep"], collaborative, wave, {FIRST: 1, SECOND: 2})
    assert HealthResponse.objects.get(wave=wave).values == {FIRST: 1, SECOND: 2}
    form = client.get(f"/collaborate/{collaborative.slug}/health/1/answer/").content.decode()
    assert f'name="factor-{FIRST}" value="1" checked' in form
    # Another member's form shows nothing of the representative's.
    signed_in(client, people["observer"])
    form = client.get(f"/collaborate/{collaborative.slug}/health/1/answer/").content.decode()
    assert "checked>" not in form.replace(' value="" checked>', "") and "These are your saved answers" not in form
    # Observers answer too.
    assert answer(client, people["observer"], collaborative, wave, {FIRST: 3}).status_code == 302
    close(client, people, collaborative, wave)
    response = answer(client, people["rep"], collaborative, wave, {FIRST: 4})
    assert response.status_code == 409 and "can no longer be changed" in response.content.decode()
    assert HealthResponse.objects.get(wave=wave, member__user=people["rep"]).values == {FIRST: 1, SECOND: 2}


def test_with_two_answers_no_figure_gives_them_away(client, collaborative, people):
    wave = open_wave(client, people, collaborative)
    answer(client, people["rep"], collaborative, wave, {FIRST: 5})
    answer(client, people["observer"], collaborative, wave, {FIRST: 1})
    page = close(client, people, collaborative, wave)
    first = row_of(page, health.factors()[0].statement)
    assert "fewer than 3 answers" in first and "3.0" not in first and "5" not in first.replace("5 ", "")
    assert "Fewer than 3 people answered, so no figure can be shown" in page  # said once, with what to do


def test_bad_answers_are_refused_with_what_was_chosen_kept(client, collaborative, people):
    wave = open_wave(client, people, collaborative)
    response = answer(client, people["rep"], collaborative, wave, {FIRST: 4, SECOND: 7})
    page = response.content.decode()
    assert response.status_code == 400 and "from 1 to 5" in page and health.factors()[1].statement in page
    assert f'name="factor-{FIRST}" value="4" checked' in page
    response = answer(client, people["rep"], collaborative, wave, {})
    assert response.status_code == 400 and "at least one" in response.content.decode()
    assert not HealthResponse.objects.exists()


def test_an_empty_wave_closes_with_a_plain_message(client, collaborative, people):
    wave = open_wave(client, people, collaborative)
    page = close(client, people, collaborative, wave)
    assert "Nobody answered this health check" in page


def test_refusals(client, collaborative, people):
    slug = collaborative.slug
    signed_in(client, people["rep"])
    assert client.post(f"/collaborate/{slug}/health/open/").status_code == 403
    wave = open_wave(client, people, collaborative)
    response = client.post(f"/collaborate/{slug}/health/open/")
    assert response.status_code == 409 and "already open" in response.content.decode()
    signed_in(client, people["observer"])
    assert client.post(f"/collaborate/{slug}/health/1/close/").status_code == 403
    for who in ("stranger", "elsewhere"):
        signed_in(client, people[who])
        assert client.get(f"/collaborate/{slug}/health/").status_code == 404
        assert answer(client, people[who], collaborative, wave, {FIRST: 3}).status_code == 404
    client.logout()
    assert client.get(f"/collaborate/{slug}/health/1/").status_code == 404
    signed_in(client, people["convenor"])
    assert client.get(f"/collaborate/{slug}/health/9/").status_code == 404
    close(client, people, collaborative, wave)
    response = client.post(f"/collaborate/{slug}/health/1/close/")
    assert response.status_code == 409 and "already closed" in response.content.decode()
    assert not HealthResponse.objects.exists()


def test_the_factors_are_ours_in_six_categories_in_both_languages():
    assert [c.key for c in health.categories()] == [
        "environment", "membership", "process", "communication", "purpose", "resources"]
    factors = health.factors()
    assert len(factors) >= 20 and len({f.key for f in factors}) == len(factors)
    assert all(f.text["en"] and f.text["es"] and f.text["en"] != f.text["es"] for f in factors)


def test_the_demonstration_has_a_closed_health_check_anyone_may_read_but_not_answer(client, toolkit, people):
    from intersector.collaboratives.content import load_demonstration
    from tests.collaboratives.conftest import CONTENT

    load_demonstration(CONTENT.parent)
    wave = HealthWave.objects.get(collaborative__demonstration=True)
    assert not wave.is_open and wave.responses.count() == wave.collaborative.members.exclude(role="convenor").count()
    slug = wave.collaborative.slug
    page = client.get(f"/collaborate/{slug}/health/1/").content.decode()
    assert "strength" in page and "needs attention" in page and "Gap between sectors" in page
    answered = wave.responses.count()
    signed_in(client, people["stranger"])
    assert "Answer the health check" not in client.get(f"/collaborate/{slug}/health/").content.decode()
    response = client.post(f"/collaborate/{slug}/health/1/answer/", {f"factor-{FIRST}": "5"})
    assert response.status_code == 403 and wave.responses.count() == answered


def test_answers_stay_when_a_persons_row_or_their_partner_is_deleted(client, collaborative, people, crowd):
    from intersector.collaboratives.models import Member

    wave = open_wave(client, people, collaborative)
    for name, value in (("biz0", 4), ("biz1", 4), ("biz2", 5), ("gov0", 2), ("gov1", 3), ("gov2", 3)):
        assert answer(client, crowd[name], collaborative, wave, {FIRST: value}).status_code == 302
    before = row_of(close(client, people, collaborative, wave), health.factors()[0].statement)
    assert "3.5" in before  # (4 + 4 + 5 + 2 + 3 + 3) / 6
    # A person's row deleted (not ended), and a whole partner with its people.
    Member.objects.get(user=crowd["biz0"]).delete()
    Member.objects.get(user=crowd["gov0"]).partner.delete()
    assert HealthResponse.objects.filter(wave=wave).count() == 6
    assert HealthResponse.objects.filter(wave=wave, member__isnull=True).count() == 4
    signed_in(client, people["rep"])
    page = client.get(f"/collaborate/{collaborative.slug}/health/{wave.number}/").content.decode()
    assert row_of(page, health.factors()[0].statement) == before
