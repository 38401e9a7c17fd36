"""Migrations: steps apply in order, each atomically, and concurrent use stays consistent."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from newsbot.data import schema
from newsbot.data.errors import MigrationError
from newsbot.data.store import Store

from tests.data.conftest import article, quote


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


async def test_v3_rewrites_hyphenated_name_keys_as_words(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before v3 the ingest kept hyphens (and marks such as the dotless ı) in name keys and
    # took the whole double surname.
    old_style = replace(
        quote("We will win", "Kwame Asante-Bright"),
        speaker_key="kwame asante-bright",
        speaker_surname="asante-bright",
    )
    dotless = replace(
        quote("We will see", "Mehmet Aydın"), speaker_key="mehmet aydın", speaker_surname="aydın"
    )
    with monkeypatch.context() as v2:
        v2.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        v2.setattr(schema, "SCHEMA_VERSION", 2)
        async with Store(db_path) as store:
            await store.add_article(article(body="One."), None, [old_style, dotless])
    async with Store(db_path) as store:
        assert user_version(db_path) == schema.SCHEMA_VERSION
        with sqlite3.connect(db_path) as conn:
            keys = conn.execute("SELECT alias_key, surname FROM speaker_aliases ORDER BY id")
            assert keys.fetchall() == [("kwame asante bright", "bright"), ("mehmet aydin", "aydin")]
            conn.execute(
                "INSERT INTO speaker_aliases_fts(speaker_aliases_fts, rank) "
                "VALUES ('integrity-check', 1)"
            )
        # the same name written without its hyphen now finds the stored speaker
        await store.add_article(
            article(body="Two."), None, [quote("We won", "Kwame Asante Bright")]
        )
        (speaker,) = await store.speaker_candidates("Asante Bright")
        assert speaker.quote_count == 2
