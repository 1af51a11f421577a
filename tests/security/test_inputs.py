"""The one check for text (intersector/inputs.py): what people really type passes, what cannot be
saved or would be invisible is refused, and the API's schema publishes the same rule."""

import re

import pytest

from intersector.inputs import BROKEN, CONTROL, INVISIBLE_ONLY, TEXT_PATTERN, message, problem

PEOPLE_TYPE = [
    "", "   ", "Clean air", "José Ñúñez-Çelik", "Łódź & Kraków", "Zoë's café ☕", "東京都庁",
    "Riverton 🌍🚲", "👩\u200d👩\u200d👧 family",  # emoji joined by zero-width joiners
    "مرحبا بالعالم", "שלום עולם\u200f", "می\u200cخواهم",  # Arabic, Hebrew with a mark, Persian ZWNJ
    "\u202bعربي\u202c mixed", "First line\nsecond line\r\nthird\tcolumn", "non\u00a0breaking",
    "x\u0301", "\ufeffStarts with a BOM",  # combining accent; a BOM before real text
]
REFUSED = [
    ("a\x00b", CONTROL), ("\x00", CONTROL), ("bell\x07", CONTROL), ("esc\x1b[31m", CONTROL),
    ("form\x0cfeed", CONTROL), ("vertical\x0btab", CONTROL), ("del\x7f", CONTROL),
    ("next line\x85", CONTROL), ("csi\x9b", CONTROL), ("broken \ud800", BROKEN),
    ("\u200b", INVISIBLE_ONLY), (" \u200b\u200c ", INVISIBLE_ONLY), ("\u202e\u2066\u2069", INVISIBLE_ONLY),
    ("\ufeff", INVISIBLE_ONLY), ("\u2060\u00ad", INVISIBLE_ONLY), ("\u3164", INVISIBLE_ONLY),
]


@pytest.mark.parametrize("text", PEOPLE_TYPE)
def test_what_people_type_passes(text):
    assert problem(text) is None


@pytest.mark.parametrize("text, kind", REFUSED)
def test_control_characters_and_invisible_only_text_are_refused(text, kind):
    assert problem(text) == kind


def test_passwords_are_only_checked_for_control_characters():
    assert problem("\u200b\u200b", allow_invisible=True) is None
    assert problem("pass\x00word", allow_invisible=True) == CONTROL


@pytest.mark.parametrize("text", PEOPLE_TYPE + [text for text, _kind in REFUSED if _kind != BROKEN])
def test_the_schema_pattern_says_the_same_as_the_check(text):
    assert bool(re.match(TEXT_PATTERN, text)) == (problem(text) is None)


def test_the_messages_name_the_field_in_plain_words_and_say_what_to_do():
    assert message(CONTROL, "field", "display_name") == (
        "The field “your name” contains a character that cannot be saved (an invisible control "
        "character). Remove it and try again.")
    assert "only invisible characters" in message(INVISIBLE_ONLY, "field", "title")
    assert "cannot be part of a password" in message(CONTROL, "field", "new_password1")
    assert message(CONTROL, "field", "q").startswith("The field “search”")
    assert message(CONTROL, "field", "partner-0-representative").startswith(
        "The field “partner 0 representative”")
    assert "address" in message(CONTROL, "address")
