"""Values that go into and come out of the store.

All frozen, slotted dataclasses: handlers can pass them around and cache them freely.
Every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article about to be stored; `url` is the caller's canonical URL, if any."""

    title: str
    body: str
    language: str
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    added_by: int | None = None


@dataclass(frozen=True, slots=True)
class NewSummary:
    """A summary computed at ingest time; it becomes the article's default listing summary."""

    algorithm: str
    length: int
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NewQuote:
    """A quote about to be stored; offsets point into the article body, end exclusive.

    `speaker_key` and `speaker_surname` are the caller's newsbot.names.normalize_name and
    surname_key of `speaker`; when None the store computes them with the same functions.
    """

    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    role: str | None
    speaker_key: str | None
    speaker_surname: str | None


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article with its full body."""

    id: int
    title: str
    url: str | None
    outlet: str | None
    author: str | None
    published_at: datetime | None
    added_at: datetime
    added_by: int | None
    language: str
    body: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class ArticleListing:
    """An article as shown in lists: no body, the default summary instead (() if none)."""

    id: int
    title: str
    url: str | None
    outlet: str | None
    published_at: datetime | None
    added_at: datetime
    summary: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search result; `snippet` marks matched words with "\\x02" … "\\x03"."""

    article: ArticleListing
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResults:
    """One page of search hits, and how many articles the search pages through in all.

    `total` stops at the store's search window (1,000): reaching it means "at least that many".
    """

    total: int
    hits: tuple[SearchHit, ...]


@dataclass(frozen=True, slots=True)
class Speaker:
    """A person or organisation quoted in articles, with every name seen for them."""

    id: int
    name: str
    role: str | None
    aliases: tuple[str, ...]
    quote_count: int


@dataclass(frozen=True, slots=True)
class SpeakerCandidate:
    """An existing speaker offered to the speaker matcher during ingest."""

    id: int
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A stored quote with what a reply needs about its speaker and article."""

    id: int
    article_id: int
    text: str
    kind: str
    speaker_id: int | None
    speaker: str | None
    role: str | None
    article_title: str
    article_url: str | None
    outlet: str | None
    published_at: datetime | None
    added_at: datetime


@dataclass(frozen=True, slots=True)
class Chat:
    """A Telegram chat the bot has seen and its digest settings."""

    id: int
    type: str
    title: str | None
    digest_enabled: bool
    digest_time: str | None  # "HH:MM" in the chat's timezone
    timezone: str | None
    last_digest_at: datetime | None
    digest_watermark: int  # highest article id already sent in a digest
    blocked: bool
    blocked_reason: str | None


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscribed RSS/Atom feed and the outcome of its latest checks."""

    id: int
    url: str
    title: str | None
    interval_minutes: int
    added_by: int | None
    added_at: datetime
    last_checked_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    failures: int


@dataclass(frozen=True, slots=True)
class Event:
    """An operational event shown to the operator (errors, blocked chats, feed problems)."""

    id: int
    at: datetime
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts for the operator's /stats view."""

    articles: int
    quotes: int
    speakers: int
    chats: int
    digest_chats: int
    blocked_chats: int
    feeds: int
    feeds_failing: int
    db_bytes: int
