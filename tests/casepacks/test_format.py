"""Reading, checking and writing back a case pack file: the refusals a facilitator may meet."""

import pytest

from intersector import casepacks
from intersector.casepacks import yamlfile
from intersector.refusals import Refused

SMALL = """\
format: intersector-case-pack/1
key: harbour
version: 2
language: en
title: "Harbour clean-up"
summary: "Three partners agree how to clean up a harbour."
source: "Written for this test."
licence: "Test licence."
background:
  - heading: "The harbour"
    text: "The harbour is dirty."
interest_groups:
  - {key: town, name: "Town"}
  - {key: trade, name: "Trade"}
roles:
  - key: port
    name: "Harbour master"
    organisation: "Port Authority"
    sector: government
    interest_group: town
    elements: [finances, liability]
    brief: "You run the port."
    must_get:
      - {element: finances, text: "Money in the port's books.", against: [shipper]}
    can_give:
      - {element: liability, text: "Insurance for the clean-up."}
    red_lines:
      - {element: liability, text: "Paying for others' damage."}
  - key: shipper
    name: "Manager"
    organisation: "Shipping Line"
    sector: business
    interest_group: trade
    elements: [finances]
    brief: "You run ships."
    must_get:
      - {text: "Quick decisions."}
    can_give:
      - {element: finances, text: "Money."}
    red_lines:
      - {element: finances, text: "Money the port alone controls."}
  - key: friends
    name: "Chair"
    organisation: "Friends of the Harbour"
    sector: non-profit
    interest_group: town
    elements: [information-sharing]
    brief: "You love the harbour."
    must_get:
      - {element: information-sharing, text: "Open data."}
    can_give:
      - {text: "Volunteers."}
    red_lines:
      - {text: "Secret deals."}
facilitator_guide:
  - heading: "Running it"
    text: "Keep time."
results_template:
  intro: "One form per table."
  fields:
    - {key: agreed, label: "Agreed text"}
"""


def line(text, needle):
    """The line number where `needle` first appears in `text`."""
    return next(i for i, row in enumerate(text.splitlines(), 1) if needle in row)


def problems(text, **options):
    with pytest.raises(casepacks.CasePackError) as caught:
        casepacks.load(text, **options)
    return caught.value.problems


def one_problem(text, **options):
    found = problems(text, **options)
    assert len(found) == 1, found
    return found[0]


# --- What loads, and what comes back out --------------------------------------------------------


def test_a_small_pack_loads_with_the_default_phases_and_the_six_debrief_questions():
    pack = casepacks.load(SMALL)
    assert [role.key for role in pack.roles] == ["port", "shipper", "friends"]
    assert [p.key for p in pack.phases] == casepacks.PHASE_KEYS and pack.minutes == 50
    assert [q.key for q in pack.debrief] == ["feel", "happened", "learned", "real-world",
                                             "what-if", "next"]
    assert pack.role("port").must_get[0].against == ["shipper"]
    [pull] = casepacks.tensions(pack)
    assert (pull.wants, pull.refuses, pull.element) == ("port", "shipper", "finances")


def test_export_writes_the_same_format_back(starter, starter_text):
    text = casepacks.export(starter)
    assert text.startswith("# Intersector case pack.")
    again = casepacks.load(text)
    assert again == starter
    assert casepacks.export(again) == text
    assert casepacks.load(text.encode("utf-8")) == starter
    # Briefs stay readable paragraphs, not one quoted line.
    assert "  brief: |-\n" in text and "\\n" not in text


def test_a_small_pack_round_trips_with_its_defaults_written_out():
    pack = casepacks.load(SMALL)
    text = casepacks.export(pack)
    assert "phases:" in text and "debrief:" in text
    assert casepacks.load(text) == pack


def test_the_pack_is_read_from_a_file_and_from_uploaded_bytes(tmp_path):
    path = tmp_path / "harbour.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert casepacks.load_file(path) == casepacks.load(SMALL.encode("utf-8"))


def test_element_keys_come_from_the_shipped_scorecard_or_the_caller():
    assert "finances" in casepacks.scorecard_elements()
    assert len(casepacks.scorecard_elements()) >= 25
    elements = ["finances", "liability", "information-sharing"]
    assert casepacks.load(SMALL, element_keys=elements).key == "harbour"
    found = problems(SMALL, element_keys=["finances", "information-sharing"])
    assert f"Line {line(SMALL, 'elements: [finances, liability]')}, roles › port › elements: " \
        "'liability' is not an element of the scorecard." in found


# --- Refusals: each with a message a facilitator can act on -------------------------------------


def test_a_refusal_is_a_refused_with_a_status_and_every_problem_listed():
    text = SMALL.replace("sector: business", "sector: government").replace(
        "elements: [information-sharing]", "elements: [open-data]")
    with pytest.raises(Refused) as caught:
        casepacks.load(text)
    assert caught.value.status == 400
    assert len(caught.value.problems) == 2
    assert caught.value.message.startswith("This case pack cannot be used yet:")


def test_a_pack_with_no_role_for_a_sector_is_refused():
    message = one_problem(SMALL.replace("sector: business", "sector: government"))
    at = line(SMALL, "roles:")
    assert message == (f"Line {at}, roles: no role is in the sector 'business'. Every table "
                       "needs government, business and non-profit roles.")


def test_a_role_key_used_twice_is_refused_naming_both_lines():
    text = SMALL.replace("  - key: friends\n", "  - key: port\n")
    second, first = line(SMALL, "key: friends"), line(SMALL, "key: port")
    assert one_problem(text) == (f"Line {second}, roles › port › key: the key 'port' is used by "
                                 f"two roles; each needs its own. The other one is on line {first}.")


def test_other_duplicate_keys_are_refused():
    text = SMALL.replace("  - {key: trade, name: \"Trade\"}", "  - {key: town, name: \"Trade\"}")
    found = problems(text)
    assert any("the key 'town' is used by two interest groups" in p for p in found)


def test_a_brief_over_the_limit_is_refused():
    long_brief = "word " * (casepacks.MAX_BRIEF_WORDS + 1)
    message = one_problem(SMALL.replace("You run ships.", long_brief))
    at = line(SMALL, "You run ships.")
    assert message.startswith(f"Line {at}, roles › shipper › brief: the brief has 1201 words; "
                              "at most 1200 fit in the reading time.")


def test_an_unknown_element_is_refused_with_a_suggestion():
    message = one_problem(SMALL.replace("elements: [finances]\n", "elements: [finance]\n"))
    at = line(SMALL, "elements: [finances]")
    assert message == (f"Line {at}, roles › shipper › elements: 'finance' is not an element of "
                       "the scorecard. Did you mean 'finances'?")


def test_an_item_about_an_element_the_role_does_not_list_is_refused():
    text = SMALL.replace('{text: "Secret deals."}', '{element: finances, text: "Secret deals."}')
    assert one_problem(text) == (f"Line {line(SMALL, 'Secret deals')}, roles › friends › "
                                 "red_lines 1 › element: 'finances' is not in this role's "
                                 "elements; add it there.")


def test_against_must_name_a_role_with_a_red_line_on_that_element():
    text = SMALL.replace("against: [shipper]", "against: [friends]")
    at = line(SMALL, "against:")
    assert one_problem(text) == (f"Line {at}, roles › port › must_get 1 › against: 'friends' "
                                 "has no red line on 'finances', so this must-get does not run "
                                 "into it there.")
    text = SMALL.replace("against: [shipper]", "against: [ferry]")
    assert "there is no role 'ferry'" in one_problem(text)
    text = SMALL.replace("against: [shipper]", "against: [port]")
    assert "a role cannot be against itself" in one_problem(text)


def test_a_file_that_is_too_large_is_refused_before_it_is_read():
    text = SMALL + "#" + "x" * casepacks.MAX_FILE_BYTES
    with pytest.raises(casepacks.CasePackError) as caught:
        casepacks.load(text.encode("utf-8"))
    assert caught.value.status == 413
    size = -(-len(text.encode("utf-8")) // 1024)
    assert caught.value.problems == [
        f"The file is {size} KB; a case pack may be at most 512 KB."]


def test_only_plain_yaml_is_read():
    assert one_problem("a: &x hi\nb: *x\n") == (
        "Line 2: the file uses a YAML alias (*name). Write each text out in full instead.")
    assert one_problem("!!python/object/apply:os.system [ls]\n") == (
        "Line 1: the file uses a YAML tag (!!...), which case packs do not allow. Write plain "
        "text, numbers and lists.")
    assert one_problem("title: a: b\n").startswith("Line 1: this is not readable YAML")
    assert one_problem("[" * 5000) == "The file is nested too deeply to be a case pack."
    assert one_problem(b"\xff\xfe title") == (
        "The file is not UTF-8 text. Save it as UTF-8 (plain text) and try again.")
    assert one_problem("- a\n- b\n").startswith("The file should be a set of fields")
    assert one_problem("").startswith("The file should be a set of fields")


def test_a_field_written_twice_or_misspelt_is_refused():
    text = SMALL.replace('    name: "Manager"\n', '    name: "Manager"\n    name: "Boss"\n')
    assert one_problem(text) == (f"Line {line(SMALL, 'Manager') + 1}: the field 'name' appears "
                                 "twice in the same place; keep one.")
    text = SMALL.replace('    brief: "You run ships."', '    breif: "You run ships."')
    found = problems(text)
    at, role = line(SMALL, "You run ships."), line(SMALL, "key: shipper")
    assert f"Line {at}, roles › shipper › breif: unknown field 'breif'. Did you mean 'brief'?" \
        in found
    assert f"Line {role}, roles › shipper › brief: this field is missing or empty." in found


def test_wrong_values_are_named():
    assert "'harbor master' is not a usable key" in one_problem(
        SMALL.replace("key: port\n", "key: harbor master\n"))
    assert one_problem(SMALL.replace("version: 2", "version: two")) == (
        "Line 3, version: this should be a whole number from 1 to 10000.")
    found = problems(SMALL.replace("sector: business", "sector: trade"))
    assert f"Line {line(SMALL, 'sector: business')}, roles › shipper › sector: 'trade' is not " \
        "a sector here: use government, business or non-profit." in found
    assert any("is not one of the pack's interest groups (town, trade)" in p for p in problems(
        SMALL.replace("interest_group: trade", "interest_group: port")))
    assert "no role belongs to the interest group 'ferries'" in one_problem(
        SMALL.replace("  - {key: trade, name: \"Trade\"}",
                      "  - {key: trade, name: \"Trade\"}\n  - {key: ferries, name: \"Ferries\"}"))
    assert "Is this file an Intersector case pack?" in one_problem(
        SMALL.replace("intersector-case-pack/1", "something-else"))


def test_phases_must_be_the_four_in_order_with_sensible_minutes():
    phases = ("phases:\n  - {key: read, title: Read, minutes: 10}\n"
              "  - {key: negotiate, title: Talk, minutes: 300}\n")
    text = SMALL + phases
    found = problems(text)
    assert f"Line {line(text, 'minutes: 300')}, phases 2 › minutes: 300 is out of range: use 1 " \
        "to 120." in found
    assert (f"Line {line(text, 'phases:')}, phases: the phases must be, in this order: read, "
            "choose-families, negotiate, present.") in found


def test_too_many_roles_are_refused():
    role = SMALL[SMALL.index("  - key: friends"):SMALL.index("facilitator_guide:")]
    many = "".join(role.replace("key: friends", f"key: friends-{i}") for i in range(58))
    text = SMALL.replace(role, role + many)
    assert any("this list has 61 entries; at most 60 are allowed" in p for p in problems(text))


def test_located_mappings_remember_their_lines():
    data = yamlfile.parse("a: 1\nb:\n  c: 2\n")
    assert data.line_of("b") == 2 and data["b"].line_of("c") == 3


def test_items_may_be_plain_sentences_and_come_back_as_text_items():
    text = SMALL.replace('      - {text: "Volunteers."}', '      - "Volunteers."')
    pack = casepacks.load(text)
    assert pack.role("friends").can_give == [casepacks.Item("Volunteers.")]
    assert casepacks.load(casepacks.export(pack)) == pack


def test_a_missing_field_is_named_by_the_place_it_belongs():
    text = SMALL.replace('title: "Harbour clean-up"\n', "").replace(
        '    organisation: "Shipping Line"\n', "")
    found = problems(text)
    assert "title: this field is missing or empty." in found
    assert (f"Line {line(text, 'key: shipper')}, roles › shipper › organisation: this field is "
            "missing or empty.") in found
