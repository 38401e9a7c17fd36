"""The one ingestion pipeline: pasted text, files, folders, web pages and RSS/Atom feeds.

Every way an article enters newsbot (the CLI, /add in a chat, the feed poller, the console)
goes through `Ingestor`, so every input obeys the same limits and ends the same way: each
article is decoded, then cleaned, summarised and searched for quotes in a worker thread (the
event loop keeps answering commands meanwhile), then stored with its summary and quotes in ONE
`Store.add_article` call, so it is stored completely or not at all (see `pipeline`).

Nothing here raises for bad input. Every failure becomes a rejected `IngestItem` whose reason
is written for the person who sent the input, and a batch goes on past a bad item. A bug is
logged at ERROR with its traceback and costs its one input (see `outcomes.guarded`).

Time: besides each fetch's and each analysis's own limit, a link, a feed poll or one /add
command stops starting new entries or links once `IngestLimits.ingest_budget` has passed; the
rest is reported as not fetched in time (and a poll's unseen entries wait for the next poll).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from newsbot.handlers.ingestion.drafts import SourceError, draft_from_text
from newsbot.handlers.ingestion.feed_reader import FeedReader
from newsbot.handlers.ingestion.feeds import looks_like_feed
from newsbot.handlers.ingestion.fetch import FetchError, FetchResult, fetch, format_size
from newsbot.handlers.ingestion.files import TooLargeFileError, files_under, read_file
from newsbot.handlers.ingestion.limits import DEFAULT_LIMITS, IngestLimits, past
from newsbot.handlers.ingestion.outcomes import (
    FeedFailure,
    FeedProblem,
    IngestItem,
    IngestReport,
    feed_failed,
    guarded,
    rejected,
    report,
)
from newsbot.handlers.ingestion.pipeline import Analyzer, ArticlePipeline
from newsbot.handlers.ingestion.urls import has_scheme
from newsbot.summaries.article import analyze_article
from newsbot.summaries.summarize import DEFAULT_ALGORITHM

if TYPE_CHECKING:  # the store is only passed in; importing it here would add nothing at run time
    from newsbot.data.store import Store


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
        self._executor = executor
        self._http = http
        self._owns_http = http is None
        self._pipeline = ArticlePipeline(
            store,
            limits=limits,
            executor=executor,
            summary_sentences=summary_sentences,
            summary_algorithm=summary_algorithm,
            analyzer=analyzer,
        )
        self._feeds = FeedReader(store, self._pipeline, self._fetch)

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
        work = self._text(text, added_by, source, title)
        return await guarded(source, work, lambda item: item)

    async def ingest_bytes(
        self, data: bytes, filename: str, *, added_by: int | None, mime_type: str | None = None
    ) -> IngestReport:
        """An uploaded file: .txt, .md, .html or .json/.jsonl (which may hold many articles)."""
        return await guarded(filename, self._bytes(data, filename, added_by, mime_type), report)

    async def ingest_path(self, path: Path, *, added_by: int | None = None) -> IngestReport:
        """A file, or every supported file in a folder and its subfolders (in name order).

        A file's size is checked with stat() before anything is read, so a huge file costs
        nothing. In a folder, files with other extensions are skipped without comment.
        """
        items: list[IngestItem] = []
        for task in await self._expand_path(path):
            items.extend(await self._run_task(task, added_by))
        return IngestReport(tuple(items))

    async def ingest_url(
        self, url: str, *, added_by: int | None = None, allow_private: bool
    ) -> IngestReport:
        """A web page (its main text via trafilatura), a text/JSON download, or a feed.

        allow_private is False for links from chats: then hosts on loopback or private
        networks are refused (True only for the operator's local CLI). A feed's entries are
        read within `limits.ingest_budget`.
        """
        return await self._ingest_url(url, added_by, allow_private, self.limits.deadline())

    async def ingest_urls(
        self, urls: Sequence[str], *, added_by: int | None = None, allow_private: bool
    ) -> IngestReport:
        """Several links (one /add command) within one `limits.ingest_budget` together.

        Links not started when the budget runs out are one rejected item saying so.
        """
        deadline = self.limits.deadline()
        items: list[IngestItem] = []
        for index, url in enumerate(urls):
            if past(deadline):
                left = len(urls) - index
                items.append(
                    rejected(
                        f"{left} more link{'' if left == 1 else 's'}",
                        f"{self.limits.out_of_time()}; "
                        f"send {'it' if left == 1 else 'them'} again later",
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
        seen. A failure of the feed itself (fetch, not a feed) is the report's `feed_failure`
        (and one rejected item naming the feed). Entries not started within
        `limits.ingest_budget` stay unseen for the next poll.
        """
        url = url.strip()
        work = self._feed(url, allow_private, feed_id, added_by)
        return await guarded(url, work, _crashed_feed)

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

    # ------------------------------------------------------------------ text and files

    async def _text(
        self, text: str, added_by: int | None, source: str, title: str | None
    ) -> IngestItem:
        if len(text) > self.limits.max_bytes or len(text.encode()) > self.limits.max_bytes:
            return rejected(source, self.limits.too_large("the text"))
        try:
            draft = draft_from_text(text, source=source, title=title)
        except SourceError as exc:
            return rejected(source, str(exc))
        return await self._pipeline.ingest_draft(draft, added_by)

    async def _bytes(
        self, data: bytes, filename: str, added_by: int | None, mime_type: str | None
    ) -> IngestReport:
        if len(data) > self.limits.max_bytes:
            too_large = self.limits.too_large(f"the file ({format_size(len(data))})")
            return report(rejected(filename, too_large))
        decoded = await self._pipeline.decode(data, filename, mime_type=mime_type)
        return report(*await self._pipeline.ingest_decoded(decoded, added_by))

    async def _expand_path(self, path: Path) -> list[_Task]:
        # Walking a folder is blocking I/O, so it happens off the event loop too.
        loop = asyncio.get_running_loop()
        walk = loop.run_in_executor(self._executor, files_under, path)
        found = await guarded(str(path), walk, lambda item: item)
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
            reported = await self.ingest_url(
                task.url, added_by=added_by, allow_private=allow_private
            )
            return reported.items
        source = str(task.path)
        return (await guarded(source, self._file(task.path, added_by), report)).items

    async def _file(self, path: Path, added_by: int | None) -> IngestReport:
        source = str(path)
        try:
            loop = asyncio.get_running_loop()
            read = functools.partial(read_file, path, self.limits.max_bytes)
            data = await loop.run_in_executor(self._executor, read)
        except TooLargeFileError as exc:
            too_large = self.limits.too_large(f"the file ({format_size(exc.size)})")
            return report(rejected(source, too_large))
        except SourceError as exc:
            return report(rejected(source, str(exc)))
        except OSError as exc:
            return report(rejected(source, f"could not read the file ({exc.strerror or exc})"))
        decoded = await self._pipeline.decode(data, source)
        return report(*await self._pipeline.ingest_decoded(decoded, added_by))

    # ------------------------------------------------------------------------ web and feeds

    async def _ingest_url(
        self, url: str, added_by: int | None, allow_private: bool, deadline: float
    ) -> IngestReport:
        url = url.strip()
        return await guarded(url, self._url(url, added_by, allow_private, deadline), report)

    async def _url(
        self, url: str, added_by: int | None, allow_private: bool, deadline: float
    ) -> IngestReport:
        try:
            result = await self._fetch(url, allow_private)
        except FetchError as exc:
            return report(rejected(url, exc.reason))
        if looks_like_feed(result.content_type, result.body):
            return await self._feeds.read(
                url,
                result,
                feed_id=None,
                allow_private=allow_private,
                added_by=added_by,
                deadline=deadline,
            )
        return report(*await self._pipeline.ingest_page(url, result, added_by))

    async def _feed(
        self, url: str, allow_private: bool, feed_id: int | None, added_by: int | None
    ) -> IngestReport:
        deadline = self.limits.deadline()
        try:
            result = await self._fetch(url, allow_private)
        except FetchError as exc:
            return feed_failed(url, FeedProblem.UNREACHABLE, exc.reason)
        if not looks_like_feed(result.content_type, result.body):
            return feed_failed(
                url, FeedProblem.NOT_A_FEED, "this address is a web page, not an RSS or Atom feed"
            )
        return await self._feeds.read(
            url,
            result,
            feed_id=feed_id,
            allow_private=allow_private,
            added_by=added_by,
            deadline=deadline,
        )

    async def _fetch(self, url: str, allow_private: bool) -> FetchResult:
        if self._http is None:
            # httpx's own 5-second default would cut fetches short of the configured limit.
            self._http = httpx.AsyncClient(timeout=self.limits.fetch_timeout)
        return await fetch(url, client=self._http, limits=self.limits, allow_private=allow_private)


@dataclass(frozen=True, slots=True)
class _Url:
    url: str


@dataclass(frozen=True, slots=True)
class _File:
    path: Path


# One unit of a batch: a link, a file, or an input already refused while listing.
_Task = _Url | _File | IngestItem


def _crashed_feed(item: IngestItem) -> IngestReport:
    return IngestReport((item,), FeedFailure(FeedProblem.CRASHED, item.reason or "failed"))
