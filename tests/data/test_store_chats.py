"""Chats, digest settings and delivery claims, feeds, events and stats."""

from __future__ import annotations

import pytest
from newsbot.data.errors import DuplicateFeedError, UnknownChatError
from newsbot.data.store import EVENTS_KEPT, Store

from tests.data.conftest import article, quote


async def test_upsert_and_get_chat(store: Store) -> None:
    assert await store.get_chat(1) is None
    chat = await store.upsert_chat(1, "private", "Ada")
    assert (chat.id, chat.type, chat.title, chat.digest_enabled, chat.blocked) == (
        1, "private", "Ada", False, False,
    )  # fmt: skip
    assert chat.digest_watermark == 0 and chat.last_digest_at is None
    renamed = await store.upsert_chat(1, "private", "Ada L.")
    assert renamed.title == "Ada L."
    assert await store.get_chat(1) == renamed


async def test_set_digest_and_digest_chats(store: Store) -> None:
    await store.upsert_chat(1, "private", None)
    await store.upsert_chat(2, "group", "Team")
    chat = await store.set_digest(1, enabled=True, time="07:30", timezone="Europe/Berlin")
    assert (chat.digest_enabled, chat.digest_time, chat.timezone) == (
        True, "07:30", "Europe/Berlin",
    )  # fmt: skip
    assert [c.id for c in await store.digest_chats()] == [1]
    with pytest.raises(UnknownChatError):
        await store.set_digest(99, enabled=True, time=None, timezone=None)


async def test_mark_blocked_disables_digest_and_upsert_unblocks(store: Store) -> None:
    await store.upsert_chat(1, "private", None)
    await store.set_digest(1, enabled=True, time="08:00", timezone=None)
    await store.mark_blocked(1, "bot was blocked by the user")
    chat = await store.get_chat(1)
    assert chat is not None
    assert (chat.blocked, chat.blocked_reason, chat.digest_enabled) == (
        True, "bot was blocked by the user", False,
    )  # fmt: skip
    assert await store.digest_chats() == []
    await store.mark_blocked(404, "unknown chats are ignored")
    back = await store.upsert_chat(1, "private", None)
    assert (back.blocked, back.blocked_reason, back.digest_enabled) == (False, None, False)


async def test_migrate_chat_keeps_settings_and_history(store: Store) -> None:
    await store.upsert_chat(-100, "group", "Newsroom")
    await store.set_digest(-100, enabled=True, time="09:15", timezone="Europe/London")
    assert await store.claim_digest(-100, "2024-05-01")
    await store.complete_digest(-100, "2024-05-01", watermark=7, sent_articles=3)
    await store.migrate_chat(-100, -1001)
    assert await store.get_chat(-100) is None
    moved = await store.get_chat(-1001)
    assert moved is not None
    assert (moved.type, moved.title, moved.digest_enabled, moved.digest_time, moved.timezone) == (
        "supergroup", "Newsroom", True, "09:15", "Europe/London",
    )  # fmt: skip
    assert moved.digest_watermark == 7 and moved.last_digest_at is not None
    assert not await store.claim_digest(-1001, "2024-05-01")  # the delivery moved too


async def test_migrate_chat_onto_an_already_known_new_id(store: Store) -> None:
    await store.upsert_chat(-100, "group", "Newsroom")
    await store.set_digest(-100, enabled=True, time="09:15", timezone=None)
    await store.upsert_chat(-1001, "supergroup", "Newsroom")
    await store.migrate_chat(-100, -1001)
    moved = await store.get_chat(-1001)
    assert moved is not None and moved.digest_enabled and moved.digest_time == "09:15"
    assert await store.get_chat(-100) is None
    await store.migrate_chat(-5, -6)  # unknown old id: nothing happens
    assert await store.get_chat(-6) is None


async def test_claim_complete_and_release_digest(store: Store) -> None:
    await store.upsert_chat(1, "private", None)
    assert await store.claim_digest(1, "2024-05-01T07:00")
    assert not await store.claim_digest(1, "2024-05-01T07:00")
    await store.release_digest(1, "2024-05-01T07:00", "network down")
    assert await store.claim_digest(1, "2024-05-01T07:00")
    await store.complete_digest(1, "2024-05-01T07:00", watermark=12, sent_articles=4)
    assert not await store.claim_digest(1, "2024-05-01T07:00")
    await store.release_digest(1, "2024-05-01T07:00", "late failure")  # delivered stays
    assert not await store.claim_digest(1, "2024-05-01T07:00")
    chat = await store.get_chat(1)
    assert chat is not None and chat.digest_watermark == 12 and chat.last_digest_at is not None
    await store.claim_digest(1, "2024-05-02T07:00")
    await store.complete_digest(1, "2024-05-02T07:00", watermark=5, sent_articles=0)
    chat = await store.get_chat(1)
    assert chat is not None and chat.digest_watermark == 12  # never moves backwards
    with pytest.raises(UnknownChatError):
        await store.claim_digest(2, "2024-05-01T07:00")


async def test_feeds_add_duplicate_list_remove(store: Store) -> None:
    feed = await store.add_feed("https://example.org/rss", interval_minutes=30, added_by=7)
    assert (feed.url, feed.interval_minutes, feed.added_by, feed.failures) == (
        "https://example.org/rss", 30, 7, 0,
    )  # fmt: skip
    with pytest.raises(DuplicateFeedError) as caught:
        await store.add_feed("https://example.org/rss", interval_minutes=60, added_by=None)
    assert caught.value.feed_id == feed.id
    other = await store.add_feed("https://example.org/atom", interval_minutes=60, added_by=None)
    assert [f.id for f in await store.list_feeds()] == [feed.id, other.id]
    assert await store.remove_feed(str(feed.id))
    assert await store.remove_feed("https://example.org/atom")
    assert not await store.remove_feed("#999")
    assert await store.list_feeds() == []


async def test_record_feed_check_counts_failures(store: Store) -> None:
    feed = await store.add_feed("https://example.org/rss", interval_minutes=30, added_by=None)
    await store.record_feed_check(feed.id, error="HTTP 500")
    await store.record_feed_check(feed.id, error="timeout")
    (failing,) = await store.list_feeds()
    assert (failing.failures, failing.last_error, failing.last_ok_at) == (2, "timeout", None)
    assert failing.last_checked_at is not None
    assert (await store.stats()).feeds_failing == 1
    await store.record_feed_check(feed.id, error=None, title="Example news")
    (ok,) = await store.list_feeds()
    assert (ok.failures, ok.last_error, ok.title) == (0, None, "Example news")
    assert ok.last_ok_at is not None


async def test_feed_entries_seen_and_marked(store: Store) -> None:
    feed = await store.add_feed("https://example.org/rss", interval_minutes=30, added_by=None)
    keys = [f"entry-{n}" for n in range(1200)]  # more than one IN (...) chunk
    assert await store.seen_feed_entries(feed.id, keys) == set()
    await store.mark_feed_entries(feed.id, keys[:700])
    await store.mark_feed_entries(feed.id, keys[:3])  # marking twice is harmless
    assert await store.seen_feed_entries(feed.id, keys) == set(keys[:700])
    await store.remove_feed(str(feed.id))
    await store.mark_feed_entries(feed.id, ["late"])  # removed feed: ignored
    assert await store.seen_feed_entries(feed.id, keys) == set()


async def test_events_newest_first_and_pruned(store: Store) -> None:
    await store.record_event("error", "first")
    await store.record_event("feed-failed", "second")
    events = await store.recent_events(5)
    assert [(e.kind, e.message) for e in events] == [("feed-failed", "second"), ("error", "first")]
    assert events[0].at.tzinfo is not None
    assert EVENTS_KEPT >= 1000


async def test_stats(store: Store) -> None:
    await store.add_article(article(), None, [quote("Hi", "Ada Lovelace"), quote("Yo", None)])
    await store.upsert_chat(1, "private", None)
    await store.upsert_chat(2, "private", None)
    await store.set_digest(1, enabled=True, time="07:00", timezone=None)
    await store.mark_blocked(2, "blocked")
    await store.add_feed("https://example.org/rss", interval_minutes=30, added_by=None)
    stats = await store.stats()
    assert (stats.articles, stats.quotes, stats.speakers) == (1, 2, 1)
    assert (stats.chats, stats.digest_chats, stats.blocked_chats) == (2, 1, 1)
    assert (stats.feeds, stats.feeds_failing) == (1, 0)
    assert stats.db_bytes > 0
