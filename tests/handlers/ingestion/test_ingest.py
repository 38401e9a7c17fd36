"""The ingestion pipeline end to end: real SQLite stores, the loopback server, real analysis.

Every bad input must end as one rejected item with a friendly reason, with nothing stored and
no exception escaping; a batch must go on past it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import tracemalloc
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer
from newsbot.data.models import NewArticle, NewQuote, NewSummary
from newsbot.data.store import Store
from newsbot.handlers.ingestion.feed_reader import FULL_ENTRY_WORDS
from newsbot.handlers.ingestion.ingestor import Ingestor
from newsbot.handlers.ingestion.limits import IngestLimits
from newsbot.handlers.ingestion.outcomes import IngestItem, IngestReport
from newsbot.summaries.article import ArticleAnalysis, analyze_article
from newsbot.summaries.summarize import DEFAULT_ALGORITHM

from tests.handlers.conftest import (
    LIBRARY_TEXT,
    MARKET_TEXT,
    STORM_TEXT,
    LoopbackServer,
    page_html,
)

FERRY_TEXT = (
    "The ferry company serving the outer islands of Elmshore ordered two electric vessels on "
    "Thursday, the largest investment in its forty-year history.\n\n"
    '"Our passengers asked for quieter and cleaner crossings, and now they will get them," '
    "said chief executive Lena Okafor at the signing ceremony in the harbour.\n\n"
    "The ships will be built at the Anselm yard and are due to enter service in two years, "
    "replacing diesel boats that first sailed in the nineteen-eighties."
)

ORCHARD_TEXT = (
    "Apple growers in the Harrow valley expect a record harvest this autumn after a mild "
    "spring and a wet summer left orchards heavy with fruit.\n\n"
    '"The trees have never looked better, but we are short of pickers," said farmer Tomas '
    "Reyes, who has grown apples on the same slopes for three decades.\n\n"
    "The growers' association said it would open a recruitment office in the town square "
    "next week and offer free bus rides to the farms."
)

# The smallest limits that still let real articles through: tests stay fast.
LIMITS = IngestLimits(fetch_timeout=0.5, analyze_timeout=30.0)


@pytest.fixture
async def ingestor(store: Store, executor: ThreadPoolExecutor) -> AsyncIterator[Ingestor]:
    made = Ingestor(store, limits=LIMITS, executor=executor)
    try:
        yield made
    finally:
        await made.close()


def one(report: IngestReport) -> IngestItem:
    assert len(report.items) == 1, report.items
    return report.items[0]


async def assert_nothing_stored(store: Store) -> None:
    stats = await store.stats()
    assert (stats.articles, stats.quotes) == (0, 0)


# ------------------------------------------------------------------------------ plain text


async def test_text_is_stored_with_its_summary_and_quotes(ingestor: Ingestor, store: Store) -> None:
    item = await ingestor.ingest_text(f"Storm hits coast\n{STORM_TEXT}", added_by=7)
    assert item.status == "added", item
    assert item.title == "Storm hits coast"
    assert item.article_id is not None
    article = await store.get_article(item.article_id)
    assert article is not None
    assert article.title == "Storm hits coast"
    assert article.added_by == 7
    assert article.language == "english"
    assert article.url is None
    assert "Elmshore" in article.body and not article.body.startswith("Storm hits coast")
    summary = await store.get_summary(item.article_id, DEFAULT_ALGORITHM, 3)
    assert summary and all(sentence in article.body for sentence in summary)
    (listing,) = await store.latest(5)
    assert listing.summary == summary
    quotes = await store.search_quotes("never seen the water", include_indirect=True, limit=5)
    assert [q.article_id for q in quotes] == [item.article_id]
    assert quotes[0].speaker is not None and "Berg" in quotes[0].speaker


async def test_given_title_keeps_the_first_line_in_the_body(
    ingestor: Ingestor, store: Store
) -> None:
    item = await ingestor.ingest_text(MARKET_TEXT, added_by=None, title="Grain prices rise")
    assert (item.status, item.title) == ("added", "Grain prices rise")
    assert item.article_id is not None
    article = await store.get_article(item.article_id)
    assert article is not None and article.body.startswith("Traders at the Lindenport")


@pytest.mark.parametrize("text", ["", "   \n\t \n  "], ids=["empty", "whitespace"])
async def test_empty_text_is_rejected(ingestor: Ingestor, store: Store, text: str) -> None:
    item = await ingestor.ingest_text(text, added_by=1, source="paste")
    assert (item.source, item.status) == ("paste", "rejected")
    assert item.reason == "there is no text in it — send the article text, a file or a link"
    await assert_nothing_stored(store)


async def test_too_short_text_is_rejected(ingestor: Ingestor, store: Store) -> None:
    item = await ingestor.ingest_text("Breaking\nSomething happened today.", added_by=1)
    assert item.status == "rejected"
    assert item.reason is not None and "too short for an article" in item.reason
    await assert_nothing_stored(store)


async def test_a_one_line_paste_keeps_every_word(ingestor: Ingestor, store: Store) -> None:
    line = " ".join(FERRY_TEXT.split()[:30])
    item = await ingestor.ingest_text(line, added_by=1)
    assert item.status == "added", item
    article = await store.get_article(item.article_id or 0)
    assert article is not None and article.body == line
    assert article.title == " ".join(line.split()[:12]) + "…"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("!!! ??? ... " * 30, "there are no words in it, only punctuation or symbols"),
        ("城市议会周二开会讨论新的港口大桥。" * 20, "this looks like Chinese, Japanese, Korean"),
    ],
    ids=["punctuation", "chinese"],
)
async def test_text_that_is_no_article_says_why(
    ingestor: Ingestor, store: Store, text: str, reason: str
) -> None:
    item = await ingestor.ingest_text(text, added_by=1)
    assert item.status == "rejected"
    assert item.reason is not None and item.reason.startswith(reason), item.reason
    await assert_nothing_stored(store)


async def test_a_20_mb_paste_is_rejected_by_its_length(ingestor: Ingestor, store: Store) -> None:
    item = await ingestor.ingest_text("word " * (4 * 1024 * 1024), added_by=1)
    assert item.status == "rejected"
    assert item.reason is not None and "larger than 2 MB" in item.reason
    await assert_nothing_stored(store)


async def test_multibyte_text_is_measured_in_bytes(store: Store) -> None:
    ingestor = Ingestor(store, limits=IngestLimits(max_bytes=1000))
    # 600 characters, 1200 bytes in UTF-8: over a 1000-byte cap.
    item = await ingestor.ingest_text("Заголовок\n" + "ж" * 590, added_by=1)
    assert item.reason is not None and "larger than 1000 bytes" in item.reason


async def test_the_same_text_twice_is_a_duplicate(ingestor: Ingestor, store: Store) -> None:
    first = await ingestor.ingest_text(f"Ferry order\n\n{FERRY_TEXT}", added_by=1)
    again = await ingestor.ingest_text(f"Ferries go electric\n\n{FERRY_TEXT}  ", added_by=2)
    assert first.status == "added"
    assert again.status == "duplicate"
    assert again.article_id == first.article_id
    assert again.reason == f"already stored as #{first.article_id} (same text)"
    assert await store.count_articles() == 1


# ----------------------------------------------------------------------- off the event loop


async def test_analysis_runs_in_the_executor(store: Store, executor: ThreadPoolExecutor) -> None:
    threads: list[str] = []

    def recording(text: str, **options: object) -> ArticleAnalysis:
        threads.append(threading.current_thread().name)
        return analyze_article(text, **options)  # type: ignore[arg-type]

    ingestor = Ingestor(store, executor=executor, analyzer=recording)
    item = await ingestor.ingest_text(LIBRARY_TEXT, added_by=1, title="Library reopens")
    assert item.status == "added"
    assert len(threads) == 1 and threads[0].startswith("test-text")


async def test_without_an_executor_the_default_one_is_used(store: Store) -> None:
    main = threading.current_thread()
    threads: list[threading.Thread] = []

    def recording(text: str, **options: object) -> ArticleAnalysis:
        threads.append(threading.current_thread())
        return analyze_article(text, **options)  # type: ignore[arg-type]

    ingestor = Ingestor(store, analyzer=recording)
    item = await ingestor.ingest_text(LIBRARY_TEXT, added_by=1, title="Library reopens")
    assert item.status == "added"
    assert threads and threads[0] is not main


async def test_an_analyzer_crash_rejects_the_item_and_the_batch_goes_on(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def fragile(text: str, **options: object) -> ArticleAnalysis:
        if "Harrowgate" in text:
            raise RuntimeError("bug in the quote extractor")
        return analyze_article(text, **options)  # type: ignore[arg-type]

    (tmp_path / "a-library.txt").write_text(f"Library reopens\n\n{LIBRARY_TEXT}")
    (tmp_path / "b-market.txt").write_text(f"Grain prices rise\n\n{MARKET_TEXT}")
    ingestor = Ingestor(store, analyzer=fragile)
    report = await ingestor.ingest_path(tmp_path)
    assert [i.status for i in report.items] == ["rejected", "added"]
    crashed = report.items[0]
    assert crashed.source == str(tmp_path / "a-library.txt")
    assert crashed.title == "Library reopens"
    assert crashed.reason == "newsbot hit an unexpected error with this item; it was not stored"
    assert await store.count_articles() == 1
    # A crash turned into a polite reply is still a crash: logged at ERROR with its traceback.
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "bug in the quote extractor"


async def test_a_slow_analysis_is_abandoned_after_the_time_limit(store: Store) -> None:
    release = threading.Event()

    def stuck(text: str, **options: object) -> ArticleAnalysis:
        release.wait(timeout=10)
        return analyze_article(text, **options)  # type: ignore[arg-type]

    ingestor = Ingestor(store, limits=IngestLimits(analyze_timeout=0.2), analyzer=stuck)
    try:
        item = await ingestor.ingest_text(ORCHARD_TEXT, added_by=1, title="Orchards")
    finally:
        release.set()  # let the abandoned worker finish so the executor can shut down
    assert item.status == "rejected"
    assert item.reason is not None and "took longer than 0.2 seconds" in item.reason
    await assert_nothing_stored(store)


async def test_a_store_failure_is_a_rejection_not_an_exception(tmp_path: Path) -> None:
    closed = Store(tmp_path / "closed.db")  # never opened: every call fails
    ingestor = Ingestor(closed)
    item = await ingestor.ingest_text(ORCHARD_TEXT, added_by=1, title="Orchards")
    assert item.status == "rejected"
    assert item.reason == "the database could not store it; try again later"


# ------------------------------------------------------------------------ uploaded files


async def test_a_20_mb_upload_is_rejected(ingestor: Ingestor, store: Store) -> None:
    report = await ingestor.ingest_bytes(b"a" * (20 * 1024 * 1024), "big.txt", added_by=1)
    item = one(report)
    assert (item.source, item.status) == ("big.txt", "rejected")
    assert item.reason is not None and "the file (20 MB) is larger than 2 MB" in item.reason
    await assert_nothing_stored(store)


async def test_markdown_upload(ingestor: Ingestor, store: Store) -> None:
    data = f"# Orchards expect a record harvest\n\n{ORCHARD_TEXT}".encode()
    item = one(await ingestor.ingest_bytes(data, "orchards.md", added_by=3))
    assert (item.status, item.title) == ("added", "Orchards expect a record harvest")


async def test_html_upload_loses_scripts_and_styles(ingestor: Ingestor, store: Store) -> None:
    data = page_html("Grain prices rise", MARKET_TEXT).encode()
    item = one(await ingestor.ingest_bytes(data, "market.html", added_by=3))
    assert item.status == "added" and item.article_id is not None
    article = await store.get_article(item.article_id)
    assert article is not None
    assert "Lindenport" in article.body
    assert "SECRETSCRIPT" not in article.body and "SECRETSTYLE" not in article.body
    assert article.outlet == "Coast Courier"
    assert article.author == "Ines Holm"


async def test_non_utf8_upload_is_decoded(ingestor: Ingestor, store: Store) -> None:
    text = "Marché de Lindenport\n\n" + MARKET_TEXT.replace("Petrov", "Pétrov")
    item = one(await ingestor.ingest_bytes(text.encode("cp1252"), "marche.txt", added_by=3))
    assert item.status == "added" and item.article_id is not None
    article = await store.get_article(item.article_id)
    assert article is not None
    assert article.title == "Marché de Lindenport"
    assert "Pétrov" in article.body


async def test_binary_upload_is_rejected(ingestor: Ingestor, store: Store) -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    item = one(await ingestor.ingest_bytes(data, "news.txt", added_by=3, mime_type="text/plain"))
    assert item.status == "rejected"
    assert item.reason is not None and item.reason.startswith("this is a PNG image, not text")
    await assert_nothing_stored(store)


async def test_json_batch_reports_each_article(ingestor: Ingestor, store: Store) -> None:
    articles = [
        {"title": "Storm", "text": STORM_TEXT, "url": "https://courier.example/storm?utm_x=1"},
        {"title": "Missing text"},
        {"title": "Ferry", "text": FERRY_TEXT, "url": "https://courier.example/ferry"},
        {"title": "Storm again", "text": ORCHARD_TEXT, "url": "https://Courier.example/storm/"},
    ]
    report = await ingestor.ingest_bytes(json.dumps(articles).encode(), "batch.json", added_by=1)
    assert [i.status for i in report.items] == ["added", "rejected", "added", "duplicate"]
    assert report.summary_line() == "2 added, 1 duplicate, 1 rejected"
    assert report.items[3].reason == f"already stored as #{report.items[0].article_id} (same link)"
    first = report.items[0].article_id
    assert first is not None
    article = await store.get_article(first)
    assert article is not None and article.url == "https://courier.example/storm"


async def test_a_lone_surrogate_is_replaced_and_the_batch_is_stored(
    ingestor: Ingestor, store: Store
) -> None:
    good = [{"title": "Storm", "text": STORM_TEXT}, {"title": "Ferry", "text": FERRY_TEXT}]
    odd = json.dumps({"title": "Lone \udc00 half", "text": f"{MARKET_TEXT} \udc00"})
    data = f"[{json.dumps(good[0])}, {odd}, {json.dumps(good[1])}]".encode()
    report = await ingestor.ingest_bytes(data, "batch.json", added_by=1)
    assert [i.status for i in report.items] == ["added", "added", "added"]
    article = await store.get_article(report.items[1].article_id or 0)
    assert article is not None
    assert article.title == "Lone \ufffd half" and article.body.endswith("\ufffd")


class FailingStore(Store):
    """A real store that hits an unexpected bug (not a StoreError) on one article."""

    async def add_article(
        self, article: NewArticle, summary: NewSummary | None, quotes: Sequence[NewQuote]
    ) -> int:
        if article.title == "Ferry":
            raise RuntimeError("bug in the store")
        return await super().add_article(article, summary, quotes)


async def test_an_unexpected_error_costs_one_item_and_the_report_stays_true(
    tmp_path: Path,
) -> None:
    store = FailingStore(tmp_path / "newsbot.db")
    await store.open()
    try:
        items = [
            {"title": "Storm", "text": STORM_TEXT},
            {"title": "Ferry", "text": FERRY_TEXT},
            {"title": "Market", "text": MARKET_TEXT},
        ]
        ingestor = Ingestor(store, limits=LIMITS)
        report = await ingestor.ingest_bytes(json.dumps(items).encode(), "b.json", added_by=1)
        assert [(i.source, i.status) for i in report.items] == [
            ("b.json #1", "added"),
            ("b.json #2", "rejected"),
            ("b.json #3", "added"),
        ]
        assert report.items[1].reason == (
            "newsbot hit an unexpected error with this item; it was not stored"
        )
        stored = {a.title for a in await store.latest(5)}
        assert stored == {"Storm", "Market"}
    finally:
        await store.close()


async def test_dates_more_than_a_day_ahead_are_unknown(ingestor: Ingestor, store: Store) -> None:
    soon = (datetime.now(UTC) + timedelta(hours=20)).replace(microsecond=0)
    items = [
        {"title": "Storm", "text": STORM_TEXT, "date": "9999-01-01T00:00:00Z"},
        {"title": "Ferry", "text": FERRY_TEXT, "date": soon.isoformat()},
    ]
    report = await ingestor.ingest_bytes(json.dumps(items).encode(), "dates.json", added_by=1)
    stored = [await store.get_article(i.article_id or 0) for i in report.items]
    assert [a.published_at if a else "missing" for a in stored] == [None, soon]


# ----------------------------------------------------------------------- files and folders


async def test_a_20_mb_file_is_rejected_from_its_size_alone(
    ingestor: Ingestor, store: Store, tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as file:
        file.truncate(20 * 1024 * 1024)  # sparse: 20 MB by stat(), nothing on disk
    tracemalloc.start()
    try:
        item = one(await ingestor.ingest_path(big))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert item.status == "rejected"
    # The size in the reason can only come from stat(): a capped read stops at 2 MB + 1.
    assert item.reason is not None and "the file (20 MB) is larger than 2 MB" in item.reason
    assert peak < 2 * 1024 * 1024
    await assert_nothing_stored(store)


async def test_a_fifo_is_refused_without_reading_it(ingestor: Ingestor, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block forever
    item = one(await ingestor.ingest_path(fifo))
    assert item.status == "rejected"
    assert item.reason is not None and "not a regular file" in item.reason


async def test_a_missing_path_is_rejected(ingestor: Ingestor, tmp_path: Path) -> None:
    item = one(await ingestor.ingest_path(tmp_path / "nope.txt"))
    assert item.reason == "there is no such file or folder"


async def test_a_folder_goes_on_past_bad_files(
    ingestor: Ingestor, store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "1-storm.txt").write_text(f"Storm hits coast\n\n{STORM_TEXT}")
    (folder / "2-empty.txt").write_text("   \n")
    (folder / "3-binary.md").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    (folder / "4-photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 skipped: not a supported type")
    (folder / "sub" / "5-library.html").write_text(page_html("Library reopens", LIBRARY_TEXT))
    (folder / "sub" / "6-batch.jsonl").write_text(
        json.dumps({"title": "Ferry", "text": FERRY_TEXT})
        + "\n{oops\n"
        + json.dumps({"title": "Storm copy", "text": STORM_TEXT})
    )
    (folder / ".hidden" / "7-secret.txt").write_text(f"Orchards\n\n{ORCHARD_TEXT}")
    report = await ingestor.ingest_path(folder)
    outcome = [(Path(i.source.split(" line ")[0]).name, i.status) for i in report.items]
    assert outcome == [
        ("1-storm.txt", "added"),
        ("2-empty.txt", "rejected"),
        ("3-binary.md", "rejected"),
        ("5-library.html", "added"),
        ("6-batch.jsonl", "added"),
        ("6-batch.jsonl", "rejected"),
        ("6-batch.jsonl", "duplicate"),
    ]
    assert report.summary_line() == "3 added, 1 duplicate, 3 rejected"
    assert all(item.reason for item in report.rejected)
    assert await store.count_articles() == 3


async def test_a_batch_is_capped(store: Store, tmp_path: Path) -> None:
    for n, text in enumerate((STORM_TEXT, MARKET_TEXT, LIBRARY_TEXT)):
        (tmp_path / f"{n}.txt").write_text(f"Title {n}\n\n{text}")
    ingestor = Ingestor(store, limits=IngestLimits(max_batch_items=2))
    report = await ingestor.ingest_path(tmp_path)
    assert [i.status for i in report.items] == ["added", "added", "rejected"]
    assert report.items[2].source == "1 more files"
    assert report.items[2].reason == "a batch takes at most 2 items; ingest the rest separately"


# ------------------------------------------------------------------------------ web pages


async def test_a_page_is_fetched_extracted_and_stored(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    item = one(await ingestor.ingest_url(server.url("/article"), added_by=5, allow_private=True))
    assert item.status == "added" and item.article_id is not None
    article = await store.get_article(item.article_id)
    assert article is not None
    assert article.title.startswith("Storm hits coast")
    # The page's own canonical link, canonicalised: no tracking parameters or fragment.
    assert article.url == server.url("/news/storm")
    assert article.outlet == "Coast Courier"
    assert article.author == "Ines Holm"
    assert article.published_at is not None and article.published_at.year == 2024
    assert "Mayor Anna Berg" in article.body
    for unwanted in ("SECRETSCRIPT", "SECRETSTYLE", "Copyright"):
        assert unwanted not in article.body
    assert server.agents and server.agents[0].startswith("newsbot/")


async def test_the_same_page_twice_is_a_duplicate(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    first = one(await ingestor.ingest_url(server.url("/article"), allow_private=True))
    again = one(await ingestor.ingest_url(server.url("/article#top"), allow_private=True))
    assert again.status == "duplicate"
    assert again.article_id == first.article_id
    assert await store.count_articles() == 1


async def test_a_plain_text_download_and_a_latin1_page(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    plain = one(await ingestor.ingest_url(server.url("/plain"), allow_private=True))
    assert (plain.status, plain.title) == ("added", "Library reopens")
    latin = one(await ingestor.ingest_url(server.url("/latin1"), allow_private=True))
    assert latin.status == "added" and latin.article_id is not None
    article = await store.get_article(latin.article_id)
    assert article is not None and "Pétrov" in article.body and "année" in article.body
    stored = await store.get_article(plain.article_id or 0)
    assert stored is not None and stored.url == server.url("/plain")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/slow", "the page did not load within 0.5 seconds"),
        ("/missing", "the server answered 404 Not Found"),
        ("/huge", "the page is larger than 2 MB"),
        ("/huge-declared", "the page is larger than 2 MB"),
        ("/loop-a", "the link redirects in a loop"),
        ("/chain/9", "the link redirects more than 5 times"),
        ("/to-ftp", "only http:// and https:// links are supported"),
        ("/report.pdf", "this looks like a binary file"),
    ],
)
async def test_bad_links_are_rejected_with_a_reason(
    ingestor: Ingestor, store: Store, server: LoopbackServer, path: str, reason: str
) -> None:
    item = one(await ingestor.ingest_url(server.url(path), added_by=1, allow_private=True))
    assert (item.source, item.status) == (server.url(path), "rejected")
    assert item.reason is not None and item.reason.startswith(reason), item.reason
    await assert_nothing_stored(store)


@pytest.mark.parametrize(
    "url", ["ftp://files.example/a.txt", "file:///etc/passwd", "javascript:alert(1)", "http://"]
)
async def test_links_that_are_not_http_are_rejected(
    ingestor: Ingestor, store: Store, url: str
) -> None:
    item = one(await ingestor.ingest_url(url, added_by=1, allow_private=False))
    assert item.status == "rejected" and item.reason
    await assert_nothing_stored(store)


async def test_private_addresses_are_refused_in_chats_and_allowed_locally(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    refused = one(await ingestor.ingest_url(server.url("/market"), allow_private=False))
    assert refused.status == "rejected"
    assert refused.reason is not None and "local or private network" in refused.reason
    assert server.paths == []  # refused before any request was made
    allowed = one(await ingestor.ingest_url(server.url("/market"), allow_private=True))
    assert allowed.status == "added"


async def test_a_shared_http_client_is_left_open(store: Store, server: LoopbackServer) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        ingestor = Ingestor(store, limits=LIMITS, http=client)
        item = one(await ingestor.ingest_url(server.url("/market"), allow_private=True))
        await ingestor.close()
        assert item.status == "added"
        assert not client.is_closed


# ----------------------------------------------------------------------------------- feeds


async def test_a_feed_link_ingests_its_entries(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    report = await ingestor.ingest_url(server.url("/feed.xml"), added_by=1, allow_private=True)
    assert [(i.source, i.status) for i in report.items] == [
        (server.url("/library"), "added"),
        (server.url("/article"), "added"),
        (server.url("/market"), "added"),
        (server.url("/missing"), "rejected"),
    ]
    # The library entry carries the full article, so only the teasers' pages were fetched.
    assert server.paths == ["/feed.xml", "/article", "/market", "/missing"]
    library = await store.get_article(report.items[0].article_id or 0)
    assert library is not None
    assert library.title == "Library reopens"
    assert library.outlet == "Coast Courier"
    assert library.url == server.url("/library")
    assert library.published_at is not None and library.published_at.day == 2
    storm = await store.get_article(report.items[1].article_id or 0)
    assert storm is not None and storm.title == "Storm hits coast"
    assert report.items[3].title == "Gone"
    assert report.items[3].reason is not None and "404" in report.items[3].reason


async def test_feed_entries_without_links_are_stored_from_their_own_text(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    report = await ingestor.ingest_feed(server.url("/atom.xml"), allow_private=True)
    assert [i.status for i in report.items] == ["added", "rejected"]
    assert report.items[0].source == "Market Notes: Grain prices rise"
    article = await store.get_article(report.items[0].article_id or 0)
    assert article is not None
    assert (article.title, article.outlet, article.url) == (
        "Grain prices rise",
        "Market Notes",
        None,
    )
    brief = report.items[1]
    assert brief.source == "Market Notes: Brief"
    assert brief.reason is not None
    assert brief.reason.startswith("the feed entry has no link and this is too short")
    assert server.paths == ["/atom.xml"]


def test_full_entry_threshold_matches_the_fixture() -> None:
    # The fixture's library entry must count as a full article; one-line teasers must not.
    assert len(LIBRARY_TEXT.split()) >= FULL_ENTRY_WORDS > 20


async def test_feed_polls_skip_seen_entries(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    feed = await store.add_feed(server.url("/feed.xml"), interval_minutes=30, added_by=None)
    first = await ingestor.ingest_feed(feed.url, allow_private=True, feed_id=feed.id)
    assert first.summary_line() == "3 added, 0 duplicates, 1 rejected"
    seen = await store.seen_feed_entries(feed.id, [server.url(f"/{k}") for k in ("lib-1",)])
    assert seen == {server.url("/lib-1")}
    server.paths.clear()
    second = await ingestor.ingest_feed(feed.url, allow_private=True, feed_id=feed.id)
    # A 404 will not heal: the dead entry was marked seen too, so nothing is fetched again.
    assert second.items == ()
    assert server.paths == ["/feed.xml"]
    assert await store.count_articles() == 3


async def test_an_entry_that_timed_out_is_retried_next_poll(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    feed = await store.add_feed(server.url("/slow-entry-feed"), interval_minutes=30, added_by=None)
    first = await ingestor.ingest_feed(feed.url, allow_private=True, feed_id=feed.id)
    assert [(i.source, i.status) for i in first.items] == [(server.url("/slow"), "rejected")]
    assert await store.seen_feed_entries(feed.id, [server.url("/slow-1")]) == set()
    second = await ingestor.ingest_feed(feed.url, allow_private=True, feed_id=feed.id)
    assert [i.source for i in second.items] == [server.url("/slow")]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/broken-feed", "this is not a valid RSS or Atom feed"),
        ("/article", "this address is a web page, not an RSS or Atom feed"),
        ("/missing", "the server answered 404 Not Found"),
        ("/slow", "the page did not load within 0.5 seconds"),
    ],
)
async def test_a_failing_feed_is_one_item_named_by_its_url(
    ingestor: Ingestor, store: Store, server: LoopbackServer, path: str, reason: str
) -> None:
    url = server.url(path)
    item = one(await ingestor.ingest_feed(url, allow_private=True, feed_id=None))
    assert (item.source, item.status) == (url, "rejected")
    assert item.reason is not None and item.reason.startswith(reason), item.reason
    await assert_nothing_stored(store)


async def test_a_malformed_feed_link_is_rejected(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    item = one(await ingestor.ingest_url(server.url("/broken-feed"), allow_private=True))
    assert item.status == "rejected"
    assert item.reason is not None and "not a valid RSS or Atom feed" in item.reason


async def test_feeds_from_chats_may_not_reach_private_addresses(
    ingestor: Ingestor, server: LoopbackServer
) -> None:
    item = one(await ingestor.ingest_feed(server.url("/feed.xml"), allow_private=False))
    assert item.reason is not None and "local or private network" in item.reason


SLOW_PAGE_SECONDS = 0.2
SLOW_TEXTS = (STORM_TEXT, MARKET_TEXT, LIBRARY_TEXT)


@pytest.fixture
async def slow_site() -> AsyncIterator[BaseTestServer]:
    """A feed of teasers whose pages each answer after SLOW_PAGE_SECONDS, and an empty feed."""

    async def slow_feed(request: web.Request) -> web.Response:
        items = "".join(
            f"<item><title>Story {n}</title><link>{request.url.origin()}/page/{n}</link>"
            f"<guid>story-{n}</guid><description>Teaser.</description></item>"
            for n in range(len(SLOW_TEXTS))
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>{items}'
        return web.Response(text=f"{body}</channel></rss>", content_type="application/rss+xml")

    async def page(request: web.Request) -> web.Response:
        await asyncio.sleep(SLOW_PAGE_SECONDS)
        n = int(request.match_info["n"])
        html = page_html(f"Story {n}", SLOW_TEXTS[n])
        return web.Response(text=html, content_type="text/html")

    async def empty_feed(_: web.Request) -> web.Response:
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
        )
        return web.Response(text=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/slow.xml", slow_feed)
    app.router.add_get("/page/{n}", page)
    app.router.add_get("/empty.xml", empty_feed)
    async with TestServer(app, host="127.0.0.1") as running:
        yield running


async def test_a_poll_out_of_time_leaves_the_rest_for_the_next_poll(
    store: Store, slow_site: BaseTestServer
) -> None:
    url = str(slow_site.make_url("/slow.xml"))
    feed = await store.add_feed(url, interval_minutes=30, added_by=None)
    # Every page takes longer than the whole budget, so the budget ends after one entry at
    # most, whatever the machine's speed.
    hurried = Ingestor(store, limits=IngestLimits(fetch_timeout=5, ingest_budget=0.1))
    first = await hurried.ingest_feed(url, allow_private=True, feed_id=feed.id)
    *done, note = first.items
    left = len(SLOW_TEXTS) - len(done)
    assert left >= len(SLOW_TEXTS) - 1
    assert (note.source, note.status) == (f"{left} more entries", "rejected")
    assert note.reason == "not fetched within the 0.1-second limit; the next poll will fetch them"
    keys = [f"{slow_site.make_url('/')}story-{n}" for n in range(len(SLOW_TEXTS))]
    assert await store.seen_feed_entries(feed.id, keys) == set(keys[: len(done)])
    patient = Ingestor(store, limits=IngestLimits(fetch_timeout=5))
    second = await patient.ingest_feed(url, allow_private=True, feed_id=feed.id)
    assert [i.status for i in second.items] == ["added"] * left
    assert await store.count_articles() == len(SLOW_TEXTS)


async def test_a_feed_link_out_of_time_says_to_send_it_again(
    store: Store, server: LoopbackServer
) -> None:
    ingestor = Ingestor(store, limits=IngestLimits(ingest_budget=0))
    item = one(await ingestor.ingest_url(server.url("/feed.xml"), allow_private=True))
    assert (item.source, item.reason) == (
        "4 more entries",
        "not fetched within the 0-second limit; send the feed link again for them",
    )
    assert server.paths == ["/feed.xml"]
    await assert_nothing_stored(store)


async def test_links_of_one_command_share_one_budget(
    ingestor: Ingestor, store: Store, server: LoopbackServer
) -> None:
    links = [server.url("/market"), server.url("/missing")]
    report = await ingestor.ingest_urls(links, added_by=1, allow_private=True)
    assert [(i.source, i.status) for i in report.items] == [
        (links[0], "added"),
        (links[1], "rejected"),
    ]
    hurried = Ingestor(store, limits=IngestLimits(ingest_budget=0))
    item = one(await hurried.ingest_urls(links, added_by=1, allow_private=True))
    assert (item.source, item.reason) == (
        "2 more links",
        "not fetched within the 0-second limit; send them again later",
    )
    assert server.paths == ["/market", "/missing"]  # nothing fetched the second time


async def test_an_empty_feed_link_says_so(
    ingestor: Ingestor, store: Store, slow_site: BaseTestServer
) -> None:
    url = str(slow_site.make_url("/empty.xml"))
    item = one(await ingestor.ingest_url(url, allow_private=True))
    assert (item.source, item.reason) == (
        url,
        "the feed has no entries, so there was nothing to add",
    )
    # A poll of an empty feed has found nothing new, which is no failure to report.
    feed = await store.add_feed(url, interval_minutes=30, added_by=None)
    assert (await ingestor.ingest_feed(url, allow_private=True, feed_id=feed.id)).items == ()


async def test_entries_past_the_cap_are_reported(store: Store, server: LoopbackServer) -> None:
    ingestor = Ingestor(store, limits=IngestLimits(max_feed_entries=2))
    report = await ingestor.ingest_url(server.url("/feed.xml"), allow_private=True)
    assert [(i.source, i.status) for i in report.items] == [
        (server.url("/library"), "added"),
        (server.url("/article"), "added"),
        ("entries after the first 2", "rejected"),
    ]
    assert report.items[2].reason == "newsbot reads at most 2 entries of a feed at a time"


# ------------------------------------------------------------------------ the CLI's batch


async def test_sources_mix_paths_and_links_with_progress(
    ingestor: Ingestor, store: Store, server: LoopbackServer, tmp_path: Path
) -> None:
    (tmp_path / "orchards.txt").write_text(f"Orchards expect a record harvest\n\n{ORCHARD_TEXT}")
    (tmp_path / "ferry.md").write_text(f"# Ferries go electric\n\n{FERRY_TEXT}")
    calls: list[tuple[int, int]] = []
    report = await ingestor.ingest_sources(
        [
            str(tmp_path),
            server.url("/market"),
            "  ",
            str(tmp_path / "missing.txt"),
            "ftp://files.example/x.txt",
            server.url("/slow"),
        ],
        added_by=None,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert [i.status for i in report.items] == [
        "added",
        "added",
        "added",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert report.summary_line() == "3 added, 0 duplicates, 3 rejected"
    assert calls == [(n, 6) for n in range(1, 7)]


def test_summary_line_counts() -> None:
    items = (
        IngestItem("a", "added", article_id=1),
        IngestItem("b", "duplicate", article_id=1),
        IngestItem("c", "rejected", reason="why"),
        IngestItem("d", "added", article_id=2),
    )
    report = IngestReport(items)
    assert report.summary_line() == "2 added, 1 duplicate, 1 rejected"
    assert [i.source for i in report.added] == ["a", "d"]
    assert [i.source for i in report.duplicates] == ["b"]
    assert [i.source for i in report.rejected] == ["c"]
    assert IngestReport(()).summary_line() == "0 added, 0 duplicates, 0 rejected"


async def test_a_feed_link_sent_again_does_not_fetch_what_is_stored(
    ingestor: Ingestor, server: LoopbackServer
) -> None:
    # Otherwise every resend spends the time budget on the same first entries again.
    await ingestor.ingest_url(server.url("/feed.xml"), allow_private=True)
    server.paths.clear()
    again = await ingestor.ingest_url(server.url("/feed.xml"), allow_private=True)
    assert "/market" not in server.paths
    market = next(i for i in again.items if i.title == "Grain prices rise")
    assert market.status == "duplicate" and market.reason is not None
    assert "same link" in market.reason


async def test_entries_that_failed_before_wait_behind_new_ones_then_are_given_up(
    store: Store, server: LoopbackServer
) -> None:
    url = server.url("/growing-feed.xml")
    feed = await store.add_feed(url, interval_minutes=30, added_by=None)
    ingestor = Ingestor(store, limits=LIMITS)
    try:
        first = await ingestor.ingest_feed(url, allow_private=True, feed_id=feed.id)
        assert [i.status for i in first.items] == ["rejected"]
        server.paths.clear()
        second = await ingestor.ingest_feed(url, allow_private=True, feed_id=feed.id)
        # the new entry first: a failing one at the head must not eat every poll's budget
        assert [p for p in server.paths if p in ("/market", "/flaky")] == ["/market", "/flaky"]
        assert [i.status for i in second.items] == ["added", "rejected"]
        third = await ingestor.ingest_feed(url, allow_private=True, feed_id=feed.id)
        (given_up,) = third.items
        assert given_up.reason is not None and "3 polls" in given_up.reason
        server.paths.clear()
        fourth = await ingestor.ingest_feed(url, allow_private=True, feed_id=feed.id)
        assert fourth.items == () and "/flaky" not in server.paths
    finally:
        await ingestor.close()
