"""Operational events and the operator's counts in SQLite."""

from __future__ import annotations

import sqlite3

from newsbot.data.db import Database
from newsbot.data.models import Event, Stats
from newsbot.data.rows import build, now

EVENTS_KEPT = 10_000
"""Operational events kept; older ones are pruned as new ones arrive."""


class SqliteEvents:
    """The data.records.Events of a SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record_event(self, kind: str, message: str) -> None:
        def record(conn: sqlite3.Connection) -> None:
            event_id = conn.execute(
                "INSERT INTO events (at, kind, message) VALUES (?, ?, ?)", (now(), kind, message)
            ).lastrowid
            conn.execute("DELETE FROM events WHERE id <= ?", ((event_id or 0) - EVENTS_KEPT,))

        await self._db.write("record_event", record, kind=kind)

    async def recent_events(self, limit: int) -> list[Event]:
        def read(conn: sqlite3.Connection) -> list[Event]:
            rows = conn.execute(
                "SELECT id, at, kind, message FROM events ORDER BY id DESC LIMIT ?", (limit,)
            )
            return [build(Event, row) for row in rows]

        return await self._db.read("recent_events", read)

    async def stats(self) -> Stats:
        def read(conn: sqlite3.Connection) -> Stats:
            row = conn.execute(
                """
                SELECT
                    (SELECT count(*) FROM articles) AS articles,
                    (SELECT count(*) FROM quotes) AS quotes,
                    (SELECT count(*) FROM speakers) AS speakers,
                    (SELECT count(*) FROM chats) AS chats,
                    (SELECT count(*) FROM chats WHERE digest_enabled = 1 AND blocked = 0)
                        AS digest_chats,
                    (SELECT count(*) FROM chats WHERE blocked = 1) AS blocked_chats,
                    (SELECT count(*) FROM feeds) AS feeds,
                    (SELECT count(*) FROM feeds WHERE failures > 0) AS feeds_failing,
                    (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())
                        AS db_bytes
                """
            ).fetchone()
            return build(Stats, row)

        return await self._db.read("stats", read)
