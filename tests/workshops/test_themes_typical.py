"""Automatic themes through the real job: the same idea across sectors in one theme, named by a
phrase from its notes, with its two most typical notes listed first on the wall and on phones."""

import re

import pytest

from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.activity import notes_behind_themes
from intersector.workshops.activities.brainwriting.models import Note, Theme
from tests.workshops.test_brainwriting import open_round, post_note  # noqa: F401  (a fixture)

# One prompt, three ideas that recur for every sector; each note names its sector.
NOTES = [
    ("government", "Budget cuts have left city departments understaffed"),
    ("business", "Small businesses have no spare staff to send to partnership meetings"),
    ("non-profit", "Non-profits are always short of funding and depend on short-term grants"),
    ("government", "Government permits and approvals can take many months"),
    ("business", "Legal review of every contract slows the company down for months"),
    ("non-profit", "The charity's board takes months to approve anything new"),
    ("government", "Officials avoid anything that might end up as a bad headline"),
    ("business", "The firm fears bad press if a partner causes a scandal"),
    ("non-profit", "Charities fear losing donors if a partnership causes bad press"),
]


@pytest.mark.django_db(transaction=True)
def test_made_themes_cross_sectors_and_list_their_typical_notes_first(open_round, workshop, join_phone,  # noqa: F811
                                                                       console, run_worker):
    _p, phone = join_phone()
    bw.NOTE_LIMIT, saved = 100, bw.NOTE_LIMIT
    try:
        for n, (about, text) in enumerate(NOTES):
            assert post_note(phone, workshop, text, f"key-typical-{n:03d}", prompt=2, about=about).status_code == 200
    finally:
        bw.NOTE_LIMIT = saved
    assert console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/make/").status_code == 302
    run_worker()
    themes = list(Theme.objects.filter(item=open_round).prefetch_related("notes"))
    assert not Note.objects.filter(item=open_round, theme__isnull=True).exists()
    assert any(len({n.about for n in t.notes.all()}) >= 2 for t in themes)  # an idea across sectors
    page = console.get(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/").content.decode()
    for theme in themes:
        texts = [n.text for n in theme.notes.all()]
        assert 2 <= len(theme.label.split()) <= 6
        assert any(theme.label.lower() in t.lower() for t in texts), (theme.label, texts)
        assert 1 <= len(theme.typical) <= 2 and set(theme.typical) <= {n.pk for n in theme.notes.all()}
        # On the wall, the theme's column lists its typical notes before the others.
        column = page[page.index(f'id="col-{theme.pk}"'):]
        cards = [int(pk) for pk in re.findall(r'id="card-(\d+)"', column)][:len(texts)]
        assert cards[:len(theme.typical)] == theme.typical
    # Phones see them first too.
    for theme in notes_behind_themes(open_round):
        if theme.few_notes:
            assert [n.pk for n in theme.few_notes][:len(theme.typical)] == theme.typical


def test_themes_given_without_typical_notes_list_their_notes_oldest_first(open_round, workshop, join_phone):  # noqa: F811
    _p, phone = join_phone()
    for n, (about, text) in enumerate(NOTES[:3]):
        post_note(phone, workshop, text, f"key-plain-{n:03d}", about=about)
    ids = list(Note.objects.order_by("created", "pk").values_list("pk", flat=True))
    bw.apply_themes(open_round, [("Money and staff", ids)])
    theme = Theme.objects.get()
    assert theme.typical == []
    assert [n.pk for n in notes_behind_themes(open_round)[0].few_notes] == ids
