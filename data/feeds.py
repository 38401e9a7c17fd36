"""Feeds in SQLite: subscriptions, the outcome of each check, and the entries already seen."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from newsbot.data.db import Database
from newsbot.data.errors import DuplicateFeedError
from newsbot.data.models import Feed
from newsbot.data.rows import build, chunks, now, placeholders

_FEED_COLUMNS = (
    "id, url, title, interval_minutes, added_by, added_at, last_checked_at, last_ok_at, "
    "last_error, failures"
)


class SqliteFeeds:
    """The data.records.Feeds of a SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_feed(self, url: str, *, interval_minutes: int, added_by: int | None) -> Feed:
        def add(conn: sqlite3.Connection) -> Feed:
            existing = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if existing is not None:
                raise DuplicateFeedError(existing["id"], url)
            row = conn.execute(
                f"""
                INSERT INTO feeds (url, interval_minutes, added_by, added_at)
                VALUES (?, ?, ?, ?) RETURNING {_FEED_COLUMNS}
                """,
                (url, interval_minutes, added_by, now()),
            ).fetchone()
            return build(Feed, row)

        return await self._db.write("add_feed", add, url=url)

    async def remove_feed(self, url_or_id: str) -> bool:
        text = url_or_id.strip()
        digits = text.removeprefix("#")
        value: int | str = text
        sql = "DELETE FROM feeds WHERE url = ?"
        if digits.isdecimal() and len(digits) <= 18:  # beyond that no SQLite integer
            sql, value = "DELETE FROM feeds WHERE id = ?", int(digits)

        def remove(conn: sqlite3.Connection) -> bool:
            return conn.execute(sql, (value,)).rowcount > 0

        return await self._db.write("remove_feed", remove, feed=text)

    async def list_feeds(self) -> list[Feed]:
        def read(conn: sqlite3.Connection) -> list[Feed]:
            rows = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")
            return [build(Feed, row) for row in rows]

        return await self._db.read("list_feeds", read)

    async def record_feed_check(
        self, feed_id: int, *, error: str | None, title: str | None
    ) -> None:
        def record(conn: sqlite3.Connection) -> None:
            moment = now()
            if error is None:
                conn.execute(
                    "UPDATE feeds SET last_checked_at = ?, last_ok_at = ?, last_error = NULL, "
                    "failures = 0, title = coalesce(?, title) WHERE id = ?",
                    (moment, moment, title, feed_id),
                )
            else:
                conn.execute(
                    "UPDATE feeds SET last_checked_at = ?, last_error = ?, "
                    "failures = failures + 1, title = coalesce(?, title) WHERE id = ?",
                    (moment, error, title, feed_id),
                )

        await self._db.write("record_feed_check", record, feed_id=feed_id)

    async def seen_feed_entries(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        unique = list(dict.fromkeys(keys))

        def read(conn: sqlite3.Connection) -> set[str]:
            seen: set[str] = set()
            for chunk in chunks(unique):
                rows = conn.execute(
                    f"SELECT key FROM feed_entries WHERE feed_id = ? "
                    f"AND key IN ({placeholders(len(chunk))})",
                    [feed_id, *chunk],
                )
                seen.update(row["key"] for row in rows)
            return seen

        return await self._db.read("seen_feed_entries", read, feed_id=feed_id)

    async def mark_feed_entries(self, feed_id: int, keys: Sequence[str]) -> None:
        if not keys:
            return

        def mark(conn: sqlite3.Connection) -> None:
            if conn.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone() is None:
                return  # a removed feed's entries are not recorded
            moment = now()
            conn.executemany(
                "INSERT OR IGNORE INTO feed_entries (feed_id, key, seen_at) VALUES (?, ?, ?)",
                [(feed_id, key, moment) for key in dict.fromkeys(keys)],
            )

        await self._db.write("mark_feed_entries", mark, feed_id=feed_id)
