"""Admin commands: /add, /feed, /remove and /stats (only for ADMIN_IDS; the router checks)."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from newsbot.data.errors import DuplicateFeedError
from newsbot.handlers.commands import views
from newsbot.handlers.commands.args import UsageError, whole_number
from newsbot.handlers.commands.formatting import esc, truncate
from newsbot.handlers.ingestion.fetch import is_public_address
from newsbot.handlers.ingestion.outcomes import IngestItem, IngestReport
from newsbot.handlers.ingestion.urls import UrlError, canonicalize
from newsbot.handlers.replies import Reply
from newsbot.handlers.requests import Request
from newsbot.handlers.runtime import Runtime

ADD_USAGE = (
    "Send /add followed by the article text (first line = title), or reply /add to a message, "
    "or attach a .txt, .md, .html or .json file with /add as its caption, or send /add URL."
)
FEED_USAGE = "Use /feed add URL [minutes], /feed remove URL|ID or /feed list."
MAX_URLS = 10
REPORT_ITEMS = 20
DEFAULT_FEED_MINUTES = 30
FEED_MINUTES = range(5, 24 * 60 + 1)
_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)


def urls_only(text: str) -> list[str] | None:
    """The URLs when `text` is nothing but whitespace-separated http(s) URLs."""
    tokens = text.split()
    if tokens and all(_URL_RE.match(t) for t in tokens):
        return tokens
    return None


def report_view(report: IngestReport) -> str:
    """One line per item (capped), headed by the counts."""
    lines = [f"<b>{esc(report.summary_line())}</b>"]
    for item in report.items[:REPORT_ITEMS]:
        lines.append(_item_line(item))
    if len(report.items) > REPORT_ITEMS:
        lines.append(f"…and {len(report.items) - REPORT_ITEMS} more.")
    return "\n".join(lines)


def _item_line(item: IngestItem) -> str:
    title = f"“{esc(truncate(item.title, 80))}”" if item.title else esc(truncate(item.source, 80))
    if item.status == "added":
        return f"✅ Added #{item.article_id} {title} — /summary {item.article_id}"
    if item.status == "duplicate":
        where = f" as #{item.article_id}" if item.article_id else ""
        return f"↩️ Already stored{where}: {title}"
    return f"❌ {esc(truncate(item.source, 80))}: {esc(item.reason or 'rejected')}"


async def add(rt: Runtime, request: Request) -> Reply:
    """/add: pasted text, a replied-to message, an attached file, or URLs."""
    ingestor = rt.ingestor
    added_by = request.caller.user_id
    attachment = request.attachment
    if attachment is not None:
        if attachment.is_photo:
            return Reply(
                "I can't read photos. Send the article as text, as a .txt, .md, "
                ".html or .json file, or as a link."
            )
        limit = ingestor.limits.max_bytes
        if attachment.size is not None and attachment.size > limit:
            return Reply(
                f"That file is {attachment.size / 1_048_576:.1f} MB; the limit is "
                f"{limit / 1_048_576:.0f} MB. Send a smaller file or a link to the article."
            )
        data = await attachment.download()
        report = await ingestor.ingest_bytes(
            data, attachment.file_name, added_by=added_by, mime_type=attachment.mime_type
        )
        return Reply(report_view(report))
    text = request.args.strip() or (request.replied_text or "").strip()
    if not text:
        raise UsageError(ADD_USAGE)
    urls = urls_only(text)
    if urls is not None:
        if len(urls) > MAX_URLS:
            raise UsageError(f"Send at most {MAX_URLS} links at a time.")
        # one time budget for the whole command, not one per link
        report = await ingestor.ingest_urls(
            urls, added_by=added_by, allow_private=request.caller.local
        )
        return Reply(report_view(report))
    item = await ingestor.ingest_text(text, added_by=added_by, source="text")
    return Reply(report_view(IngestReport(items=(item,))))


async def remove(rt: Runtime, request: Request) -> Reply:
    """/remove ID: delete an article with its summaries and quotes."""
    arg = request.args.strip().lstrip("#")
    article_id = whole_number(arg)
    if article_id is None:
        raise UsageError("Use /remove ID, e.g. /remove 12 (the number shown after #).")
    if await rt.store.remove_article(article_id):
        return Reply(f"Removed article #{arg} with its summaries and quotes.")
    return Reply(f"There is no article #{arg}.")


async def feed(rt: Runtime, request: Request) -> Reply:
    """/feed add URL [minutes] | remove URL|ID | list."""
    tokens = request.args.split()
    action = tokens[0].lower() if tokens else "list"
    if action == "list" and len(tokens) <= 1:
        return Reply(await _feed_list(rt))
    if action == "add" and len(tokens) in (2, 3):
        return Reply(await _feed_add(rt, request, tokens[1], tokens[2:]))
    if action == "remove" and len(tokens) == 2:
        if await rt.store.remove_feed(tokens[1]):
            return Reply("Feed removed.")
        return Reply("No such feed. /feed list shows the feeds and their ids.")
    raise UsageError(FEED_USAGE)


async def _feed_add(rt: Runtime, request: Request, url: str, rest: list[str]) -> str:
    minutes = DEFAULT_FEED_MINUTES
    if rest:
        given = whole_number(rest[0])
        if given is None or given not in FEED_MINUTES:
            raise UsageError("The interval is in minutes, from 5 to 1440 (a day).")
        minutes = given
    try:
        canonical = canonicalize(url)
    except UrlError as exc:
        raise UsageError(f"That is not a feed address I can use: {esc(str(exc))}") from None
    if not request.caller.local and _names_a_private_host(canonical):
        # the poller would refuse it every time; better to say so now (host names that
        # resolve to private addresses are only found out when the poll resolves them)
        raise UsageError(
            "That feed is on a local or private network; newsbot only fetches public feeds."
        )
    try:
        added = await rt.store.add_feed(
            canonical, interval_minutes=minutes, added_by=request.caller.user_id
        )
    except DuplicateFeedError as exc:
        return f"That feed is already on the list (id {exc.feed_id})."
    return (
        f"Feed #{added.id} added: {esc(canonical)}\n"
        f"I'll check it every {minutes} minutes, starting within a minute."
    )


def _names_a_private_host(url: str) -> bool:
    """Whether the URL's host is "localhost" or an IP address that is not public."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        try:
            # inet_aton reads the shorthand forms resolvers accept too: "127.1",
            # "2130706433", "0x7f.0.0.1"
            address = socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return False  # a name: resolved at fetch time
    return not is_public_address(address)


async def _feed_list(rt: Runtime) -> str:
    feeds = await rt.store.list_feeds()
    if not feeds:
        return "No feeds yet. " + FEED_USAGE
    lines = ["<b>Feeds</b>"]
    for f in feeds:
        state = (
            "ok"
            if not f.last_error
            else f"failing ×{f.failures}: {esc(truncate(f.last_error, 80))}"
        )
        checked = f.last_checked_at.strftime("%d %b %H:%M") if f.last_checked_at else "not yet"
        name = esc(truncate(f.title or f.url, 80))
        lines.append(f"{f.id}. {name} — every {f.interval_minutes} min, checked {checked}, {state}")
    return "\n".join(lines)


async def stats(rt: Runtime, request: Request) -> Reply:
    """/stats: counts and recent problems."""
    del request  # same answer for every admin
    numbers = await rt.store.stats()
    events = await rt.store.recent_events(5)
    rows = [
        (e.at.astimezone(rt.timezone).strftime("%d %b %H:%M"), e.kind, e.message) for e in events
    ]
    return Reply(views.stats_view(numbers, rows))
