"""The store's interfaces per record type, which every backend implements.

data.store.Store composes one implementation of each; the SQLite ones live in data.articles,
data.search, data.speakers, data.quotes, data.chats, data.feeds and data.events. Another
backend (PostgreSQL) implements these same Protocols and reuses the pure policy of
data.speaker_merge and data.fts. Each method is documented once, on the Store facade.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from newsbot.data.errors import DuplicateArticleError
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


class Articles(Protocol):
    """Articles with their default summary, quotes and speakers; the summary cache."""

    async def add_article(
        self, article: NewArticle, summary: NewSummary | None, new_quotes: Sequence[NewQuote]
    ) -> int: ...

    async def add_articles(
        self, items: Sequence[tuple[NewArticle, NewSummary | None, Sequence[NewQuote]]]
    ) -> list[int | DuplicateArticleError]: ...

    async def get_article(self, article_id: int) -> Article | None: ...

    async def article_ids_by_url(self, urls: Sequence[str]) -> dict[str, int]: ...

    async def remove_article(self, article_id: int) -> bool: ...

    async def latest(self, limit: int, offset: int) -> list[ArticleListing]: ...

    async def count_articles(self) -> int: ...

    async def articles_after(self, article_id: int, limit: int) -> list[ArticleListing]: ...

    async def get_summary(
        self, article_id: int, algorithm: str, length: int
    ) -> tuple[str, ...] | None: ...

    async def put_summary(
        self, article_id: int, algorithm: str, length: int, summary: tuple[str, ...]
    ) -> None: ...


class Search(Protocol):
    """Full-text search over articles."""

    async def search_articles(
        self, query: str, limit: int, offset: int, *, snippets: bool
    ) -> SearchResults: ...


class Speakers(Protocol):
    """Speaker lookups by typed name, and the most quoted speakers."""

    async def speaker_candidates(self, query: str, limit: int) -> list[Speaker]: ...

    async def top_speakers(self, since: datetime, limit: int) -> list[Speaker]: ...


class Quotes(Protocol):
    """Quote listings by speaker and by words."""

    async def quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool, limit: int, offset: int
    ) -> list[QuoteRow]: ...

    async def count_quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool
    ) -> int: ...

    async def search_quotes(
        self, query: str, *, include_indirect: bool, limit: int, offset: int
    ) -> list[QuoteRow]: ...


class Chats(Protocol):
    """Chats, their digest settings and digest deliveries."""

    async def upsert_chat(self, chat_id: int, type: str, title: str | None) -> Chat: ...

    async def get_chat(self, chat_id: int) -> Chat | None: ...

    async def set_digest(
        self, chat_id: int, *, enabled: bool, time: str | None, timezone: str | None
    ) -> Chat: ...

    async def digest_chats(self) -> list[Chat]: ...

    async def mark_blocked(self, chat_id: int, reason: str) -> None: ...

    async def migrate_chat(self, old_id: int, new_id: int) -> None: ...

    async def claim_digest(self, chat_id: int, slot: str) -> bool: ...

    async def complete_digest(
        self, chat_id: int, slot: str, *, watermark: int, sent_articles: int
    ) -> None: ...

    async def release_digest(self, chat_id: int, slot: str, error: str) -> None: ...


class Feeds(Protocol):
    """Feed subscriptions, their checks and seen entries."""

    async def add_feed(self, url: str, *, interval_minutes: int, added_by: int | None) -> Feed: ...

    async def remove_feed(self, url_or_id: str) -> bool: ...

    async def list_feeds(self) -> list[Feed]: ...

    async def record_feed_check(
        self, feed_id: int, *, error: str | None, title: str | None
    ) -> None: ...

    async def seen_feed_entries(self, feed_id: int, keys: Sequence[str]) -> set[str]: ...

    async def mark_feed_entries(self, feed_id: int, keys: Sequence[str]) -> None: ...


class Events(Protocol):
    """Operational events and the operator's counts."""

    async def record_event(self, kind: str, message: str) -> None: ...

    async def recent_events(self, limit: int) -> list[Event]: ...

    async def stats(self) -> Stats: ...
