"""Daily digests: the /digest command, the schedule rule and the delivery run.

Schedule rule (also in the README): a chat's digest is due at HH:MM wall-clock time in its
IANA time zone, every day. Each day is a *slot* named by the local date; a slot is claimed in
the store before sending, so a restart never sends the same day twice (at most once: a
crash between claim and send loses that day's digest rather than doubling it). A digest whose
time passed while the bot was down goes out once at start-up if it is less than 12 hours
late; later than that, the day is skipped. On the day of a DST change a wall time that does
not exist (02:30 when clocks jump from 02:00 to 03:00) fires an hour later, and an ambiguous
one fires at its first occurrence.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from newsbot.data.models import ArticleListing, Chat
from newsbot.handlers.commands import views
from newsbot.handlers.commands.args import UsageError
from newsbot.handlers.commands.formatting import MESSAGE_LIMIT, esc, format_moment, plain_length
from newsbot.handlers.delivery import ChatMovedError, ChatUnavailableError, DeliveryError, Sender
from newsbot.handlers.replies import Reply
from newsbot.handlers.requests import Request
from newsbot.handlers.runtime import Runtime

log = logging.getLogger(__name__)

DEFAULT_TIME = "08:00"
LATE_LIMIT = timedelta(hours=12)
DIGEST_ARTICLES = 8
# Room left under Telegram's limit for the closing pointer to /latest.
DIGEST_BUDGET = MESSAGE_LIMIT - 100
# Deliveries in flight at once; the rate limiter, not this, paces Telegram traffic.
CONCURRENT_SENDS = 64

USAGE = (
    "Use /digest on [HH:MM] [Area/City] — e.g. /digest on 07:30 Europe/Berlin — "
    "or /digest off, /digest now, /digest status."
)


def parse_time(text: str) -> str:
    """Strict 24-hour HH:MM (or H:MM); anything else gets a friendly explanation."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise UsageError(
            f"“{esc(text[:20])}” is not a time. Times are 24-hour HH:MM, e.g. 07:30 or 18:00."
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


@lru_cache(maxsize=1)
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def resolve_timezone(name: str) -> ZoneInfo:
    """An IANA zone by name, case-insensitively (`europe/berlin` works too)."""
    canonical = _zones_by_folded_name().get(name.strip().casefold())
    if canonical is None:
        raise UsageError(
            f"“{esc(name[:40])}” is not a time zone I know. Use an IANA name such as "
            "Europe/Berlin, America/New_York or Asia/Kolkata."
        )
    return ZoneInfo(canonical)


def scheduled_at(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """The UTC instant of HH:MM on `day` in `tz` (DST gaps move forward, folds take the first)."""
    hour, minute = map(int, hhmm.split(":"))
    local = datetime.combine(day, time(hour, minute), tzinfo=tz)
    return local.astimezone(ZoneInfo("UTC"))


def chat_zone(chat: Chat, default: ZoneInfo) -> ZoneInfo:
    """The chat's own time zone, or the default when it has none (or an unknown one)."""
    try:
        return ZoneInfo(chat.timezone) if chat.timezone else default
    except (ValueError, KeyError):
        return default


def due_slot(chat: Chat, now: datetime, default_tz: ZoneInfo) -> tuple[str, datetime] | None:
    """The slot (local date) due at `now` and its scheduled instant, if any."""
    if not chat.digest_enabled or not chat.digest_time or chat.blocked:
        return None
    tz = chat_zone(chat, default_tz)
    today = now.astimezone(tz).date()
    for day in (today, today - timedelta(days=1)):
        at = scheduled_at(day, chat.digest_time, tz)
        if at <= now < at + LATE_LIMIT:
            return day.isoformat(), at
    return None


def next_run(chat: Chat, now: datetime, default_tz: ZoneInfo) -> datetime | None:
    """When the chat's next digest is scheduled (aware, in the chat's zone)."""
    if not chat.digest_enabled or not chat.digest_time:
        return None
    tz = chat_zone(chat, default_tz)
    day = now.astimezone(tz).date()
    for offset in range(3):
        at = scheduled_at(day + timedelta(days=offset), chat.digest_time, tz)
        if at > now:
            return at.astimezone(tz)
    return None  # pragma: no cover - some day within three is always later


def digest_reply(articles: list[ArticleListing], more: bool, rt: Runtime, title: str) -> Reply:
    """The digest message: newest articles with a summary sentence and a link each.

    Cards are added while the message still fits one Telegram message, so a digest costs
    one send per chat (a fan-out to 1,000 chats stays within the overall rate limit); the
    articles that did not fit are counted in a pointer to /latest.
    """
    text = f"🗞 <b>{esc(title)}</b>"
    shown = 0
    for number, article in enumerate(articles, 1):
        card = views.article_card(article, rt.timezone, number=number, sentences=1)
        if plain_length(text + "\n\n" + card) > DIGEST_BUDGET:
            break
        text += "\n\n" + card
        shown += 1
    left = len(articles) - shown
    if more:
        text += "\n\n…and more new articles: /latest"
    elif left:
        text += f"\n\n…and {left} more: /latest"
    return Reply(text)


@dataclass(frozen=True, slots=True)
class Digest:
    """A digest ready to send: the reply, how many articles it shows, the new watermark."""

    reply: Reply
    articles: int
    watermark: int


async def build_digest(rt: Runtime, chat: Chat) -> Digest | None:
    """The newest articles added since the chat's watermark; None when nothing is new."""
    newest = await rt.store.latest(DIGEST_ARTICLES + 1)
    fresh = [a for a in newest if a.id > chat.digest_watermark]
    if not fresh:
        return None
    shown = fresh[:DIGEST_ARTICLES]
    reply = digest_reply(shown, len(fresh) > len(shown), rt, "Your news digest")
    return Digest(reply, len(shown), max(a.id for a in fresh))


async def digest_command(rt: Runtime, request: Request) -> Reply:
    """/digest on [HH:MM] [Area/City] | off | now | status."""
    caller = request.caller
    tokens = request.args.split()
    action = tokens[0].lower() if tokens else "status"
    chat = await rt.store.upsert_chat(caller.chat_id, caller.chat_type, caller.chat_title)
    if action == "status":
        return Reply(_status(chat, rt))
    if action not in ("on", "off", "now"):
        raise UsageError(USAGE)
    if action == "now":
        if len(tokens) > 1:
            raise UsageError(USAGE)
        if caller.is_group and not await request.is_chat_admin():
            # it moves the group's digest on: a member could otherwise empty the daily one
            return Reply(
                "Only this group's administrators can send its digest early. "
                "/latest shows the newest articles to anyone."
            )
        digest = await build_digest(rt, chat)
        if digest is None:
            return Reply("Nothing new since the last digest. Try /latest for recent articles.")
        # An on-demand digest moves the watermark too, so the next daily one does not repeat it.
        slot = f"now-{datetime.now().astimezone().isoformat()}"
        if await rt.store.claim_digest(chat.id, slot):
            await rt.store.complete_digest(
                chat.id, slot, watermark=digest.watermark, sent_articles=digest.articles
            )
        return digest.reply
    if caller.local:
        return Reply(
            "Scheduled digests are delivered in Telegram chats. "
            "Here, /digest now shows what a digest would contain."
        )
    if caller.is_group and not await request.is_chat_admin():
        return Reply(
            "Only this group's administrators can change its digest. "
            "Anyone can check it with /digest status."
        )
    if action == "off":
        if len(tokens) > 1:
            raise UsageError(USAGE)
        await rt.store.set_digest(
            chat.id, enabled=False, time=chat.digest_time, timezone=chat.timezone
        )
        return Reply("Daily digest turned off. Turn it back on with /digest on.")
    return await _turn_on(rt, chat, tokens[1:])


async def _turn_on(rt: Runtime, chat: Chat, tokens: list[str]) -> Reply:
    if len(tokens) > 2:
        raise UsageError(USAGE)
    hhmm = chat.digest_time or DEFAULT_TIME
    zone = chat.timezone or rt.timezone.key
    for token in tokens:
        if ":" in token or token.lstrip("-").isdigit() or token.lower().endswith(("am", "pm")):
            hhmm = parse_time(token)
        else:
            zone = resolve_timezone(token).key
    chat = await rt.store.set_digest(chat.id, enabled=True, time=hhmm, timezone=zone)
    now = datetime.now().astimezone()
    # Switching on after today's time has passed must not fire today's digest at once.
    slot = due_slot(chat, now, rt.timezone)
    if slot is not None and await rt.store.claim_digest(chat.id, slot[0]):
        await rt.store.complete_digest(
            chat.id, slot[0], watermark=chat.digest_watermark, sent_articles=0
        )
    return Reply("✅ Daily digest is on.\n" + _status(chat, rt))


def _status(chat: Chat, rt: Runtime) -> str:
    if not chat.digest_enabled or not chat.digest_time:
        return "The daily digest is off here. " + esc(USAGE)
    zone = chat_zone(chat, rt.timezone)
    lines = [f"Daily digest at <b>{chat.digest_time}</b> ({esc(zone.key)})."]
    upcoming = next_run(chat, datetime.now().astimezone(), rt.timezone)
    if upcoming is not None:
        lines.append(f"Next: {format_moment(upcoming)}.")
    if chat.last_digest_at is not None:
        lines.append(f"Last sent: {format_moment(chat.last_digest_at.astimezone(zone))}.")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class DigestRun:
    """What one scheduler tick did."""

    sent: int = 0
    empty: int = 0
    failed: int = 0
    disabled: int = 0


class DigestService:
    """Finds the chats whose digest is due and delivers each at most once per day."""

    def __init__(self, rt: Runtime, sender: Sender) -> None:
        self._rt = rt
        self._sender = sender
        self._limit = asyncio.Semaphore(CONCURRENT_SENDS)

    async def run_due(self, now: datetime) -> DigestRun:
        """Deliver every digest due at `now` (an aware datetime; tests inject it)."""
        chats = await self._rt.store.digest_chats()
        due = [(c, slot) for c in chats if (slot := due_slot(c, now, self._rt.timezone))]
        outcomes = await asyncio.gather(*(self._deliver(c, s[0]) for c, s in due))
        return DigestRun(
            sent=outcomes.count("sent"),
            empty=outcomes.count("empty"),
            failed=outcomes.count("failed"),
            disabled=outcomes.count("disabled"),
        )

    async def _deliver(self, chat: Chat, slot: str) -> str:
        store = self._rt.store
        async with self._limit:
            if not await store.claim_digest(chat.id, slot):
                return "claimed"
            digest = await build_digest(self._rt, chat)
            if digest is None:
                await store.complete_digest(
                    chat.id, slot, watermark=chat.digest_watermark, sent_articles=0
                )
                return "empty"
            try:
                chat_id = await self._send(chat.id, digest.reply)
            except ChatUnavailableError as exc:
                await store.mark_blocked(exc.chat_id, exc.reason)
                await store.record_event("chat-blocked", f"chat {exc.chat_id}: {exc.reason}")
                return "disabled"
            except DeliveryError as exc:
                # Free the slot so the next tick retries while the digest is < 12 h late.
                await store.release_digest(chat.id, slot, str(exc))
                await store.record_event("digest-failed", f"chat {chat.id}: {exc}")
                return "failed"
            await store.complete_digest(
                chat_id, slot, watermark=digest.watermark, sent_articles=digest.articles
            )
            return "sent"

    async def _send(self, chat_id: int, reply: Reply) -> int:
        """Send, following a group's upgrade to a supergroup; returns the id that worked."""
        try:
            await self._sender.send(chat_id, reply)
        except ChatMovedError as moved:
            await self._rt.store.migrate_chat(chat_id, moved.new_chat_id)
            await self._sender.send(moved.new_chat_id, reply)
            return moved.new_chat_id
        return chat_id
