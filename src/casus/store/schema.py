"""The event store's schema, its version and migrations, and opening the database safely.

Tables (schema version 2)::

    meta        key, value                  application=casus, schema_version, minhash parameters, created_by
    documents   content_hash (PK)           sha1 of the raw text as read: re-reading the same input adds nothing
                doc_id, story_id, status    status: coded (canonical article of its story) | duplicate
                title, url, source, source_key, published, language, provenance
                text, removed (JSON)        the cleaned text events point into, and what cleaning removed
                num_events, coder_version, ingested_at
    stories     story_id (PK)               first 16 hex digits of the canonical document's content_hash
                canonical_hash, canonical_doc_id, title, first_published
                num_articles, num_sources   articles linked to the story, distinct outlets among them
                num_shingles, minhash       the canonical text's MinHash signature (dedup survives runs)
    events      event_id, doc_hash, doc_id, story_id, sentence_start (offset of the sentence in the
                document's text, for highlighting), and every field of the event contract:
                actors flat (source_text/code/country/sector/kind/name, same for target), location as
                JSON plus flat location_name/country/lat/lon, quantities and attribution as JSON,
                extra (JSON): contract fields a newer coder added that this schema has no column for
    rejections  rejection_id (PK)           sha1 of provenance, content hash and reason
                doc_id, provenance, reason, message, content_hash, coder_version, ingested_at
    runs        run_id, started_at, finished_at, coder_version, inputs (JSON), summary (JSON)
    actors      (view) every actor seen as source or target, with its number of events

History: version 1 (casus 0.1 development) had no duplicate stories: no ``stories`` and ``runs``
tables, no ``story_id``/``source_key`` columns. :func:`migrate_1_to_2` upgrades it in one transaction;
each old document becomes its own story, with its signature computed from the stored text.

Opening: :func:`connect` retries while another process holds the file (DuckDB allows one read-write
process, and no readers while it holds the file); a database of an older schema is migrated, a newer
or foreign one is refused without being written to. Error codes::

    E401 cannot open the file           E405 another ingest is writing to this database
    E402 made by a newer casus          E406 busy: the lock was not released within the timeout
    E403 not a casus database           E407 no such database, or an empty one
    E404 a write failed (rolled back)

E405, E406 and E407 carry HTTP statuses 409, 503 and 404 for the web layer (other StoreErrors: 500).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow as pa

from ..errors import StoreError

SCHEMA_VERSION = 2
APPLICATION = "casus"
READ_TIMEOUT = 30.0  # seconds a query waits for the writer's commit to finish (commits last well under a second)
WRITE_TIMEOUT = 600.0  # seconds the writer waits for readers; a long export holds a read connection meanwhile

ACTOR_FIELDS = ("text", "code", "country", "sector", "kind", "name")
LOCATION_FLAT = ("name", "country", "lat", "lon")

TABLES_V2 = {
    "meta": """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)""",
    "documents": """CREATE TABLE documents (
        content_hash VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, story_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL, title VARCHAR, url VARCHAR, source VARCHAR, source_key VARCHAR NOT NULL,
        published DATE, language VARCHAR, provenance VARCHAR, text VARCHAR NOT NULL, removed JSON,
        num_events INTEGER NOT NULL, coder_version VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL)""",
    "stories": """CREATE TABLE stories (
        story_id VARCHAR PRIMARY KEY, canonical_hash VARCHAR NOT NULL, canonical_doc_id VARCHAR NOT NULL,
        title VARCHAR, first_published DATE, num_articles INTEGER NOT NULL, num_sources INTEGER NOT NULL,
        num_shingles INTEGER NOT NULL, minhash BLOB NOT NULL)""",
    "events": """CREATE TABLE events (
        event_id VARCHAR NOT NULL, doc_hash VARCHAR NOT NULL, doc_id VARCHAR NOT NULL, story_id VARCHAR NOT NULL,
        sentence VARCHAR NOT NULL, sentence_index INTEGER NOT NULL, sentence_start INTEGER, trigger VARCHAR,
        trigger_start INTEGER, trigger_end INTEGER, rule VARCHAR, lexicon_entry VARCHAR,
        plover VARCHAR, cameo VARCHAR NOT NULL, cameo_name VARCHAR, cameo_root VARCHAR, quad_class INTEGER,
        goldstein DOUBLE, mode VARCHAR, context VARCHAR,
        source_text VARCHAR, source_code VARCHAR, source_country VARCHAR, source_sector VARCHAR,
        source_kind VARCHAR, source_name VARCHAR,
        target_text VARCHAR, target_code VARCHAR, target_country VARCHAR, target_sector VARCHAR,
        target_kind VARCHAR, target_name VARCHAR,
        modality VARCHAR NOT NULL, modality_cue VARCHAR, date DATE, date_precision VARCHAR, date_source VARCHAR,
        location JSON, location_name VARCHAR, location_country VARCHAR, location_lat DOUBLE, location_lon DOUBLE,
        quantities JSON, attribution JSON, confidence DOUBLE NOT NULL, coder_version VARCHAR NOT NULL,
        extra JSON)""",
    "rejections": """CREATE TABLE rejections (
        rejection_id VARCHAR PRIMARY KEY, doc_id VARCHAR, provenance VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        message VARCHAR NOT NULL, content_hash VARCHAR, coder_version VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL)""",
    "runs": """CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
        coder_version VARCHAR NOT NULL, inputs JSON, summary JSON)""",
}
VIEWS_V2 = {
    "actors": """CREATE VIEW actors AS
        SELECT code, country, sector, kind, name, count(*) AS events,
               count(*) FILTER (WHERE role = 'source') AS as_source,
               count(*) FILTER (WHERE role = 'target') AS as_target
        FROM (SELECT 'source' AS role, source_code AS code, source_country AS country, source_sector AS sector,
                     source_kind AS kind, source_name AS name FROM events
              WHERE source_text IS NOT NULL OR source_code IS NOT NULL
              UNION ALL
              SELECT 'target', target_code, target_country, target_sector, target_kind, target_name FROM events
              WHERE target_text IS NOT NULL OR target_code IS NOT NULL)
        GROUP BY ALL""",
}

# the events columns that hold contract fields one to one (the rest are derived below)
_EVENT_SCALARS = ("event_id", "doc_id", "sentence", "sentence_index", "trigger", "rule", "lexicon_entry", "plover",
                  "cameo", "cameo_name", "cameo_root", "quad_class", "goldstein", "mode", "context", "modality",
                  "modality_cue", "date_precision", "date_source", "confidence", "coder_version")
_CONTRACT_HANDLED = set(_EVENT_SCALARS) | {"trigger_span", "source", "target", "date", "location", "quantities",
                                           "attribution"}
CONTRACT_ORDER = ("doc_id", "event_id", "sentence", "sentence_index", "trigger", "trigger_span", "rule",
                  "lexicon_entry", "plover", "cameo", "cameo_name", "cameo_root", "quad_class", "goldstein", "mode",
                  "context", "source", "target", "modality", "modality_cue", "date", "date_precision", "date_source",
                  "location", "quantities", "attribution", "confidence", "coder_version")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_date(value: Any) -> dt.date | None:
    """An ISO date string (or date) as a date; None when it is not one."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if len(str(value)) >= 10 else None
    except ValueError:
        return None


def event_to_row(ev: dict[str, Any], doc_hash: str, story_id: str) -> dict[str, Any]:
    """One contract dict (``Event.to_dict()``) as an ``events`` row."""
    row: dict[str, Any] = {k: ev.get(k) for k in _EVENT_SCALARS}
    row.update(doc_hash=doc_hash, story_id=story_id)
    span = ev.get("trigger_span") or [None, None]
    row["trigger_start"], row["trigger_end"] = span[0], span[1]
    for side in ("source", "target"):
        actor = ev.get(side) or {}
        for f in ACTOR_FIELDS:
            row[f"{side}_{f}"] = actor.get(f)
    extra = {k: v for k, v in ev.items() if k not in _CONTRACT_HANDLED}
    row["date"] = to_date(ev.get("date"))
    if ev.get("date") is not None and (row["date"] is None or row["date"].isoformat() != ev["date"]):
        extra["date"] = ev["date"]  # not a plain ISO day: keep it verbatim
    loc = ev.get("location")
    row["location"] = _json(loc)
    for f in LOCATION_FLAT:
        row[f"location_{f}"] = (loc or {}).get(f)
    row["quantities"] = _json(ev.get("quantities") or [])
    row["attribution"] = _json(ev.get("attribution"))
    row["extra"] = _json(extra) if extra else None
    return row


def row_to_event(row: dict[str, Any]) -> dict[str, Any]:
    """An ``events`` row (as a dict) back to the contract shape: ``row_to_event(event_to_row(d)) == d``."""
    ev: dict[str, Any] = {k: row.get(k) for k in _EVENT_SCALARS}
    ev["trigger_span"] = [row.get("trigger_start"), row.get("trigger_end")]
    for side in ("source", "target"):
        actor = {f: row.get(f"{side}_{f}") for f in ACTOR_FIELDS}
        ev[side] = actor if any(v is not None for v in actor.values()) else None
    d = row.get("date")
    ev["date"] = d.isoformat() if isinstance(d, dt.date) else d
    ev["location"] = _loads(row.get("location"))
    ev["quantities"] = _loads(row.get("quantities")) or []
    ev["attribution"] = _loads(row.get("attribution"))
    extra = _loads(row.get("extra")) or {}
    ordered = {k: ev[k] for k in CONTRACT_ORDER}
    ordered.update(extra)
    return ordered


def _loads(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    return json.loads(value)


# ---------------------------------------------------------------- opening, locking, checking

def _error(message: str, code: str, http_status: int) -> StoreError:
    """A StoreError whose HTTP status fits its cause (busy 503, missing 404, conflict 409) for the web layer."""
    exc = StoreError(message, code=code)
    exc.http_status = http_status
    return exc


def _is_lock_error(exc: Exception) -> bool:
    """Another process holds the file, or (same process) a connection with the other mode is still open."""
    text = str(exc).lower()
    return ("lock" in text and ("conflicting" in text or "could not set" in text)) or \
        "different configuration" in text


def _check_file(path: Path) -> None:
    """Refuse files that are not DuckDB databases before DuckDB touches them."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})", code="E401") from None
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise StoreError(f"{path} is not a DuckDB database; casus will not touch it", code="E403")


def _open(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open with retries and jittered exponential back-off while another process holds the file."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise StoreError(f"{path}: cannot open ({exc})", code="E401") from None
            if time.monotonic() >= deadline:
                raise _error(f"{path} is busy: another process kept it locked for {timeout:.0f} s",
                             "E406", 503) from None
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.25)


def read_version(con: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """The schema version of an open database; None for an empty one; StoreError for a foreign one."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if not tables:
        return None
    if "meta" not in tables:
        raise StoreError(f"{path} is a DuckDB database but not a casus one (no meta table: "
                         f"{', '.join(sorted(tables)[:5])}); casus will not touch it", code="E403")
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("application") != APPLICATION or not str(meta.get("schema_version", "")).isdigit():
        raise StoreError(f"{path} has a meta table but was not made by casus; casus will not touch it", code="E403")
    version = int(meta["schema_version"])
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was made by a newer casus (schema version {version}; this casus reads up to "
                         f"{SCHEMA_VERSION}): upgrade casus to use it", code="E402")
    return version


class WriterLock:
    """One writer per database: an exclusive ``flock`` on ``<db>.lock``, released by the kernel even on kill -9."""

    def __init__(self, path: Path, timeout: float = 0.0) -> None:
        self.path = Path(str(path) + ".lock")
        self.timeout = timeout
        self._fh = None

    def __enter__(self) -> "WriterLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "?"
                    fh.close()
                    raise _error(f"another casus process (pid {holder}) is writing to "
                                 f"{str(self.path)[:-5]}; wait for it to finish", "E405", 409) from None
                time.sleep(0.05)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


@contextmanager
def connect_read(db_path: str | Path, timeout: float = READ_TIMEOUT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to a casus database (migrated first if it is older), closed on exit."""
    path = Path(db_path)
    if not path.exists():
        raise _error(f"{path}: no such database (create it with `casus ingest FILES --db {path}`)", "E407", 404)
    _check_file(path)
    deadline = time.monotonic() + timeout
    while True:
        con = _open(path, True, max(0.0, deadline - time.monotonic()))
        try:
            version = read_version(con, path)
        except BaseException:
            con.close()
            raise
        if version == SCHEMA_VERSION:
            break
        con.close()
        if version is None:
            raise _error(f"{path} is empty: nothing has been ingested into it yet", "E407", 404)
        # an older database: bring it to the current schema, then read
        try:
            upgrade(path, timeout=0.0)
        except StoreError as exc:
            # E405: an ingest holds the database; it migrates on its first open, so wait for that
            if exc.code != "E405" or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def connect_write(db_path: str | Path, timeout: float = WRITE_TIMEOUT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one short unit of work (the caller holds the :class:`WriterLock`).
    Creates the database with the current schema, or migrates an older one, before yielding it."""
    path = Path(db_path)
    if path.exists():
        _check_file(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, False, timeout)
    try:
        _ensure_schema(con, path)
        yield con
    finally:
        con.close()


def _ensure_schema(con: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """Create the schema in a new database or migrate an older one; returns the version it had."""
    version = read_version(con, path)
    if version is None:
        create_schema(con)
    elif version < SCHEMA_VERSION:
        migrate(con, version)
    return version


def upgrade(db_path: str | Path, timeout: float = WRITE_TIMEOUT) -> int:
    """Create or migrate the database to the current schema; returns the version it had (0: new)."""
    path = Path(db_path)
    with WriterLock(path, timeout=timeout):
        if path.exists():
            _check_file(path)
        con = _open(path, False, timeout)
        try:
            return _ensure_schema(con, path) or 0
        finally:
            con.close()


# ---------------------------------------------------------------- creating and migrating

def _transaction(con: duckdb.DuckDBPyConnection, what: str):
    @contextmanager
    def tx():
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException as exc:
            con.execute("ROLLBACK")
            if isinstance(exc, StoreError) or not isinstance(exc, (duckdb.Error, ValueError, OSError)):
                raise
            raise StoreError(f"{what} failed and was rolled back: {exc}", code="E404") from exc
        else:
            con.execute("COMMIT")
    return tx()


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in TABLES_V2.values():
        con.execute(ddl)
    for ddl in VIEWS_V2.values():
        con.execute(ddl)


def _write_meta(con: duckdb.DuckDBPyConnection, **values: str) -> None:
    for key, value in values.items():
        con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, str(value)])


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of the current schema in an empty database."""
    from ..ingest.dedup import PARAMS
    from ..pipeline import coder_version

    with _transaction(con, "creating the schema"):
        _create_tables(con)
        _write_meta(con, application=APPLICATION, schema_version=SCHEMA_VERSION, minhash=PARAMS,
                    created_by=coder_version())


def migrate_1_to_2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1 → 2: duplicate stories. Each existing document becomes the canonical article of its own
    story (signature computed from its stored text); events get their story_id; ``runs`` and the
    ``actors`` view are added. Tables are rebuilt so that a migrated database equals a fresh one."""
    from ..ingest.dedup import PARAMS, signature, source_key

    for name in ("documents", "events", "rejections"):
        con.execute(f"ALTER TABLE {name} RENAME TO {name}_v1")
    for name in ("documents", "stories", "events", "rejections", "runs"):
        con.execute(TABLES_V2[name])
    docs = con.execute("SELECT content_hash, doc_id, title, url, source, published, text FROM documents_v1 "
                       "ORDER BY ingested_at, content_hash").fetchall()
    keys, stories = [], []
    for h, doc_id, title, url, source, published, text in docs:
        sig = signature(text or "")
        keys.append({"content_hash": h, "story_id": h[:16], "source_key": source_key(source, url)})
        stories.append({"story_id": h[:16], "canonical_hash": h, "canonical_doc_id": doc_id, "title": title,
                        "first_published": published, "num_articles": 1, "num_sources": 1,
                        "num_shingles": sig.size, "minhash": sig.to_bytes()})
    key_table = pa.Table.from_pylist(keys, schema=pa.schema([("content_hash", pa.string()),
                                                             ("story_id", pa.string()), ("source_key", pa.string())]))
    con.register("_v1_keys", key_table)
    con.execute("INSERT INTO documents BY NAME SELECT d.*, k.story_id, k.source_key FROM documents_v1 d "
                "JOIN _v1_keys k USING (content_hash)")
    con.unregister("_v1_keys")
    insert_rows(con, "stories", stories)
    con.execute("INSERT INTO events BY NAME SELECT e.*, substr(e.doc_hash, 1, 16) AS story_id FROM events_v1 e")
    con.execute("INSERT INTO rejections BY NAME SELECT * FROM rejections_v1")
    for name in ("documents", "events", "rejections"):
        con.execute(f"DROP TABLE {name}_v1")
    for ddl in VIEWS_V2.values():
        con.execute(ddl)
    _write_meta(con, minhash=PARAMS)


MIGRATIONS = {1: migrate_1_to_2}  # version N -> the function that brings it to N + 1


def migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Apply every migration from ``version`` to the current one, all in one transaction."""
    with _transaction(con, f"migrating from schema version {version}"):
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise StoreError(f"no migration from schema version {version}", code="E402")
            step(con)
            version += 1
            _write_meta(con, schema_version=version)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert dict rows through Arrow (DuckDB's executemany costs about a millisecond a row), typed by the
    table's own schema so that every value lands in its column's type."""
    if not rows:
        return
    schema = con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    names = [n for n in schema.names if n in rows[0]]
    batch = pa.Table.from_pylist(rows, schema=pa.schema([schema.field(n) for n in names]))
    con.register("_casus_rows", batch)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _casus_rows")
    finally:
        con.unregister("_casus_rows")

__all__ = ["SCHEMA_VERSION", "connect_read", "connect_write", "upgrade", "migrate", "MIGRATIONS", "WriterLock",
           "event_to_row", "row_to_event", "read_version", "TABLES_V2", "to_date", "insert_rows"]
