"""Back up the whole site into one archive, and restore it: the database and the uploaded files.

The archive is a .tar.gz an operator can look into (`tar tzf`):

    manifest.json        what this is: database kind, migrations, when, which version
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
      or database.pgdump PostgreSQL: pg_dump's custom format
    media/...            the uploaded files under MEDIA_ROOT (images, documents, toolkit PDFs)

Both copies are consistent while the site serves: SQLite's backup reads one snapshot (in WAL
mode writers carry on meanwhile), and pg_dump reads one transaction. `manage.py backup` and
`manage.py restore` are the front doors; every problem is a `BackupError` whose message an
operator can act on.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

FORMAT = "intersector-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """Something an operator must know or do; the message says what, in plain words."""


# --- Where the database is -------------------------------------------------------------------


class Database:
    """A database to back up or restore into, from Django's settings or a DATABASE_URL."""

    def __init__(self, settings_dict):
        engine = settings_dict["ENGINE"]
        if engine.endswith("sqlite3"):
            self.kind = "sqlite"
        elif "postgresql" in engine:
            self.kind = "postgresql"
        else:
            raise BackupError(f"Backups cover SQLite and PostgreSQL; this site uses {engine}.")
        self.name = str(settings_dict["NAME"])
        self.user = settings_dict.get("USER") or ""
        self.password = settings_dict.get("PASSWORD") or ""
        self.host = settings_dict.get("HOST") or ""
        self.port = str(settings_dict.get("PORT") or "")

    @classmethod
    def from_url(cls, url):
        import dj_database_url

        try:
            return cls(dj_database_url.parse(url))
        except (ValueError, KeyError) as error:
            raise BackupError(f"The database address {url!r} is not one this site understands: {error}")

    def __str__(self):
        if self.kind == "sqlite":
            return f"the SQLite database {self.name}"
        return f"the PostgreSQL database {self.name!r} on {self.host or 'localhost'}"

    # PostgreSQL: the client tools and psycopg get the same connection, password via environment.
    def pg_env(self):
        env = dict(os.environ, PGDATABASE=self.name, PGCONNECT_TIMEOUT="10")
        for key, value in (("PGUSER", self.user), ("PGPASSWORD", self.password),
                           ("PGHOST", self.host), ("PGPORT", self.port)):
            if value:
                env[key] = value
        return env

    def pg_connect(self):
        import psycopg

        try:
            return psycopg.connect(dbname=self.name, user=self.user or None,
                                   password=self.password or None, host=self.host or None,
                                   port=self.port or None, connect_timeout=10, autocommit=True)
        except psycopg.Error as error:
            raise BackupError(f"Cannot connect to {self}: {first_line(error)}. Check DATABASE_URL, "
                              "and that the database exists (createdb) and the server is running.")

    def tables(self):
        """The names of the tables the database holds now (none for a new, empty database)."""
        if self.kind == "sqlite":
            if not Path(self.name).exists():
                return []
            with closing_sqlite(self.name) as db:
                rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "AND name NOT LIKE 'sqlite_%'").fetchall()
            return [row[0] for row in rows]
        with self.pg_connect() as db:
            rows = db.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                              "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')").fetchall()
        return [row[0] for row in rows]


def files(count):
    return f"{count} uploaded file" if count == 1 else f"{count} uploaded files"


def first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class closing_sqlite:
    def __init__(self, path):
        self.db = sqlite3.connect(path, timeout=30)

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        self.db.close()


# --- Backup ----------------------------------------------------------------------------------


def backup(database, media_root, output):
    """Write the archive to `output` (a file, or a folder to put it in); return (path, manifest)."""
    output = Path(output)
    if output.is_dir() or not output.suffix:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        output = output / f"intersector-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        dump = Path(work) / DATABASE_FILES[database.kind]
        if database.kind == "sqlite":
            migrations = _copy_sqlite(database.name, dump)
            tools = {"sqlite": sqlite3.sqlite_version}
        else:
            migrations, tools = _pg_dump(database, dump)
        media = _media_files(Path(media_root))
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "app_version": app_version(), "database": database.kind,
            "database_file": dump.name, "database_sha256": sha256_of(dump), "tools": tools,
            "migrations": sorted(migrations),
            "media_files": len(media), "media_bytes": sum(path.stat().st_size for _, path in media),
        }
        partial = Path(work) / "archive.tar.gz"
        # The archive holds password hashes and invite secrets: only its owner may read it.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for name, path in media:
                tar.add(path, arcname=f"media/{name}", recursive=False)
        os.replace(partial, output)   # a half-written archive never carries the final name
    return output, manifest


def _copy_sqlite(source, target):
    """A consistent copy of the live database (one snapshot) as one self-contained file."""
    if not Path(source).is_file():
        raise BackupError(f"There is no SQLite database at {source}.")
    with closing_sqlite(source) as live, closing_sqlite(target) as copy:
        live.backup(copy)   # all pages in one step: a single read snapshot, writers go on
        copy.execute("PRAGMA journal_mode=DELETE")   # no -wal file beside the copy
        _check_sqlite(copy)
        return _sqlite_migrations(copy)


def _check_sqlite(db):
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database copy is damaged: {error}.")
    if result != "ok":
        raise BackupError(f"The database copy is damaged: {result}.")


def _sqlite_migrations(db):
    try:
        return [f"{app}.{name}" for app, name in db.execute("SELECT app, name FROM django_migrations")]
    except sqlite3.DatabaseError:
        return []


def _pg_tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed. Install PostgreSQL's client tools "
                          "(Debian: apt-get install postgresql-client) in the server's version.")
    return path


def _major(version_text):
    match = re.search(r"(\d+)(?:\.(\d+))?", version_text)
    return int(match.group(1)) if match else 0


def _pg_dump(database, dump):
    pg_dump = _pg_tool("pg_dump")
    client = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip()
    with database.pg_connect() as db:
        server = db.execute("SHOW server_version").fetchone()[0]
    tool = _major(client.split(")", 1)[-1])   # "pg_dump (PostgreSQL) 15.20 (Debian ...)"
    if tool < _major(server):
        raise BackupError(f"pg_dump is version {tool} but the server runs "
                          f"PostgreSQL {_major(server)}: pg_dump cannot read a newer server. Install "
                          f"postgresql-client-{_major(server)} (from apt.postgresql.org) and try again.")
    done = subprocess.run([pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                           "--file", str(dump)], env=database.pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {first_line(done.stderr)}")
    return _pg_migrations(dump), {"pg_dump": client, "server": server}


def _pg_migrations(dump):
    """The applied migrations, read from the dump itself (so they match its data exactly)."""
    done = subprocess.run([_pg_tool("pg_restore"), "--data-only", "--table=django_migrations",
                           "--file=-", str(dump)], capture_output=True, text=True)
    migrations, rows = [], False
    for line in done.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            rows = True
        elif line == "\\.":
            rows = False
        elif rows:
            _id, app, name, *_ = line.split("\t")
            migrations.append(f"{app}.{name}")
    return migrations


def _media_files(root):
    """(name inside media/, path) of every regular file under MEDIA_ROOT; links are left out."""
    if not root.is_dir():
        return []
    files = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                files.append((path.relative_to(root).as_posix(), path))
    return files


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def app_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("intersector")
    except PackageNotFoundError:
        return "unknown"


# --- Restore ---------------------------------------------------------------------------------


def restore(path, database, media_root, *, force=False):
    """Put the site of the archive at `path` into `database` and `media_root`.

    Everything is checked before anything is written: the archive is an Intersector backup and
    whole, it is of the same database kind, this version knows its migrations, and the target
    is empty (or `force`). Returns a summary for the operator.
    """
    path, media_root = Path(path), Path(media_root)
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    with _open_archive(path) as tar, tempfile.TemporaryDirectory(prefix="intersector-restore-") as work:
        manifest, members = _check_archive(path, tar)
        _check_fits(manifest, database)
        _check_empty(database, media_root, force)
        dump = Path(work) / manifest["database_file"]
        _extract(path, tar, members[manifest["database_file"]], dump)
        if sha256_of(dump) != manifest["database_sha256"]:
            raise BackupError(f"{path} is damaged: its database does not match the checksum "
                              "written when it was made. Use another backup.")
        if database.kind == "sqlite":
            _restore_sqlite(dump, database.name)
        else:
            _restore_pg(dump, database, clear=force)
        media = [m for name, m in members.items() if name.startswith("media/")]
        media_root.mkdir(parents=True, exist_ok=True)
        for member in media:
            _extract(path, tar, member, media_root / member.name[len("media/"):])
    pending = known_migrations() - set(manifest["migrations"])
    return {"manifest": manifest, "media_files": len(media), "pending_migrations": len(pending)}


def _open_archive(path):
    try:
        return tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} is not an Intersector backup, or it is damaged "
                          f"(it cannot be opened as a .tar.gz archive: {first_line(error)}).")


def _check_archive(path, tar):
    """(manifest, {name: member}) of a whole Intersector archive, or refuse."""
    try:
        members = {member.name: member for member in tar.getmembers()}
        stream = tar.extractfile(members[MANIFEST]) if MANIFEST in members else None
        manifest = json.load(stream) if stream else None
    except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} is damaged or cut short ({first_line(error)}). Use another backup.")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Intersector backup (it has no Intersector manifest).")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(f"{path} was made by a newer version of Intersector, in a format this "
                          "version cannot read. Install the newer version to restore it.")
    expected = DATABASE_FILES.get(manifest.get("database"))
    if not expected or manifest.get("database_file") != expected or expected not in members:
        raise BackupError(f"{path} is incomplete: it has no database copy. Use another backup.")
    media = [m for name, m in members.items() if name.startswith("media/")]
    strange = [m.name for m in media if not m.isfile() or not _inside(m.name)]
    if strange:
        raise BackupError(f"{path} was altered: {strange[0]!r} is not an uploaded file this site "
                          "would write. Nothing was restored; use another backup.")
    if len(media) != manifest.get("media_files"):
        raise BackupError(f"{path} is incomplete or altered: it should hold "
                          f"{manifest.get('media_files')} uploaded files and holds {len(media)}.")
    return manifest, members


def _inside(name):
    """A plain path below media/: nothing absolute, no '..' that would climb out of MEDIA_ROOT."""
    parts = name.split("/")
    return len(parts) > 1 and all(part not in ("", ".", "..") for part in parts[1:]) and "\\" not in name


def _check_fits(manifest, database):
    kind = manifest["database"]
    if kind != database.kind:
        raise BackupError(
            f"This backup is of a {KIND_NAMES[kind]} database, but this site uses "
            f"{KIND_NAMES[database.kind]} ({database}). Restore it on a site set up with "
            f"{KIND_NAMES[kind]} (DATABASE_URL).")
    unknown = sorted(set(manifest["migrations"]) - known_migrations())
    if unknown:
        raise BackupError(
            f"This backup was made by a newer version of Intersector ({manifest['app_version']}); "
            f"this version ({app_version()}) lacks {len(unknown)} of its database changes, "
            f"e.g. {unknown[0]}. Install that version or a newer one, then restore.")


def _check_empty(database, media_root, force):
    tables = database.tables()
    held_files = _media_files(media_root)
    if (tables or held_files) and not force:
        held = " and ".join(part for part in (
            f"{database} already has {len(tables)} tables" if tables else "",
            f"{media_root} already holds {files(len(held_files))}" if held_files else "") if part)
        raise BackupError(
            f"Nothing was restored: {held}. Restoring replaces all of it. Stop the site, then run "
            "the command again with --force to replace it, or restore into an empty database.")


def _extract(path, tar, member, target):
    try:
        source = tar.extractfile(member)
        target.parent.mkdir(parents=True, exist_ok=True)
        with source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} is damaged or cut short ({first_line(error)}). Use another backup.")


def _restore_sqlite(dump, target):
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with closing_sqlite(dump) as copy:
        _check_sqlite(copy)
        with closing_sqlite(target) as db:
            copy.backup(db)   # one transaction on the target: all of it or none of it


def _restore_pg(dump, database, *, clear):
    """pg_restore's SQL through psql in one transaction, committed only when pg_restore read the
    whole dump: any failure leaves the target as it was."""
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        reader = subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
                                  stdout=subprocess.PIPE, stderr=restore_errors)
        writer = subprocess.Popen([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                                   "--file=-"], env=database.pg_env(),
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors)
        read_failed = True
        try:
            writer.stdin.write(b"BEGIN;\n")
            if clear:
                writer.stdin.write(b"DROP SCHEMA public CASCADE; CREATE SCHEMA public;\n")
            shutil.copyfileobj(reader.stdout, writer.stdin, 1 << 20)
            read_failed = reader.wait()
            if not read_failed:
                writer.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            pass   # psql stopped at an error; its message follows
        finally:
            reader.stdout.close()
            try:
                writer.stdin.close()   # without COMMIT, psql's session ends and rolls back
            except BrokenPipeError:
                pass
        read_failed = reader.wait() or read_failed
        write_failed = writer.wait()
        if read_failed or write_failed:
            errors = psql_errors if write_failed else restore_errors
            errors.seek(0)
            message = first_line(errors.read().decode(errors="replace")) or "no message"
            raise BackupError(f"The database could not be restored, so it was left as it was: {message}")


def known_migrations():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}
