"""The store: articles, summaries, quotes and speakers, chats, digests, feeds, events.

A thin facade: `Store` opens the database (data.db, with the migrations of data.schema) and
hands each call to the implementation of its record type (the Protocols of data.records;
the SQLite ones in data.articles, data.search, data.speakers, data.quotes, data.chats,
data.feeds, data.events). Each call is one trip to the database thread; each write one
transaction.

Callers get the frozen dataclasses of data.models and the exceptions of data.errors, never
sqlite3 rows or sqlite3 exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from newsbot.data import schema
from newsbot.data.articles import SqliteArticles, content_hash
from newsbot.data.chats import SqliteChats
from newsbot.data.db import Database
from newsbot.data.errors import DuplicateArticleError
from newsbot.data.events import EVENTS_KEPT, SqliteEvents
from newsbot.data.feeds import SqliteFeeds
from newsbot.data.models import (
    Article,
    ArticleListing,
    Chat,
    Event,
    Feed,
    NewArticle,
    NewQuote,
    NewSummary,
    QuoteRow,
    SearchResults,
    Speaker,
    Stats,
)
from newsbot.data.quotes import SqliteQuotes
from newsbot.data.records import Articles, Chats, Events, Feeds, Quotes, Search, Speakers
from newsbot.data.search import SEARCH_WINDOW, SqliteSearch
from newsbot.data.speaker_merge import SpeakerMatcher
from newsbot.data.speakers import SqliteSpeakers

__all__ = ["EVENTS_KEPT", "SEARCH_WINDOW", "SpeakerMatcher", "Store", "content_hash"]


class Store:
    """The newsbot database; open with `await store.open()` or `async with Store(path)`."""

    def __init__(self, path: str | Path, *, speaker_matcher: SpeakerMatcher | None = None) -> None:
        self.path = Path(path)
        self._db = Database(self.path)
        self._articles: Articles = SqliteArticles(self._db, speaker_matcher)
        self._search: Search = SqliteSearch(self._db)
        self._speakers: Speakers = SqliteSpeakers(self._db)
        self._quotes: Quotes = SqliteQuotes(self._db)
        self._chats: Chats = SqliteChats(self._db)
        self._feeds: Feeds = SqliteFeeds(self._db)
        self._events: Events = SqliteEvents(self._db)

    # -- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        """Open the file (created if missing), configure it and apply pending migrations.

        Raises StoreError (with the path) when the file cannot be opened or is no database,
        and MigrationError when it was written by a newer newsbot.
        """
        await self._db.open(lambda conn: schema.migrate(conn, self.path))

    async def close(self) -> None:
        """Close the connection; the store can be opened again later. Idempotent."""
        await self._db.close()

    async def backup(self, target_path: str | Path) -> None:
        """Copy the database to `target_path`, a new file, with SQLite's online backup API.

        The copy is consistent (the database as of one moment) while the bot and other
        processes go on writing, and the store keeps serving meanwhile; it is written under a
        temporary name and renamed when complete. Works whether or not this store is open.
        Raises StoreError naming both paths if the file cannot be read or the copy written,
        and if `target_path` already exists (a backup never overwrites).
        """
        await self._db.backup(Path(target_path))

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # -- articles --------------------------------------------------------------------------

    async def add_article(
        self, article: NewArticle, summary: NewSummary | None, quotes: Sequence[NewQuote]
    ) -> int:
        """Store an article with its default summary and its quotes; returns the new id.

        One transaction: the article, summary, quotes, speakers, aliases and FTS rows are all
        stored or none is. Raises DuplicateArticleError for a known canonical URL or body.
        An exception from the speaker matcher propagates unchanged (after the rollback).
        """
        return await self._articles.add_article(article, summary, quotes)

    async def add_articles(
        self, items: Sequence[tuple[NewArticle, NewSummary | None, Sequence[NewQuote]]]
    ) -> list[int | DuplicateArticleError]:
        """Store many articles in one transaction (bulk imports): one commit, not one each.

        Returns, per item, the new id or the DuplicateArticleError it would have raised (a
        duplicate within the batch counts too). Any other failure rolls the whole batch back.
        """
        return await self._articles.add_articles(items)

    async def get_article(self, article_id: int) -> Article | None:
        """The article with its full body, or None."""
        return await self._articles.get_article(article_id)

    async def article_ids_by_url(self, urls: Sequence[str]) -> dict[str, int]:
        """The stored articles among these canonical URLs: URL → article id."""
        return await self._articles.article_ids_by_url(urls)

    async def remove_article(self, article_id: int) -> bool:
        """Delete an article with its summaries, quotes and FTS rows; False if there was none.

        Speakers left without any quote go too, so name lookups never offer empty speakers.
        """
        return await self._articles.remove_article(article_id)

    async def latest(self, limit: int, offset: int = 0) -> list[ArticleListing]:
        """Articles newest first (by the order they were added)."""
        return await self._articles.latest(limit, offset)

    async def count_articles(self) -> int:
        """Number of stored articles."""
        return await self._articles.count_articles()

    async def articles_after(self, article_id: int, limit: int) -> list[ArticleListing]:
        """Articles with an id above `article_id` (added later), oldest first: digest input."""
        return await self._articles.articles_after(article_id, limit)

    async def get_summary(
        self, article_id: int, algorithm: str, length: int
    ) -> tuple[str, ...] | None:
        """A stored summary of the article, or None if that one was never computed."""
        return await self._articles.get_summary(article_id, algorithm, length)

    async def put_summary(
        self, article_id: int, algorithm: str, length: int, sentences: tuple[str, ...]
    ) -> None:
        """Cache a summary; ignored if the article has been removed meanwhile."""
        await self._articles.put_summary(article_id, algorithm, length, sentences)

    # -- search ----------------------------------------------------------------------------

    async def search_articles(
        self, query: str, limit: int, offset: int = 0, *, snippets: bool = True
    ) -> SearchResults:
        """Full-text search over titles and bodies: one page of hits, best first, with snippets,
        and the number of matching articles (at most SEARCH_WINDOW; a caller that gets exactly
        that may show it as "1000+").

        `query` is raw user text (see data.fts): every word is required, "quoted text" is a
        phrase. Results page through at most SEARCH_WINDOW articles, the newest matches.
        Selective queries (fewer matches than that) are ranked by bm25 with a title match
        weighing 5× a body match. Common queries, whose bm25 would first scan every match
        in the library to weigh the words, list articles with every word in the title
        first, then the rest, newest first within each. Snippets (fts.snippet) mark matched
        words with "\\x02" … "\\x03"; with `snippets=False` every snippet is "".
        """
        return await self._search.search_articles(query, limit, offset, snippets=snippets)

    # -- quotes and speakers ---------------------------------------------------------------

    async def speaker_candidates(self, query: str, limit: int = 50) -> list[Speaker]:
        """Speakers a typed name may mean: exact name, same surname, then similar spellings.

        The fuzzy part (FTS5 trigram index, see fts.fuzzy_name) tolerates a one-letter typo;
        the caller scores and filters the candidates.
        """
        return await self._speakers.speaker_candidates(query, limit)

    async def quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool, limit: int, offset: int = 0
    ) -> list[QuoteRow]:
        """Quotes by any of the speakers, newest first (article date, else date added).

        Each speaker's newest offset+limit quotes come from an index walk and only those are
        merged, so the cost does not grow with how often a speaker is quoted.
        """
        return await self._quotes.quotes_by_speakers(
            speaker_ids, include_indirect=include_indirect, limit=limit, offset=offset
        )

    async def count_quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool
    ) -> int:
        """How many quotes quotes_by_speakers can page through."""
        return await self._quotes.count_quotes_by_speakers(
            speaker_ids, include_indirect=include_indirect
        )

    async def search_quotes(
        self, query: str, *, include_indirect: bool, limit: int, offset: int = 0
    ) -> list[QuoteRow]:
        """Quotes containing the words (or the "quoted phrase") of raw user text.

        Most recently stored first: the match list is walked in id order and stops after
        offset+limit hits, so a common word costs no more than a rare one.
        """
        return await self._quotes.search_quotes(
            query, include_indirect=include_indirect, limit=limit, offset=offset
        )

    async def top_speakers(self, since: datetime, limit: int) -> list[Speaker]:
        """Most quoted speakers; quote_count = their quotes dated at or after `since`."""
        return await self._speakers.top_speakers(since, limit)

    # -- chats and digests -----------------------------------------------------------------

    async def upsert_chat(self, chat_id: int, type: str, title: str | None) -> Chat:
        """Record a chat (or refresh its type and title) and return it.

        A chat that reaches the bot again is evidently not blocking it any more, so this
        clears `blocked`; its digest stays off until the chat turns it on again.
        """
        return await self._chats.upsert_chat(chat_id, type, title)

    async def get_chat(self, chat_id: int) -> Chat | None:
        """The chat, or None if the bot has never seen it."""
        return await self._chats.get_chat(chat_id)

    async def set_digest(
        self, chat_id: int, *, enabled: bool, time: str | None, timezone: str | None
    ) -> Chat:
        """Change a chat's digest settings; UnknownChatError if upsert_chat never saw it."""
        return await self._chats.set_digest(chat_id, enabled=enabled, time=time, timezone=timezone)

    async def digest_chats(self) -> list[Chat]:
        """Chats whose digest is on and which have not blocked the bot."""
        return await self._chats.digest_chats()

    async def mark_blocked(self, chat_id: int, reason: str) -> None:
        """The bot can no longer write to the chat: stop its digest. Unknown chats: no-op."""
        await self._chats.mark_blocked(chat_id, reason)

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with a new id: move settings and delivery history.

        If the new id is already known (it spoke to the bot first), the old settings win
        over the fresh row's defaults. Unknown old id: no-op.
        """
        await self._chats.migrate_chat(old_id, new_id)

    async def claim_digest(self, chat_id: int, slot: str) -> bool:
        """Reserve the chat's digest for `slot`; False if it is already claimed or delivered.

        Exactly one caller (process, job, retry) wins a slot, so no digest is sent twice. A
        released (failed) slot can be claimed again.
        """
        return await self._chats.claim_digest(chat_id, slot)

    async def complete_digest(
        self, chat_id: int, slot: str, *, watermark: int, sent_articles: int
    ) -> None:
        """Mark the slot delivered and move the chat's watermark (never backwards)."""
        await self._chats.complete_digest(
            chat_id, slot, watermark=watermark, sent_articles=sent_articles
        )

    async def release_digest(self, chat_id: int, slot: str, error: str) -> None:
        """Record a failed delivery and free the slot so that a retry may claim it."""
        await self._chats.release_digest(chat_id, slot, error)

    # -- feeds -----------------------------------------------------------------------------

    async def add_feed(self, url: str, *, interval_minutes: int, added_by: int | None) -> Feed:
        """Subscribe to a feed (url already canonical); DuplicateFeedError if it is known."""
        return await self._feeds.add_feed(url, interval_minutes=interval_minutes, added_by=added_by)

    async def remove_feed(self, url_or_id: str) -> bool:
        """Unsubscribe by id ("3" or "#3") or by URL; False if no such feed."""
        return await self._feeds.remove_feed(url_or_id)

    async def list_feeds(self) -> list[Feed]:
        """All feeds, oldest subscription first."""
        return await self._feeds.list_feeds()

    async def record_feed_check(
        self, feed_id: int, *, error: str | None, title: str | None = None
    ) -> None:
        """Record a check: success resets the failure streak, an error extends it."""
        await self._feeds.record_feed_check(feed_id, error=error, title=title)

    async def seen_feed_entries(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """The subset of `keys` already marked for this feed."""
        return await self._feeds.seen_feed_entries(feed_id, keys)

    async def mark_feed_entries(self, feed_id: int, keys: Sequence[str]) -> None:
        """Remember entries as handled; a removed feed's entries are not recorded."""
        await self._feeds.mark_feed_entries(feed_id, keys)

    # -- events and stats ------------------------------------------------------------------

    async def record_event(self, kind: str, message: str) -> None:
        """Log an operational event for the operator; keeps the newest EVENTS_KEPT."""
        await self._events.record_event(kind, message)

    async def recent_events(self, limit: int) -> list[Event]:
        """The newest events first."""
        return await self._events.recent_events(limit)

    async def stats(self) -> Stats:
        """Counts for the operator; db_bytes is the main file's size (pages in use or free)."""
        return await self._events.stats()
