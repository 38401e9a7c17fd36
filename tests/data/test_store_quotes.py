"""Quotes and the speaker registry: merging, aliases, roles, lookups and listings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from newsbot.data.errors import StoreError
from newsbot.data.models import NewQuote, SpeakerCandidate
from newsbot.data.store import Store

from tests.data.conftest import article, quote
from tests.data.conftest import test_matcher as name_matcher

DAY = timedelta(days=1)
NOW = datetime.now(UTC)


async def add(store: Store, n: int, *quotes: NewQuote, days_ago: float = 0) -> int:
    """Add article number `n` with the given quotes, published `days_ago`."""
    return await store.add_article(
        article(
            title=f"Story {n}",
            body=f"Body of story number {n}.",
            published_at=NOW - DAY * days_ago,
        ),
        None,
        quotes,
    )


async def test_matcher_merges_aliases_and_keeps_latest_role(store: Store) -> None:
    await add(store, 1, quote("We stand firm", "Putin", role="Russian President"))
    await add(store, 2, quote("Talks are possible", "Vladimir Putin"))
    await add(store, 3, quote("No comment", "Vladimir Putin", role="President of Russia"))
    (speaker,) = await store.speaker_candidates("Putin")
    assert speaker.name == "Vladimir Putin"  # the more complete name wins
    assert speaker.aliases == ("Putin", "Vladimir Putin")
    assert speaker.role == "President of Russia"
    assert speaker.quote_count == 3


async def test_a_shortened_role_does_not_replace_the_fuller_one(store: Store) -> None:
    fuller = "leader of the opposition Harbour Front"
    await add(store, 1, quote("We will table another motion", "Kwame Adjei", role=fuller))
    await add(store, 2, quote("Charity begins at home", "Kwame Adjei", role="Leader"))
    (speaker,) = await store.speaker_candidates("Adjei")
    assert speaker.role == fuller
    await add(store, 3, quote("I have stepped down", "Kwame Adjei", role="former leader"))
    (speaker,) = await store.speaker_candidates("Adjei")
    assert speaker.role == "former leader"


async def test_joe_and_hunter_biden_stay_apart(store: Store) -> None:
    await add(store, 1, quote("Build back better", "Joe Biden", role="US President"))
    await add(store, 2, quote("I made mistakes", "Hunter Biden"))
    await add(store, 3, quote("America is back", "Joe Biden"))
    candidates = {s.name: s for s in await store.speaker_candidates("Biden")}
    assert set(candidates) == {"Joe Biden", "Hunter Biden"}
    assert candidates["Joe Biden"].quote_count == 2
    assert candidates["Hunter Biden"].quote_count == 1
    assert candidates["Hunter Biden"].role is None


async def test_matcher_sees_candidates_by_key_and_by_surname(db_path: Path) -> None:
    offered: list[tuple[str, list[str]]] = []

    def recording(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
        offered.append((name, [c.name for c in candidates]))
        return None

    async with Store(db_path, speaker_matcher=recording) as store:
        await add(store, 1, quote("One", "Joe Biden"))
        await add(store, 2, quote("Two", "Hunter Biden"), quote("Three", "Ada Lovelace"))
    assert offered == [("Hunter Biden", ["Joe Biden"])]


async def test_without_a_matcher_only_identical_names_merge(plain_store: Store) -> None:
    await add(plain_store, 1, quote("One", "Joe Biden"))
    await add(plain_store, 2, quote("Two", "joe  biden"))
    await add(plain_store, 3, quote("Three", "Biden"))
    speakers = await plain_store.speaker_candidates("Biden")
    assert sorted(s.quote_count for s in speakers) == [1, 2]


async def test_matcher_choosing_an_unoffered_id_is_an_error(db_path: Path) -> None:
    def rogue(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
        return 9999

    async with Store(db_path, speaker_matcher=rogue) as store:
        await add(store, 1, quote("One", "Joe Biden"))
        with pytest.raises(StoreError):
            await add(store, 2, quote("Two", "Joe Biden"))
        assert await store.count_articles() == 1


async def test_quotes_without_speaker_are_stored_unattributed(store: Store) -> None:
    await add(store, 1, quote("Nobody knows who said this", None))
    (row,) = await store.search_quotes("nobody knows", include_indirect=True, limit=5)
    assert (row.speaker_id, row.speaker) == (None, None)


async def test_speaker_candidates_tolerate_a_typo(store: Store) -> None:
    await add(store, 1, quote("We will win", "Volodymyr Zelenskyy"))
    await add(store, 2, quote("Something else", "Alexander Lukashenko"))
    names = [s.name for s in await store.speaker_candidates("Volodymyr Zelenksyy")]
    assert names[0] == "Volodymyr Zelenskyy"
    assert [s.name for s in await store.speaker_candidates("zelenskyy")] == ["Volodymyr Zelenskyy"]
    assert await store.speaker_candidates("") == []


async def test_quotes_by_speakers_newest_first_and_indirect_filter(store: Store) -> None:
    await add(store, 1, quote("Old direct", "Mira Kessel"), days_ago=10)
    await add(store, 2, quote("New direct", "Mira Kessel"), days_ago=1)
    await add(store, 3, quote("Mid paraphrase", "Mira Kessel", kind="indirect"), days_ago=5)
    await add(store, 4, quote("Other person", "Tomas Brandt"), days_ago=0)
    (mira,) = await store.speaker_candidates("Mira Kessel")
    (tomas,) = await store.speaker_candidates("Tomas Brandt")

    direct = await store.quotes_by_speakers([mira.id], include_indirect=False, limit=10)
    assert [q.text for q in direct] == ["New direct", "Old direct"]
    everything = await store.quotes_by_speakers([mira.id], include_indirect=True, limit=10)
    assert [q.text for q in everything] == ["New direct", "Mid paraphrase", "Old direct"]
    assert await store.count_quotes_by_speakers([mira.id], include_indirect=True) == 3
    assert await store.count_quotes_by_speakers([mira.id], include_indirect=False) == 2

    both = await store.quotes_by_speakers(
        [mira.id, tomas.id, mira.id], include_indirect=True, limit=2, offset=1
    )
    assert [q.text for q in both] == ["New direct", "Mid paraphrase"]
    row = both[0]
    assert (row.speaker, row.article_title, row.speaker_id) == ("Mira Kessel", "Story 2", mira.id)
    assert row.published_at is not None and row.published_at.tzinfo == UTC
    assert await store.quotes_by_speakers([], include_indirect=True, limit=5) == []


async def test_search_quotes_words_phrases_and_indirect(store: Store) -> None:
    await add(store, 1, quote("the harbour will stay open", "Mira Kessel"))
    await add(store, 2, quote("open the harbour", "Tomas Brandt", kind="indirect"))
    words = await store.search_quotes("harbour open", include_indirect=True, limit=10)
    assert [q.text for q in words] == ["open the harbour", "the harbour will stay open"]
    phrase = await store.search_quotes('"the harbour"', include_indirect=True, limit=10)
    assert [q.text for q in phrase] == ["open the harbour", "the harbour will stay open"]
    exact = await store.search_quotes("“harbour will stay”", include_indirect=True, limit=10)
    assert [q.text for q in exact] == ["the harbour will stay open"]
    direct = await store.search_quotes("harbour", include_indirect=False, limit=10)
    assert [q.speaker for q in direct] == ["Mira Kessel"]
    assert len(await store.search_quotes("harbour", include_indirect=True, limit=1, offset=1)) == 1


async def test_top_speakers_counts_quotes_since(store: Store) -> None:
    await add(store, 1, quote("a", "Mira Kessel"), quote("b", "Mira Kessel"), days_ago=30)
    await add(store, 2, quote("c", "Mira Kessel"), days_ago=30)
    await add(store, 3, quote("d", "Tomas Brandt"), quote("e", "Tomas Brandt"), days_ago=1)
    recent = await store.top_speakers(NOW - 7 * DAY, 10)
    assert [(s.name, s.quote_count) for s in recent] == [("Tomas Brandt", 2)]
    overall = await store.top_speakers(
        datetime.min.replace(tzinfo=timezone(timedelta(hours=2))), 10
    )
    assert [(s.name, s.quote_count) for s in overall] == [("Mira Kessel", 3), ("Tomas Brandt", 2)]
    assert await store.top_speakers(NOW + DAY, 10) == []


async def test_matcher_receives_aliases(store: Store, db_path: Path) -> None:
    seen: list[SpeakerCandidate] = []
    await add(store, 1, quote("a", "Putin"), quote("b", "Vladimir Putin"))
    await store.close()

    def spy(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
        seen.extend(candidates)
        return None

    async with Store(db_path, speaker_matcher=spy) as again:
        await add(again, 2, quote("c", "V. Putin"))
    assert seen == [
        SpeakerCandidate(id=1, name="Vladimir Putin", aliases=("Putin", "Vladimir Putin"))
    ]


async def test_one_article_sees_the_speakers_and_aliases_it_adds(db_path: Path) -> None:
    offered: list[tuple[str, list[SpeakerCandidate]]] = []

    def spy(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
        offered.append((name, list(candidates)))
        return name_matcher(name, candidates)

    async with Store(db_path, speaker_matcher=spy) as store:
        await add(
            store,
            1,
            quote("a", "Mira Kessel"),
            quote("b", "Tomas Brandt"),
            quote("c", "Mira Kessel", role="minister"),
            quote("d", "Kessel"),
            quote("e", "Mira Kessel"),
        )
        (mira,) = await store.speaker_candidates("Mira Kessel")
        (tomas,) = await store.speaker_candidates("Tomas Brandt")
    # Only the bare surname needed the matcher: it is offered the speaker that the first
    # quote of the same article added; the repeated full name reuses it without asking.
    assert offered == [
        ("Kessel", [SpeakerCandidate(id=mira.id, name="Mira Kessel", aliases=("Mira Kessel",))])
    ]
    assert (mira.name, mira.role, mira.aliases, mira.quote_count) == (
        "Mira Kessel",
        "minister",
        ("Mira Kessel", "Kessel"),
        4,
    )
    assert tomas.quote_count == 1


async def test_a_fuller_name_later_in_the_article_renames_the_speaker(store: Store) -> None:
    await add(store, 1, quote("a", "Kessel", role="minister"), quote("b", "Mira Kessel"))
    (speaker,) = await store.speaker_candidates("Kessel")
    assert (speaker.name, speaker.role, speaker.aliases, speaker.quote_count) == (
        "Mira Kessel",
        "minister",
        ("Kessel", "Mira Kessel"),
        2,
    )


async def test_the_hyphenated_spelling_of_a_name_is_the_one_shown(store: Store) -> None:
    await add(store, 1, quote("We will build", "Amara Okonjo Reyes"))
    await add(store, 2, quote("We have built", "Amara Okonjo-Reyes"))
    await add(store, 3, quote("We built it", "Amara Okonjo Reyes"))
    (speaker,) = await store.speaker_candidates("Okonjo Reyes")
    assert speaker.name == "Amara Okonjo-Reyes"
    assert speaker.quote_count == 3
