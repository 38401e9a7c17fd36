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

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from newsbot.data.errors import DatabaseUnusableError, StoreClosedError, StoreError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5_000
"""How long a statement waits for another process's write lock before failing."""


_RESTORE = "restore it from a backup, or move it away so that a new database is created"
_WRITABLE = "make the file and its folder writable"
# What each SQLite result code that makes a whole file unusable means, in plain words, and what
# to do. Extended codes (SQLITE_CANTOPEN_ISDIR, SQLITE_READONLY_DIRECTORY …) share the meaning
# of their primary code.
_UNUSABLE: dict[str, tuple[str, str]] = {
    "SQLITE_NOTADB": ("it is not a SQLite database (or it is encrypted)", _RESTORE),
    "SQLITE_CORRUPT": ("the file is damaged", _RESTORE),
    "SQLITE_CANTOPEN": (
        "the file or its journal files next to it (-wal, -shm) cannot be opened or created",
        "check that its folder exists and is writable, and that no folder or other file takes "
        "one of those names",
    ),
    "SQLITE_READONLY": ("the file, its folder or its journal files are read-only", _WRITABLE),
    "SQLITE_PERM": ("access to the file is denied", _WRITABLE),
    "SQLITE_IOERR": ("reading or writing the file failed", "check the disk it is on"),
}


def unusable(path: Path, exc: sqlite3.Error) -> DatabaseUnusableError | None:
    """The domain error for a sqlite3 error that makes the whole file unusable, else None."""
    name = getattr(exc, "sqlite_errorname", "")
    for code, (problem, remedy) in _UNUSABLE.items():
        if name == code or name.startswith(f"{code}_"):
            return DatabaseUnusableError(path, problem, remedy, error=str(exc), code=name)
    return None


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the database open on `source`, written to `target` atomically.

    SQLite's online backup API in one step: the copy is the database as of one moment, while
    other connections and processes go on writing. A partial copy never bears the name.
    """
    partial = target.with_name(f"{target.name}.partial")
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
    finally:
        copy.close()
    os.replace(partial, target)


def _probe(path: Path) -> None:
    sqlite3.connect(path).close()


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
        except OSError as exc:
            raise DatabaseUnusableError(
                self.path,
                f"its folder cannot be created ({exc.strerror or exc})",
                "choose a path in a folder that exists or can be created (not under a file)",
                error=str(exc),
            ) from exc
        try:
            # Opened once in plain sqlite3 first: when aiosqlite's own connect fails, it leaves
            # its worker thread to stop after the caller has moved on (and perhaps closed the
            # event loop), so the failures that can happen there are met here instead.
            await asyncio.to_thread(_probe, self.path)
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise unusable(self.path, exc) or StoreError(
                "cannot open database", path=str(self.path), error=str(exc)
            ) from exc
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
                raise DatabaseUnusableError(
                    self.path,
                    "it cannot use WAL journaling on this file system",
                    "put it on a local disk",
                    journal_mode=None if row is None else row[0],
                )
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            # NORMAL is durable across application crashes in WAL mode; only an OS crash
            # can lose the last transactions, and it saves an fsync per commit.
            conn.execute("PRAGMA synchronous = NORMAL")
            # Reads the schema: a file whose schema pages are damaged fails here, not later.
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.Error as exc:
            raise unusable(self.path, exc) or StoreError(
                "cannot use database", path=str(self.path), error=str(exc)
            ) from exc

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
            # A file found damaged mid-way is as unusable as one found so at open.
            raise unusable(self.path, exc) or StoreError(
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

    async def backup(self, target: Path) -> None:
        """Copy the database to `target` (a new file) with SQLite's online backup API.

        Runs on its own read-only connection in a worker thread, so the store's operations
        go on meanwhile; the copy is consistent (one moment of the database) however much is
        written during it.
        """

        def copy() -> None:
            if target.exists():
                raise FileExistsError(f"{target} already exists: a backup never overwrites")
            source = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                copy_database(source, target)
            finally:
                source.close()

        try:
            await asyncio.to_thread(copy)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                "backup failed", path=str(self.path), target=str(target), error=str(exc)
            ) from exc
