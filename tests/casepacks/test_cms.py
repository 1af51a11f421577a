"""Staff edit a stored case pack in /cms/ field by field: every save is checked with the pack's
own checks, problems are listed in plain words and nothing is saved; a real change raises the
version by one."""

import pytest

from intersector.casepacks import library, packs
from intersector.casepacks.models import StoredPack
from tests.casepacks.forms import find_row, form_values, row_fields

pytestmark = pytest.mark.django_db

LIST = "/cms/snippets/casepacks/storedpack/"


def edit_url(pack):
    return f"{LIST}edit/{pack.pk}/"


def test_the_pack_is_listed_and_its_edit_form_has_a_field_for_each_part(editor_client, stored):
    listing = editor_client.get(LIST).content.decode()
    assert "Moving the region" in listing and "Import a pack file" in listing
    assert f"/case-packs/{stored.pk}/download/" in listing
    page = editor_client.get(edit_url(stored))
    assert page.status_code == 200
    values = form_values(page)
    assert values["key"] == "sacramento" and values["language"] == "en"
    roles = row_fields(values, "role_rows")
    assert len(roles) == 15
    city = roles[0]
    assert city["sector"] == "government" and city["interest_group"] == "government"
    assert city["brief"].startswith("You work for the city manager")
    assert city["must_get"].splitlines()[0] == (
        "coordinator: City staff coordinate the collaborative: agendas, minutes and follow-up. "
        "[against: clean-air-alliance]")
    assert len(row_fields(values, "phase_rows")) == 4
    assert "Download this pack" in page.content.decode()


def test_saving_without_a_change_keeps_the_version_and_the_pack(editor_client, stored):
    before = stored.data
    response = editor_client.post(edit_url(stored), form_values(editor_client.get(edit_url(stored))))
    assert response.status_code == 302, response.content.decode()[:3000]
    stored.refresh_from_db()
    assert stored.version == 1 and stored.data == before


def test_a_change_is_saved_checked_and_raises_the_version(editor_client, stored, editor):
    values = form_values(editor_client.get(edit_url(stored)))
    row = find_row(values, "role_rows", "key", "chamber")
    values[row + "brief"] = "You speak for the chamber's members. Keep their money safe."
    values[row + "red_lines"] += "\nfinances: Paying for the city's mistakes."
    values["phase_rows-2-minutes"] = "30"
    response = editor_client.post(edit_url(stored), values)
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.version == 2 and stored.updated_by == editor
    pack = library.get_pack("sacramento", "en")
    chamber = pack.role("chamber")
    assert chamber.brief == "You speak for the chamber's members. Keep their money safe."
    assert chamber.red_lines[-1] == packs.Item("Paying for the city's mistakes.", "finances")
    assert pack.version == 2 and pack.phases[2].minutes == 30
    # Saved again unchanged: still version 2.
    editor_client.post(edit_url(stored), form_values(editor_client.get(edit_url(stored))))
    stored.refresh_from_db()
    assert stored.version == 2


def test_problems_are_listed_on_the_form_and_nothing_is_saved(editor_client, stored):
    before = stored.data
    values = form_values(editor_client.get(edit_url(stored)))
    for index, role in row_fields(values, "role_rows").items():
        if role["sector"] == "business":
            values[f"role_rows-{index}-sector"] = "non-profit"
    row = find_row(values, "role_rows", "key", "transit-district")
    values[row + "elements"] += ", decision-makin"
    response = editor_client.post(edit_url(stored), values)
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert "no role is in the sector 'business'" in text
    assert "'decision-makin' is not an element of the scorecard. Did you mean 'decision-making'?" in text
    stored.refresh_from_db()
    assert stored.version == 1 and stored.data == before


def test_a_new_pack_is_made_in_the_form(editor_client):
    values = form_values(editor_client.get(f"{LIST}add/"))
    values.update({"key": "harbour", "language": "en", "title": "Cleaning up the harbour",
                   "summary": "A port, a shipper and a town.", "source": "Written for a test.",
                   "licence": "Free to use.", "families_min": "3", "families_max": "5",
                   "results_intro": "What each table fills in."})

    def rows(relation, *entries):
        values[f"{relation}-TOTAL_FORMS"] = str(len(entries))
        for index, entry in enumerate(entries):
            values.update({f"{relation}-{index}-{k}": v for k, v in entry.items()})
            values[f"{relation}-{index}-ORDER"] = str(index + 1)

    rows("background_rows", {"heading": "The harbour", "text": "Ships, fish and people."})
    rows("guide_rows", {"heading": "Running it", "text": "Watch the clock."})
    rows("group_rows", {"key": "town", "name": "Town"})
    rows("result_rows", {"key": "agreed", "label": "Agreed text"})
    roles = [("port", "government", "Harbour master", "finances: Money kept in the port's books. "
              "[against: shipper]"), ("shipper", "business", "Shipper", "liability: Cover."),
             ("fishers", "non-profit", "Fishers' union", "Clean water.")]
    rows("role_rows", *[{"key": key, "sector": sector, "name": name, "organisation": name,
                         "interest_group": "town", "elements": "finances, liability",
                         "brief": f"You are the {name}.", "must_get": must,
                         "can_give": "liability: Insurance.",
                         "red_lines": "finances: Paying for others."} for key, sector, name, must
                        in roles])
    response = editor_client.post(f"{LIST}add/", values)
    assert response.status_code == 302, response.content.decode()[:2000]
    pack = library.get_pack("harbour")
    assert pack.version == 1 and [r.key for r in pack.roles] == ["port", "shipper", "fishers"]
    assert pack.role("port").must_get[0] == packs.Item("Money kept in the port's books.",
                                                       "finances", ["shipper"])
    assert pack.role("fishers").must_get[0] == packs.Item("Clean water.")
    assert [p.minutes for p in pack.phases] == [10, 5, 25, 10]     # the usual phases
    assert len(pack.debrief) == 6                                   # and the usual questions
    assert packs.load(packs.export(pack)) == pack


def test_the_same_key_and_language_twice_is_refused(editor_client, stored):
    values = form_values(editor_client.get(f"{LIST}add/"))
    values.update({"key": "sacramento", "language": "en"})
    response = editor_client.post(f"{LIST}add/", values)
    assert response.status_code == 200
    assert StoredPack.objects.count() == 1


def test_without_the_permission_the_content_admin_keeps_packs_closed(client, stored,
                                                                    django_user_model):
    from django.contrib.auth.models import Permission

    assert client.get(LIST).status_code == 302                    # sign in first
    member = django_user_model.objects.create_user("member", "m@example.org", "a-long-pass-42")
    client.force_login(member)
    assert client.get(edit_url(stored)).status_code in (302, 403)
    staff = django_user_model.objects.create_user("staff", "s@example.org", "a-long-pass-42",
                                                  is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    for url in (LIST, edit_url(stored)):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "You work for the city manager" not in response.content.decode()
