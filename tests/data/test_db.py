"""The connection layer: pragmas, one transaction per write, sqlite3 errors as StoreError."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from newsbot.data.db import Database
from newsbot.data.errors import StoreClosedError, StoreError


def _nothing(conn: sqlite3.Connection) -> None:
    pass


async def test_wal_foreign_keys_and_busy_timeout_are_on(db_path: Path) -> None:
    db = Database(db_path)
    await db.open(_nothing)
    try:

        def pragmas(conn: sqlite3.Connection) -> list[object]:
            names = ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            return [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names]

        # the pragmas are per connection: look at the database's own
        assert await db.read("pragmas", pragmas) == ["wal", 1, 5000, 1]
    finally:
        await db.close()


async def test_a_write_is_one_transaction(db_path: Path) -> None:
    db = Database(db_path)
    await db.open(lambda conn: conn.execute("CREATE TABLE t (x INTEGER NOT NULL)"))

    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute("INSERT INTO t VALUES (NULL)")  # NOT NULL: raises

    try:
        with pytest.raises(StoreError) as caught:
            await db.write("half", half_then_fail, marker=7)
        assert caught.value.context["path"] == str(db_path)
        assert caught.value.context["marker"] == 7
        assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
        count = await db.read("count", lambda c: c.execute("SELECT count(*) FROM t").fetchone())
        assert tuple(count) == (0,)
    finally:
        await db.close()


async def test_use_after_close_is_a_store_closed_error(db_path: Path) -> None:
    db = Database(db_path)
    await db.open(_nothing)
    await db.close()
    await db.close()  # idempotent
    with pytest.raises(StoreClosedError):
        await db.read("late", _nothing)
