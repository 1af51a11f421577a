"""A network survey's figures are worked out once and stored (network_results.py): later visits to
its page, the API and the files read them, and anything they came from changing (an answer, a
partner joining, a renamed organisation) works them out again, so no page shows old figures."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intersector.accounts.models import Organisation
from intersector.collaboratives import network_results, services
from intersector.collaboratives.models import NetworkFigures
from tests.collaboratives.test_network import (ALL_FOURS, answer, city, close, open_wave,  # noqa: F401
                                               signed_in)  # (city: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_out(monkeypatch):
    """The waves whose figures were worked out (not read from the stored ones), in order."""
    waves = []
    real = network_results.work_out

    def counted(wave, rows):
        waves.append(wave.number)
        return real(wave, rows)
    monkeypatch.setattr(network_results, "work_out", counted)
    return waves


def test_figures_are_worked_out_when_the_wave_closes_then_read(client, collaborative, people, city, worked_out):
    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS, c.lung: ALL_FOURS})
    answer(client, city, c, wave, {c.chamber: ALL_FOURS})
    page = close(client, people, c, wave)  # closes it, then shows its page
    assert worked_out == [1]  # once, when it closed
    assert "0.67" in page and "67% of all the ties there could be" in page
    stored = NetworkFigures.objects.get(wave=wave)
    url = f"/collaborate/{c.slug}/network/1/"
    signed_in(client, people["observer"])
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert again.count('<g class="node"') == 3 and "67% of all the ties there could be" in again
    # The second visit read no tie's rating: only the stored figures.
    assert not [q for q in queries if '"collaboratives_networktie"."trust"' in q["sql"]]
    signed_in(client, people["convenor"])
    assert client.get(url + "nodes.csv").status_code == 200
    assert client.get(f"/api/collaboratives/{c.slug}/network/1").json()["figures"]["ties"] == 2
    assert worked_out == [1]
    assert NetworkFigures.objects.get(wave=wave).worked_out == stored.worked_out
    # On a phone's slow connection the page comes gzipped.
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "67% of all the ties there could be" in gzip.decompress(response.content).decode()


def test_a_new_answer_works_the_figures_out_again(client, collaborative, people, city, worked_out):
    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS})
    assert network_results.results(wave)["summary"]["ties"] == 1  # an open wave's figures, stored
    assert NetworkFigures.objects.get(wave=wave).answers_version == 1
    # The council answers (the same `wave` object: its version is read from the database).
    assert answer(client, city, c, wave, {c.lung: {"mission": 2}}).status_code == 302
    found = network_results.results(wave)
    assert found["summary"]["ties"] == 2 and found["shown"]["density"] == "0.67"
    assert NetworkFigures.objects.get(wave=wave).answers_version == 2
    assert worked_out == [1, 1]
    # The chamber changes its answer, then the wave closes: its page shows the last answers.
    answer(client, people["alt"], c, wave, {c.council: ALL_FOURS, c.lung: ALL_FOURS})
    page = close(client, people, c, wave)
    assert "100% of all the ties there could be" in page and page.count("<line ") == 3
    assert worked_out == [1, 1, 1]


def test_a_partner_joining_or_renamed_after_the_close_shows_at_once(client, collaborative, people, city,
                                                                    worked_out):
    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS, c.lung: ALL_FOURS})
    close(client, people, c, wave)
    url = f"/collaborate/{c.slug}/network/1/"
    services.add_partner(c, name="Valley Transit Riders", sector="other")
    page = client.get(url).content.decode()
    assert page.count('<g class="node"') == 4 and "Valley Transit Riders" in page
    assert "4 partners and 2 ties between them" in page
    Organisation.objects.filter(pk=c.lung.organisation_id).update(name="Spring Lungs Alliance")
    page = client.get(url).content.decode()
    assert "Lung Health Alliance" not in page
    assert "River City Council, Spring Lungs Alliance" in page  # the chamber's ties, A to Z
    assert worked_out == [1, 1, 1]
    client.get(url)  # and then read again
    assert worked_out == [1, 1, 1]


def test_a_partner_that_joined_after_the_survey_closed_is_not_on_its_map(client, collaborative, people, city):
    """It was never asked and could not be named: the closed survey's map, figures and files stay
    as they were, while the next survey includes it."""
    from datetime import timedelta

    from django.utils import timezone

    from intersector.collaboratives.models import Partner

    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS, c.lung: ALL_FOURS})
    close(client, people, c, wave)
    newcomer = services.add_partner(c, name="Valley Transit Riders", sector="other")
    Partner.objects.filter(pk=newcomer.pk).update(joined=timezone.localdate() + timedelta(days=1))
    url = f"/collaborate/{c.slug}/network/1/"
    page = client.get(url).content.decode()
    assert page.count('<g class="node"') == 3 and "Valley Transit Riders" not in page
    assert "3 partners and 2 ties between them" in page
    signed_in(client, people["convenor"])
    assert "Valley Transit Riders" not in client.get(url + "nodes.csv").content.decode()
    from intersector.collaboratives import network

    assert newcomer in network.wave_partners(open_wave(client, people, c))  # the next survey asks it
