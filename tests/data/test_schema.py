"""Migrations: steps apply in order, each atomically, and concurrent use stays consistent."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from newsbot.data import schema
from newsbot.data.errors import MigrationError
from newsbot.data.models import NewQuote
from newsbot.data.store import Store

from tests.data.conftest import article, quote
from tests.data.conftest import test_matcher as matcher


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


async def test_a_new_step_upgrades_an_existing_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Store(db_path) as store:
        kept = await store.add_article(article(), None, [])
    step = ("CREATE TABLE upgrade_marker (id INTEGER PRIMARY KEY)",)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    async with Store(db_path) as store:
        assert await store.get_article(kept) is not None
    assert user_version(db_path) == schema.SCHEMA_VERSION
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM upgrade_marker").fetchone() == (0,)


async def test_a_failing_step_is_rolled_back_and_reported(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Store(db_path):
        pass
    before = user_version(db_path)
    step = ("CREATE TABLE half_done (id INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(MigrationError) as caught:
        await Store(db_path).open()
    assert caught.value.context["step"] == before + 1
    assert caught.value.context["path"] == str(db_path)
    assert user_version(db_path) == before
    with sqlite3.connect(db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
    assert "half_done" not in tables


async def test_concurrent_writers_on_one_store_do_not_interleave(store: Store) -> None:
    async def add(n: int) -> int:
        return await store.add_article(
            article(title=f"Story {n}", body=f"Body {n}.", url=f"https://x.org/{n}"), None, []
        )

    ids = await asyncio.gather(*(add(n) for n in range(30)), store.record_event("x", "y"))
    assert len(set(ids[:30])) == 30
    assert await store.count_articles() == 30


async def test_two_stores_on_one_file_see_each_other(db_path: Path) -> None:
    async with Store(db_path) as writer, Store(db_path) as reader:
        article_id = await writer.add_article(article(), None, [])
        assert await reader.get_article(article_id) is not None


def keyed(text: str, speaker: str, key: str, surname: str) -> NewQuote:
    """A quote whose name keys an older ingest computed."""
    return replace(quote(text, speaker), speaker_key=key, speaker_surname=surname)


async def store_at_version(
    version: int, db_path: Path, quotes: list[NewQuote], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article with `quotes` stored by the code of schema `version`."""
    with monkeypatch.context() as old:
        old.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:version])
        old.setattr(schema, "SCHEMA_VERSION", version)
        async with Store(db_path, speaker_matcher=matcher) as store:
            await store.add_article(article(body="One."), None, quotes)
    assert user_version(db_path) == version


def alias_rows(db_path: Path, columns: str) -> list[tuple[object, ...]]:
    """The aliases' columns in id order, after checking the trigram index over them."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO speaker_aliases_fts(speaker_aliases_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )
        return conn.execute(f"SELECT {columns} FROM speaker_aliases ORDER BY id").fetchall()


async def test_v2_indexes_the_titles_of_articles_stored_before_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as v1:
        v1.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        v1.setattr(schema, "SCHEMA_VERSION", 1)
        async with Store(db_path) as store:
            await store.add_article(article(title="Harbour quay vote", body="Text."), None, [])
    assert user_version(db_path) == 1
    async with Store(db_path):
        pass
    assert user_version(db_path) == schema.SCHEMA_VERSION
    with sqlite3.connect(db_path) as conn:
        found = conn.execute("SELECT rowid FROM titles_fts WHERE titles_fts MATCH 'quay'")
        assert found.fetchall() == [(1,)]
        conn.execute("INSERT INTO titles_fts(titles_fts, rank) VALUES ('integrity-check', 1)")


async def test_v4_rewrites_hyphenated_name_keys_as_words(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before v3 the ingest kept hyphens (and marks such as the dotless ı) in name keys and
    # took the whole double surname; v4 recomputes every key in Python (v3 is empty now).
    quotes = [
        keyed("We will win", "Kwame Asante-Bright", "kwame asante-bright", "asante-bright"),
        keyed("We will see", "Mehmet Aydın", "mehmet aydın", "aydın"),
    ]
    await store_at_version(2, db_path, quotes, monkeypatch)
    async with Store(db_path) as store:
        assert user_version(db_path) == schema.SCHEMA_VERSION
        assert alias_rows(db_path, "alias_key, surname") == [
            ("kwame asante bright", "bright"),
            ("mehmet aydin", "aydin"),
        ]
        # the same name written without its hyphen now finds the stored speaker
        await store.add_article(
            article(body="Two."), None, [quote("We won", "Kwame Asante Bright")]
        )
        (speaker,) = await store.speaker_candidates("Asante Bright")
        assert speaker.quote_count == 2


async def test_v4_recomputes_keys_with_the_name_rules_and_merges_duplicates(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Keys as an older ingest wrote them: titles kept, no transliteration in the surname.
    quotes = [
        keyed("We hold", "President Zelenskiy", "president zelenskiy", "zelenskiy"),
        keyed("We stand", "Zelenskiy", "zelenskiy", "zelenskiy"),
    ]
    await store_at_version(3, db_path, quotes, monkeypatch)
    assert len(alias_rows(db_path, "id")) == 2
    async with Store(db_path) as store:
        # one speaker, one key: the second alias said the same and is gone
        assert alias_rows(db_path, "alias, alias_key, surname") == [
            ("President Zelenskiy", "zelenskiy", "zelensky")
        ]
        (speaker,) = await store.speaker_candidates("Zelenskyy")
        assert speaker.quote_count == 2


def backups(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(f"{db_path.name}.v*.bak"))


async def test_migrating_an_existing_file_backs_it_up_first(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Store(db_path) as store:
        await store.add_article(article(), None, [quote("Safe", "Ada Lovelace")])
    assert backups(db_path) == []  # a new file has nothing to keep
    old = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, ("CREATE TABLE later (x)",)))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    async with Store(db_path):
        pass
    (backup,) = backups(db_path)
    assert re.fullmatch(rf"newsbot\.db\.v{old}-\d{{8}}T\d{{6}}Z\.bak", backup.name)
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA user_version").fetchone() == (old,)
        assert conn.execute("SELECT count(*) FROM quotes").fetchone() == (1,)
    async with Store(db_path):
        pass
    assert len(backups(db_path)) == 1  # an up-to-date file is not copied again


async def test_a_backup_that_cannot_be_written_stops_the_migration(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Store(db_path):
        pass
    old = user_version(db_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(schema, "backup_path", lambda *_: blocker / "copy.bak")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, ("CREATE TABLE later (x)",)))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(MigrationError) as caught:
        await Store(db_path).open()
    assert str(db_path) in str(caught.value) and "unchanged" in str(caught.value)
    assert user_version(db_path) == old
