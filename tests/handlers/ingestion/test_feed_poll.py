"""The feed poller over a real store and ingestor, with feeds served by an in-process web.

The "web" is an httpx transport answering for two public IP addresses: the poller refuses
private addresses, a public IP literal needs no DNS, and the transport answers in-process, so
nothing leaves this process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from newsbot.data.store import Store
from newsbot.handlers.ingestion.feed_poll import REMIND_EVERY, FeedPoller
from newsbot.handlers.ingestion.ingestor import Ingestor
from newsbot.handlers.ingestion.outcomes import FeedFailure, FeedProblem
from newsbot.handlers.runtime import Runtime

from tests.handlers.conftest import LIBRARY_TEXT, MARKET_TEXT, STORM_TEXT, page_html

# Public addresses (the poller refuses any other kind), answered by the in-process transport:
# nothing is ever sent to them.
SITES = ("http://93.184.215.14", "http://151.101.65.140")
TEXTS = {"storm": STORM_TEXT, "market": MARKET_TEXT, "library": LIBRARY_TEXT}


def feed_xml(site: str, names: list[str]) -> str:
    items = "".join(
        f"<item><title>{name}</title><link>{site}/{name}</link><guid>{site}/{name}</guid>"
        "<description>Teaser.</description></item>"
        for name in names
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )


class Web:
    """The two sites: /feed.xml lists `feeds[site]`, /<name> is that article's page."""

    def __init__(self) -> None:
        self.feeds: dict[str, list[str]] = {SITES[0]: ["storm"], SITES[1]: ["market"]}
        self.broken: set[str] = set()
        self.requests: list[str] = []
        # set by a test to hold one site's feed until the other's has been asked for
        self.hold_first_until_second: asyncio.Event | None = None

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        site = f"{request.url.scheme}://{request.url.host}"
        if request.url.path == "/feed.xml":
            gate = self.hold_first_until_second
            if gate is not None:
                if site == SITES[1]:
                    gate.set()
                else:
                    await asyncio.wait_for(gate.wait(), timeout=10)
            if site in self.broken:
                return httpx.Response(500, text="down")
            headers = {"content-type": "application/rss+xml"}
            return httpx.Response(200, text=feed_xml(site, self.feeds[site]), headers=headers)
        name = request.url.path.strip("/")
        html = page_html(name.title(), TEXTS[name])
        return httpx.Response(200, text=html, headers={"content-type": "text/html"})


@pytest.fixture
def web() -> Web:
    return Web()


@pytest.fixture
async def runtime(store: Store, web: Web, executor: ThreadPoolExecutor) -> AsyncIterator[Runtime]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(web))
    ingestor = Ingestor(store, executor=executor, http=http)
    yield Runtime(store, ingestor, executor, ZoneInfo("UTC"), "newsbot")
    await http.aclose()


class Admins:
    """What the poller tells the admins."""

    def __init__(self) -> None:
        self.told: list[str] = []

    async def __call__(self, html: str) -> None:
        self.told.append(html)


async def test_due_feeds_are_polled_and_the_others_wait(
    runtime: Runtime, store: Store, web: Web
) -> None:
    first = await store.add_feed(f"{SITES[0]}/feed.xml", interval_minutes=30, added_by=None)
    await store.add_feed(f"{SITES[1]}/feed.xml", interval_minutes=30, added_by=None)
    poller = FeedPoller(runtime, Admins())
    assert await poller.run_due(datetime.now(UTC)) == 2  # never checked: both are due
    web.feeds[SITES[0]].append("library")
    web.requests.clear()
    soon = datetime.now(UTC) + timedelta(minutes=10)
    assert await poller.run_due(soon) == 0
    assert web.requests == []
    later = datetime.now(UTC) + timedelta(minutes=31)
    assert await poller.run_due(later) == 1  # only the new entry; the old one was seen
    assert await store.count_articles() == 3
    (checked,) = [f for f in await store.list_feeds() if f.id == first.id]
    assert checked.last_checked_at is not None and checked.last_error is None


async def test_a_failing_feed_tells_the_admins_at_first_and_then_every_tenth_time(
    runtime: Runtime, store: Store, web: Web
) -> None:
    await store.add_feed(f"{SITES[0]}/feed.xml", interval_minutes=5, added_by=None)
    web.broken.add(SITES[0])
    admins = Admins()
    poller = FeedPoller(runtime, admins)
    now = datetime.now(UTC)
    for poll in range(REMIND_EVERY):
        await poller.run_due(now + timedelta(minutes=6 * (poll + 1)))
    assert len(admins.told) == 2
    assert admins.told[0].startswith("⚠️ Feed #1 failed (1×)")
    assert f"({REMIND_EVERY}×)" in admins.told[1] and "500" in admins.told[1]
    (feed,) = await store.list_feeds()
    assert feed.failures == REMIND_EVERY


async def test_due_feeds_are_polled_side_by_side(runtime: Runtime, store: Store, web: Web) -> None:
    # The first site's feed answers only once the second's has been asked for: one poll
    # after the other would wait forever (wait_for gives up after 10 s and fails the poll).
    web.hold_first_until_second = asyncio.Event()
    for site in SITES:
        await store.add_feed(f"{site}/feed.xml", interval_minutes=30, added_by=None)
    admins = Admins()
    assert await FeedPoller(runtime, admins).run_due(datetime.now(UTC)) == 2
    assert admins.told == []


async def test_an_entry_that_fails_is_no_feed_failure_even_at_the_feeds_own_address(
    runtime: Runtime, store: Store, web: Web
) -> None:
    # The entry links back to the feed itself, so its rejected item carries the feed's URL
    # as its source: only a typed feed failure tells the two apart.
    url = f"{SITES[0]}/feed.xml"
    web.feeds[SITES[0]] = ["feed.xml"]
    await store.add_feed(url, interval_minutes=5, added_by=None)
    admins = Admins()
    report = await runtime.ingestor.ingest_feed(url, allow_private=False, feed_id=1)
    assert [(i.source, i.status) for i in report.items] == [(url, "rejected")]
    assert report.feed_failure is None
    await FeedPoller(runtime, admins).run_due(datetime.now(UTC) + timedelta(minutes=6))
    assert admins.told == []
    (feed,) = await store.list_feeds()
    assert feed.failures == 0 and feed.last_error is None


async def test_a_feed_failure_says_what_kind_it_is(runtime: Runtime, web: Web) -> None:
    url = f"{SITES[0]}/feed.xml"
    web.broken.add(SITES[0])
    down = await runtime.ingestor.ingest_feed(url, allow_private=False)
    assert down.feed_failure is not None
    assert down.feed_failure.problem is FeedProblem.UNREACHABLE
    page = await runtime.ingestor.ingest_feed(f"{SITES[0]}/storm", allow_private=False)
    assert page.feed_failure == FeedFailure(
        FeedProblem.NOT_A_FEED, "this address is a web page, not an RSS or Atom feed"
    )
