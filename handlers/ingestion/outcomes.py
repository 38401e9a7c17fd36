"""What an ingestion reports: one item per input (or per article of it), and for a feed
whether the feed itself failed — a typed value, never something read out of the text."""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

IngestStatus = Literal["added", "duplicate", "rejected"]

UNEXPECTED_REASON = "newsbot hit an unexpected error with this item; it was not stored"


@dataclass(frozen=True, slots=True)
class IngestItem:
    """What happened to one input (or one article of it); `reason` is written for the user."""

    source: str
    status: IngestStatus
    article_id: int | None = None
    title: str | None = None
    reason: str | None = None


class FeedProblem(enum.Enum):
    """Why a feed as a whole could not be read (as opposed to one of its entries)."""

    UNREACHABLE = "unreachable"  # the fetch failed: DNS, connection, timeout, HTTP status …
    NOT_A_FEED = "not a feed"  # the address answers with a web page
    MALFORMED = "malformed"  # not valid RSS/Atom
    TOO_SLOW = "too slow"  # parsing ran out of time
    EMPTY = "empty"  # no entries (reported to a person sending the link, not to a poll)
    DATABASE = "database"  # the store could not be read
    CRASHED = "crashed"  # a bug, logged with its traceback


@dataclass(frozen=True, slots=True)
class FeedFailure:
    """A failed feed: what kind of failure, and the reason in words for the admins."""

    problem: FeedProblem
    reason: str


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The items of one ingestion in input order; `feed_failure` when a feed itself failed."""

    items: tuple[IngestItem, ...] = ()
    feed_failure: FeedFailure | None = None

    @property
    def added(self) -> tuple[IngestItem, ...]:
        return self._with("added")

    @property
    def duplicates(self) -> tuple[IngestItem, ...]:
        return self._with("duplicate")

    @property
    def rejected(self) -> tuple[IngestItem, ...]:
        return self._with("rejected")

    def summary_line(self) -> str:
        """The counts for people: "3 added, 1 duplicate, 2 rejected"."""
        duplicates = len(self.duplicates)
        plural = "" if duplicates == 1 else "s"
        return (
            f"{len(self.added)} added, {duplicates} duplicate{plural}, "
            f"{len(self.rejected)} rejected"
        )

    def _with(self, status: IngestStatus) -> tuple[IngestItem, ...]:
        return tuple(item for item in self.items if item.status == status)


def rejected(source: str, reason: str, *, title: str | None = None) -> IngestItem:
    """An input that was not stored, and why (in words for the person who sent it)."""
    return IngestItem(source=source, status="rejected", title=title, reason=reason)


def report(*items: IngestItem) -> IngestReport:
    """A report of these items."""
    return IngestReport(items)


def feed_failed(url: str, problem: FeedProblem, reason: str) -> IngestReport:
    """The report of a feed that could not be read: one rejected item naming the feed."""
    return IngestReport((rejected(url, reason),), FeedFailure(problem, reason))


async def guarded(source: str, work: Awaitable[T], wrap: Callable[[IngestItem], T]) -> T:
    """`work`'s result; if it crashes, `wrap` of a rejection of `source` instead.

    Expected failures (bad input, a failed fetch, a full database) are handled where they
    happen and reported in the user's words. What reaches here is a bug: it is logged at
    ERROR with its traceback — a crash turned into a polite reply is still a crash — and
    costs this one input, never the whole batch or the bot.
    """
    try:
        return await work
    except Exception:  # the one last line of defence of the ingestion pipeline
        log.exception("ingesting %s failed unexpectedly", source)
        return wrap(rejected(source, UNEXPECTED_REASON))
