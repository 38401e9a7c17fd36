"""Speakers in SQLite: resolving quoted names to speakers at ingest, name lookups for
/who_said, and the most quoted speakers.

What a name joins and what a merged speaker keeps is decided in data.speaker_merge; this
module reads the candidates it needs and writes the outcome.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsbot.data import fts
from newsbot.data.db import Database
from newsbot.data.models import NewQuote, Speaker
from newsbot.data.rows import build, chunks, iso, placeholders
from newsbot.data.speaker_merge import (
    MAX_CANDIDATES,
    IngestSpeaker,
    NewAlias,
    SpeakerMatcher,
    choose_speaker,
    ranked_candidates,
)

from newsbot.names import normalize_name, surname_key

FUZZY_ROWS = 300
"""Aliases read per fuzzy name lookup expression (newest first) before scoring them."""

_LOOKUPS_PER_QUERY = 100  # speaker lookups per statement; SQLite allows 500 compound arms

# json_group_array keeps alias boundaries intact whatever characters the names contain.
_SPEAKER_SELECT = """
    SELECT s.id, s.name, s.role, s.quote_count,
        (SELECT json_group_array(alias)
         FROM (SELECT alias FROM speaker_aliases WHERE speaker_id = s.id ORDER BY id))
            AS aliases
    FROM speakers AS s
"""

# One arm per quoted name: speakers with an alias of that key or surname, exact keys first,
# capped so that a common surname does not offer thousands of speakers. `surname <> ''`
# repeats the partial index's condition so that the index applies.
_CANDIDATE_ARM = """
    SELECT * FROM (
        SELECT ? AS lookup, speaker_id, max(alias_key = ?) AS exact FROM speaker_aliases
        WHERE alias_key = ? OR (surname = ? AND surname <> '')
        GROUP BY speaker_id ORDER BY exact DESC, speaker_id LIMIT ?
    )
"""


def _speaker(row: sqlite3.Row, quote_count: int | None = None) -> Speaker:
    return build(
        Speaker,
        row,
        aliases=tuple(json.loads(row["aliases"])),
        quote_count=row["quote_count"] if quote_count is None else quote_count,
    )


def _speakers_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, sqlite3.Row]:
    found: dict[int, sqlite3.Row] = {}
    for chunk in chunks(ids):
        sql = f"{_SPEAKER_SELECT} WHERE s.id IN ({placeholders(len(chunk))})"
        found.update((row["id"], row) for row in conn.execute(sql, chunk))
    return found


def _stored_candidates(
    conn: sqlite3.Connection, lookups: dict[str, str]
) -> tuple[dict[str, list[tuple[int, int]]], dict[int, IngestSpeaker]]:
    """Per name key (→ surname), its best MAX_CANDIDATES stored candidates as (speaker id,
    exact key match) in no particular order; and those speakers, by id."""
    keys = list(lookups)
    stored: dict[str, list[tuple[int, int]]] = {key: [] for key in keys}
    speakers: dict[int, IngestSpeaker] = {}
    for start in range(0, len(keys), _LOOKUPS_PER_QUERY):
        chunk = keys[start : start + _LOOKUPS_PER_QUERY]
        params: list[Any] = []
        for index, key in enumerate(chunk, start):
            params += [index, key, key, lookups[key], MAX_CANDIDATES]
        arms = " UNION ALL ".join([_CANDIDATE_ARM] * len(chunk))
        rows = conn.execute(
            f"""
            SELECT c.lookup, c.speaker_id, c.exact, s.name, s.role,
                (SELECT json_group_array(json_array(alias, alias_key)) FROM
                    (SELECT alias, alias_key FROM speaker_aliases WHERE speaker_id = s.id
                     ORDER BY id)) AS aliases
            FROM ({arms}) AS c CROSS JOIN speakers AS s ON s.id = c.speaker_id
            """,
            params,
        )
        for row in rows:
            speaker_id = row["speaker_id"]
            stored[keys[row["lookup"]]].append((speaker_id, row["exact"]))
            if speaker_id not in speakers:
                pairs = json.loads(row["aliases"])
                speakers[speaker_id] = IngestSpeaker(
                    row["name"], row["role"], [alias for alias, _ in pairs], {k for _, k in pairs}
                )
    return stored, speakers


def _quoted_name(quote: NewQuote) -> tuple[str, str, str] | None:
    """The quote's speaker as (name, key, surname), or None when it names nobody."""
    name = " ".join((quote.speaker or "").split())
    key = quote.speaker_key or normalize_name(name)
    if not name or not key:
        return None
    surname = surname_key(name) if quote.speaker_surname is None else quote.speaker_surname
    return name, key, surname


def resolve_speakers(
    conn: sqlite3.Connection, quotes: Sequence[NewQuote], matcher: SpeakerMatcher | None
) -> list[int | None]:
    """Each quote's speaker id (None if unnamed), registering new speakers and aliases, inside
    the caller's transaction.

    The stored candidates for every quoted name are read in one query before any write;
    the speakers and aliases that earlier quotes of the article add are tracked here, so
    each quote is matched against what the database would hold by then.
    """
    names = [_quoted_name(quote) for quote in quotes]
    lookups: dict[str, str] = {}  # key → surname; later quotes of a key reuse its speaker
    for named in names:
        if named is not None:
            lookups.setdefault(named[1], named[2])
    stored, speakers = _stored_candidates(conn, lookups)
    # New speakers get the ids SQLite would pick (counting up from the largest), so that
    # quotes can name them before anything is written.
    last_speaker = conn.execute("SELECT coalesce(max(id), 0) FROM speakers").fetchone()[0]
    added: list[NewAlias] = []
    resolved: dict[str, int] = {}
    ids: list[int | None] = []
    for quote, named in zip(quotes, names, strict=True):
        if named is None:
            ids.append(None)
            continue
        name, key, surname = named
        speaker_id = resolved.get(key)
        if speaker_id is None:
            ranked, exact = ranked_candidates(key, surname, stored[key], added)
            speaker_id = choose_speaker(name, ranked, exact, speakers, matcher)
        if speaker_id is None:
            last_speaker += 1
            speaker_id = last_speaker
            speaker = speakers[speaker_id] = IngestSpeaker(name, quote.role, changed=True)
        else:
            speaker = speakers[speaker_id]
            speaker.merge(name, quote.role)
        if key not in speaker.keys:  # one alias per speaker and key, as the table has it
            speaker.keys.add(key)
            speaker.aliases.append(name)
            added.append(NewAlias(speaker_id, name, key, surname))
        resolved[key] = speaker_id
        ids.append(speaker_id)
    changed = [(i, s.name, s.role) for i, s in speakers.items() if s.changed]
    if changed:
        # New speakers and changes to known ones alike; quote_count is the triggers' job.
        conn.executemany(
            "INSERT INTO speakers (id, name, role) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role",
            changed,
        )
    if added:
        conn.executemany(
            "INSERT INTO speaker_aliases (speaker_id, alias, alias_key, surname) "
            "VALUES (?, ?, ?, ?)",
            [(a.speaker_id, a.alias, a.key, a.surname) for a in added],
        )
    return ids


def _candidates(conn: sqlite3.Connection, key: str, surname: str, limit: int) -> list[Speaker]:
    ids: dict[int, None] = {}  # insertion-ordered set: best kind of match first
    # `surname <> ''` repeats the partial index's condition so that the index applies.
    exact = conn.execute(
        """
        SELECT speaker_id FROM speaker_aliases WHERE alias_key = ?
        UNION
        SELECT speaker_id FROM speaker_aliases WHERE surname = ? AND surname <> ''
        LIMIT ?
        """,
        (key, surname, limit),
    )
    ids.update((row["speaker_id"], None) for row in exact)
    if len(ids) < limit:
        fuzzy: dict[int, float] = {}
        for expression in fts.fuzzy_name(key):
            # Unranked and capped: a half shared by thousands of names ("Surname…") costs
            # FUZZY_ROWS rows; the other half then carries the lookup.
            rows = conn.execute(
                """
                SELECT a.speaker_id, a.alias_key FROM speaker_aliases_fts
                JOIN speaker_aliases AS a ON a.id = speaker_aliases_fts.rowid
                WHERE speaker_aliases_fts MATCH ?
                ORDER BY speaker_aliases_fts.rowid DESC LIMIT ?
                """,
                (expression, FUZZY_ROWS),
            )
            for row in rows:
                score = fts.similarity(key, row["alias_key"])
                fuzzy[row["speaker_id"]] = max(score, fuzzy.get(row["speaker_id"], 0.0))
        ids.update((i, None) for i in sorted(fuzzy, key=lambda i: -fuzzy[i]))
    found = _speakers_by_id(conn, list(ids)[:limit])
    return [_speaker(found[i]) for i in ids if i in found]


def _top(conn: sqlite3.Connection, start: str, limit: int) -> list[Speaker]:
    oldest = conn.execute("SELECT min(sort_at) FROM quotes").fetchone()[0]
    if oldest is None:
        return []
    if start <= oldest:
        # Every quote counts: the trigger-kept totals answer without a scan.
        counted = conn.execute(
            "SELECT id AS speaker_id, quote_count AS n FROM speakers WHERE quote_count > 0 "
            "ORDER BY quote_count DESC, id LIMIT ?",
            (limit,),
        ).fetchall()
    else:
        # A recent window is a small range of quotes_recent; without the hint the planner
        # may walk every quote in speaker order to skip the GROUP BY sort.
        counted = conn.execute(
            """
            SELECT speaker_id, count(*) AS n FROM quotes INDEXED BY quotes_recent
            WHERE sort_at >= ? AND speaker_id IS NOT NULL
            GROUP BY speaker_id ORDER BY n DESC, speaker_id LIMIT ?
            """,
            (start, limit),
        ).fetchall()
    found = _speakers_by_id(conn, [row["speaker_id"] for row in counted])
    return [
        _speaker(found[row["speaker_id"]], row["n"])
        for row in counted
        if row["speaker_id"] in found
    ]


class SqliteSpeakers:
    """The data.records.Speakers of a SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def speaker_candidates(self, query: str, limit: int) -> list[Speaker]:
        key, surname = normalize_name(query), surname_key(query)
        if not key or limit <= 0:
            return []
        return await self._db.read(
            "speaker_candidates",
            lambda conn: _candidates(conn, key, surname, limit),
            query=query[:100],
        )

    async def top_speakers(self, since: datetime, limit: int) -> list[Speaker]:
        if limit <= 0:
            return []
        start = iso(since)
        return await self._db.read("top_speakers", lambda conn: _top(conn, start, limit))
