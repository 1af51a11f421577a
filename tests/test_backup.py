"""`manage.py backup` and `manage.py restore`: a backup taken while notes are being written
restores into an empty database with every note, agreement text version, signature and
uploaded file; restore refuses the wrong database, a non-empty one and damaged archives."""

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import threading
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from intersector import backups
from intersector.agreements import services as agree
from intersector.agreements.models import Partner, SignOff, TextChange
from intersector.workshops import services as convene
from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.models import Note
from tests.agreements.conftest import FIXTURE_SCORECARD, PARTNERS, load
from tests.conftest import missing_service
from tests.workshops.phones import database_url

pytestmark = pytest.mark.django_db(transaction=True)

PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40   # the bytes only travel, never decoded


@pytest.fixture(autouse=True)
def postgresql_tools():
    if connection.vendor == "postgresql":
        missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
        if missing:
            missing_service(f"{', '.join(missing)} not installed: run `make system-deps`")


# --- What a site holds -----------------------------------------------------------------------


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def brainwriting(django_user_model, monkeypatch):
    """A workshop in its first brainwriting round, with three people at one table."""
    monkeypatch.setattr(bw, "NOTE_LIMIT", 100_000)   # the writer below posts faster than a person
    facilitator = django_user_model.objects.create_user("fiona")
    workshop = convene.create_workshop(facilitator, "Harbour air")
    item = workshop.items.get(kind="brainwriting")
    bw.configure(item, "Culture\nAssets", ["government", "business"], "blind", 5, 3)
    convene.go_to_item(workshop, item)
    item = bw.open_round(item)
    people = [convene.join(workshop, name, sector)
              for name, sector in (("Ana", "government"), ("Ben", "business"), ("Chen", "government"))]
    for n, person in enumerate(people * 4):
        bw.add_note(item, person, n % 2, "business", f"Note {n} from {person.display_name}", f"key-{n:04d}")
    return item, people


@pytest.fixture
def signed_agreement():
    """Version 1 written and signed by all three partners; version 2 changed and signed by two."""
    agree.import_scorecard(load(FIXTURE_SCORECARD), note="test")
    agreement = agree.create_agreement(name="Clean air compact", purpose="Cleaner air together.",
                                       form="mou", partners=[dict(p) for p in PARTNERS])
    partners = list(agreement.partners.all())
    agree.save_element(agreement, partners[0], "vision", text="Clean air by 2035.", author="Ana")
    for partner in partners:
        agree.sign_off(agreement, partner, partner.representative)
    agreement = agree.open_new_version(agreement)
    agree.save_element(agreement, partners[1], "vision", text="Clean air by 2030.", author="Chen")
    agree.save_element(agreement, partners[2], "vision", text="Clean air by 2030, for all.", author="Dana")
    for partner in partners[:2]:
        agree.sign_off(agreement, partner, partner.representative)
    return agreement


@pytest.fixture
def picture(media):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    return default_storage.save("original_images/harbour.png", ContentFile(PICTURE))


class NoteWriter(threading.Thread):
    """Posts notes one after another, each in its own transaction, until told to stop."""

    def __init__(self, item, person):
        super().__init__(daemon=True)
        self.item, self.person = item, person
        self.stop, self.written = threading.Event(), 0
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set():
                bw.add_note(self.item, self.person, 0, "government", f"Live note {self.written}",
                            f"live-{self.written:06d}")
                self.written += 1
        except Exception as error:   # reported by the test, not lost in the thread
            self.error = error
        finally:
            connections.close_all()


# --- Empty databases to restore into ---------------------------------------------------------


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL for a new, empty database of the kind the suite runs on; dropped after."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"restored_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(dbname="postgres", user=settings_dict.get("USER") or "postgres",
                            password=settings_dict.get("PASSWORD") or None,
                            host=settings_dict.get("HOST") or "127.0.0.1",
                            port=settings_dict.get("PORT") or 5432, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url({**settings_dict, "NAME": name})
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Restored:
    """Plain SQL on the restored database (the test's own connection stays on the source)."""

    def __init__(self, url):
        self.database = backups.Database.from_url(url)
        if self.database.kind == "sqlite":
            self.db = sqlite3.connect(self.database.name)
        else:
            self.db = self.database.pg_connect()

    def rows(self, model, *fields):
        return select(self.db, model, fields)

    def close(self):
        self.db.close()


def select(db, model, fields):
    columns = ", ".join(model._meta.get_field(f).column for f in fields)
    sql = f"SELECT {columns} FROM {model._meta.db_table} ORDER BY {model._meta.pk.column}"
    cursor = db.cursor()
    cursor.execute(sql)
    # Text for every value: SQLite's own driver gives dates as text where Django gives datetimes.
    return [tuple(None if value is None else str(value) for value in row) for row in cursor.fetchall()]


def source_rows(model, *fields):
    return select(connection, model, fields)


NOTE = ("id", "item", "participant", "prompt", "about", "text", "round", "key")
CHANGE = ("id", "agreement", "version", "element", "before", "after", "author")
SIGNATURE = ("id", "agreement", "name", "signed_version", "signed_by", "signed_at")
SIGN_OFF = ("id", "agreement", "partner", "version", "name", "how", "signed_at", "withdrawn_at")


def back_up(tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    [archive] = (tmp_path / "backups").glob("intersector-*.tar.gz")
    return archive, out.getvalue()


def restore(archive, url, *extra):
    out = io.StringIO()
    call_command("restore", str(archive), "--database-url", url, *extra, stdout=out)
    return out.getvalue()


# --- Back up and restore ---------------------------------------------------------------------


def test_a_backup_taken_while_notes_are_written_restores_everything_into_an_empty_database(
        tmp_path, media, brainwriting, signed_agreement, picture, empty_database, settings):
    item, people = brainwriting
    writer = NoteWriter(item, people[0])
    writer.start()
    while writer.written < 20 and writer.is_alive():
        writer.stop.wait(0.01)
    before = Note.objects.count()
    try:
        archive, said = back_up(tmp_path)
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None and writer.written >= 20
    assert "Backup written to" in said and "1 uploaded file." in said
    assert archive.stat().st_mode & 0o077 == 0   # only its owner may read it

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    said = restore(archive, empty_database)
    assert "Restored the backup made" in said and "1 uploaded file." in said
    restored = Restored(empty_database)
    try:
        notes = restored.rows(Note, *NOTE)
        # One snapshot: every note committed before the backup began, then an unbroken run of
        # the ones written during it, exactly as they were saved.
        everything = source_rows(Note, *NOTE)
        assert before <= len(notes) <= len(everything)
        assert notes == everything[:len(notes)]
        changes = restored.rows(TextChange, *CHANGE)
        assert changes == source_rows(TextChange, *CHANGE)
        assert sorted((c[2], c[5]) for c in changes) == [
            ("1", "Clean air by 2035."), ("2", "Clean air by 2030, for all."), ("2", "Clean air by 2030.")]
        signatures = restored.rows(Partner, *SIGNATURE)
        assert signatures == source_rows(Partner, *SIGNATURE)
        assert [s[3] for s in signatures] == ["2", "2", None]   # version 2 signed by two of three
        sign_offs = restored.rows(SignOff, *SIGN_OFF)
        assert sign_offs == source_rows(SignOff, *SIGN_OFF)
        assert sorted(s[3] for s in sign_offs) == ["1", "1", "1", "2", "2"]   # every signature, kept
    finally:
        restored.close()
    assert (settings.MEDIA_ROOT / picture).read_bytes() == PICTURE


def test_the_archive_says_what_it_holds(tmp_path, media, brainwriting, picture):
    archive, _said = back_up(tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    kind = "sqlite" if connection.vendor == "sqlite" else "postgresql"
    assert names[0] == "manifest.json" and backups.DATABASE_FILES[kind] in names
    assert f"media/{picture}" in names
    assert manifest["database"] == kind and manifest["app_version"] == backups.app_version()
    assert "workshops.0001_initial" in manifest["migrations"] and manifest["created"]
    assert manifest["media_files"] == 1


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(tmp_path, media, brainwriting,
                                                                   empty_database, settings):
    archive, _said = back_up(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="Nothing was restored: .* already has .* tables"):
        call_command("restore", str(archive), stdout=io.StringIO())   # the site's own database
    restore(archive, empty_database)
    with pytest.raises(CommandError, match="already has .* tables.*--force"):
        restore(archive, empty_database)
    # With --force it is replaced: a note written since is gone again.
    restored = Restored(empty_database)
    count = len(restored.rows(Note, "id"))
    restored.close()
    item, people = brainwriting
    bw.add_note(item, people[1], 0, "business", "Written after the backup", "late-note-1")
    archive_two, _said = back_up(tmp_path / "two")
    restore(archive_two, empty_database, "--force")
    restored = Restored(empty_database)
    assert len(restored.rows(Note, "id")) == count + 1
    restored.close()


def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(tmp_path, media, brainwriting,
                                                                     empty_database, settings):
    archive, _said = back_up(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    restore(archive, empty_database)
    restored = Restored(empty_database)
    notes = restored.rows(Note, *NOTE)
    restored.close()
    garbage = b"PGDMP" + bytes(range(256)) * 8   # the right checksum, but no database inside

    def swap_database(name, data):
        if name.startswith("database."):
            data = garbage
        elif name == "manifest.json":
            data = json.dumps({**json.loads(data), "database_sha256": hashlib.sha256(garbage).hexdigest()}).encode()
        yield name, data

    broken = rewrite(archive, tmp_path / "broken.tar.gz", swap_database)
    with pytest.raises(CommandError, match="database copy is damaged|could not be restored, so it was left as it was"):
        restore(broken, empty_database, "--force")
    restored = Restored(empty_database)
    assert restored.rows(Note, *NOTE) == notes
    restored.close()


def test_restore_refuses_a_backup_of_the_other_database_kind(tmp_path, media, brainwriting):
    archive, _said = back_up(tmp_path)
    if connection.vendor == "sqlite":
        other, words = "postgres://nobody@127.0.0.1:1/nothing", "is of a SQLite database, but this site uses PostgreSQL"
    else:
        other, words = f"sqlite:///{tmp_path / 'other.sqlite3'}", "is of a PostgreSQL database, but this site uses SQLite"
    with pytest.raises(CommandError, match=words):
        restore(archive, other)
    assert not (tmp_path / "other.sqlite3").exists()


def rewrite(archive, target, change):
    """A copy of the archive with its members passed through change(name, data) -> (name, data)."""
    with tarfile.open(archive) as tar:
        members = [(m.name, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(target, "w:gz") as out:
        for name, data in members:
            for name, data in change(name, data):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
    return target


def edit_manifest(**fields):
    def change(name, data):
        if name == "manifest.json":
            data = json.dumps({**json.loads(data), **fields}).encode()
        yield name, data
    return change


def damage_database(name, data):
    if name.startswith("database."):
        middle = len(data) // 2
        data = data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 64]) + data[middle + 64:]
    yield name, data


def climb_out(name, data):
    yield name, data
    if name.startswith("media/"):
        yield "media/../../outside.txt", b"should never be written"


@pytest.mark.parametrize("make,words", [
    (lambda archive, tmp: tmp.joinpath("random.tar.gz").write_bytes(b"not an archive at all" * 50) and tmp / "random.tar.gz",
     "is not an Intersector backup, or it is damaged"),
    (lambda archive, tmp: tmp.joinpath("cut.tar.gz").write_bytes(archive.read_bytes()[:2000]) and tmp / "cut.tar.gz",
     "is damaged or cut short"),
    (lambda archive, tmp: rewrite(archive, tmp / "foreign.tar.gz",
                                  lambda name, data: [("notes.txt", data)]),
     "is not an Intersector backup"),
    (lambda archive, tmp: rewrite(archive, tmp / "tampered.tar.gz", damage_database),
     "does not match the checksum"),
    (lambda archive, tmp: rewrite(archive, tmp / "future.tar.gz",
                                  edit_manifest(migrations=["workshops.9999_from_the_future"], app_version="9.0")),
     "made by a newer version of Intersector \\(9.0\\)"),
    (lambda archive, tmp: rewrite(archive, tmp / "climbing.tar.gz", climb_out),
     "was altered: 'media/../../outside.txt'"),
])
def test_restore_refuses_a_damaged_or_foreign_archive_and_writes_nothing(
        tmp_path, media, brainwriting, picture, empty_database, settings, make, words):
    archive, _said = back_up(tmp_path)
    bad = make(archive, tmp_path)
    settings.MEDIA_ROOT = tmp_path / "deep" / "restored-media"
    with pytest.raises(CommandError, match=words):
        restore(bad, empty_database)
    assert backups.Database.from_url(empty_database).tables() == []
    assert not settings.MEDIA_ROOT.exists() and not (tmp_path / "outside.txt").exists()


def test_a_missing_archive_is_named_plainly(tmp_path, empty_database):
    with pytest.raises(CommandError, match="There is no file at .*nowhere.tar.gz"):
        restore(tmp_path / "nowhere.tar.gz", empty_database)
