"""Store lifecycle, migrations, articles, duplicates, atomicity, listings and search."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from newsbot.data import search as search_module
from newsbot.data.errors import DuplicateArticleError, StoreClosedError
from newsbot.data.models import NewArticle, NewQuote, NewSummary, SearchResults, SpeakerCandidate
from newsbot.data.schema import FTS_TABLES, SCHEMA_VERSION
from newsbot.data.store import SEARCH_WINDOW, Store

from tests.data.conftest import article, quote, summary


def sql(path: Path, query: str) -> list[tuple[object, ...]]:
    """Look at the file with a plain sqlite3 connection, the way an operator would."""
    with sqlite3.connect(path) as conn:
        return conn.execute(query).fetchall()


def fts_count(path: Path, table: str, word: str) -> int:
    """Rows the FTS index itself holds for a word (the index, not the content table)."""
    rows = sql(path, f"SELECT count(*) FROM {table} WHERE {table} MATCH '\"{word}\"'")
    return int(str(rows[0][0]))


def assert_fts_consistent(path: Path) -> None:
    """FTS5's own check that each index matches its content table exactly."""
    with sqlite3.connect(path) as conn:
        for table in FTS_TABLES:
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


# -- lifecycle and migrations ------------------------------------------------------------


async def test_open_migrates_an_empty_file_and_reopens(db_path: Path) -> None:
    async with Store(db_path) as store:
        article_id = await store.add_article(article(), None, [])
    assert sql(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    async with Store(db_path) as store:
        assert (await store.get_article(article_id)) is not None
    assert sql(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


async def test_methods_on_a_closed_store_raise(db_path: Path) -> None:
    store = Store(db_path)
    with pytest.raises(StoreClosedError):
        await store.latest(5)
    await store.open()
    await store.close()
    await store.close()  # idempotent
    with pytest.raises(StoreClosedError):
        await store.add_article(article(), None, [])


# -- articles ----------------------------------------------------------------------------


async def test_add_and_get_round_trip_with_aware_utc_datetimes(store: Store) -> None:
    published = datetime(2024, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    article_id = await store.add_article(
        article(
            url="https://example.org/bridge",
            outlet="Lakeport Daily",
            author="A. Writer",
            published_at=published,
            added_by=42,
        ),
        summary("The bridge reopened."),
        [],
    )
    stored = await store.get_article(article_id)
    assert stored is not None
    assert stored.url == "https://example.org/bridge"
    assert stored.outlet == "Lakeport Daily"
    assert stored.added_by == 42
    assert stored.published_at == published
    assert stored.published_at is not None and stored.published_at.tzinfo == UTC
    assert stored.added_at.tzinfo == UTC
    assert await store.get_article(article_id + 100) is None


async def test_duplicate_by_url(store: Store) -> None:
    first = await store.add_article(article(url="https://example.org/a"), None, [])
    with pytest.raises(DuplicateArticleError) as caught:
        await store.add_article(
            article(body="A completely different text.", url="https://example.org/a"), None, []
        )
    assert (caught.value.existing_id, caught.value.reason) == (first, "url")


async def test_duplicate_by_normalised_text(store: Store) -> None:
    first = await store.add_article(article(body="The Bridge  reopened.\n\nOn Monday."), None, [])
    with pytest.raises(DuplicateArticleError) as caught:
        await store.add_article(
            article(body="  the bridge reopened. on   MONDAY.", url="https://x.org/1"), None, []
        )
    assert (caught.value.existing_id, caught.value.reason) == (first, "text")
    assert await store.count_articles() == 1


async def test_add_article_is_all_or_nothing(db_path: Path) -> None:
    def failing_matcher(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
        # Called only when candidates exist: for the second article's Ada Lovelace, after
        # the article, its summary, its FTS row and the speaker Charles Babbage were written.
        raise RuntimeError("matcher broke mid-way")

    async with Store(db_path, speaker_matcher=failing_matcher) as store:
        await store.add_article(article(), None, [quote("Hello there", "Ada Lovelace")])
        with pytest.raises(RuntimeError):
            await store.add_article(
                article(title="Second", body="Another story about engines."),
                summary("Engines."),
                [
                    quote("First words", "Charles Babbage"),
                    quote("Second words", "Ada Lovelace"),  # matcher raises here
                ],
            )
        assert await store.count_articles() == 1
        assert await store.search_articles("engines", 5) == SearchResults(0, ())
        assert await store.search_quotes("first words", include_indirect=True, limit=5) == []
        assert await store.speaker_candidates("Charles Babbage") == []
        stats = await store.stats()
        assert (stats.articles, stats.quotes, stats.speakers) == (1, 1, 1)
        # The store is still usable after the rollback.
        assert await store.add_article(article(title="Third", body="Third text."), None, []) > 0
    assert sql(db_path, "SELECT count(*) FROM summaries") == [(0,)]
    assert fts_count(db_path, "articles_fts", "engines") == 0
    assert fts_count(db_path, "titles_fts", "second") == 0
    assert fts_count(db_path, "quotes_fts", "first") == 0
    assert fts_count(db_path, "speaker_aliases_fts", "babbage") == 0
    assert_fts_consistent(db_path)


async def test_remove_cascades_to_summaries_quotes_and_fts_rows(
    store: Store, db_path: Path
) -> None:
    article_id = await store.add_article(
        article(title="Budget vote", body="The assembly passed the budget."),
        summary("The assembly passed the budget."),
        [quote("The budget is balanced", "Mira Kessel")],
    )
    await store.put_summary(article_id, "lead", 1, ("The assembly passed the budget.",))
    assert await store.remove_article(article_id)
    assert not await store.remove_article(article_id)
    assert await store.get_article(article_id) is None
    assert await store.get_summary(article_id, "lead", 1) is None
    assert await store.search_articles("budget", 5) == SearchResults(0, ())
    assert await store.search_quotes("balanced", include_indirect=True, limit=5) == []
    assert await store.speaker_candidates("Mira Kessel") == []
    for table in ("summaries", "quotes", "speakers", "speaker_aliases"):
        assert sql(db_path, f"SELECT count(*) FROM {table}") == [(0,)]
    assert fts_count(db_path, "articles_fts", "budget") == 0
    assert fts_count(db_path, "titles_fts", "budget") == 0
    assert fts_count(db_path, "quotes_fts", "balanced") == 0
    assert fts_count(db_path, "speaker_aliases_fts", "kessel") == 0
    assert_fts_consistent(db_path)


async def test_removed_ids_are_never_reused(store: Store) -> None:
    first = await store.add_article(article(), None, [])
    await store.remove_article(first)
    second = await store.add_article(article(body="Another body."), None, [])
    assert second > first


async def test_latest_is_newest_first_with_offset_and_default_summary(store: Store) -> None:
    ids = [
        await store.add_article(
            article(title=f"Story {n}", body=f"Body number {n}."), summary(f"Summary {n}."), []
        )
        for n in range(5)
    ]
    listed = await store.latest(2, 1)
    assert [item.id for item in listed] == [ids[3], ids[2]]
    assert listed[0].summary == ("Summary 3.",)
    assert await store.count_articles() == 5
    assert [a.id for a in await store.articles_after(ids[2], 10)] == [ids[3], ids[4]]


async def test_listing_without_summary_has_empty_summary(store: Store) -> None:
    await store.add_article(article(), None, [])
    assert (await store.latest(1))[0].summary == ()


async def test_summary_cache(store: Store) -> None:
    article_id = await store.add_article(article(), None, [])
    assert await store.get_summary(article_id, "lexrank", 2) is None
    await store.put_summary(article_id, "lexrank", 2, ("A.", "B."))
    await store.put_summary(article_id, "lexrank", 2, ("C.", "D."))
    assert await store.get_summary(article_id, "lexrank", 2) == ("C.", "D.")
    await store.put_summary(article_id + 1, "lexrank", 2, ("gone",))  # no such article: ignored


async def test_bulk_add_reports_duplicates_per_item(store: Store) -> None:
    existing = await store.add_article(article(url="https://x.org/old"), None, [])
    results = await store.add_articles(
        [
            (article(title="New", body="New body.", url="https://x.org/new"), summary("N."), []),
            (article(body="Other body.", url="https://x.org/old"), None, []),
            (article(title="Twin", body="new BODY."), None, [quote("Hi", "Ada Lovelace")]),
        ]
    )
    assert isinstance(results[0], int)
    assert isinstance(results[1], DuplicateArticleError) and results[1].existing_id == existing
    assert isinstance(results[2], DuplicateArticleError) and results[2].reason == "text"
    assert await store.count_articles() == 2
    assert await store.speaker_candidates("Ada Lovelace") == []


# -- search ------------------------------------------------------------------------------


async def test_title_match_ranks_above_body_match(store: Store) -> None:
    in_body = await store.add_article(
        article(title="Council news", body="Among other things the ferry timetable changes."),
        None,
        [],
    )
    in_title = await store.add_article(
        article(title="Ferry timetable changes", body="Boats will leave earlier next month."),
        None,
        [],
    )
    found = await store.search_articles("ferry", 10)
    assert [hit.article.id for hit in found.hits] == [in_title, in_body]
    assert found.total == 2


async def test_snippets_mark_the_matches(store: Store) -> None:
    await store.add_article(
        article(title="Rates", body="The central bank held interest rates steady in May."),
        summary("Rates held."),
        [],
    )
    (hit,) = (await store.search_articles("interest", 5)).hits
    assert "\x02interest\x03" in hit.snippet
    assert hit.article.summary == ("Rates held.",)


async def test_all_words_are_required_and_phrases_are_phrases(store: Store) -> None:
    await store.add_article(article(title="A", body="green bond issued by the treasury"), None, [])
    await store.add_article(article(title="B", body="a bond that is green, said nobody"), None, [])
    assert len((await store.search_articles("bond green", 5)).hits) == 2
    phrase = await store.search_articles('"green bond"', 5)
    assert [hit.article.title for hit in phrase.hits] == ["A"]
    assert await store.search_articles("green unicorn", 5) == SearchResults(0, ())


@pytest.mark.parametrize(
    "query",
    [
        "bridge AND",
        "NEAR(bridge harbour)",
        "bridge*",
        'bridge "unbalanced',
        '"',
        "title:bridge",
        "^bridge",
        "bridge OR drop",
        "'; DROP TABLE articles; --",
        "(((",
        "- + * ^ : ( ) { }",
        "bridge " * 800,
        "x" * 4000,
        "🦀 🌉",
        "bridge\x00",
        "\x00",
        'bri\x00dge "harbour\x00 bridge"',
        "Ada\x00Lovelace",
    ],
)
async def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    await store.add_article(article(), None, [quote("The bridge is safe", "Ada Lovelace")])
    found = await store.search_articles(query, 5)
    assert len(found.hits) <= 1
    assert found.total == len(found.hits)
    await store.search_quotes(query, include_indirect=True, limit=5)
    await store.speaker_candidates(query)
    assert await store.count_articles() == 1


async def test_a_nul_character_separates_words(store: Store) -> None:
    # Issue #12: FTS5 reads its query as a C string, so a NUL inside a quoted word ended the
    # query there and raised "unterminated string".
    await store.add_article(article(), None, [quote("The bridge is safe", "Ada Lovelace")])
    assert len((await store.search_articles("harbour\x00bridge", 5)).hits) == 1
    assert len(await store.search_quotes('"bridge\x00is"', include_indirect=True, limit=5)) == 1
    assert [s.name for s in await store.speaker_candidates("Ada\x00Lovelace")] == ["Ada Lovelace"]


@pytest.mark.parametrize("query", ["", "   ", "!!! ???", "''", '""', "\x00\x00"])
async def test_empty_or_garbage_queries_find_nothing(store: Store, query: str) -> None:
    await store.add_article(article(), None, [])
    assert await store.search_articles(query, 5) == SearchResults(0, ())


async def test_operator_words_are_plain_words(store: Store) -> None:
    await store.add_article(article(title="Or else", body="Not and near are words too."), None, [])
    assert len((await store.search_articles("NOT AND NEAR", 5)).hits) == 1


async def test_search_paging(store: Store) -> None:
    for n in range(5):
        await store.add_article(article(title=f"Harbour {n}", body=f"Text {n}."), None, [])
    pages = [await store.search_articles("harbour", 2, offset) for offset in (0, 2, 4)]
    assert [page.total for page in pages] == [5, 5, 5]
    ids = [hit.article.id for page in pages for hit in page.hits]
    assert len(ids) == len(set(ids)) == 5


async def test_common_queries_page_through_the_newest_window(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "SEARCH_WINDOW", 4)

    async def body_match(n: int) -> int:
        return await store.add_article(
            article(title=f"Story {n}", body=f"The harbour again, part {n}."), None, []
        )

    old_title = await store.add_article(article(title="Harbour news", body="Old one."), None, [])
    older = [await body_match(0), await body_match(1)]
    titled = await store.add_article(article(title="Harbour plan", body="Text a."), None, [])
    newer = [await body_match(2), await body_match(3)]
    pages = [await store.search_articles("harbour", 2, offset) for offset in (0, 2, 4)]
    assert [page.total for page in pages] == [4, 4, 4]  # capped at the window
    ids = [hit.article.id for page in pages for hit in page.hits]
    # The window is the 4 newest matches; the title match in it comes first.
    assert ids == [titled, newer[1], newer[0], older[1]]
    assert old_title not in ids
    assert all("\x02" in hit.snippet for page in pages for hit in page.hits)
    plain = await store.search_articles("harbour", 4, snippets=False)
    assert [hit.article.id for hit in plain.hits] == ids[:4]
    assert {hit.snippet for hit in plain.hits} == {""}


async def test_search_count_is_capped(store: Store) -> None:
    items: list[tuple[NewArticle, NewSummary | None, Sequence[NewQuote]]] = [
        (article(title=f"Harbour {n}", body=f"Harbour text {n}."), None, [])
        for n in range(SEARCH_WINDOW + 5)
    ]
    await store.add_articles(items)
    found = await store.search_articles("harbour", 5, SEARCH_WINDOW - 3)
    assert found.total == SEARCH_WINDOW
    assert len(found.hits) == 3


async def test_search_snippets_come_from_the_title_when_only_it_matches(store: Store) -> None:
    await store.add_article(
        article(title="Ferry strike ends", body="Crews return to work on Monday."), None, []
    )
    (hit,) = (await store.search_articles("ferry", 5)).hits
    assert hit.snippet == "\x02Ferry\x03 strike ends"


async def test_search_in_an_article_of_one_repeated_word_answers(store: Store) -> None:
    # FTS5's snippet() weighs every pair of matches: this article held the store for 26 s.
    await store.add_article(article(title="Report", body="harbour " * 60_000), None, [])
    (hit,) = (await store.search_articles("harbour", 5)).hits
    assert hit.snippet.count("\x02harbour\x03") == 16
