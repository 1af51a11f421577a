"""The Sacramento starter pack: complete, in range, and with real trade-offs at a table of 6-8."""

import re
from itertools import combinations

import pytest
import yaml

from intersector import casepacks
from intersector.agreements import scorecard as sc
from tests.casepacks.conftest import ROOT, STARTER, STARTER_ES

GROUPS = {"business", "environment", "government", "local-community", "community-interest"}
# The scorecard elements a table argues over, by the issue's four areas.
AREAS = {
    "money": {"finances", "resource-commitments"},
    "governance": {"governance", "decision-making"},
    "data": {"information-sharing"},
    "what-if": {"breach-sanctions", "conflict-resolution", "amendments", "partner-exit",
                "ending-partnership", "liability"},
}


def shipped_scorecard():
    path = ROOT / "content" / "agreements" / "scorecard.yaml"
    return sc.Scorecard(sc.validate(yaml.safe_load(path.read_text(encoding="utf-8"))))


def pair_elements(tensions):
    return {(frozenset((t.wants, t.refuses)), t.element) for t in tensions}


def test_the_starter_pack_loads_and_says_it_is_a_teaching_case(starter):
    assert starter.key == "sacramento" and starter.language == "en"
    assert "teaching case adapted from a real" in starter.source.lower()
    assert "does not describe what the real partners did" in starter.source
    everyone_reads = " ".join(section.text for section in starter.background)
    assert "48 organisations" in everyone_reads and "104 participants" in everyone_reads
    assert "Assess, Organize" in everyone_reads
    assert "must design and" in everyone_reads and "partnering agreement" in everyone_reads


def test_no_dates_are_told_as_history_outside_the_source_note(starter):
    texts = [s.text for s in starter.background + starter.facilitator_guide]
    texts += [role.brief for role in starter.roles]
    for text in texts:
        assert not re.search(r"\b(19|20)\d\d\b", text), text[:80]


def test_at_least_twelve_roles_with_briefs_of_200_to_400_words(starter):
    assert len(starter.roles) >= 12
    for role in starter.roles:
        words = len(role.brief.split())
        assert 200 <= words <= 400, (role.key, words)
        assert role.must_get and role.can_give and role.red_lines, role.key


def test_every_sector_and_interest_group_is_played(starter):
    assert {g.key for g in starter.interest_groups} == GROUPS
    assert {role.interest_group for role in starter.roles} == GROUPS
    assert {role.sector for role in starter.roles} == set(casepacks.SECTORS)
    community = {role.focus for role in starter.roles if role.interest_group == "community-interest"}
    assert community == {"disability", "youth", "seniors", "ethnic communities"}


def test_roles_name_elements_of_the_shipped_scorecard(starter):
    card = shipped_scorecard()
    for role in starter.roles:
        assert role.elements and set(role.elements) <= set(card.elements), role.key
        for item in role.must_get + role.can_give + role.red_lines:
            assert item.element in role.elements, (role.key, item.text)


def test_roles_pull_against_each_other_in_money_governance_data_and_what_if(starter):
    """A pull: A's must-get names B in `against` and B has a red line on the same element."""
    pulls = casepacks.tensions(starter)
    assert len(pair_elements(pulls)) >= 25
    for area, elements in AREAS.items():
        assert len({t for t in pulls if t.element in elements}) >= 3, area
    for tension in pulls:
        wants, refuses = starter.role(tension.wants), starter.role(tension.refuses)
        assert wants.interest_group != refuses.interest_group or wants.sector == "government"
        # The brief tells the role who will resist it, by name.
        brief = " ".join(wants.brief.split())
        assert refuses.organisation.split(" (")[0] in brief, (wants.key, refuses.key)


@pytest.mark.parametrize("size", [5, 6, 7, 8])
def test_a_table_of_five_to_eight_has_trade_offs_for_every_role(starter, size):
    cast = casepacks.play_order(starter.roles)[:size]
    pulls = casepacks.tensions(starter, cast)
    involved = {key for t in pulls for key in (t.wants, t.refuses)}
    assert involved == set(cast)
    assert len({t.element for t in pulls}) >= 6
    areas = {area for area, elements in AREAS.items() for t in pulls if t.element in elements}
    assert areas == set(AREAS)


def test_no_two_roles_share_an_organisation_or_a_name_and_organisation(starter):
    organisations = [role.organisation for role in starter.roles]
    assert len(set(organisations)) == len(organisations)
    for one, other in combinations(starter.roles, 2):
        assert one.key != other.key


def test_the_fifty_minutes_and_the_debrief(starter):
    assert [p.key for p in starter.phases] == casepacks.PHASE_KEYS
    assert starter.minutes == 50
    assert (starter.families_min, starter.families_max) == (3, 5)
    keys = [q.key for q in starter.debrief]
    assert keys[:6] == [q.key for q in casepacks.common_debrief()]
    headings = [s.heading for s in starter.facilitator_guide]
    assert "What to watch for" in headings and "The debrief" in headings
    assert {f.key for f in starter.results_fields} >= {"families", "agreed", "open", "trades"}


def test_the_spanish_pack_has_the_same_keys_and_limits():
    if not STARTER_ES.exists():
        pytest.skip("no Spanish pack yet")
    english = casepacks.load_file(STARTER)
    spanish = casepacks.load_file(STARTER_ES)
    assert spanish.language == "es" and spanish.key == english.key
    assert [r.key for r in spanish.roles] == [r.key for r in english.roles]
    for en, es in zip(english.roles, spanish.roles):
        assert (es.sector, es.interest_group, es.elements) == (en.sector, en.interest_group,
                                                              en.elements)
        assert [i.element for i in es.must_get] == [i.element for i in en.must_get]
        assert [i.against for i in es.must_get] == [i.against for i in en.must_get]
        assert [i.element for i in es.red_lines] == [i.element for i in en.red_lines]
        assert 200 <= len(es.brief.split()) <= 400, (es.key, len(es.brief.split()))
        assert es.brief != en.brief
    assert [p.minutes for p in spanish.phases] == [p.minutes for p in english.phases]
    assert [q.key for q in spanish.debrief] == [q.key for q in english.debrief]
    assert pair_elements(casepacks.tensions(spanish)) == pair_elements(casepacks.tensions(english))
    for tension in casepacks.tensions(spanish):
        brief = " ".join(spanish.role(tension.wants).brief.split())
        assert spanish.role(tension.refuses).organisation.split(" (")[0] in brief
    assert "caso docente adaptado de una colaboración regional real" in spanish.source.lower()
    for text in [s.text for s in spanish.background] + [r.brief for r in spanish.roles]:
        assert not re.search(r"\b(19|20)\d\d\b", text), text[:80]
    assert casepacks.load(casepacks.export(spanish)) == spanish
    assert "¿Cómo se siente" in casepacks.export(spanish)      # written as text, not escaped
