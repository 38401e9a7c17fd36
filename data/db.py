"""The SQLite connection: opening and configuring the file, and running work on it.

One aiosqlite connection (autocommit mode) whose worker thread runs every operation as one
plain function over the sqlite3 connection: a read with `read`, a write with `write`, which
wraps the function in the one BEGIN IMMEDIATE … COMMIT of this package (`transaction`). A
whole operation is thus one trip to the database thread, however many statements it runs
(datasette's `execute_write_fn` is the model), and two operations can never interleave:
the thread runs them one after the other. In WAL mode other processes (the CLI next to a
running bot) still read while one writes.

sqlite3 exceptions never leave this module: they become data.errors exceptions that name
the operation and the file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from newsbot.data.errors import StoreClosedError, StoreError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5_000
"""How long a statement waits for another process's write lock before failing."""


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed when the block ends, rolled back if anything raises.

    IMMEDIATE takes the write lock up front, so checks made inside the transaction
    (duplicates, existing rows) still hold when it commits.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Database:
    """An open (or not yet opened) SQLite file; every operation runs on its worker thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None

    async def open(self, prepare: Callable[[sqlite3.Connection], object]) -> None:
        """Open the file (created if missing), configure it, then run `prepare` on it (the
        migrations). Raises StoreError naming the path when any of it fails."""
        if self._conn is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError("cannot open database", path=str(self.path), error=str(exc)) from exc
        try:
            conn.row_factory = sqlite3.Row
            await self._on_thread(conn, self._configure)
            await self._on_thread(conn, prepare)
        except BaseException:
            await conn.close()
            raise
        self._conn = conn

    def _configure(self, conn: sqlite3.Connection) -> None:
        try:
            row = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            if row is None or str(row[0]).lower() != "wal":
                # e.g. a filesystem without shared memory: readers would block the bot.
                raise StoreError(
                    "database cannot use WAL journaling",
                    path=str(self.path),
                    journal_mode=None if row is None else row[0],
                )
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            # NORMAL is durable across application crashes in WAL mode; only an OS crash
            # can lose the last transactions, and it saves an fsync per commit.
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError("cannot use database", path=str(self.path), error=str(exc)) from exc

    async def close(self) -> None:
        """Close the connection; the database can be opened again later. Idempotent."""
        conn, self._conn = self._conn, None
        if conn is None:
            return

        def optimize(raw: sqlite3.Connection) -> None:
            # Lets SQLite refresh the statistics its planner uses; harmless if it fails.
            with contextlib.suppress(sqlite3.Error):
                raw.execute("PRAGMA optimize")

        with contextlib.suppress(ValueError):  # aiosqlite: already closed
            await self._on_thread(conn, optimize)
        await conn.close()

    @staticmethod
    async def _on_thread(conn: aiosqlite.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
        # aiosqlite runs every call of a connection on its one worker thread; `_execute` is
        # how it queues a function there (its own backup() uses it) and the only way to run
        # several statements in one trip.
        result: T = await conn._execute(lambda: fn(conn._conn))
        return result

    async def _run(
        self, operation: str, fn: Callable[[sqlite3.Connection], T], context: dict[str, Any]
    ) -> T:
        if self._conn is None:
            raise StoreClosedError("store is not open", path=str(self.path), operation=operation)
        try:
            return await self._on_thread(self._conn, fn)
        except sqlite3.Error as exc:
            raise StoreError(
                f"{operation} failed", path=str(self.path), error=str(exc), **context
            ) from exc

    async def read(
        self, operation: str, fn: Callable[[sqlite3.Connection], T], **context: Any
    ) -> T:
        """`fn(conn)` run on the database thread; sqlite3 errors become StoreError."""
        return await self._run(operation, fn, context)

    async def write(
        self, operation: str, fn: Callable[[sqlite3.Connection], T], **context: Any
    ) -> T:
        """`fn(conn)` run in one write transaction on the database thread: all of its
        statements are committed together, or (if anything raises) none is."""

        def in_transaction(conn: sqlite3.Connection) -> T:
            with transaction(conn):
                return fn(conn)

        return await self._run(operation, in_transaction, context)
