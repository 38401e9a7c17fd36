"""Fixtures for the store tests: a fresh SQLite file per test and small value builders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from newsbot.data.models import NewArticle, NewQuote, NewSummary, SpeakerCandidate
from newsbot.data.store import Store

from newsbot.names import normalize_name, surname_key


def test_matcher(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
    """Same person when the names are equal or one is the other's bare surname.

    Enough to keep Joe and Hunter Biden apart while merging "Putin" into "Vladimir Putin".
    """
    key = normalize_name(name)
    for candidate in candidates:
        for alias in (candidate.name, *candidate.aliases):
            other = normalize_name(alias)
            if key == other:
                return candidate.id
            if " " not in key and other.split()[-1] == key:
                return candidate.id
            if " " not in other and key.split()[-1] == other:
                return candidate.id
    return None


def article(
    title: str = "Harbour bridge reopens",
    body: str = "The harbour bridge reopened on Monday after repairs.",
    **fields: object,
) -> NewArticle:
    """A NewArticle with defaults; keyword arguments override any field."""
    values: dict[str, object] = {"title": title, "body": body, "language": "english"}
    values.update(fields)
    return NewArticle(**values)  # type: ignore[arg-type]


def summary(*sentences: str, algorithm: str = "newsbot") -> NewSummary:
    """A NewSummary of the given sentences."""
    return NewSummary(algorithm=algorithm, length=len(sentences), sentences=sentences)


def quote(
    text: str,
    speaker: str | None,
    *,
    kind: str = "direct",
    role: str | None = None,
    start: int = 0,
) -> NewQuote:
    """A NewQuote whose key and surname are the ingest's (newsbot.names)."""
    key = normalize_name(speaker) if speaker else None
    return NewQuote(
        start=start,
        end=start + len(text) + 2,
        text=text,
        kind=kind,
        speaker=speaker,
        role=role,
        speaker_key=key,
        speaker_surname=surname_key(speaker) if speaker else None,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "newsbot.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with Store(db_path, speaker_matcher=test_matcher) as opened:
        yield opened


@pytest.fixture
async def plain_store(tmp_path: Path) -> AsyncIterator[Store]:
    """A store without a speaker matcher (exact normalised names only)."""
    async with Store(tmp_path / "plain.db") as opened:
        yield opened
