"""A site that ran brainwriting when its models lived in the workshops app upgrades in place: its
notes, themes and votes are still there, in the same tables, after the move to the kind's own app."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("workshops", "0002_note_sheet_index"), ("brainwriting", None)]


def migrate(targets):
    """Migrate the test database to `targets`; Django's record of the models there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_notes_themes_and_votes_written_before_the_move_are_still_there_after_it():
    state = migrate(BEFORE)
    assert ("workshops", "note") in state.models and ("brainwriting", "note") not in state.models
    old = state.apps
    User = old.get_model("accounts", "User")
    Workshop, AgendaItem = old.get_model("workshops", "Workshop"), old.get_model("workshops", "AgendaItem")
    Participant, Table = old.get_model("workshops", "Participant"), old.get_model("workshops", "Table")
    Note, Theme, Vote = (old.get_model("workshops", name) for name in ("Note", "Theme", "Vote"))
    ContentType = old.get_model("contenttypes", "ContentType")
    note_type = ContentType.objects.get_or_create(app_label="workshops", model="note")[0]

    owner = User.objects.create(username="olga")
    workshop = Workshop.objects.create(title="Before the move", code="OLDWS1", created_by=owner)
    item = AgendaItem.objects.create(workshop=workshop, title="Sector styles", kind="brainwriting",
                                     config={"prompts": ["Culture"], "sectors": ["government"]})
    table = Table.objects.create(workshop=workshop, number=1)
    ana = Participant.objects.create(workshop=workshop, display_name="Ana", sector="government", table=table)
    theme = Theme.objects.create(item=item, label="Slow approvals", locked=True)
    note = Note.objects.create(item=item, participant=ana, sheet=ana, table=table, prompt=0, about="government",
                               text="Sign-offs take months", round=1, theme=theme, key="key-before-01")
    Vote.objects.create(theme=theme, participant=ana)

    migrate(latest())

    from intersector.workshops.activities.brainwriting.models import Note as NewNote
    from intersector.workshops.activities.brainwriting.models import Vote as NewVote
    from intersector.workshops.models import Workshop as NewWorkshop

    kept = NewNote.objects.select_related("theme", "participant", "table").get(pk=note.pk)
    assert (kept.text, kept.theme.label, kept.theme.locked, kept.participant.display_name, kept.table.number) == (
        "Sign-offs take months", "Slow approvals", True, "Ana", 1)
    assert NewVote.objects.filter(theme_id=theme.pk).count() == 1
    assert NewNote._meta.db_table == "workshops_note"
    # The content type moved with the model: same row, new app.
    note_type.refresh_from_db()
    assert (note_type.app_label, note_type.model) == ("brainwriting", "note")
    # And the site runs on it: the results show the note, the export has it.
    from intersector.workshops.activities.brainwriting.exports import note_rows

    upgraded = NewWorkshop.objects.get(pk=workshop.pk)
    assert [row[7] for row in note_rows(upgraded)] == ["Sign-offs take months"]
    # A new note goes into the same table, after the old one.
    NewNote.objects.create(item_id=item.pk, participant_id=ana.pk, prompt=0, about="government",
                           text="Second", round=2, key="key-after-001")
    assert list(NewNote.objects.filter(item_id=item.pk).values_list("text", flat=True)) == ["Sign-offs take months", "Second"]
