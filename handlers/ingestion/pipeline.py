"""Drafts to stored articles: decode in a worker thread, analyse off the event loop, store
each article with its summary and quotes in ONE `Store.add_article` call (so it is stored
completely or not at all), and report each draft as one item."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from newsbot.data.errors import DuplicateArticleError, StoreError
from newsbot.data.models import NewArticle, NewQuote, NewSummary
from newsbot.handlers.ingestion.drafts import (
    MIN_WORDS,
    ArticleDraft,
    Decoded,
    Rejection,
    count_words,
)
from newsbot.handlers.ingestion.feeds import FeedEntry
from newsbot.handlers.ingestion.fetch import FetchResult
from newsbot.handlers.ingestion.formats import drafts_from_bytes
from newsbot.handlers.ingestion.limits import IngestLimits
from newsbot.handlers.ingestion.outcomes import IngestItem, guarded, rejected
from newsbot.handlers.ingestion.urls import UrlError, canonicalize
from newsbot.summaries.article import ArticleAnalysis
from newsbot.summaries.quotes import Quote
from newsbot.summaries.speakers import normalize_name, surname_key

if TYPE_CHECKING:  # the store is only passed in; importing it here would add nothing at run time
    from newsbot.data.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
Analyzer = Callable[..., ArticleAnalysis]

_DATE_SLACK = timedelta(days=1)
_SURROGATES = re.compile("[\ud800-\udfff]")


class ArticlePipeline:
    """Decodes bodies into drafts and drafts into stored articles, within `limits`."""

    def __init__(
        self,
        store: Store,
        *,
        limits: IngestLimits,
        executor: Executor | None,
        summary_sentences: int,
        summary_algorithm: str,
        analyzer: Analyzer,
    ) -> None:
        self.limits = limits
        self._store = store
        self._executor = executor
        self._summary_sentences = summary_sentences
        self._summary_algorithm = summary_algorithm
        self._analyzer = analyzer

    async def off_loop(self, func: Callable[..., T], *args: object, **kwargs: object) -> T:
        """`func` in the worker pool, given up on (TimeoutError) after `analyze_timeout`."""
        # wait_for stops waiting, not the worker thread: a runaway analysis still finishes in
        # the background, but the caller gets its answer and nothing is stored.
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self._executor, functools.partial(func, *args, **kwargs))
        return await asyncio.wait_for(work, self.limits.analyze_timeout)

    async def decode(
        self,
        data: bytes,
        source: str,
        *,
        mime_type: str | None = None,
        charset: str | None = None,
        url: str | None = None,
    ) -> list[Decoded]:
        """The drafts (and rejections) in a file or HTTP body, decoded off the event loop."""
        try:
            return await self.off_loop(
                drafts_from_bytes, data, source, mime_type=mime_type, charset=charset, url=url
            )
        except TimeoutError:
            return [Rejection(source, self.limits.too_slow("reading it"))]

    async def ingest_page(
        self,
        source: str,
        result: FetchResult,
        added_by: int | None,
        *,
        entry: FeedEntry | None = None,
        outlet: str | None = None,
    ) -> list[IngestItem]:
        """A fetched page or download; a feed entry's metadata fills what the page lacks."""
        decoded = await self.decode(
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
        return await self.ingest_decoded(decoded, added_by)

    async def ingest_decoded(
        self, decoded: Sequence[Decoded], added_by: int | None
    ) -> list[IngestItem]:
        """Each draft stored (or not) in order, at most `max_batch_items` of them."""
        cap = self.limits.max_batch_items
        if len(decoded) > cap:
            decoded = [
                *decoded[:cap],
                Rejection(
                    f"{len(decoded) - cap} more articles",
                    f"a batch takes at most {cap} articles; send the rest separately",
                ),
            ]
        items: list[IngestItem] = []
        for draft in decoded:
            if isinstance(draft, Rejection):
                items.append(rejected(draft.source, draft.reason))
            else:
                items.append(await self.ingest_draft(draft, added_by))
        return items

    async def ingest_draft(self, draft: ArticleDraft, added_by: int | None) -> IngestItem:
        """Analyse one draft off the event loop, then store it in one transaction.

        A bug met on the way costs this draft only (logged with its traceback): the items of
        a batch already stored stay in its report, so the report always lists exactly what
        was stored.
        """
        work = self._analyse_and_store(_encodable(draft), added_by)
        return await guarded(draft.source, work, lambda item: replace(item, title=draft.title))

    async def _analyse_and_store(self, draft: ArticleDraft, added_by: int | None) -> IngestItem:
        source, title = draft.source, draft.title
        try:
            analysis = await self.off_loop(
                self._analyzer,
                draft.text,
                title=title,
                sentences=self._summary_sentences,
                algorithm=self._summary_algorithm,
            )
        except TimeoutError:
            return rejected(source, self.limits.too_slow("analysing it"), title=title)
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
            url=canonical_or_none(draft.url),
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


def canonical_or_none(url: str | None) -> str | None:
    """The canonical form of `url`, or None when there is none or it is no web address."""
    if not url:
        return None
    try:
        return canonicalize(url)
    except UrlError:
        return None  # a JSON file's odd "url" field is not worth losing the article over


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


def _first_words(body: str, limit: int = 12) -> str:
    words = body.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")
