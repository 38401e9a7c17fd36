"""Recognising feeds among HTTP responses and parsing RSS/Atom entries from bytes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from newsbot.handlers.ingestion.feeds import MalformedFeedError, looks_like_feed, parse_feed

from tests.handlers.conftest import LIBRARY_TEXT, page_html, rss_feed

BASE = "https://courier.example"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Ledger</title>
  <entry>
    <title>Harbour bridge opens</title>
    <id>tag:ledger.example,2024:bridge</id>
    <link href="https://ledger.example/bridge"/>
    <updated>2024-04-01T08:30:00+02:00</updated>
    <author><name>Mara Lind</name></author>
    <summary type="html">&lt;p&gt;The bridge &lt;b&gt;opened&lt;/b&gt; today.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>No link, no id</title>
    <content type="text">Only some words here.</content>
  </entry>
</feed>"""


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/rss+xml", b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'),
        ("text/xml", b"\xef\xbb\xbf<?xml version='1.0'?>\n<feed xmlns='x'></feed>"),
        ("application/octet-stream", b"<rdf:RDF xmlns:rdf='x'></rdf:RDF>"),
        ("", b"  <rss version='2.0'></rss>"),
        ("text/html; rss", b"<rss version='2.0'></rss>"),
    ],
)
def test_feeds_are_recognised(content_type: str, body: bytes) -> None:
    assert looks_like_feed(content_type, body)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", page_html("Storm", "Some text about an RSS feed <rss>.").encode()),
        ("application/xml", b"<!DOCTYPE html><html><body><rss></rss></body></html>"),
        ("text/html", b"<rss version='2.0'></rss>"),
        ("text/plain", b"Just words about feeds."),
        ("application/json", b'{"feed": "no"}'),
    ],
)
def test_pages_are_not_feeds(content_type: str, body: bytes) -> None:
    assert not looks_like_feed(content_type, body)


def test_rss_entries_in_order_with_text_links_and_dates() -> None:
    feed = parse_feed(rss_feed(BASE).encode(), url=f"{BASE}/feed.xml", max_entries=50)
    assert feed.title == "Coast Courier"
    # feedparser resolves relative guids against the feed address, which keeps them stable.
    keys = ["lib-1", "storm-1", "market-1", "gone-1"]
    assert [e.key for e in feed.entries] == [f"{BASE}/{key}" for key in keys]
    library = feed.entries[0]
    assert library.title == "Library reopens"
    assert library.link == f"{BASE}/library"
    # The full content:encoded body beats the one-line description.
    assert library.text == LIBRARY_TEXT
    assert library.published_at == datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    assert feed.entries[1].text == "A storm swept the coast."
    assert feed.entries[1].published_at is None


def test_max_entries_caps_the_entries() -> None:
    feed = parse_feed(rss_feed(BASE).encode(), url=f"{BASE}/feed.xml", max_entries=2)
    assert [e.title for e in feed.entries] == ["Library reopens", "Storm hits coast"]


def test_atom_entries() -> None:
    feed = parse_feed(ATOM, url="https://ledger.example/atom", max_entries=50)
    assert feed.title == "Valley Ledger"
    bridge, unlinked = feed.entries
    assert bridge.key == "tag:ledger.example,2024:bridge"
    assert bridge.link == "https://ledger.example/bridge"
    assert bridge.author == "Mara Lind"
    assert bridge.text == "The bridge opened today."
    assert bridge.published_at == datetime(2024, 4, 1, 6, 30, tzinfo=UTC)
    # Without an id or a link the key is a hash of the content, stable across polls.
    assert unlinked.link is None
    assert unlinked.key.startswith("sha256:")
    again = parse_feed(ATOM, url="https://ledger.example/atom", max_entries=50)
    assert again.entries[1].key == unlinked.key


def test_entry_html_is_sanitised_to_text() -> None:
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item>"
        b"<title>A</title><link>https://x.example/a</link><description>"
        b"&lt;p&gt;Visible&lt;/p&gt;&lt;script&gt;SECRETSCRIPT&lt;/script&gt;"
        b"</description></item></channel></rss>"
    )
    (entry,) = parse_feed(body, url="https://x.example/rss", max_entries=5).entries
    assert entry.text == "Visible"


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Oops</item>',
        b"<html><body>Not a feed</body></html>",
        b"",
        b"\x00\x01\x02 binary",
    ],
)
def test_malformed_feeds_raise_a_friendly_error(body: bytes) -> None:
    with pytest.raises(MalformedFeedError, match="not a valid RSS or Atom feed"):
        parse_feed(body, url="https://x.example/rss", max_entries=5)


def test_valid_empty_feed_has_no_entries() -> None:
    body = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    feed = parse_feed(body, url="https://x.example/rss", max_entries=5)
    assert feed.title == "Quiet"
    assert feed.entries == ()


@pytest.mark.parametrize("reference", [b"&#xD800;", b"&#55296;", b"&#x110000;", b"&#99999999;"])
def test_a_character_reference_no_text_can_hold_is_a_replacement_character(
    reference: bytes,
) -> None:
    # feedparser raises ValueError on these (chr() of a surrogate or past U+10FFFF).
    body = (
        b'<rss version="2.0"><channel><title>Ledger</title><item><title>Odd '
        + reference
        + b" title</title><link>https://ledger.example/odd</link><description>Some "
        + reference
        + b" words.</description></item></channel></rss>"
    )
    feed = parse_feed(body, url=BASE, max_entries=5)
    [entry] = feed.entries
    assert entry.title == "Odd \ufffd title"
    assert entry.text == "Some \ufffd words."
