"""The database schema as an ordered list of migration steps.

Step N brings a file from `PRAGMA user_version` N-1 to N. Steps only ever get appended:
an edited step would leave existing files with a schema no step describes. Each step runs in
its own BEGIN IMMEDIATE transaction together with the user_version bump, so a crash mid-way
leaves the file at the previous version rather than half migrated.

Timestamps are stored as fixed-width ISO-8601 UTC text ("2024-05-01T12:00:00.000000Z") so that
text order is time order and the file stays readable with the sqlite3 shell.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from newsbot.data.db import copy_database, transaction
from newsbot.data.errors import MigrationError

from newsbot.names import normalize_name, surname_key

Step = str | Callable[[sqlite3.Connection], None]
"""A migration statement, or a function that changes the file in Python (data rewrites)."""

_V1: tuple[Step, ...] = (
    # summary_algorithm/summary_length name the default summary shown in listings, so a
    # listing joins exactly one summaries row instead of choosing among cached ones.
    # body comes last: SQLite reads a row's columns in order, and every column stored after a
    # long body would cost a walk over its overflow pages in listings that never show it.
    # AUTOINCREMENT: ids are never reused, because a chat's digest watermark is an article id
    # and a reused id would hide a new article behind it.
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT UNIQUE,
        title TEXT NOT NULL,
        outlet TEXT,
        author TEXT,
        published_at TEXT,
        added_at TEXT NOT NULL,
        added_by INTEGER,
        language TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        summary_algorithm TEXT,
        summary_length INTEGER,
        body TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE summaries (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        algorithm TEXT NOT NULL,
        length INTEGER NOT NULL,
        sentences TEXT NOT NULL,
        PRIMARY KEY (article_id, algorithm, length)
    ) WITHOUT ROWID
    """,
    # quote_count is kept by triggers so candidate lists and stats need no COUNT over quotes.
    """
    CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT,
        quote_count INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX speakers_quote_count ON speakers(quote_count)",
    # Every name a speaker was quoted under, with the caller's normalised key and surname:
    # ingest looks candidates up by either, so both are per alias ("Zelensky" and "Zelenskyy"
    # are two surnames of one speaker).
    """
    CREATE TABLE speaker_aliases (
        id INTEGER PRIMARY KEY,
        speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        alias_key TEXT NOT NULL,
        surname TEXT NOT NULL,
        UNIQUE (speaker_id, alias_key)
    )
    """,
    "CREATE INDEX speaker_aliases_key ON speaker_aliases(alias_key)",
    "CREATE INDEX speaker_aliases_surname ON speaker_aliases(surname) WHERE surname <> ''",
    # sort_at = coalesce(article published_at, added_at), copied from the article (which never
    # changes) so "newest first" listings walk an index instead of joining articles to sort.
    """
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        speaker_id INTEGER REFERENCES speakers(id),
        role TEXT,
        sort_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX quotes_article ON quotes(article_id)",
    "CREATE INDEX quotes_speaker ON quotes(speaker_id, sort_at)",
    # The partial index answers include_indirect=False listings and counts without table reads.
    """
    CREATE INDEX quotes_speaker_attributed ON quotes(speaker_id, sort_at)
    WHERE kind <> 'indirect'
    """,
    "CREATE INDEX quotes_recent ON quotes(sort_at, speaker_id)",
    """
    CREATE TRIGGER quotes_count_insert AFTER INSERT ON quotes
    WHEN new.speaker_id IS NOT NULL BEGIN
        UPDATE speakers SET quote_count = quote_count + 1 WHERE id = new.speaker_id;
    END
    """,
    """
    CREATE TRIGGER quotes_count_delete AFTER DELETE ON quotes
    WHEN old.speaker_id IS NOT NULL BEGIN
        UPDATE speakers SET quote_count = quote_count - 1 WHERE id = old.speaker_id;
    END
    """,
    # External-content FTS tables: the text lives once, in the real tables; triggers keep the
    # indexes in step, including rows removed by ON DELETE CASCADE.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    # Persisted rank: ORDER BY rank then weighs a title match five times a body match.
    "INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)')",
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE VIRTUAL TABLE quotes_fts USING fts5(
        text, content='quotes', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END
    """,
    # Trigram index over normalised alias keys: finds "zelenskyy" from "zelenksyy".
    """
    CREATE VIRTUAL TABLE speaker_aliases_fts USING fts5(
        alias_key, content='speaker_aliases', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER speaker_aliases_fts_insert AFTER INSERT ON speaker_aliases BEGIN
        INSERT INTO speaker_aliases_fts(rowid, alias_key) VALUES (new.id, new.alias_key);
    END
    """,
    """
    CREATE TRIGGER speaker_aliases_fts_delete AFTER DELETE ON speaker_aliases BEGIN
        INSERT INTO speaker_aliases_fts(speaker_aliases_fts, rowid, alias_key)
        VALUES ('delete', old.id, old.alias_key);
    END
    """,
    """
    CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT,
        digest_enabled INTEGER NOT NULL DEFAULT 0,
        digest_time TEXT,
        timezone TEXT,
        last_digest_at TEXT,
        digest_watermark INTEGER NOT NULL DEFAULT 0,
        blocked INTEGER NOT NULL DEFAULT 0,
        blocked_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE digest_deliveries (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        slot TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'delivered', 'failed')),
        claimed_at TEXT NOT NULL,
        completed_at TEXT,
        articles INTEGER,
        error TEXT,
        UNIQUE (chat_id, slot)
    )
    """,
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        interval_minutes INTEGER NOT NULL,
        added_by INTEGER,
        added_at TEXT NOT NULL,
        last_checked_at TEXT,
        last_ok_at TEXT,
        last_error TEXT,
        failures INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE feed_entries (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (feed_id, key)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL
    )
    """,
)

# Titles indexed on their own: a common search lists the articles whose title holds every
# word first, and finding those through articles_fts with a {title} filter reads the positions
# of every body match of words like "said"; a title-only index holds only title matches.
_V2: tuple[Step, ...] = (
    """
    CREATE VIRTUAL TABLE titles_fts USING fts5(
        title, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    "INSERT INTO titles_fts(titles_fts) VALUES ('rebuild')",
    """
    CREATE TRIGGER titles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title);
    END
    """,
    """
    CREATE TRIGGER titles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO titles_fts(titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
    END
    """,
    """
    CREATE TRIGGER titles_fts_update AFTER UPDATE OF title ON articles BEGIN
        INSERT INTO titles_fts(titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
        INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title);
    END
    """,
)

# v3 rewrote the stored name keys with SQL replace() chains (hyphens as spaces, ı ł ø đ folded)
# that copied the rules of the Python folding. v4 recomputes every key from its alias with
# newsbot.names, which covers all v3 did, so v3 is now empty: a file at v2 goes through v4
# and ends with the same keys.
_V3: tuple[Step, ...] = ()


def _recompute_name_keys(conn: sqlite3.Connection) -> None:
    """Every alias's key and surname, recomputed from the alias with newsbot.names.

    Keys were the ingest's of the day; computing them here, once, in the same Python that
    computes new ones, leaves the SQL with no copy of the folding rules. An alias whose new
    key another alias of the same speaker already has is dropped (the table holds one alias
    per speaker and key); the trigram index reads alias_key, so it is rebuilt.
    """
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    rows = cursor.execute(
        "SELECT id, speaker_id, alias, alias_key, surname FROM speaker_aliases ORDER BY id"
    ).fetchall()
    kept: set[tuple[int, str]] = set()
    dropped: list[tuple[int]] = []
    changed: list[tuple[str, str, int]] = []
    for row in rows:
        key = normalize_name(row["alias"])
        surname = surname_key(row["alias"])
        if not key:  # nothing left to key on: the stored key is the best there is
            key, surname = row["alias_key"], row["surname"]
        if (row["speaker_id"], key) in kept:
            dropped.append((row["id"],))
            continue
        kept.add((row["speaker_id"], key))
        if (key, surname) != (row["alias_key"], row["surname"]):
            changed.append((key, surname, row["id"]))
    conn.executemany("DELETE FROM speaker_aliases WHERE id = ?", dropped)
    # Two passes: a key may move to one that another changed row still holds.
    conn.executemany(
        "UPDATE speaker_aliases SET alias_key = char(0) || id WHERE id = ?",
        [(alias_id,) for _, _, alias_id in changed],
    )
    conn.executemany("UPDATE speaker_aliases SET alias_key = ?, surname = ? WHERE id = ?", changed)
    conn.execute("INSERT INTO speaker_aliases_fts(speaker_aliases_fts) VALUES ('rebuild')")


_V4: tuple[Step, ...] = (_recompute_name_keys,)

MIGRATIONS: tuple[tuple[Step, ...], ...] = (_V1, _V2, _V3, _V4)
"""Migration steps in order; `len(MIGRATIONS)` is the schema version this code writes."""

FTS_TABLES = ("articles_fts", "titles_fts", "quotes_fts", "speaker_aliases_fts")
"""The full-text indexes, each kept in step with its content table by triggers."""

SCHEMA_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the file (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup_path(path: Path, version: int, moment: datetime) -> Path:
    """Where the copy taken before migrating a file at `version` goes: next to it, named
    after the version and the time ("newsbot.db.v3-20261202T183000Z.bak")."""
    return path.with_name(f"{path.name}.v{version}-{moment:%Y%m%dT%H%M%S}Z.bak")


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply every missing step to `conn` (autocommit mode); returns the final version.

    An existing database (version above 0) is first copied next to the file (backup_path),
    so a migration that goes wrong, or a newsbot rolled back, can start from the old file.
    Raises MigrationError for a file written by newer code, whose schema this code would
    misread, for a backup that cannot be written, and for a step that fails (that step is
    rolled back, earlier ones stay).
    """
    found = user_version(conn)
    if found > SCHEMA_VERSION:
        raise MigrationError(
            path,
            f"it was written by a newer newsbot (schema version {found}; this one knows "
            f"{SCHEMA_VERSION})",
            "run the newer newsbot, or restore a backup from before the upgrade",
            found_version=found,
            supported_version=SCHEMA_VERSION,
        )
    if found == SCHEMA_VERSION:
        return SCHEMA_VERSION
    backup = ""
    if found > 0:
        target = backup_path(path, found, datetime.now(UTC))
        try:
            copy_database(conn, target)
        except (OSError, sqlite3.Error) as exc:
            raise MigrationError(
                path,
                f"it needs upgrading from schema version {found} but the copy taken first "
                f"cannot be written to {target}",
                "free disk space or make its folder writable; the file is unchanged",
                backup=str(target),
                error=str(exc),
            ) from exc
        backup = f" (a copy from before the upgrade is {target})"
    for target_version in range(found + 1, SCHEMA_VERSION + 1):
        try:
            with transaction(conn):
                # Another process may have migrated between our read and our write lock.
                if user_version(conn) >= target_version:
                    continue
                for step in MIGRATIONS[target_version - 1]:
                    if callable(step):
                        step(conn)
                    else:
                        conn.execute(step)
                # PRAGMA takes no parameters; target_version is an int we computed.
                conn.execute(f"PRAGMA user_version = {target_version:d}")
        except Exception as exc:
            raise MigrationError(
                path,
                f"upgrading it to schema version {target_version} failed ({exc})",
                f"it is left at version {target_version - 1}{backup}; report this with the error",
                step=target_version,
                error=str(exc),
            ) from exc
    return SCHEMA_VERSION
