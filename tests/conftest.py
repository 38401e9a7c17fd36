"""Shared fixtures: real SQLite stores in temp dirs, opened services, the sample library.

The bundled samples are ingested once per test session into a template database; each test
that needs them gets its own copy of that file, so tests stay independent and fast.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from newsbot.bot.services import Services
from newsbot.bot.settings import Settings, load_settings
from newsbot.data.bundled import sample_article_paths


def make_settings(db: Path, **values: str) -> Settings:
    return load_settings({"DATABASE_PATH": str(db), **values}, env_file=None)


async def _ingest_samples(db: Path) -> None:
    services = await Services.open(make_settings(db))
    try:
        report = await services.ingestor.ingest_sources([str(p) for p in sample_article_paths()])
        assert not report.rejected, report.items
    finally:
        await services.close()


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("template") / "samples.db"
    asyncio.run(_ingest_samples(db))
    return db


@pytest.fixture
def sample_db(sample_db_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "newsbot.db"
    shutil.copyfile(sample_db_template, db)
    return db


@pytest.fixture
async def services(sample_db: Path) -> AsyncIterator[Services]:
    opened = await Services.open(make_settings(sample_db))
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def empty_services(tmp_path: Path) -> AsyncIterator[Services]:
    opened = await Services.open(make_settings(tmp_path / "empty.db"))
    try:
        yield opened
    finally:
        await opened.close()
