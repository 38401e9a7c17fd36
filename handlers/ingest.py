"""The one ingestion pipeline: pasted text, files, folders, web pages and RSS/Atom feeds.

Every way an article enters newsbot (the CLI, /add in a chat, the feed poller, the console)
goes through `Ingestor`, so every input obeys the same limits and ends the same way: each
article is decoded, then cleaned, summarised and searched for quotes in a worker thread (the
event loop keeps answering commands meanwhile), then stored with its summary and quotes in ONE
`Store.add_article` call, so it is stored completely or not at all.

Nothing here raises for bad input. Every failure becomes a rejected `IngestItem` whose reason
is written for the person who sent the input, and a batch goes on past a bad item.

Feeds: an entry whose own text is a full article (at least FULL_ENTRY_WORDS words, e.g. RSS
content:encoded) is stored from that text, without fetching anything; a shorter entry is only
a teaser, so the page it links to is fetched and extracted like any other link. Entries the
store has seen before are skipped; an entry that failed for a reason that may pass (timeout,
connection, a 5xx answer) is left unseen so that the next poll tries it again.

Time: besides each fetch's and each analysis's own limit, a link, a feed poll or one /add
command stops starting new entries or links once `IngestLimits.ingest_budget` has passed; the
rest is reported as not fetched in time (and a poll's unseen entries wait for the next poll).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

import httpx
from newsbot.data.errors import DuplicateArticleError, StoreError
from newsbot.data.models import NewArticle, NewQuote, NewSummary
from newsbot.handlers.feeds import (
    FeedEntry,
    MalformedFeedError,
    ParsedFeed,
    looks_like_feed,
    parse_feed,
)
from newsbot.handlers.fetch import (
    ConnectionFailedError,
    FetchError,
    FetchResult,
    FetchTimeoutError,
    HostNotFoundError,
    HttpStatusError,
    fetch,
    format_size,
)
from newsbot.handlers.sources import (
    MIN_WORDS,
    SUPPORTED_EXTENSIONS,
    ArticleDraft,
    Decoded,
    Rejection,
    SourceError,
    count_words,
    draft_from_text,
    drafts_from_bytes,
)
from newsbot.handlers.urls import UrlError, canonicalize, has_scheme
from newsbot.summaries.article import ArticleAnalysis, analyze_article
from newsbot.summaries.quotes import Quote
from newsbot.summaries.speakers import normalize_name, surname_key
from newsbot.summaries.summarize import DEFAULT_ALGORITHM

if TYPE_CHECKING:  # the store is only passed in; importing it here would add nothing at run time
    from newsbot.data.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

# A feed entry with this many words of its own is a full article rather than a teaser.
FULL_ENTRY_WORDS = 80
_DATE_SLACK = timedelta(days=1)
_SURROGATES = re.compile("[\ud800-\udfff]")
_MB = 1024 * 1024

IngestStatus = Literal["added", "duplicate", "rejected"]
Analyzer = Callable[..., ArticleAnalysis]


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """How much one ingestion may read and how long it may take."""

    max_bytes: int = 2 * _MB  # paste/file/download cap (documented in README)
    fetch_timeout: float = 15.0  # seconds, whole request including redirects
    max_redirects: int = 5
    max_feed_entries: int = 50
    analyze_timeout: float = 30.0  # seconds for clean+summary+quotes of one article
    # Seconds one link, one feed poll or one /add command may spend before it stops starting
    # new entries or links (the one under way still finishes within its own limits).
    ingest_budget: float = 90.0
    max_batch_items: int = 10_000


DEFAULT_LIMITS = IngestLimits()

RETRY_POLLS = 3
"""Polls in a row a feed entry may fail in a way that may pass (a timeout, a 5xx) before it is
marked seen and given up; until then each poll tries it again, after the new entries."""


@dataclass(frozen=True, slots=True)
class IngestItem:
    """What happened to one input (or one article of it); `reason` is written for the user."""

    source: str
    status: IngestStatus
    article_id: int | None = None
    title: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The items of one ingestion in input order."""

    items: tuple[IngestItem, ...] = ()

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


def rejected(source: str, reason: str, *, title: str | None = None) -> IngestItem:
    """An input that was not stored, and why (in words for the person who sent it)."""
    return IngestItem(source=source, status="rejected", title=title, reason=reason)


class Ingestor:
    """Turns inputs into stored articles; one per process, shared by every caller.

    `executor` runs the CPU-bound work (None: the event loop's default executor). `http` is
    used for fetching when given (and then left open by `close`); otherwise the ingestor
    opens its own client on first use. `analyzer` is `analyze_article` unless a test needs
    one that misbehaves.
    """

    def __init__(
        self,
        store: Store,
        *,
        limits: IngestLimits = DEFAULT_LIMITS,
        executor: Executor | None = None,
        http: httpx.AsyncClient | None = None,
        summary_sentences: int = 3,
        summary_algorithm: str = DEFAULT_ALGORITHM,
        analyzer: Analyzer = analyze_article,
    ) -> None:
        self.limits = limits
        self._store = store
        self._executor = executor
        self._http = http
        self._owns_http = http is None
        self._summary_sentences = summary_sentences
        self._summary_algorithm = summary_algorithm
        self._analyzer = analyzer
        # feed id → entry key → polls in a row it failed in a way that may pass; in memory
        # only: a restart just gives those entries their tries again
        self._failures: dict[int, dict[str, int]] = {}

    async def close(self) -> None:
        """Close the HTTP client if this ingestor opened it."""
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    # ----------------------------------------------------------------- public entry points

    async def ingest_text(
        self, text: str, *, added_by: int | None, source: str = "text", title: str | None = None
    ) -> IngestItem:
        """Pasted text; its first line is the title unless `title` is given."""
        try:
            if len(text) > self.limits.max_bytes or len(text.encode()) > self.limits.max_bytes:
                return rejected(source, self._too_large("the text"))
            try:
                draft = draft_from_text(text, source=source, title=title)
            except SourceError as exc:
                return rejected(source, str(exc))
            return await self._ingest_draft(draft, added_by)
        except Exception:
            return _unexpected(source)

    async def ingest_bytes(
        self, data: bytes, filename: str, *, added_by: int | None, mime_type: str | None = None
    ) -> IngestReport:
        """An uploaded file: .txt, .md, .html or .json/.jsonl (which may hold many articles)."""
        try:
            if len(data) > self.limits.max_bytes:
                return _report(rejected(filename, self._too_large(f"the file ({_size(data)})")))
            decoded = await self._decode(data, filename, mime_type=mime_type)
            return _report(*await self._ingest_decoded(decoded, added_by))
        except Exception:
            return _report(_unexpected(filename))

    async def ingest_path(self, path: Path, *, added_by: int | None = None) -> IngestReport:
        """A file, or every supported file in a folder and its subfolders (in name order).

        A file's size is checked with stat() before anything is read, so a huge file costs
        nothing. In a folder, files with other extensions are skipped without comment.
        """
        items: list[IngestItem] = []
        try:
            for task in await self._expand_path(path):
                items.extend(await self._run_task(task, added_by))
        except Exception:
            items.append(_unexpected(str(path)))
        return IngestReport(tuple(items))

    async def ingest_url(
        self, url: str, *, added_by: int | None = None, allow_private: bool
    ) -> IngestReport:
        """A web page (its main text via trafilatura), a text/JSON download, or a feed.

        allow_private is False for links from chats: then hosts on loopback or private
        networks are refused (True only for the operator's local CLI). A feed's entries are
        read within `limits.ingest_budget`.
        """
        return await self._ingest_url(url, added_by, allow_private, self._deadline())

    async def ingest_urls(
        self, urls: Sequence[str], *, added_by: int | None = None, allow_private: bool
    ) -> IngestReport:
        """Several links (one /add command) within one `limits.ingest_budget` together.

        Links not started when the budget runs out are one rejected item saying so.
        """
        deadline = self._deadline()
        items: list[IngestItem] = []
        for index, url in enumerate(urls):
            if self._past(deadline):
                left = len(urls) - index
                items.append(
                    rejected(
                        f"{left} more link{'' if left == 1 else 's'}",
                        f"{self._out_of_time()}; send {'it' if left == 1 else 'them'} again later",
                    )
                )
                break
            items.extend((await self._ingest_url(url, added_by, allow_private, deadline)).items)
        return IngestReport(tuple(items))

    async def ingest_feed(
        self,
        url: str,
        *,
        allow_private: bool,
        feed_id: int | None = None,
        added_by: int | None = None,
    ) -> IngestReport:
        """The new entries of an RSS/Atom feed.

        With a `feed_id`, entries the store has already seen are skipped and new ones marked
        seen. A failure of the feed itself (fetch, not a feed) is one rejected item whose
        source is `url`, which is how the feed poller tells it from a failed entry. Entries
        not started within `limits.ingest_budget` stay unseen for the next poll.
        """
        url = url.strip()
        deadline = self._deadline()
        try:
            try:
                result = await self._fetch(url, allow_private)
            except FetchError as exc:
                return _report(rejected(url, exc.reason))
            if not looks_like_feed(result.content_type, result.body):
                return _report(rejected(url, "this address is a web page, not an RSS or Atom feed"))
            return await self._ingest_feed_body(
                url, result, feed_id, allow_private, added_by, deadline
            )
        except Exception:
            return _report(_unexpected(url))

    async def ingest_sources(
        self,
        sources: Sequence[str],
        *,
        added_by: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> IngestReport:
        """Paths and URLs named by the local operator (so private addresses are allowed).

        Folders are expanded first so that `progress(done, total)` counts files and links.
        """
        tasks: list[_Task] = []
        for source in sources:
            source = source.strip()
            if not source:
                continue
            if has_scheme(source):
                tasks.append(_Url(source))
            else:
                tasks.extend(await self._expand_path(Path(source)))
        tasks = self._capped(tasks, "names")
        items: list[IngestItem] = []
        for done, task in enumerate(tasks, 1):
            items.extend(await self._run_task(task, added_by, allow_private=True))
            if progress is not None:
                progress(done, len(tasks))
        return IngestReport(tuple(items))

    # ------------------------------------------------------------------ files and folders

    async def _expand_path(self, path: Path) -> list[_Task]:
        # Walking a folder is blocking I/O, so it happens off the event loop too.
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(self._executor, _files_under, path)
        if isinstance(found, IngestItem):
            return [found]
        return self._capped([_File(file) for file in found], "files")

    def _capped(self, tasks: list[_Task], what: str) -> list[_Task]:
        limit = self.limits.max_batch_items
        if len(tasks) <= limit:
            return tasks
        note = rejected(
            f"{len(tasks) - limit} more {what}",
            f"a batch takes at most {limit} items; ingest the rest separately",
        )
        return [*tasks[:limit], note]

    async def _run_task(
        self, task: _Task, added_by: int | None, *, allow_private: bool = True
    ) -> tuple[IngestItem, ...]:
        if isinstance(task, IngestItem):
            return (task,)
        if isinstance(task, _Url):
            report = await self.ingest_url(task.url, added_by=added_by, allow_private=allow_private)
            return report.items
        return await self._ingest_file(task.path, added_by)

    async def _ingest_file(self, path: Path, added_by: int | None) -> tuple[IngestItem, ...]:
        source = str(path)
        try:
            loop = asyncio.get_running_loop()
            read = functools.partial(_read_file, path, self.limits.max_bytes)
            data = await loop.run_in_executor(self._executor, read)
        except _TooLargeFileError as exc:
            return (rejected(source, self._too_large(f"the file ({format_size(exc.size)})")),)
        except SourceError as exc:
            return (rejected(source, str(exc)),)
        except OSError as exc:
            return (rejected(source, f"could not read the file ({exc.strerror or exc})"),)
        try:
            decoded = await self._decode(data, source)
            return tuple(await self._ingest_decoded(decoded, added_by))
        except Exception:
            return (_unexpected(source),)

    # ------------------------------------------------------------------------ web and feeds

    async def _ingest_url(
        self, url: str, added_by: int | None, allow_private: bool, deadline: float
    ) -> IngestReport:
        url = url.strip()
        try:
            try:
                result = await self._fetch(url, allow_private)
            except FetchError as exc:
                return _report(rejected(url, exc.reason))
            if looks_like_feed(result.content_type, result.body):
                return await self._ingest_feed_body(
                    url, result, None, allow_private, added_by, deadline
                )
            return _report(*await self._ingest_page(url, result, added_by))
        except Exception:
            return _report(_unexpected(url))

    async def _fetch(self, url: str, allow_private: bool) -> FetchResult:
        if self._http is None:
            # httpx's own 5-second default would cut fetches short of the configured limit.
            self._http = httpx.AsyncClient(timeout=self.limits.fetch_timeout)
        return await fetch(url, client=self._http, limits=self.limits, allow_private=allow_private)

    async def _ingest_page(
        self,
        source: str,
        result: FetchResult,
        added_by: int | None,
        *,
        entry: FeedEntry | None = None,
        outlet: str | None = None,
    ) -> list[IngestItem]:
        decoded = await self._decode(
            result.body,
            source,
            mime_type=result.content_type or None,
            charset=result.charset,
            url=result.url,
        )
        drafts = [d for d in decoded if isinstance(d, ArticleDraft)]
        if len(drafts) == 1:
            # One article per address: it is known by that address even if the page does
            # not name its own canonical URL. (Several articles in one JSON download must
            # not all share it, or every one after the first would be a "duplicate".)
            draft = drafts[0]
            filled = replace(
                draft,
                title=(entry.title if entry else None) or draft.title,
                url=draft.url or result.url,
                outlet=draft.outlet or outlet,
                author=draft.author or (entry.author if entry else None),
                published_at=draft.published_at or (entry.published_at if entry else None),
            )
            decoded = [filled if d is draft else d for d in decoded]
        return await self._ingest_decoded(decoded, added_by)

    async def _ingest_feed_body(
        self,
        url: str,
        result: FetchResult,
        feed_id: int | None,
        allow_private: bool,
        added_by: int | None,
        deadline: float,
    ) -> IngestReport:
        cap = self.limits.max_feed_entries
        try:
            # One entry past the cap tells whether the cap cut anything off.
            feed = await self._off_loop(
                parse_feed, result.body, url=result.url, max_entries=cap + 1
            )
        except MalformedFeedError as exc:
            return _report(rejected(url, str(exc)))
        except TimeoutError:
            return _report(rejected(url, "the feed took too long to read; check the feed address"))
        if not feed.entries and feed_id is None:
            # A poll of an empty feed has simply found nothing new; a feed link sent by
            # hand deserves to know why nothing was added.
            return _report(rejected(url, "the feed has no entries, so there was nothing to add"))
        entries = list(feed.entries[:cap])
        notes: list[IngestItem] = []
        if len(feed.entries) > cap:
            # Not named by the feed's url: the feed poller would take it for a failed feed.
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
                return _report(rejected(url, "the database could not be read; try again later"))
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
            if self._past(deadline):
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
        links = {e.key: link for e in entries if (link := _canonical_or_none(e.link))}
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

    def _deadline(self) -> float:
        return asyncio.get_running_loop().time() + self.limits.ingest_budget

    @staticmethod
    def _past(deadline: float) -> bool:
        return asyncio.get_running_loop().time() >= deadline

    def _out_of_time(self) -> str:
        return f"not fetched within the {self.limits.ingest_budget:g}-second limit"

    def _entries_left(self, left: int, feed_id: int | None) -> IngestItem:
        # Not marked seen, so a poll's next run starts with exactly these entries.
        later = (
            "the next poll will fetch" if feed_id is not None else "send the feed link again for"
        )
        return rejected(
            f"{left} more {'entry' if left == 1 else 'entries'}",
            f"{self._out_of_time()}; {later} {'it' if left == 1 else 'them'}",
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
        try:
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
                return [await self._ingest_draft(draft, added_by)], False
            try:
                page = await self._fetch(entry.link, allow_private)
            except FetchError as exc:
                return [rejected(source, exc.reason, title=entry.title)], _may_pass(exc)
            items = await self._ingest_page(source, page, added_by, entry=entry, outlet=feed.title)
            return items, False
        except Exception:
            return [_unexpected(source)], False

    # --------------------------------------------------------------- decoding and storing

    async def _decode(
        self,
        data: bytes,
        source: str,
        *,
        mime_type: str | None = None,
        charset: str | None = None,
        url: str | None = None,
    ) -> list[Decoded]:
        try:
            return await self._off_loop(
                drafts_from_bytes, data, source, mime_type=mime_type, charset=charset, url=url
            )
        except TimeoutError:
            return [Rejection(source, self._too_slow("reading it"))]

    async def _ingest_decoded(
        self, decoded: Sequence[Decoded], added_by: int | None
    ) -> list[IngestItem]:
        if len(decoded) > self.limits.max_batch_items:
            skipped = len(decoded) - self.limits.max_batch_items
            decoded = [
                *decoded[: self.limits.max_batch_items],
                Rejection(
                    f"{skipped} more articles",
                    f"a batch takes at most {self.limits.max_batch_items} articles; "
                    "send the rest separately",
                ),
            ]
        items: list[IngestItem] = []
        for draft in decoded:
            if isinstance(draft, Rejection):
                items.append(rejected(draft.source, draft.reason))
            else:
                items.append(await self._ingest_draft(draft, added_by))
        return items

    async def _ingest_draft(self, draft: ArticleDraft, added_by: int | None) -> IngestItem:
        """Analyse one draft off the event loop, then store it in one transaction.

        Whatever goes wrong costs this draft only: the items of a batch already stored stay
        in its report, so the report always lists exactly what was stored.
        """
        try:
            return await self._analyse_and_store(_encodable(draft), added_by)
        except Exception:
            return _unexpected(draft.source)

    async def _analyse_and_store(self, draft: ArticleDraft, added_by: int | None) -> IngestItem:
        source, title = draft.source, draft.title
        try:
            analysis = await self._off_loop(
                self._analyzer,
                draft.text,
                title=title,
                sentences=self._summary_sentences,
                algorithm=self._summary_algorithm,
            )
        except TimeoutError:
            return rejected(source, self._too_slow("analysing it"), title=title)
        except Exception:
            log.exception("analysing %s failed", source)
            return rejected(
                source,
                "newsbot failed while analysing this article; it was not stored",
                title=title,
            )
        words = count_words(analysis.body)
        if words < MIN_WORDS:
            return rejected(
                source,
                f"after removing captions, bylines and other boilerplate only {words} words "
                f"are left (at least {MIN_WORDS} are needed) — send the whole article",
                title=title,
            )
        article = NewArticle(
            title=title or _first_words(analysis.body),
            body=analysis.body,
            language=analysis.language,
            url=_canonical_or_none(draft.url),
            outlet=draft.outlet,
            author=draft.author,
            published_at=_plausible_date(draft.published_at),
            added_by=added_by,
        )
        summary = None
        if analysis.summary.sentences:
            # Stored under the requested algorithm and length: the key /summary looks up.
            summary = NewSummary(
                self._summary_algorithm, self._summary_sentences, analysis.summary.sentences
            )
        quotes = [_new_quote(quote) for quote in analysis.quotes]
        try:
            article_id = await self._store.add_article(article, summary, quotes)
        except DuplicateArticleError as exc:
            what = "link" if exc.reason == "url" else "text"
            return IngestItem(
                source,
                "duplicate",
                article_id=exc.existing_id,
                title=article.title,
                reason=f"already stored as #{exc.existing_id} (same {what})",
            )
        except StoreError:
            log.exception("storing %s failed", source)
            return rejected(
                source, "the database could not store it; try again later", title=article.title
            )
        return IngestItem(source, "added", article_id=article_id, title=article.title)

    async def _off_loop(self, func: Callable[..., T], *args: object, **kwargs: object) -> T:
        # wait_for stops waiting, not the worker thread: a runaway analysis still finishes in
        # the background, but the caller gets its answer and nothing is stored.
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self._executor, functools.partial(func, *args, **kwargs))
        return await asyncio.wait_for(work, self.limits.analyze_timeout)

    def _too_large(self, what: str) -> str:
        return (
            f"{what} is larger than {format_size(self.limits.max_bytes)}, the most newsbot "
            "reads — send one article at a time or a link"
        )

    def _too_slow(self, doing: str) -> str:
        return (
            f"{doing} took longer than {self.limits.analyze_timeout:g} seconds, so it was "
            "not stored — try a shorter text"
        )


# ------------------------------------------------------------------------------- helpers


@dataclass(frozen=True, slots=True)
class _Url:
    url: str


@dataclass(frozen=True, slots=True)
class _File:
    path: Path


# One unit of a batch: a link, a file, or an input already refused while listing.
_Task = _Url | _File | IngestItem


class _TooLargeFileError(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _files_under(path: Path) -> list[Path] | IngestItem:
    """The file itself, or the supported files in a folder tree; an item when neither."""
    try:
        path = path.expanduser()
        if path.is_dir():
            return sorted(
                file
                for file in path.rglob("*")
                if file.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in file.relative_to(path).parts)
                and file.is_file()
            )
        if path.exists():
            return [path]
    except OSError as exc:
        return rejected(str(path), f"could not read it ({exc.strerror or exc})")
    return rejected(str(path), "there is no such file or folder")


def _read_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; the size is checked before reading, and the read is capped anyway."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("this is not a regular file — name a text, HTML, Markdown or JSON file")
    if info.st_size > max_bytes:
        raise _TooLargeFileError(info.st_size)
    with path.open("rb") as file:
        # The file may have grown since stat(); never read more than one byte past the cap.
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _TooLargeFileError(len(data))
    return data


def _encodable(draft: ArticleDraft) -> ArticleDraft:
    """The draft with lone surrogates replaced by U+FFFD.

    A JSON "\\udc00" escape decodes to a str that UTF-8 cannot encode, which the store would
    only find out halfway through storing the article.
    """
    fields = (draft.text, draft.title, draft.url, draft.outlet, draft.author)
    if not any(value and _SURROGATES.search(value) for value in fields):
        return draft
    return replace(
        draft,
        text=_fffd(draft.text),
        title=draft.title and _fffd(draft.title),
        url=draft.url and _fffd(draft.url),
        outlet=draft.outlet and _fffd(draft.outlet),
        author=draft.author and _fffd(draft.author),
    )


def _fffd(value: str) -> str:
    return _SURROGATES.sub("\ufffd", value)


def _new_quote(quote: Quote) -> NewQuote:
    speaker = quote.speaker
    return NewQuote(
        start=quote.start,
        end=quote.end,
        text=quote.text,
        kind=quote.kind,
        speaker=speaker,
        role=quote.role,
        speaker_key=(normalize_name(speaker) or None) if speaker else None,
        speaker_surname=(surname_key(speaker) or None) if speaker else None,
    )


def _plausible_date(published_at: datetime | None) -> datetime | None:
    # A date more than a day ahead (time zones aside) is a typo or a placeholder such as the
    # year 9999, and would sort that article first in every date order forever.
    if published_at is not None and published_at > datetime.now(UTC) + _DATE_SLACK:
        return None
    return published_at


def _canonical_or_none(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return canonicalize(url)
    except UrlError:
        return None  # a JSON file's odd "url" field is not worth losing the article over


def _first_words(body: str, limit: int = 12) -> str:
    words = body.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def _may_pass(error: FetchError) -> bool:
    if isinstance(error, HttpStatusError):
        return error.status >= 500 or error.status == 429
    return isinstance(error, FetchTimeoutError | ConnectionFailedError | HostNotFoundError)


def _size(data: bytes) -> str:
    return format_size(len(data))


def _report(*items: IngestItem) -> IngestReport:
    return IngestReport(items)


def _unexpected(source: str) -> IngestItem:
    # The last line of defence: a bug must cost one item, never the whole batch or the bot.
    log.exception("ingesting %s failed unexpectedly", source)
    return rejected(source, "newsbot hit an unexpected error with this item; it was not stored")
