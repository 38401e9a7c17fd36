"""Polls the admins' RSS/Atom feeds on their own intervals and reports failures to admins.

Failures go to the admins only — never to groups — and only when a feed starts failing and
every tenth failure after that, so a dead feed does not flood anyone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from newsbot.data.models import Feed
from newsbot.handlers.commands.formatting import esc
from newsbot.handlers.runtime import Runtime

log = logging.getLogger(__name__)

REMIND_EVERY = 10
POLLS_AT_ONCE = 4


class FeedPoller:
    """Checks each feed whose interval has passed; `notify` sends HTML to the admins."""

    def __init__(self, rt: Runtime, notify: Callable[[str], Awaitable[None]]) -> None:
        self._rt = rt
        self._notify = notify

    async def run_due(self, now: datetime) -> int:
        """Poll every due feed once, POLLS_AT_ONCE side by side; returns the articles added.

        Side by side because a feed's poll mostly waits on the network: one slow feed (up to
        the ingest budget) then delays the others by nothing.
        """
        due = [
            feed
            for feed in await self._rt.store.list_feeds()
            if feed.last_checked_at is None
            or now - feed.last_checked_at >= timedelta(minutes=feed.interval_minutes)
        ]
        gate = asyncio.Semaphore(POLLS_AT_ONCE)

        async def poll(feed: Feed) -> int:
            async with gate:
                return await self._poll(feed)

        async with asyncio.TaskGroup() as group:
            polls = [group.create_task(poll(feed)) for feed in due]
        return sum(task.result() for task in polls)

    async def _poll(self, feed: Feed) -> int:
        report = await self._rt.ingestor.ingest_feed(feed.url, allow_private=False, feed_id=feed.id)
        error = report.feed_failure.reason if report.feed_failure is not None else None
        await self._rt.store.record_feed_check(feed.id, error=error)
        if error is None:
            if report.added:
                log.info("feed %s: %s", feed.url, report.summary_line())
            return len(report.added)
        failures = feed.failures + 1
        await self._rt.store.record_event("feed-failed", f"{feed.url}: {error}")
        if failures == 1 or failures % REMIND_EVERY == 0:
            await self._notify(
                f"⚠️ Feed #{feed.id} failed ({failures}×): {esc(feed.url)}\n{esc(error)}"
            )
        return 0
