"""Recognising and parsing RSS/Atom feeds from bytes newsbot fetched itself.

feedparser can fetch URLs and open local files when handed a string, so it only ever gets a
BytesIO here: the safe, size-limited fetch in handlers.ingestion.fetch stays the only way out.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
from newsbot.handlers.ingestion.extract import html_to_text
from newsbot.handlers.ingestion.urls import UrlError, validate_url

# Markers of a feed's root element; checked near the start of the body.
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
_FEED_MIME_HINTS = ("rss", "atom", "xml", "rdf")
# A numeric character reference, decimal or hex (at most 8 digits: past that it is invalid).
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,8}));")
_REPLACEMENT_REF = b"&#xFFFD;"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item. `key` identifies it across polls; `text` may be only a teaser."""

    key: str
    title: str | None
    link: str | None
    text: str
    author: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and its entries in feed order."""

    title: str | None
    entries: tuple[FeedEntry, ...]


class MalformedFeedError(ValueError):
    """The bytes are not a usable RSS/Atom feed; str(error) is a user-facing reason."""


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """Whether an HTTP response is a feed rather than a web page.

    Servers label feeds inconsistently (text/xml, application/octet-stream, even text/html),
    so the root element decides; the content type only rules out what is plainly a page.
    """
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<html" in head or b"<!doctype html" in head:
        return False
    if (
        content_type
        and "html" in content_type
        and not any(hint in content_type for hint in _FEED_MIME_HINTS)
    ):
        return False
    return any(root in head for root in _FEED_ROOTS)


def parse_feed(body: bytes, *, url: str, max_entries: int) -> ParsedFeed:
    """Parse at most `max_entries` entries; raises MalformedFeedError if it is not a feed."""
    parsed: Any = feedparser.parse(
        io.BytesIO(_valid_char_refs(body)),
        response_headers={"content-location": url, "content-type": "application/xml"},
        sanitize_html=True,
    )
    # feedparser salvages what it can from broken XML; keep only entries worth ingesting.
    entries = tuple(
        entry
        for entry in (_entry(raw) for raw in parsed.entries[:max_entries])
        if entry.link or entry.text
    )
    broken = isinstance(parsed.get("bozo_exception"), xml.sax.SAXParseException)
    if not entries and (broken or not parsed.get("version")):
        raise MalformedFeedError(
            f"this is not a valid RSS or Atom feed{_problem(parsed)} — check the feed address"
        )
    title = str(parsed.feed.get("title") or "").strip() or None
    return ParsedFeed(title=title, entries=entries)


def _valid_char_refs(body: bytes) -> bytes:
    """The body with references to no character (a surrogate, past U+10FFFF) as U+FFFD.

    feedparser raises ValueError on them instead of reporting a broken feed; a browser shows
    the replacement character, and so does newsbot.
    """

    def valid(match: re.Match[bytes]) -> bytes:
        code = int(match[1], 16) if match[1] else int(match[2])
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return _REPLACEMENT_REF
        return match[0]

    if b"&#" not in body:
        return body
    return _CHAR_REF.sub(valid, body)


def _problem(parsed: Any) -> str:
    error = parsed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        return f" (XML error at line {error.getLineNumber()})"
    return ""


def _entry(raw: Any) -> FeedEntry:
    link = _web_link(str(raw.get("link") or ""))
    title = str(raw.get("title") or "").strip() or None
    contents = raw.get("content") or []
    html = max((str(c.get("value") or "") for c in contents), key=len, default="")
    if len(html) < len(str(raw.get("summary") or "")):
        html = str(raw.get("summary"))
    published = raw.get("published_parsed") or raw.get("updated_parsed")
    return FeedEntry(
        key=_entry_key(raw, link, title),
        title=title,
        link=link,
        text=html_to_text(html) if html else "",
        author=str(raw.get("author") or "").strip() or None,
        published_at=_to_datetime(published),
    )


def _web_link(link: str) -> str | None:
    # feedparser falls back to an entry's id as its link, and ids like "tag:site,2024:1"
    # are no web address: such an entry has no link to fetch.
    try:
        return validate_url(link)
    except UrlError:
        return None


def _entry_key(raw: Any, link: str | None, title: str | None) -> str:
    # Prefer the feed's own stable id; a link or title change then does not re-add the entry.
    stable = str(raw.get("id") or "").strip() or link
    if stable:
        return stable
    digest = hashlib.sha256(f"{title}\n{raw.get('summary', '')}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _to_datetime(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        # feedparser normalises dates to UTC struct_time.
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None
