"""A phone at the table takes its draft to Agree: it gets a signed, expiring link (intersector.tokens)
that a signed-in person opens to make the agreement under their own account, once per person. A bad,
withdrawn or expired link gets a plain 4xx; the link and its pages show no brief."""

import re

import pytest
from django.core import signing
from django.test import Client

from intersector.agreements.models import Agreement, ElementText
from intersector.workshops.activities.casesim import agree
from intersector.workshops.activities.casesim.models import AgreeDraft, RoleSeat, Simulation, TableRun
from tests.agreements.conftest import made_days_ago
from tests.workshops.casesim.test_show import assert_no_brief, drafted, scorecard  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-44"


def first_table(item):
    return TableRun.objects.filter(simulation__item=item).order_by("table__number").first()


def seated_at(run):
    return RoleSeat.objects.filter(simulation=run.simulation, table=run.table).select_related("participant").first()


def ask_for_link(phone, item):
    answer = phone.post(f"/w/{item.workshop.code}/casesim/agree/")
    assert answer.status_code == 200, answer.content.decode()[:300]
    page = answer.content.decode()
    link = re.search(r'<a href="(http[^"]+/casesim/agree/[^"/]+/)">', page).group(1)
    return page, link.split("testserver", 1)[1]


def account(django_user_model, name):
    return django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)


def test_a_phone_gets_a_link_and_a_signed_in_person_makes_the_agreement_once(drafted, phone_of, django_user_model):
    run = first_table(drafted)
    TableRun.objects.filter(simulation__item=drafted).update(phase="present")
    phone = phone_of(seated_at(run).participant)
    screen = phone.get(f"/w/{drafted.workshop.code}/").content.decode()
    assert "Take our draft to Agree" in screen
    page, path = ask_for_link(phone, drafted)
    assert "Back to your table" in page
    assert_no_brief(drafted, page)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert set(signing.loads(token, salt=agree.LINK.purpose)) == {"r", "s"}  # ids and the secret, nothing else

    visitor = Client()
    answer = visitor.get(path)  # not signed in: sign in first, then back here
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/sign-in/?next=")
    kim = account(django_user_model, "kim")
    answer = visitor.post("/accounts/sign-in/", {"username": "kim", "password": PASSWORD, "next": path})
    assert answer.status_code == 302 and answer["Location"] == path
    confirm = visitor.get(path)
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Take Table 1's draft to Agree" in html
    assert "Create the agreement in Agree" in html
    assert_no_brief(drafted, html)
    assert not Agreement.objects.exists()  # opening the page makes nothing yet

    answer = visitor.post(path)
    agreement = Agreement.objects.get()
    assert answer.status_code == 302 and answer["Location"] == agreement.get_absolute_url()
    assert agreement.created_by == kim and agreement.partners.order_by("position").first().user == kim
    assert "Table 1" in agreement.name
    texts = dict(ElementText.objects.filter(agreement=agreement).values_list("element", "text"))
    assert texts["representatives"] == "Each partner names one person and one alternate."
    assert visitor.get(agreement.get_absolute_url()).status_code == 200

    # Once per person: again, or from another phone's link, goes to the same agreement.
    assert visitor.post(path)["Location"] == agreement.get_absolute_url()
    _page, other_path = ask_for_link(phone_of(list(RoleSeat.objects.filter(table=run.table))[-1].participant), drafted)
    assert visitor.get(other_path)["Location"] == agreement.get_absolute_url()
    assert Agreement.objects.count() == 1
    # Someone else with the link gets their own.
    lee = Client()
    lee.force_login(account(django_user_model, "lee"))
    assert lee.post(path).status_code == 302
    assert Agreement.objects.count() == 2 and AgreeDraft.objects.filter(run=run).count() == 2


def test_bad_withdrawn_and_expired_links_are_refused_plainly(drafted, phone_of, django_user_model, facilitator):
    run = first_table(drafted)
    _page, path = ask_for_link(phone_of(seated_at(run).participant), drafted)
    run.refresh_from_db()
    signed_in = Client()
    signed_in.force_login(account(django_user_model, "kim"))
    code = drafted.workshop.code
    expired = made_days_ago(agree.LINK, {"r": run.pk, "s": run.agree_secret}, agree.LINK_DAYS + 1)
    other_workshop = path.replace(f"/w/{code}/", "/w/ZZZZZZ/")
    for client in (Client(), signed_in):
        for address, status, words in ((path[:-6] + "/", 404, "incomplete or was changed"),
                                       (path.replace(path.rstrip("/").rsplit("/", 1)[1], "not-a-token"), 404,
                                        "incomplete or was changed"),
                                       (other_workshop, 404, "incomplete or was changed"),
                                       (f"/w/{code}/casesim/agree/{expired}/", 410, "has expired")):
            answer = client.get(address)
            assert answer.status_code == status, address
            assert words in answer.content.decode()
    TableRun.objects.filter(pk=run.pk).update(agree_secret="a-new-secret")  # every earlier link withdrawn
    answer = signed_in.post(path)
    assert answer.status_code == 404 and "incomplete or was changed" in answer.content.decode()
    assert not Agreement.objects.exists()


def test_a_phone_without_a_draft_is_told_so_and_has_no_button(started, scorecard, people, phone_of):  # noqa: F811
    run = first_table(started)
    phone = phone_of(seated_at(run).participant)
    assert "Take our draft to Agree" not in phone.get(f"/w/{started.workshop.code}/").content.decode()
    answer = phone.post(f"/w/{started.workshop.code}/casesim/agree/")
    assert answer.status_code == 409 and "not chosen its question families" in answer.content.decode()
    # In the report back the button is there for a table that has a draft.
    TableRun.objects.filter(pk=run.pk).update(families=["who", "why", "how"])
    Simulation.objects.filter(item=started).update(stage=Simulation.Stage.REPORT)
    screen = phone.get(f"/w/{started.workshop.code}/").content.decode()
    assert "Look at the screen" in screen and "Take our draft to Agree" in screen
    assert not RoleSeat.objects.filter(simulation=run.simulation, participant=people[0], taken_out=True).exists()
