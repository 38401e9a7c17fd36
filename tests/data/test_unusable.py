"""Opening a database file that cannot be used raises DatabaseUnusableError, never sqlite3's.

Issue #12: random bytes, a text file, damaged pages, a file from a newer newsbot, and places
where the file or its -wal/-shm journal files cannot be created. The message is one line that
names the path, says what is wrong and what to do. (Tests run as root, for whom permission
bits do not stop anything: read-only places are made with a file where a folder should be, a
folder where a journal file should be, and chattr +i.)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from newsbot.data.errors import DatabaseUnusableError, MigrationError
from newsbot.data.schema import SCHEMA_VERSION
from newsbot.data.store import Store

from tests.data.conftest import article, quote


def assert_explains(error: DatabaseUnusableError, path: Path, *words: str) -> None:
    message = str(error)
    assert "\n" not in message
    assert str(path) in message
    assert error.context["path"] == str(path)
    for word in words:
        assert word in message
    assert not isinstance(error, sqlite3.Error)


async def unusable(path: Path) -> DatabaseUnusableError:
    with pytest.raises(DatabaseUnusableError) as caught:
        await Store(path).open()
    return caught.value


async def stored(path: Path) -> None:
    """A real newsbot database with a few rows, closed (its WAL checkpointed)."""
    async with Store(path) as store:
        for n in range(40):
            await store.add_article(
                article(title=f"Story {n}", body=f"Body {n}. " * 200, url=f"https://x.org/{n}"),
                None,
                [quote(f"Quote {n}", "Ada Lovelace")],
            )


async def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(16_384))
    assert_explains(await unusable(path), path, "not a SQLite database", "restore")


async def test_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("DATABASE_PATH points here by mistake\n" * 100)
    assert_explains(await unusable(path), path, "not a SQLite database")


async def test_damaged_schema_pages_are_found_at_open(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    await stored(path)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page - 1500 : page] = b"\xff" * 1500  # the cells of page 1: the schema table
    path.write_bytes(bytes(data))
    assert_explains(await unusable(path), path, "damaged", "restore")


async def test_damaged_data_pages_make_operations_unusable_too(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    await stored(path)
    data = bytearray(path.read_bytes())
    for start in range(4096 * 3, len(data), 4096):  # every page but the first two
        data[start + 8 : start + 600] = b"\xa5" * 592
    path.write_bytes(bytes(data))
    store = Store(path)
    try:
        await store.open()
        await store.search_articles("body", 50)
        await store.quotes_by_speakers([1], include_indirect=True, limit=50)
        await store.latest(50)
    except DatabaseUnusableError as error:
        assert_explains(error, path, "damaged")
    else:
        pytest.fail("reading damaged pages raised nothing")
    finally:
        await store.close()


async def test_a_file_from_a_newer_newsbot(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    error = await unusable(db_path)
    assert isinstance(error, MigrationError)
    assert_explains(error, db_path, "newer newsbot", str(SCHEMA_VERSION + 1))
    assert error.context["found_version"] == SCHEMA_VERSION + 1


async def test_a_path_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    path = blocker / "newsbot.db"
    assert_explains(await unusable(path), path, "folder")


async def test_a_folder_in_place_of_the_database(tmp_path: Path) -> None:
    path = tmp_path / "newsbot.db"
    path.mkdir()
    assert_explains(await unusable(path), path, "cannot be opened or created")


async def test_a_folder_where_the_wal_file_goes(db_path: Path) -> None:
    await stored(db_path)
    wal = db_path.with_name(f"{db_path.name}-wal")
    wal.mkdir()
    assert_explains(await unusable(db_path), db_path, "-wal", "folder")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Makes a folder immutable (chattr +i), which stops root too; undone after the test."""
    frozen: list[Path] = []
    chattr = shutil.which("chattr")

    def freeze(folder: Path) -> None:
        if chattr is None:
            pytest.skip("chattr is not available")
        done = subprocess.run([chattr, "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"chattr +i does not work here: {done.stderr.decode().strip()}")
        frozen.append(folder)

    yield freeze
    for folder in frozen:
        subprocess.run([str(chattr), "-i", str(folder)], check=True)


async def test_an_existing_database_in_a_read_only_folder(
    tmp_path: Path, read_only_folder: Callable[[Path], None]
) -> None:
    folder = tmp_path / "frozen"
    folder.mkdir()
    path = folder / "newsbot.db"
    await stored(path)  # closed cleanly: no -wal or -shm file left
    assert sorted(p.name for p in folder.iterdir()) == ["newsbot.db"]
    read_only_folder(folder)
    assert_explains(await unusable(path), path, "-wal")


async def test_a_new_database_in_a_read_only_folder(
    tmp_path: Path, read_only_folder: Callable[[Path], None]
) -> None:
    folder = tmp_path / "frozen"
    folder.mkdir()
    read_only_folder(folder)
    path = folder / "newsbot.db"
    assert_explains(await unusable(path), path, "cannot be opened or created")
