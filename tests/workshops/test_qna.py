"""Questions and answers in a discussion item: asking, anonymity, votes (once each, under
concurrency), moderation by the facilitator, the projector, results and the CSV, and refusals."""

import csv
import io
import threading

import pytest
from django.db import connection

from intersector.workshops import services
from intersector.workshops.qna import services as qna
from intersector.workshops.qna.models import Question, QuestionVote

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zebulon Quarrington"


@pytest.fixture
def qna_item(workshop):
    item = workshop.items.get(title="Questions and close")
    services.go_to_item(workshop, item)
    item.refresh_from_db()
    return item


def url(workshop, action):
    return f"/w/{workshop.code}/discussion/qna/{action}/"


def console_url(item, action):
    return f"/convene/{item.workshop_id}/items/{item.pk}/discussion/qna/{action}/"


def ask(phone, workshop, text, key=None, anonymous=False):
    data = {"text": text}
    if key:
        data["key"] = key
    if anonymous:
        data["anonymous"] = "1"
    return phone.post(url(workshop, "ask"), data, HTTP_X_CONVENE="fetch")


def vote(phone, workshop, question, action="vote"):
    return phone.post(url(workshop, "vote"), {"question": question.pk, "action": action}, HTTP_X_CONVENE="fetch")


def moderate(console, item, question, action):
    return console.post(console_url(item, "moderate"), {"question": question.pk, "action": action})


@pytest.fixture
def events(monkeypatch):
    """Every live event the services publish: (topic, event, data)."""
    sent = []
    monkeypatch.setattr("intersector.workshops.services.publish", lambda topic, event, data=None: sent.append((topic, event, data)))
    return sent


# --- Asking ----------------------------------------------------------------------------------------


def test_the_starter_questions_item_is_a_discussion_with_questions_on(workshop):
    item = workshop.items.get(title="Questions and close")
    assert item.kind == "discussion" and item.config["questions"] is True and item.config["moderation"] == "approve"


def test_a_phone_asks_and_sees_its_question_waiting_for_the_facilitator(qna_item, workshop, join_phone, console):
    _p, phone = join_phone()
    response = ask(phone, workshop, "Who pays for the data platform?", key="key-ask-0001")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The facilitator reads it before everyone sees it." in page
    assert "Who pays for the data platform?" in page and "waiting for the facilitator" in page
    question = Question.objects.get()
    assert question.status == "pending" and question.votes == 0
    # Others do not see it until it is approved.
    _q, other = join_phone("Bo", "business")
    assert "Who pays" not in other.get(f"/w/{workshop.code}/now").content.decode()
    assert moderate(console, qna_item, question, "approve").status_code == 302
    assert "Who pays for the data platform?" in other.get(f"/w/{workshop.code}/now").content.decode()


def test_a_double_submitted_question_is_saved_once(qna_item, workshop, join_phone):
    _p, phone = join_phone()
    ask(phone, workshop, "Once only?", key="key-twice-01")
    again = ask(phone, workshop, "Once only?", key="key-twice-01")
    assert again.status_code == 200 and b"Already sent" in again.content
    assert Question.objects.count() == 1


@pytest.mark.parametrize("text, message", [
    ("   ", "The question is empty"),
    ("x" * 301, "at most 300 characters (this one has 301)"),
])
def test_empty_and_overlong_questions_are_refused_with_a_message(qna_item, workshop, join_phone, text, message):
    _p, phone = join_phone()
    response = ask(phone, workshop, text)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Question.objects.exists()


def test_a_question_of_exactly_300_characters_is_taken(qna_item, workshop, join_phone):
    _p, phone = join_phone()
    assert ask(phone, workshop, "y" * 300).status_code == 200


def test_asking_too_fast_is_refused_with_429(qna_item, workshop, join_phone, settings):
    settings.CONVENE_QUESTION_LIMIT = 5
    _p, phone = join_phone()
    for n in range(5):
        assert ask(phone, workshop, f"Question {n}").status_code == 200
    response = ask(phone, workshop, "One too many")
    assert response.status_code == 429 and "asking very fast" in response.content.decode()
    assert response.has_header("Retry-After")
    assert Question.objects.count() == 5


def test_asking_when_the_item_is_not_running_is_refused_with_409(workshop, join_phone):
    services.go_to_item(workshop, workshop.items.get(kind="brainwriting"))
    _p, phone = join_phone()
    response = ask(phone, workshop, "Anyone there?")
    assert response.status_code == 409 and not Question.objects.exists()
    assert phone.get(url(workshop, "list")).status_code == 409


def test_asking_in_a_discussion_without_questions_is_refused_with_409(workshop, join_phone):
    item = services.add_item(workshop, "Talk at your tables", "discussion", 10)
    services.go_to_item(workshop, item)
    _p, phone = join_phone()
    assert b"qna-text" not in phone.get(f"/w/{workshop.code}/now").content
    assert ask(phone, workshop, "Hello?").status_code == 409


def test_a_question_with_markup_is_shown_as_text(qna_item, workshop, join_phone, console):
    qna_item.config["moderation"] = "open"
    qna_item.save()
    _p, phone = join_phone()
    response = ask(phone, workshop, "<script>alert(1)</script>")
    assert b"<script>alert(1)" not in response.content and b"&lt;script&gt;" in response.content
    assert b"<script>alert(1)" not in console.get(f"/convene/{workshop.pk}/").content


# --- Anonymity -----------------------------------------------------------------------------------


def test_an_anonymous_question_never_shows_its_askers_name(qna_item, workshop, join_phone, console, events):
    asker, phone = join_phone(SECRET_NAME, "non-profit")
    ask(phone, workshop, "Is the money really shared?", anonymous=True)
    question = Question.objects.get()
    assert question.anonymous
    moderate(console, qna_item, question, "approve")
    moderate(console, qna_item, question, "pin")
    _o, other = join_phone("Bo", "business")
    vote(other, workshop, question)
    pages = {
        "other phone": other.get(f"/w/{workshop.code}/now").content.decode(),
        "other phone's list": other.get(url(workshop, "list")).content.decode(),
        # The console lists who has joined (people panel); its questions must not say who asked.
        "console's questions": qna_section(console.get(f"/convene/{workshop.pk}/").content.decode()),
        "console panel": console.get(f"/convene/{workshop.pk}/panel/now/").content.decode(),
        "projector": console.get(f"/w/{workshop.code}/screen/now").content.decode(),
        "results": console.get(f"/convene/{workshop.pk}/results/").content.decode(),
        "csv": console.get(f"/convene/{workshop.pk}/exports/discussion/questions.csv").content.decode(),
        "events": repr(events),
    }
    for where, text in pages.items():
        assert "Is the money really shared?" in text or where == "events", where
        assert SECRET_NAME not in text, f"the anonymous asker's name is on the {where}"
    assert "Anonymous" in pages["projector"] and "anonymous" in pages["csv"]
    # The asker sees it as their own.
    assert "Your question" in phone.get(f"/w/{workshop.code}/now").content.decode()


def qna_section(page):
    start = page.index('<section class="qna-console"')
    return page[start:page.index("</section>", start)]


def test_a_named_question_shows_the_name(qna_item, workshop, join_phone, console):
    _p, phone = join_phone("Ana Named")
    ask(phone, workshop, "What about parking?")
    moderate(console, qna_item, Question.objects.get(), "approve")
    _o, other = join_phone("Bo", "business")
    assert "Ana Named" in other.get(f"/w/{workshop.code}/now").content.decode()


def test_events_carry_ids_only(qna_item, workshop, join_phone, console, events):
    _p, phone = join_phone("Ana Eventful")
    ask(phone, workshop, "Marker question text")
    moderate(console, qna_item, Question.objects.get(), "approve")
    names = {event for _t, event, _d in events}
    assert {"qna.asked", "qna.changed"} <= names
    assert "Marker question text" not in repr(events) and "Ana Eventful" not in repr(events)
    assert all(set(data) <= {"workshop", "item", "question"} for _t, _e, data in events if _e.startswith("qna."))


# --- Votes -----------------------------------------------------------------------------------------


@pytest.fixture
def shown_question(qna_item, workshop, join_phone, console):
    _p, phone = join_phone("Asker")
    ask(phone, workshop, "Shall we meet monthly?")
    question = Question.objects.get()
    moderate(console, qna_item, question, "approve")
    return question


def test_a_vote_counts_once_however_often_it_is_sent(shown_question, workshop, join_phone):
    _p, phone = join_phone("Voter")
    first = vote(phone, workshop, shown_question)
    assert first.status_code == 200 and 'aria-pressed="true"' in first.content.decode()
    assert vote(phone, workshop, shown_question).status_code == 200
    shown_question.refresh_from_db()
    assert shown_question.votes == 1 and QuestionVote.objects.count() == 1


def test_a_vote_can_be_taken_back(shown_question, workshop, join_phone):
    _p, phone = join_phone("Voter")
    vote(phone, workshop, shown_question)
    response = vote(phone, workshop, shown_question, "unvote")
    assert response.status_code == 200 and b"Vote taken back" in response.content
    vote(phone, workshop, shown_question, "unvote")  # a second take-back changes nothing
    shown_question.refresh_from_db()
    assert shown_question.votes == 0 and not QuestionVote.objects.exists()


def test_nobody_votes_for_their_own_or_a_waiting_or_hidden_question(shown_question, workshop, join_phone, console):
    from django.test import Client

    from tests.workshops.conftest import phone_for

    own = phone_for(Client, shown_question.participant)
    assert vote(own, workshop, shown_question).status_code == 409
    _p, phone = join_phone("Voter")
    ask(phone, workshop, "Still waiting?")
    waiting = Question.objects.get(status="pending")
    assert vote(phone, workshop, waiting).status_code == 404
    moderate(console, shown_question.item, shown_question, "hide")
    assert vote(phone, workshop, shown_question).status_code == 404
    assert not QuestionVote.objects.exists()


def test_another_workshops_question_is_not_found(shown_question, workshop, join_phone, facilitator, console):
    other = services.create_workshop(facilitator, "Another", "starter")
    item = other.items.get(title="Questions and close")
    services.go_to_item(other, item)
    stranger = services.join(other, "Stranger", "business")
    foreign, _c = qna.ask(_item(item), stranger, "Elsewhere?")
    qna.approve(_item(item), [foreign.pk])
    _p, phone = join_phone("Voter")
    assert vote(phone, workshop, foreign).status_code == 404
    assert moderate(console, shown_question.item, foreign, "hide").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "shown" and foreign.votes == 0


def _item(item):
    """The item as a view gets it (with its workshop read now)."""
    return type(item).objects.select_related("workshop").get(pk=item.pk)


def test_the_phone_list_is_ordered_by_votes(qna_item, workshop, join_phone, console):
    qna_item.config["moderation"] = "open"
    qna_item.save()
    _a, asker = join_phone("Asker")
    ask(asker, workshop, "Less popular")
    ask(asker, workshop, "More popular")
    popular = Question.objects.get(text="More popular")
    for n in range(2):
        _v, phone = join_phone(f"Voter {n}")
        vote(phone, workshop, popular)
    listing = asker.get(url(workshop, "list")).content.decode()
    assert listing.index("More popular") < listing.index("Less popular")
    assert "2 votes" in listing


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_are_neither_lost_nor_doubled(facilitator):
    """N people vote for one question at once, each twice (a double tap): the count is exactly N.
    Meant for PostgreSQL (DATABASE_URL); SQLite serialises the writes."""
    workshop = services.create_workshop(facilitator, "Busy room", "starter")
    item = workshop.items.get(title="Questions and close")
    services.go_to_item(workshop, item)
    item = _item(item)
    asker = services.join(workshop, "Asker", "government")
    question, _c = qna.ask(item, asker, "Are we there yet?")
    qna.approve(item, [question.pk])
    count = 12 if connection.vendor == "postgresql" else 6
    voters = [services.join(workshop, f"Voter {n}", "business") for n in range(count)]
    errors, start = [], threading.Barrier(count * 2)

    def cast(voter):
        from django.db import connection as own

        try:
            start.wait()
            qna.vote(_item(item), voter, question.pk)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(repr(exc))
        finally:
            own.close()

    threads = [threading.Thread(target=cast, args=(v,)) for v in voters for _twice in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    question.refresh_from_db()
    assert errors == []
    assert question.votes == count == QuestionVote.objects.filter(question=question).count()


# --- Moderation ----------------------------------------------------------------------------------


def test_the_facilitator_approves_hides_answers_and_pins(qna_item, workshop, join_phone, console, events):
    _p, phone = join_phone()
    for text in ("First?", "Second?"):
        ask(phone, workshop, text)
    first, second = Question.objects.get(text="First?"), Question.objects.get(text="Second?")
    panel = console.get(f"/convene/{workshop.pk}/panel/now/").content.decode()
    assert "2 waiting" in panel and "Approve all 2 waiting questions" in panel
    moderate(console, qna_item, first, "approve")
    moderate(console, qna_item, first, "answered")
    moderate(console, qna_item, first, "pin")
    first.refresh_from_db()
    assert (first.status, first.answered, first.pinned) == ("shown", True, True)
    # Pinning another moves the pin: one per item.
    moderate(console, qna_item, second, "pin")
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.pinned and second.pinned and second.status == "shown"
    projector = console.get(f"/w/{workshop.code}/screen/now").content.decode()
    assert "qna-pinned-big" in projector and projector.index("Second?") < projector.index("First?")
    moderate(console, qna_item, second, "hide")
    second.refresh_from_db()
    assert second.status == "hidden" and not second.pinned
    moderate(console, qna_item, first, "not-answered")
    first.refresh_from_db()
    assert not first.answered
    assert ("qna.changed" in {e for _t, e, _d in events})
    assert any(topic.endswith(":phones") and event == "qna.changed" for topic, event, _d in events)


def test_bulk_approval_of_a_flood(qna_item, workshop, join_phone, console):
    for n in range(12):
        _p, phone = join_phone(f"Person {n}")
        ask(phone, workshop, f"Question number {n}")
    ids = list(Question.objects.order_by("pk").values_list("pk", flat=True))
    response = console.post(console_url(qna_item, "approve"), {"action": "ticked", "question": ids[:3]},
                            HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "9 waiting" in response.content.decode()
    assert Question.objects.filter(status="shown").count() == 3
    console.post(console_url(qna_item, "approve"), {"action": "all"})
    assert not Question.objects.filter(status="pending").exists()
    nothing = console.post(console_url(qna_item, "approve"), {"action": "ticked"})
    assert nothing.status_code == 400


def test_show_at_once_mode_needs_no_approval(qna_item, workshop, join_phone, console):
    response = console.post(console_url(qna_item, "settings"), {"questions": "1", "moderation": "open"})
    assert response.status_code == 302
    _p, phone = join_phone()
    ask(phone, workshop, "Straight up?")
    assert Question.objects.get().status == "shown"
    bad = console.post(console_url(qna_item, "settings"), {"questions": "1", "moderation": "whatever"})
    assert bad.status_code == 400


def test_switching_questions_off_closes_them(qna_item, workshop, join_phone, console):
    console.post(console_url(qna_item, "settings"), {"moderation": "approve"})
    qna_item.refresh_from_db()
    assert qna_item.config["questions"] is False
    _p, phone = join_phone()
    assert ask(phone, workshop, "Closed?").status_code == 409


def test_phones_cannot_reach_the_facilitators_addresses(shown_question, workshop, join_phone, client):
    item = shown_question.item
    _p, phone = join_phone("Sneaky")
    for action, data in (("moderate", {"question": shown_question.pk, "action": "hide"}),
                         ("approve", {"action": "all"}), ("settings", {"moderation": "open"})):
        response = phone.post(console_url(item, action), data)
        assert response.status_code in (302, 403, 404), action
        assert response.status_code != 302 or "/login" in response["Location"] or "/accounts/" in response["Location"]
    shown_question.refresh_from_db()
    assert shown_question.status == "shown"


def test_another_facilitator_gets_404(shown_question, django_user_model, client):
    other = django_user_model.objects.create_user("olga", "olga@example.org", "a-long-pass-phrase-43")
    client.force_login(other)
    response = moderate(client, shown_question.item, shown_question, "hide")
    assert response.status_code == 404


def test_an_unknown_moderation_action_is_refused(shown_question, console):
    assert moderate(console, shown_question.item, shown_question, "explode").status_code == 400


def test_moderation_buttons_are_real_buttons_with_state(shown_question, workshop, console):
    panel = console.get(f"/convene/{workshop.pk}/panel/now/").content.decode()
    assert f'id="qna-answered-{shown_question.pk}"' in panel and 'aria-pressed="false"' in panel
    assert "<button" in panel and "Put on the projector" in panel


# --- Results -------------------------------------------------------------------------------------


def test_results_list_questions_by_votes_and_count_the_hidden_ones(qna_item, workshop, join_phone, console):
    qna_item.config["moderation"] = "open"
    qna_item.save()
    _p, phone = join_phone("Asker")
    for text in ("Popular one", "Quiet one", "Rude one"):
        ask(phone, workshop, text)
    popular = Question.objects.get(text="Popular one")
    _v, voter = join_phone("Voter")
    vote(voter, workshop, popular)
    moderate(console, qna_item, popular, "answered")
    moderate(console, qna_item, Question.objects.get(text="Rude one"), "hide")
    from intersector.workshops.reports import result_sections

    section = next(s for s in result_sections(workshop) if s["item"].pk == qna_item.pk)["html"]
    assert section.index("Popular one") < section.index("Quiet one")
    assert "Rude one" not in section and "1 hidden by the facilitator" in section and "✓" in section
    rows = list(csv.reader(io.StringIO(console.get(f"/convene/{workshop.pk}/exports/discussion/questions.csv")
                                       .content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["activity", "question"]
    by_text = {row[1]: row for row in rows[1:]}
    assert set(by_text) == {"Popular one", "Quiet one", "Rude one"}
    assert by_text["Popular one"][4] == "1" and by_text["Popular one"][5] == "yes"
    assert by_text["Rude one"][3] == "hidden"
    results = console.get(f"/convene/{workshop.pk}/results/").content.decode()
    assert "Download the questions (CSV)" in results


def test_a_csv_cell_that_looks_like_a_formula_is_neutralised(qna_item, workshop, join_phone, console):
    _p, phone = join_phone()
    ask(phone, workshop, "=HYPERLINK(\"http://x\")")
    text = console.get(f"/convene/{workshop.pk}/exports/discussion/questions.csv").content.decode("utf-8-sig")
    assert ",=HYPERLINK" not in text


def test_duplicating_a_workshop_keeps_the_setting_not_the_questions(qna_item, workshop, join_phone, facilitator):
    _p, phone = join_phone()
    ask(phone, workshop, "Kept?")
    copy = services.duplicate_workshop(facilitator, workshop)
    item = copy.items.get(title="Questions and close")
    assert item.config["questions"] is True and not Question.objects.filter(item=item).exists()


def test_questions_are_set_up_on_the_agenda_before_the_item_runs(workshop, console):
    item = services.add_item(workshop, "Open floor", "discussion", 10)
    agenda = console.get(f"/convene/{workshop.pk}/agenda/").content.decode()
    assert f'action="/convene/{workshop.pk}/items/{item.pk}/discussion/qna/settings/"' in agenda
    assert "Questions from the phones: off" in agenda
    response = console.post(console_url(item, "settings"), {"questions": "1", "moderation": "open", "next": "agenda"})
    assert response.status_code == 302 and response["Location"] == f"/convene/{workshop.pk}/agenda/#item-{item.pk}"
    item.refresh_from_db()
    assert item.config["questions"] is True and item.config["moderation"] == "open"
    assert "Questions from the phones: on" in console.get(f"/convene/{workshop.pk}/agenda/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_pdf_report_lists_the_shown_questions_and_counts_the_hidden(qna_item, workshop, join_phone, console,
                                                                      run_worker, tmp_path):
    import subprocess

    _p, phone = join_phone("Asker")
    ask(phone, workshop, "Which data do partners share?")
    ask(phone, workshop, "Something rude")
    moderate(console, qna_item, Question.objects.get(text="Which data do partners share?"), "answered")
    moderate(console, qna_item, Question.objects.get(text="Which data do partners share?"), "approve")
    moderate(console, qna_item, Question.objects.get(text="Something rude"), "hide")
    console.post(f"/convene/{workshop.pk}/report/")
    run_worker()
    report = workshop.reports.get()
    path = tmp_path / "report.pdf"
    path.write_bytes(console.get(f"/convene/{workshop.pk}/report/{report.pk}.pdf").content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Which data do partners share?" in text and "Something rude" not in text
    assert "1 hidden by the facilitator and left out here" in text


def test_approving_one_by_one_tells_the_boards_each_time_and_the_phones_once(qna_item, workshop, join_phone,
                                                                            console, events):
    _p, phone = join_phone()
    for n in range(5):
        ask(phone, workshop, f"Question {n}?")
    for question in Question.objects.all():
        moderate(console, qna_item, question, "approve")
    board = [e for topic, e, _d in events if e == "qna.changed" and not topic.endswith(":phones")]
    phones = [e for topic, e, _d in events if e == "qna.changed" and topic.endswith(":phones")]
    assert len(board) == 5 and len(phones) == 1
    # The phone's list waits longer than that spell before it reloads, so it shows all five.
    page = phone.get(f"/w/{workshop.code}/now").content.decode()
    assert 'data-live-fragment="qna.changed qna.votes"' in page and "&quot;qna.changed&quot;: 2300" in page
