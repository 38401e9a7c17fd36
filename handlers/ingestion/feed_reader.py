"""A fetched RSS/Atom feed to stored articles, entry by entry.

An entry whose own text is a full article (at least FULL_ENTRY_WORDS words, e.g. RSS
content:encoded) is stored from that text, without fetching anything; a shorter entry is only
a teaser, so the page it links to is fetched and extracted like any other link. Entries the
store has seen before are skipped; an entry that failed for a reason that may pass (timeout,
connection, a 5xx answer) is left unseen so that the next poll tries it again, up to
RETRY_POLLS polls.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from newsbot.data.errors import StoreError
from newsbot.handlers.ingestion.drafts import SourceError, count_words, draft_from_text
from newsbot.handlers.ingestion.feeds import FeedEntry, MalformedFeedError, ParsedFeed, parse_feed
from newsbot.handlers.ingestion.fetch import (
    ConnectionFailedError,
    FetchError,
    FetchResult,
    FetchTimeoutError,
    HostNotFoundError,
    HttpStatusError,
)
from newsbot.handlers.ingestion.limits import past
from newsbot.handlers.ingestion.outcomes import (
    FeedProblem,
    IngestItem,
    IngestReport,
    feed_failed,
    guarded,
    rejected,
)
from newsbot.handlers.ingestion.pipeline import ArticlePipeline, canonical_or_none

if TYPE_CHECKING:  # the store is only passed in; importing it here would add nothing at run time
    from newsbot.data.store import Store

log = logging.getLogger(__name__)

# A feed entry with this many words of its own is a full article rather than a teaser.
FULL_ENTRY_WORDS = 80

RETRY_POLLS = 3
"""Polls in a row a feed entry may fail in a way that may pass (a timeout, a 5xx) before it is
marked seen and given up; until then each poll tries it again, after the new entries."""

Fetcher = Callable[[str, bool], Awaitable[FetchResult]]


class FeedReader:
    """Reads feed bodies into stored articles; remembers which entries failed in a way that
    may pass, per feed, in memory (a restart just gives those entries their tries again)."""

    def __init__(self, store: Store, pipeline: ArticlePipeline, fetch: Fetcher) -> None:
        self._store = store
        self._pipeline = pipeline
        self._fetch = fetch
        # feed id → entry key → polls in a row it failed in a way that may pass
        self._failures: dict[int, dict[str, int]] = {}

    async def read(
        self,
        url: str,
        result: FetchResult,
        *,
        feed_id: int | None,
        allow_private: bool,
        added_by: int | None,
        deadline: float,
    ) -> IngestReport:
        """The entries of the fetched feed `result`, within `deadline`.

        With a `feed_id`, entries the store has already seen are skipped and new ones marked
        seen; entries not started in time stay unseen for the next poll.
        """
        limits = self._pipeline.limits
        cap = limits.max_feed_entries
        try:
            # One entry past the cap tells whether the cap cut anything off.
            feed = await self._pipeline.off_loop(
                parse_feed, result.body, url=result.url, max_entries=cap + 1
            )
        except MalformedFeedError as exc:
            return feed_failed(url, FeedProblem.MALFORMED, str(exc))
        except TimeoutError:
            return feed_failed(
                url, FeedProblem.TOO_SLOW, "the feed took too long to read; check the feed address"
            )
        if not feed.entries and feed_id is None:
            # A poll of an empty feed has simply found nothing new; a feed link sent by
            # hand deserves to know why nothing was added.
            return feed_failed(
                url, FeedProblem.EMPTY, "the feed has no entries, so there was nothing to add"
            )
        entries = list(feed.entries[:cap])
        notes: list[IngestItem] = []
        if len(feed.entries) > cap:
            notes.append(
                rejected(
                    f"entries after the first {cap}",
                    f"newsbot reads at most {cap} entries of a feed at a time",
                )
            )
        if feed_id is not None:
            try:
                seen = await self._store.seen_feed_entries(feed_id, [e.key for e in entries])
            except StoreError:
                log.exception("could not read the seen entries of feed %s", feed_id)
                return feed_failed(
                    url, FeedProblem.DATABASE, "the database could not be read; try again later"
                )
            entries = [e for e in entries if e.key not in seen]
        try:
            stored = await self._stored_links(entries)
        except StoreError:
            log.exception("could not look up the entries of %s", url)
            stored = {}
        # Entries that failed on an earlier poll go after the new ones, so that a few failing
        # at the head of a feed cannot spend every poll's budget.
        failures = self._failures.get(feed_id, {}) if feed_id is not None else {}
        entries.sort(key=lambda e: e.key in failures)
        items: list[IngestItem] = []
        for index, entry in enumerate(entries):
            article_id = stored.get(entry.key)
            if article_id is not None:
                # Already stored under this link: reported without fetching the page again.
                items.append(_stored_entry(entry, article_id))
                await self._mark_seen(feed_id, entry)
                continue
            if past(deadline):
                items.append(self._entries_left(len(entries) - index, feed_id))
                break
            entry_items, retry = await self._ingest_entry(entry, feed, url, allow_private, added_by)
            if retry and feed_id is not None:
                tries = failures.get(entry.key, 0) + 1
                failures[entry.key] = tries
                if tries >= RETRY_POLLS:
                    entry_items = [_given_up(item) for item in entry_items]
                    retry = False
            if not retry:
                failures.pop(entry.key, None)
                await self._mark_seen(feed_id, entry)
            items.extend(entry_items)
        if feed_id is not None:
            current = {e.key for e in entries}
            self._failures[feed_id] = {k: n for k, n in failures.items() if k in current}
        return IngestReport((*items, *notes))

    async def _stored_links(self, entries: Sequence[FeedEntry]) -> dict[str, int]:
        """Entry key → id of the article already stored under the entry's link."""
        links = {e.key: link for e in entries if (link := canonical_or_none(e.link))}
        ids = await self._store.article_ids_by_url(list(links.values()))
        return {key: ids[link] for key, link in links.items() if link in ids}

    async def _mark_seen(self, feed_id: int | None, entry: FeedEntry) -> None:
        if feed_id is None:
            return
        # Marked one at a time, so an interrupted poll does not redo finished entries.
        try:
            await self._store.mark_feed_entries(feed_id, [entry.key])
        except StoreError:
            log.exception("could not mark entry %s of feed %s", entry.key, feed_id)

    def _entries_left(self, left: int, feed_id: int | None) -> IngestItem:
        # Not marked seen, so a poll's next run starts with exactly these entries.
        later = (
            "the next poll will fetch" if feed_id is not None else "send the feed link again for"
        )
        return rejected(
            f"{left} more {'entry' if left == 1 else 'entries'}",
            f"{self._pipeline.limits.out_of_time()}; {later} {'it' if left == 1 else 'them'}",
        )

    async def _ingest_entry(
        self,
        entry: FeedEntry,
        feed: ParsedFeed,
        feed_url: str,
        allow_private: bool,
        added_by: int | None,
    ) -> tuple[list[IngestItem], bool]:
        """The entry's items, and whether it failed in a way the next poll may get past."""
        source = entry.link or f"{feed.title or feed_url}: {entry.title or 'untitled entry'}"
        work = self._entry_items(entry, feed, source, allow_private, added_by)
        return await guarded(source, work, lambda item: ([item], False))

    async def _entry_items(
        self,
        entry: FeedEntry,
        feed: ParsedFeed,
        source: str,
        allow_private: bool,
        added_by: int | None,
    ) -> tuple[list[IngestItem], bool]:
        if entry.link is None or count_words(entry.text) >= FULL_ENTRY_WORDS:
            try:
                draft = draft_from_text(
                    entry.text,
                    source=source,
                    title=entry.title,
                    url=entry.link,
                    outlet=feed.title,
                    author=entry.author,
                    published_at=entry.published_at,
                )
            except SourceError as exc:
                return [rejected(source, f"the feed entry has no link and {exc}")], False
            return [await self._pipeline.ingest_draft(draft, added_by)], False
        try:
            page = await self._fetch(entry.link, allow_private)
        except FetchError as exc:
            return [rejected(source, exc.reason, title=entry.title)], _may_pass(exc)
        items = await self._pipeline.ingest_page(
            source, page, added_by, entry=entry, outlet=feed.title
        )
        return items, False


def _stored_entry(entry: FeedEntry, article_id: int) -> IngestItem:
    return IngestItem(
        entry.link or entry.key,
        "duplicate",
        article_id=article_id,
        title=entry.title,
        reason=f"already stored as #{article_id} (same link)",
    )


def _given_up(item: IngestItem) -> IngestItem:
    if item.status != "rejected":
        return item
    return replace(item, reason=f"{item.reason}; given up after failing {RETRY_POLLS} polls")


def _may_pass(error: FetchError) -> bool:
    if isinstance(error, HttpStatusError):
        return error.status >= 500 or error.status == 429
    return isinstance(error, FetchTimeoutError | ConnectionFailedError | HostNotFoundError)
