"""The network survey's answer page in two steps, without JavaScript: step 1 ticks the partners
one works with (checkboxes only), step 2 rates only those. Every POST carries the whole answer so
far, nothing is saved before "Send our answer", and refusals keep everything chosen. At 480
partners (the 10x demonstration) step 1 stays small: a few hundred bytes a partner."""

import re

import pytest

from intersector.accounts.models import Organisation
from intersector.collaboratives import network
from intersector.collaboratives.models import NetworkAnswer, NetworkWave, Partner
from tests.collaboratives.test_network import ALL_FOURS, city, open_wave, signed_in  # noqa: F401  (city: a fixture)

pytestmark = pytest.mark.django_db

SECTORS = ("government", "business", "non-profit", "other")


def url(collaborative, wave):
    return f"/collaborate/{collaborative.slug}/network/{wave.number}/answer/"


def post(client, collaborative, wave, step, ticks=(), ratings=None, **extra):
    data = {"works_with": [str(p.pk) for p in ticks], **extra}
    if step:
        data["step"] = step
    for partner, items in (ratings or {}).items():
        data.update({f"item-{partner.pk}-{key}": str(value) for key, value in items.items()})
    return client.post(url(collaborative, wave), data)


def radios(page):
    return len(re.findall(r'type="radio"', page))


def test_tick_then_rate_then_change_the_list_then_send(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    signed_in(client, people["rep"])
    page = client.get(url(c, wave)).content.decode()
    assert "Step 1 of 2" in page and radios(page) == 0
    assert f'name="works_with" value="{c.council.pk}">' in page and "We work with none of them yet" in page
    # Step 2 asks about the ticked partner only; the list rides along hidden.
    response = post(client, c, wave, "rate", [c.council])
    page = response.content.decode()
    assert response.status_code == 200 and "Step 2 of 2" in page
    assert radios(page) == len(network.ITEMS) * 5 and f"item-{c.lung.pk}-" not in page
    assert f'<input type="hidden" name="works_with" value="{c.council.pk}">' in page
    # Back to the list with a rating given: it is carried, and comes back on step 2.
    response = post(client, c, wave, "list", [c.council], {c.council: {"mission": 4, "openness": ""}})
    page = response.content.decode()
    assert "Step 1 of 2" in page and f'value="{c.council.pk}" checked' in page
    assert f'<input type="hidden" name="item-{c.council.pk}-mission" value="4">' in page
    assert f"item-{c.council.pk}-openness" not in page  # "Not sure" needs no carrying
    page = post(client, c, wave, "rate", [c.council, c.lung], {c.council: {"mission": 4}}).content.decode()
    assert radios(page) == 2 * len(network.ITEMS) * 5
    assert f'name="item-{c.council.pk}-mission" value="4" checked' in page
    assert not NetworkAnswer.objects.exists()  # nothing is saved before "Send our answer"
    response = post(client, c, wave, "send", [c.council, c.lung], {c.council: ALL_FOURS, c.lung: {"influence": 2}})
    assert response.status_code == 302
    saved = NetworkAnswer.objects.get(wave=wave, partner=c.chamber)
    assert {t.partner_id: t.items for t in saved.ties.all()} == {c.council.pk: ALL_FOURS, c.lung.pk: {"influence": 2}}
    # Opening it again shows the saved ratings (step 2), with a way back to the list.
    page = client.get(url(c, wave)).content.decode()
    assert "Step 2 of 2" in page and "Change the list of partners" in page
    assert f'name="item-{c.lung.pk}-influence" value="2" checked' in page


def test_none_on_the_list_is_saved_at_once_and_shown_again(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    signed_in(client, people["rep"])
    assert post(client, c, wave, "rate", none="yes").status_code == 302
    assert NetworkAnswer.objects.get(wave=wave).ties.count() == 0
    page = client.get(url(c, wave)).content.decode()
    assert "Step 1 of 2" in page and 'name="none" value="yes" checked' in page


def test_refusals_keep_what_was_chosen_and_save_nothing(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    signed_in(client, people["rep"])
    response = post(client, c, wave, "rate")
    assert response.status_code == 400 and "Tick the partners your organisation works with" in response.content.decode()
    response = client.post(url(c, wave), {"step": "rate", "works_with": [str(c.council.pk), "999999"]})
    page = response.content.decode()
    assert response.status_code == 400 and "Choose partners from the list" in page
    assert "Step 1 of 2" in page and f'value="{c.council.pk}" checked' in page
    for step in ("rate", "send"):
        response = post(client, c, wave, step, [c.lung], {c.lung: {"mission": 3}}, none="yes")
        page = response.content.decode()
        assert response.status_code == 400 and "Untick one or the other" in page
        assert "Step 1 of 2" in page and f'value="{c.lung.pk}" checked' in page
        assert 'name="none" value="yes" checked' in page
        assert f'<input type="hidden" name="item-{c.lung.pk}-mission" value="3">' in page
    response = post(client, c, wave, "send", [c.council], {c.council: {"mission": 3, "openness": 7}})
    page = response.content.decode()
    assert response.status_code == 400 and "from 1 to 4" in page and "Step 2 of 2" in page
    assert f'name="item-{c.council.pk}-mission" value="3" checked' in page
    assert not NetworkAnswer.objects.exists()
    # Only a partner's representative or alternate may take the steps.
    signed_in(client, people["observer"])
    assert post(client, c, wave, "rate", [c.council]).status_code == 403
    assert post(client, c, wave, "list", [c.council]).status_code == 403


def add_partners(collaborative, count):
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Capital Valley Partner Organisation {n:03d}", slug=f"cv-partner-{n:03d}",
                     sector=SECTORS[n % 4]) for n in range(count))
    Partner.objects.bulk_create(Partner(collaborative=collaborative, organisation=o) for o in organisations)


def test_at_480_partners_step_1_is_small_and_step_2_holds_only_the_ticked(client, collaborative, people):
    c = collaborative
    add_partners(c, 478)
    wave = open_wave(client, people, c)
    assert len(network.wave_partners(wave)) == 480
    signed_in(client, people["rep"])
    page = client.get(url(c, wave)).content
    # Before the two steps this page was about 2.2 MB with 14,855 inputs (every partner's questions).
    assert len(page) / 479 < 400, len(page)
    assert radios(page.decode()) == 0 and page.decode().count('name="works_with"') == 479
    assert 'id="pick-filter"' in page.decode()  # the box that narrows the list (with JavaScript)
    ticks = list(Partner.objects.filter(collaborative=c).exclude(pk=c.chamber.pk).order_by("pk")[:12])
    step_2 = post(client, c, wave, "rate", ticks).content.decode()
    assert radios(step_2) == 12 * len(network.ITEMS) * 5
    assert set(int(pk) for pk in re.findall(r'name="item-(\d+)-', step_2)) == {p.pk for p in ticks}
    print(f"\nnetwork answer page at 480 partners: step 1 {len(page)} bytes, "
          f"step 2 with 12 ticked {len(step_2.encode())} bytes")
    assert NetworkWave.objects.get(pk=wave.pk).answers.count() == 0
