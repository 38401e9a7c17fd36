"""The connection layer: pragmas, one transaction per write, sqlite3 errors as StoreError,
and online backups."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from newsbot.data.db import Database
from newsbot.data.errors import StoreClosedError, StoreError
from newsbot.data.schema import FTS_TABLES
from newsbot.data.store import Store

from tests.data.conftest import article, quote


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


def _writer(
    path: Path, started: threading.Event, stop: threading.Event, errors: list[BaseException]
) -> None:
    """Another process's writes, as fast as they go: each transaction adds one article and
    three quotes, so a consistent copy holds exactly three quotes per article. A failure is
    kept in `errors` and releases `started`, so the test fails instead of waiting forever."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        n = 0
        while not stop.is_set() or n < 20:
            n += 1
            conn.execute("BEGIN IMMEDIATE")
            (article_id,) = conn.execute(
                "INSERT INTO articles (title, added_at, language, content_hash, body) "
                "VALUES (?, '2026-01-01T00:00:00.000000Z', 'english', ?, ?) RETURNING id",
                (f"Writer {n}", f"writer-{n}", "Words of the writer. " * 300),
            ).fetchone()
            conn.executemany(
                'INSERT INTO quotes (article_id, start, "end", text, kind, sort_at) '
                "VALUES (?, 0, 5, ?, 'direct', '2026-01-01T00:00:00.000000Z')",
                [(article_id, f"quote {n}.{i}") for i in range(3)],
            )
            conn.execute("COMMIT")
            started.set()
    except BaseException as exc:
        errors.append(exc)
    finally:
        started.set()
        conn.close()


async def test_a_backup_taken_while_another_connection_writes_is_consistent(
    db_path: Path, tmp_path: Path
) -> None:
    async with Store(db_path) as store:
        for n in range(30):
            await store.add_article(
                article(title=f"Story {n}", body=f"Body {n}. " * 500, url=f"https://x.org/{n}"),
                None,
                [
                    quote(f"Said {n}", "Ada Lovelace"),
                    quote("Again", "Ada Lovelace"),
                    quote("Yes", None),
                ],
            )
        started, stop, errors = threading.Event(), threading.Event(), []
        writer = threading.Thread(target=_writer, args=(db_path, started, stop, errors))
        writer.start()
        try:
            await asyncio.to_thread(started.wait)
            targets = [tmp_path / f"copy-{i}.db" for i in range(3)]
            for target in targets:
                await store.backup(target)
                await store.add_article(article(body=f"Meanwhile {target.name}"), None, [])
        finally:
            stop.set()
            await asyncio.to_thread(writer.join)
        assert errors == []
        with pytest.raises(StoreError) as caught:
            await store.backup(targets[0])  # never overwrites
        assert caught.value.context["target"] == str(targets[0])
    for target in targets:
        assert not target.with_name(f"{target.name}.partial").exists()
        with sqlite3.connect(target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            for table in FTS_TABLES:
                conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
            articles, quotes, written = conn.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes), "
                "(SELECT count(*) FROM articles WHERE title LIKE 'Writer %')"
            ).fetchone()
        # every writer transaction is in the copy whole or not at all
        assert written >= 1
        assert quotes == 30 * 3 + written * 3
        assert articles >= 30 + written
        # and the copy is a store like any other
        async with Store(target) as restored:
            assert await restored.count_articles() == articles
            assert len(await restored.search_quotes("Said", include_indirect=True, limit=50)) == 30


async def test_a_backup_of_a_missing_file_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        await Store(tmp_path / "missing.db").backup(tmp_path / "copy.db")
    assert not (tmp_path / "missing.db").exists()
