"""Brainwriting: notes in rounds, refusals, themes as a job, the grid, votes and exports."""

import csv
import io

import pytest

from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.models import Note, Theme, Vote

pytestmark = pytest.mark.django_db

NOTES = [
    "slow approval chains and procedure", "procedure and accountability to voters", "risk averse approvals",
    "profit drives quick decisions", "speed and competition matter", "capital and fast decisions",
    "close to communities and trust", "mission driven community service", "community trust and mission",
]


def post_note(phone, workshop, text, key, prompt=0, about="government"):
    return phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                      {"text": text, "key": key, "prompt": prompt, "about": about}, HTTP_X_CONVENE="fetch")


@pytest.fixture
def open_round(brainwriting, console, workshop):
    console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/round/", {"action": "open"})
    brainwriting.refresh_from_db()
    return brainwriting


def test_a_note_is_saved_before_the_screen_says_so(open_round, workshop, join_phone):
    _p, phone = join_phone()
    response = post_note(phone, workshop, "Slow to change course", "key-000001")
    assert response.status_code == 200 and b"Saved." in response.content
    assert b"Slow to change course" in response.content
    note = Note.objects.get()
    assert (note.round, note.about, note.prompt) == (1, "government", 0)


def test_the_phone_s_note_form_is_answered_with_its_writer_s_own_parts_not_the_whole_screen(
        open_round, workshop, join_phone):
    """phone.js posts the note form with X-Convene-Answer: mine (data-mine-answer): the answer is
    the "mine" partial of the screen the form was on (its notes, the words to show), read in at
    most two statements however many notes the writer has: a room of 1,000 writes 100 a second."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ana, phone = join_phone()
    for n in range(12):
        bw.add_note(open_round, ana, n % 4, "business", f"earlier note {n}", f"key-earlier-{n:03d}")
    screen = phone.get(f"/w/{workshop.code}/now", HTTP_X_CONVENE="fetch").content.decode()
    mine_for = f"{open_round.pk}:writing:1:1"
    assert f'data-mine-answer="{mine_for}"' in screen
    with CaptureQueriesContext(connection) as statements:
        response = phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                              {"text": "Slow to change course", "key": "key-mine-0001", "prompt": 2, "about": "government"},
                              HTTP_X_CONVENE="fetch", HTTP_X_CONVENE_ANSWER="mine")
    html = response.content.decode()
    assert response.status_code == 200 and Note.objects.filter(participant=ana).count() == 13
    assert f'data-mine-for="{mine_for}" data-saved="Saved."' in html and 'id="screen-content"' not in html
    note = Note.objects.get(key="key-mine-0001")
    assert f"/brainwriting/notes/{note.pk}/edit/" in html and "Slow to change course" in html
    assert "earlier note 8" in html and "earlier note 7" not in html  # the latest five, editable
    assert "And 8 earlier notes this round." in html
    assert 'data-mine-select="note-prompt" value="2"' in html and 'data-mine-select="note-about" value="government"' in html
    reads = [q["sql"] for q in statements.captured_queries if 'FROM "workshops_note"' in q["sql"]]
    assert len(reads) <= 2, reads
    # Without the header (no JavaScript's fetch, older pages): the whole screen, as before.
    whole = post_note(phone, workshop, "Another one", "key-mine-0002").content.decode()
    assert 'id="screen-content"' in whole and "Saved." in whole


# The statements a note POST answered with the new note alone runs: the workshop and the writer
# (one), the note saved (a savepoint around the insert, inside a test's transaction) and the count
# of the writer's notes this round. However many notes the writer and the room have written.
NOTE_POST_STATEMENTS = 5


def test_the_phone_s_note_form_is_answered_with_the_new_note_alone_in_a_fixed_number_of_statements(
        open_round, workshop, join_phone):
    """phone.js posts the note form with X-Convene-Answer: note (data-note-answer): the answer is
    that note with its Change and Delete forms, the line about this round's earlier notes and
    how many the writer has this round, which phone.js adds to the notes on screen; not the
    writer's other notes (a room of 1,000 writes 100 a second, and rendering them again with
    each was most of a note's server time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ana, phone = join_phone()
    screen = phone.get(f"/w/{workshop.code}/now", HTTP_X_CONVENE="fetch").content.decode()
    assert 'data-mine-answer="%s:writing:1:1" data-note-answer' % open_round.pk in screen

    def post(text, key):
        with CaptureQueriesContext(connection) as statements:
            response = phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                                  {"text": text, "key": key, "prompt": 1, "about": "business"},
                                  HTTP_X_CONVENE="fetch", HTTP_X_CONVENE_ANSWER="note")
        assert response.status_code == 200
        return response.content.decode(), len(statements.captured_queries)

    first, counted = post("Slow to change course", "key-note-0001")
    note = Note.objects.get(key="key-note-0001")
    assert counted == NOTE_POST_STATEMENTS
    assert f'data-mine-for="{open_round.pk}:writing:1:1" data-saved="Saved." data-mine-added="1" data-mine-shown="5"' in first
    assert f'<li data-note="{note.pk}"><p>Slow to change course</p>' in first
    assert f"/brainwriting/notes/{note.pk}/edit/" in first and f"/brainwriting/notes/{note.pk}/delete/" in first
    assert "Your notes this round" in first and "earlier" not in first and "csrfmiddlewaretoken" not in first

    ben, _other = join_phone("Ben")  # others write too; so does Ana, in this round and an earlier one
    Note.objects.bulk_create(
        [Note(item=open_round, participant=ana, prompt=n % 4, about="business", text=f"older idea {n}",
              round=1 if n >= 10 else 0, key=f"key-earlier-{n:03d}") for n in range(30)]
        + [Note(item=open_round, participant=ben, prompt=0, about="business", text=f"Ben's {n}", round=1,
                key=f"key-ben-{n:03d}") for n in range(40)])
    answer, counted = post("Permits take months", "key-note-0002")
    assert counted == NOTE_POST_STATEMENTS
    assert 'data-mine-added="22"' in answer and "And 17 earlier notes this round." in answer
    assert "Permits take months" in answer and "older idea" not in answer and "Slow to change" not in answer
    assert len(answer) < 2000, len(answer)

    again, counted = post("Permits take months", "key-note-0002")  # the answer was lost: sent again
    assert 'data-saved="Already saved." data-mine-added="22"' in again and "Permits take months" in again
    assert Note.objects.filter(participant=ana).count() == 32


def test_a_note_posted_without_javascript_is_saved_and_the_phone_gets_its_page_again(open_round, workshop, join_phone):
    _ana, phone = join_phone()
    response = phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                          {"text": "Slow to change course", "key": "key-plain-001", "prompt": 0, "about": "government"})
    assert response.status_code == 302 and response.url == f"/w/{workshop.code}/"
    page = phone.get(response.url).content.decode()
    assert "Slow to change course" in page and Note.objects.filter(key="key-plain-001").exists()


def test_a_note_posted_for_its_own_parts_on_a_screen_that_has_none_gets_the_whole_screen(
        open_round, workshop, join_phone, monkeypatch):
    """A kind whose phones each see their own screen answers the same header with the screen."""
    from intersector.workshops.activities.brainwriting.activity import activity

    _ana, phone = join_phone()
    monkeypatch.setattr(activity, "phone_shared", False)
    response = phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                          {"text": "Slow to change course", "key": "key-whole-001", "prompt": 0, "about": "government"},
                          HTTP_X_CONVENE="fetch", HTTP_X_CONVENE_ANSWER="mine")
    assert response.status_code == 200 and 'id="screen-content"' in response.content.decode()


def test_a_notes_event_says_where_it_counts_on_the_board_never_what_it_says_or_who_wrote_it(
        open_round, workshop, join_phone, settings, django_capture_on_commit_callbacks):
    from intersector.live.backends import get_backend
    from tests.live.servers import MEMORY_BACKEND

    settings.LIVE_BACKEND = MEMORY_BACKEND
    backend = get_backend()
    start = backend.read(workshop.topic, None).last_event_id
    _p, phone = join_phone("Ana Secretwriter")
    with django_capture_on_commit_callbacks(execute=True):
        post_note(phone, workshop, "A hidden agenda", "key-event-01", prompt=1, about="business")
    note = Note.objects.get()
    events = [e for e in backend.read(workshop.topic, start).events if e.event == "note.added"]
    assert [e.data for e in events] == [{"workshop": workshop.pk, "item": open_round.pk, "note": note.pk,
                                         "table": 0, "prompt": 1, "about": "business"}]
    assert b"hidden" not in events[0].frame and b"Secretwriter" not in events[0].frame


def test_a_double_submitted_note_is_saved_once(open_round, workshop, join_phone):
    _p, phone = join_phone()
    post_note(phone, workshop, "Once only", "key-twice-01")
    again = post_note(phone, workshop, "Once only", "key-twice-01")
    assert again.status_code == 200 and b"Already saved" in again.content
    assert Note.objects.count() == 1


@pytest.mark.parametrize("text, message", [
    ("   ", b"The note is empty"),
    ("x" * 281, b"at most 280 characters"),
])
def test_empty_and_overlong_notes_are_refused(open_round, workshop, join_phone, text, message):
    _p, phone = join_phone()
    response = post_note(phone, workshop, text, "key-bad-0001")
    assert response.status_code == 400 and message in response.content
    assert not Note.objects.exists()


def test_a_note_with_markup_is_shown_as_text(open_round, workshop, join_phone, console):
    _p, phone = join_phone()
    response = post_note(phone, workshop, "<script>alert(1)</script>", "key-script-1")
    assert b"<script>alert(1)" not in response.content and b"&lt;script&gt;" in response.content
    assert b"<script>alert(1)" not in console.get(f"/convene/{workshop.pk}/").content


def test_a_note_after_the_round_closed_is_refused(open_round, workshop, join_phone, console):
    _p, phone = join_phone()
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/round/", {"action": "close"})
    response = post_note(phone, workshop, "Too late", "key-late-001")
    assert response.status_code == 409 and b"round has closed" in response.content
    assert not Note.objects.exists()


def test_a_note_after_the_countdown_ran_out_is_refused(open_round, workshop, join_phone):
    from django.utils import timezone

    _p, phone = join_phone()
    type(workshop).objects.filter(pk=workshop.pk).update(timer_ends_at=timezone.now() - timezone.timedelta(seconds=30))
    response = post_note(phone, workshop, "Too late", "key-late-002")
    assert response.status_code == 409 and not Note.objects.exists()


def test_a_scripted_burst_of_notes_is_slowed_down(open_round, workshop, join_phone):
    _p, phone = join_phone()
    codes = [post_note(phone, workshop, f"note {n}", f"key-burst-{n:03d}").status_code for n in range(bw.NOTE_LIMIT + 3)]
    assert codes.count(200) == bw.NOTE_LIMIT and codes[-1] == 429
    assert Note.objects.count() == bw.NOTE_LIMIT


def test_participants_edit_and_delete_only_their_own_notes_while_the_round_is_open(open_round, workshop, join_phone, console):
    _a, ana = join_phone("Ana")
    _b, ben = join_phone("Ben", "business")
    post_note(ana, workshop, "First", "key-ana-0001")
    note = Note.objects.get()
    assert ben.post(f"/w/{workshop.code}/brainwriting/notes/{note.pk}/edit/", {"text": "Hijack"}).status_code == 404
    assert ana.post(f"/w/{workshop.code}/brainwriting/notes/{note.pk}/edit/", {"text": "Better"}).status_code == 302
    note.refresh_from_db()
    assert note.text == "Better"
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/round/", {"action": "close"})
    assert ana.post(f"/w/{workshop.code}/brainwriting/notes/{note.pk}/delete/").status_code == 409
    assert Note.objects.count() == 1


def test_build_on_mode_passes_sheets_round_the_table(open_round, workshop, join_phone, console):
    bw.configure(open_round, "Culture\nAssets", ["government", "business"], "build-on", 5, 3)
    a, ana = join_phone("Ana")
    b, ben = join_phone("Ben", "business")
    services_ = __import__("intersector.workshops.services", fromlist=["x"])
    services_.set_table_count(workshop, 1)
    services_.auto_assign(workshop)
    post_note(ana, workshop, "Ana's idea on her sheet", "key-ana-0002")
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/round/", {"action": "close"})
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/round/", {"action": "open"})
    # Round 2: Ben holds Ana's sheet and reads what is on it.
    assert b"Ana&#x27;s idea on her sheet" in ben.get(f"/w/{workshop.code}/now").content
    assert b"Ana&#x27;s idea" not in ana.get(f"/w/{workshop.code}/now").content


def test_blind_mode_shows_nobody_elses_notes(open_round, workshop, join_phone):
    _a, ana = join_phone("Ana")
    _b, ben = join_phone("Ben", "business")
    post_note(ana, workshop, "Private thought", "key-ana-0003")
    assert b"Private thought" not in ben.get(f"/w/{workshop.code}/now").content


def test_the_console_board_counts_notes_by_prompt_and_sector(open_round, workshop, join_phone, console):
    _a, ana = join_phone()
    post_note(ana, workshop, "one", "key-board-01", prompt=1, about="business")
    post_note(ana, workshop, "two", "key-board-02", prompt=1, about="business")
    board = bw.board(open_round)
    assert board["count"] == 2 and board["rows"][1]["cells"] == [0, 2, 0]
    assert b"2 notes so far" in console.get(f"/convene/{workshop.pk}/").content


def write_notes(item, join_phone, workshop):
    """One phone writes all of NOTES (faster than the per-minute limit allows a person)."""
    _a, phone = join_phone()
    bw.NOTE_LIMIT, saved = 100, bw.NOTE_LIMIT
    try:
        for n, text in enumerate(NOTES):
            about = ["government", "business", "non-profit"][n // 3]
            assert post_note(phone, workshop, text, f"key-theme-{n:03d}", about=about).status_code == 200
    finally:
        bw.NOTE_LIMIT = saved


@pytest.mark.django_db(transaction=True)
def test_themes_are_made_by_a_job_and_a_kept_theme_survives_a_rerun(open_round, workshop, join_phone, console, run_worker):
    write_notes(open_round, join_phone, workshop)
    response = console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/make/")
    assert response.status_code == 302
    page = console.get(response["Location"])
    assert b"Progress" in page.content
    run_worker()
    themes = list(Theme.objects.filter(item=open_round))
    assert len(themes) >= 2 and not Note.objects.filter(theme__isnull=True).exists()
    kept = themes[0]
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/edit/",
                 {"action": "rename", "theme": kept.pk, "label": "Pace of decisions"})
    kept_notes = set(kept.notes.values_list("pk", flat=True))
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/make/")
    run_worker()
    kept.refresh_from_db()
    assert kept.label == "Pace of decisions" and kept.locked
    assert set(kept.notes.values_list("pk", flat=True)) == kept_notes


@pytest.mark.django_db(transaction=True)
def test_the_facilitator_can_ask_for_a_number_of_themes(open_round, workshop, join_phone, console, run_worker):
    write_notes(open_round, join_phone, workshop)
    make = f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/make/"
    for wrong in ("1", "99", "many"):
        refused = console.post(make, {"count": wrong})
        assert refused.status_code == 400 and b"Choose between 2 and 15 themes" in refused.content
    assert console.post(make, {"count": "4"}).status_code == 302
    run_worker()
    assert Theme.objects.filter(item=open_round).count() == 4
    page = console.get(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/")
    assert b'<option value="4" selected>' in page.content


def make_two_themes(item):
    notes = list(Note.objects.filter(item=item))
    half = len(notes) // 2
    bw.apply_themes(item, [("alpha", [n.pk for n in notes[:half]]), ("beta", [n.pk for n in notes[half:]])])
    return list(Theme.objects.filter(item=item))


def test_themes_can_be_merged_split_and_notes_moved(open_round, workshop, join_phone, console):
    write_notes(open_round, join_phone, workshop)
    alpha, beta = make_two_themes(open_round)
    url = f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/edit/"
    note = beta.notes.first()
    console.post(url, {"action": "move", "note": note.pk, "to": alpha.pk})
    assert note in alpha.notes.all()
    split = alpha.notes.all()[:2]
    console.post(url, {"action": "split", "theme": alpha.pk, "notes": [n.pk for n in split], "label": "Split"})
    assert Theme.objects.get(label="Split").notes.count() == 2
    console.post(url, {"action": "merge", "themes": [alpha.pk, beta.pk]})
    assert not Theme.objects.filter(pk=beta.pk).exists()
    assert Theme.objects.filter(item=open_round).count() == 2
    bad = console.post(url, {"action": "merge", "themes": [alpha.pk]})
    assert bad.status_code == 400


def test_the_grid_shows_which_themes_cross_sectors(open_round, workshop, join_phone):
    _a, phone = join_phone()
    post_note(phone, workshop, "gov note", "key-grid-001", about="government")
    post_note(phone, workshop, "biz note", "key-grid-002", about="business")
    bw.apply_themes(open_round, [("shared", list(Note.objects.values_list("pk", flat=True)))])
    row = bw.grid(open_round)["rows"][0]
    assert row["cells"] == [1, 1, 0] and row["crosses"]


def test_participants_vote_with_a_limited_number_of_dots(open_round, workshop, join_phone, console):
    _a, phone = join_phone()
    post_note(phone, workshop, "note", "key-vote-001")
    bw.apply_themes(open_round, [("only", list(Note.objects.values_list("pk", flat=True)))])
    theme = Theme.objects.get()
    url = f"/w/{workshop.code}/brainwriting/votes/"
    assert phone.post(url, {"theme": theme.pk}, HTTP_X_CONVENE="fetch").status_code == 409  # not open yet
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/round/", {"action": "voting"})
    codes = [phone.post(url, {"theme": theme.pk}, HTTP_X_CONVENE="fetch").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 409] and Vote.objects.count() == 3
    phone.post(url, {"theme": theme.pk, "action": "remove"}, HTTP_X_CONVENE="fetch")
    assert Vote.objects.count() == 2


def test_a_vote_on_another_workshops_theme_is_refused(open_round, workshop, join_phone, facilitator, console):
    from intersector.workshops import services

    other = services.create_workshop(facilitator, "Other")
    other_item = other.items.get(kind="brainwriting")
    foreign = Theme.objects.create(item=other_item, label="foreign")
    _a, phone = join_phone()
    console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/round/", {"action": "voting"})
    response = phone.post(f"/w/{workshop.code}/brainwriting/votes/", {"theme": foreign.pk}, HTTP_X_CONVENE="fetch")
    assert response.status_code == 404 and not Vote.objects.exists()
    edit = console.post(f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/edit/",
                        {"action": "rename", "theme": foreign.pk, "label": "mine now"})
    assert edit.status_code == 404
    foreign.refresh_from_db()
    assert foreign.label == "foreign"


def test_the_csv_has_every_note_with_sector_prompt_table_theme_and_round(open_round, workshop, join_phone, console):
    _a, phone = join_phone()
    post_note(phone, workshop, "=HYPERLINK(\"x\")", "key-csv-0001", prompt=3, about="non-profit")
    bw.apply_themes(open_round, [("assets", list(Note.objects.values_list("pk", flat=True)))])
    response = console.get(f"/convene/{workshop.pk}/exports/brainwriting/notes.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == ["activity", "round", "prompt", "sector written about", "writer's sector", "table", "theme"]
    assert rows[1][1:7] == ["1", "Assets", "Non-profit", "Government", "", "assets"]
    assert rows[1][7].startswith("'=")


@pytest.mark.django_db(transaction=True)
def test_the_pdf_report_is_made_by_a_job_for_facilitators_only(open_round, workshop, join_phone, console, run_worker):
    _a, phone = join_phone()
    post_note(phone, workshop, "a note for the report", "key-pdf-00001")
    response = console.post(f"/convene/{workshop.pk}/report/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    run_worker()
    report = workshop.reports.get()
    pdf = console.get(f"/convene/{workshop.pk}/report/{report.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from django.test import Client

    assert Client().get(f"/convene/{workshop.pk}/report/{report.pk}.pdf").status_code == 302
    assert b"a note for the report" in console.get(f"/convene/{workshop.pk}/results/").content
