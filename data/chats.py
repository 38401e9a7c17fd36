"""Chats and their digests in SQLite: settings, blocking, group migration, and the delivery
slots that make each digest go out exactly once."""

from __future__ import annotations

import sqlite3

from newsbot.data.db import Database
from newsbot.data.errors import UnknownChatError
from newsbot.data.models import Chat
from newsbot.data.rows import build, now

_CHAT_COLUMNS = (
    "id, type, title, digest_enabled, digest_time, timezone, last_digest_at, "
    "digest_watermark, blocked, blocked_reason"
)


class SqliteChats:
    """The data.records.Chats of a SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert_chat(self, chat_id: int, type: str, title: str | None) -> Chat:
        moment = now()

        def upsert(conn: sqlite3.Connection) -> Chat:
            row = conn.execute(
                f"""
                INSERT INTO chats (id, type, title, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title,
                    blocked = 0, blocked_reason = NULL, updated_at = excluded.updated_at
                RETURNING {_CHAT_COLUMNS}
                """,
                (chat_id, type, title, moment, moment),
            ).fetchone()
            return build(Chat, row)

        return await self._db.write("upsert_chat", upsert, chat_id=chat_id)

    async def get_chat(self, chat_id: int) -> Chat | None:
        def get(conn: sqlite3.Connection) -> Chat | None:
            row = conn.execute(
                f"SELECT {_CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,)
            ).fetchone()
            return None if row is None else build(Chat, row)

        return await self._db.read("get_chat", get, chat_id=chat_id)

    async def set_digest(
        self, chat_id: int, *, enabled: bool, time: str | None, timezone: str | None
    ) -> Chat:
        def update(conn: sqlite3.Connection) -> Chat:
            row = conn.execute(
                f"""
                UPDATE chats SET digest_enabled = ?, digest_time = ?, timezone = ?,
                    updated_at = ?
                WHERE id = ? RETURNING {_CHAT_COLUMNS}
                """,
                (int(enabled), time, timezone, now(), chat_id),
            ).fetchone()
            if row is None:
                raise UnknownChatError(chat_id)
            return build(Chat, row)

        return await self._db.write("set_digest", update, chat_id=chat_id)

    async def digest_chats(self) -> list[Chat]:
        def read(conn: sqlite3.Connection) -> list[Chat]:
            rows = conn.execute(
                f"SELECT {_CHAT_COLUMNS} FROM chats "
                "WHERE digest_enabled = 1 AND blocked = 0 ORDER BY id"
            )
            return [build(Chat, row) for row in rows]

        return await self._db.read("digest_chats", read)

    async def mark_blocked(self, chat_id: int, reason: str) -> None:
        def mark(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE chats SET blocked = 1, blocked_reason = ?, digest_enabled = 0, "
                "updated_at = ? WHERE id = ?",
                (reason, now(), chat_id),
            )

        await self._db.write("mark_blocked", mark, chat_id=chat_id)

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        def move(conn: sqlite3.Connection) -> None:
            moved = conn.execute(
                """
                INSERT INTO chats (id, type, title, digest_enabled, digest_time, timezone,
                    last_digest_at, digest_watermark, blocked, blocked_reason, created_at,
                    updated_at)
                SELECT ?, 'supergroup', title, digest_enabled, digest_time, timezone,
                    last_digest_at, digest_watermark, 0, NULL, created_at, ?
                FROM chats WHERE id = ?
                ON CONFLICT (id) DO UPDATE SET
                    digest_enabled = excluded.digest_enabled,
                    digest_time = excluded.digest_time, timezone = excluded.timezone,
                    last_digest_at = excluded.last_digest_at,
                    digest_watermark = max(digest_watermark, excluded.digest_watermark),
                    title = coalesce(title, excluded.title), updated_at = excluded.updated_at
                """,
                (new_id, now(), old_id),
            ).rowcount
            if not moved:
                return
            # OR IGNORE: a slot the new id already has keeps its own record.
            conn.execute(
                "UPDATE OR IGNORE digest_deliveries SET chat_id = ? WHERE chat_id = ?",
                (new_id, old_id),
            )
            conn.execute("DELETE FROM chats WHERE id = ?", (old_id,))

        await self._db.write("migrate_chat", move, old_id=old_id, new_id=new_id)

    async def claim_digest(self, chat_id: int, slot: str) -> bool:
        def claim(conn: sqlite3.Connection) -> bool:
            if conn.execute("SELECT 1 FROM chats WHERE id = ?", (chat_id,)).fetchone() is None:
                raise UnknownChatError(chat_id)
            claimed = conn.execute(
                """
                INSERT INTO digest_deliveries (chat_id, slot, status, claimed_at)
                VALUES (?, ?, 'claimed', ?)
                ON CONFLICT (chat_id, slot) DO UPDATE SET status = 'claimed',
                    claimed_at = excluded.claimed_at, completed_at = NULL, articles = NULL,
                    error = NULL
                WHERE status = 'failed'
                """,
                (chat_id, slot, now()),
            ).rowcount
            return claimed > 0

        return await self._db.write("claim_digest", claim, chat_id=chat_id, slot=slot)

    async def complete_digest(
        self, chat_id: int, slot: str, *, watermark: int, sent_articles: int
    ) -> None:
        def complete(conn: sqlite3.Connection) -> None:
            moment = now()
            conn.execute(
                "UPDATE digest_deliveries SET status = 'delivered', completed_at = ?, "
                "articles = ?, error = NULL WHERE chat_id = ? AND slot = ?",
                (moment, sent_articles, chat_id, slot),
            )
            conn.execute(
                "UPDATE chats SET digest_watermark = max(digest_watermark, ?), "
                "last_digest_at = ?, updated_at = ? WHERE id = ?",
                (watermark, moment, moment, chat_id),
            )

        await self._db.write("complete_digest", complete, chat_id=chat_id, slot=slot)

    async def release_digest(self, chat_id: int, slot: str, error: str) -> None:
        def release(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE digest_deliveries SET status = 'failed', completed_at = ?, error = ? "
                "WHERE chat_id = ? AND slot = ? AND status = 'claimed'",
                (now(), error, chat_id, slot),
            )

        await self._db.write("release_digest", release, chat_id=chat_id, slot=slot)
