"""The command table and the one entry point every transport calls.

`Newsbot.handle` runs one request: throttle, look up, check admin rights, run, and turn any
failure into a friendly reply — no traceback ever reaches a user. Telegram and the console
both parse their input into a `Request` and send back the `Reply` they get.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from newsbot.handlers.commands import admin, articles, digest, who_said
from newsbot.handlers.commands.args import UsageError, whole_number
from newsbot.handlers.commands.formatting import esc
from newsbot.handlers.commands.throttle import Throttle
from newsbot.handlers.replies import Reply
from newsbot.handlers.requests import Caller, Request
from newsbot.handlers.runtime import Runtime

log = logging.getLogger(__name__)

Handler = Callable[[Runtime, Request], Awaitable[Reply]]

# Telegram command names allow only [a-z0-9_]; people also type these spellings.
ALIASES = {"who-said": "who_said", "whosaid": "who_said", "whosays": "who_said"}
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_-]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+|$)(.*)$", re.S)
ARGS_LIMIT = 4096
EXPIRED_BUTTON = "That button has expired — please send the command again."
FAILURE = "Sorry — something went wrong on my side. Please try again in a moment."


@dataclass(frozen=True, slots=True)
class Command:
    """One command: its handler and how /help and the Telegram menu describe it."""

    name: str
    handler: Handler | None  # None: answered by the router itself (/start, /help)
    description: str
    usage: str
    admin: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("start", None, "What newsbot does", "/start"),
    Command("help", None, "How to use newsbot", "/help"),
    Command("latest", articles.latest, "Newest articles with short summaries", "/latest [n]"),
    Command(
        "summary",
        articles.summary,
        "Summary of an article",
        "/summary ID | words [sentences] [algorithm]",
    ),
    Command(
        "who_said",
        who_said.who_said,
        "What someone said, or who said a phrase",
        '/who_said name | "phrase" [+indirect]',
    ),
    Command("search", articles.search, "Search the articles", "/search words"),
    Command(
        "digest",
        digest.digest_command,
        "Daily digest for this chat",
        "/digest on [HH:MM] [Area/City] | off | now | status",
    ),
    Command(
        "add", admin.add, "Add articles: text, reply, file or URLs", "/add text | URL…", admin=True
    ),
    Command(
        "feed",
        admin.feed,
        "Manage RSS/Atom feeds",
        "/feed add URL [minutes] | remove | list",
        admin=True,
    ),
    Command("remove", admin.remove, "Remove an article", "/remove ID", admin=True),
    Command("stats", admin.stats, "Statistics and recent problems", "/stats", admin=True),
)
BY_NAME = {c.name: c for c in COMMANDS}


def parse_command(text: str, bot_username: str | None = None) -> tuple[str, str] | None:
    """`/who-said@newsbot Putin` → ("who_said", "Putin"); None if not a command for us."""
    match = _COMMAND_RE.match(text.strip())
    if not match:
        return None
    name, target, args = match.group(1).lower(), match.group(2), match.group(3)
    if target and bot_username and target.lower() != bot_username.lower():
        return None  # addressed to another bot in the same group
    return ALIASES.get(name, name), args.strip()


class Newsbot:
    """Runs commands for any transport."""

    def __init__(self, rt: Runtime, throttle: Throttle | None = None) -> None:
        self.rt = rt
        self._throttle = throttle or Throttle()

    async def handle(self, request: Request) -> Reply | None:
        """The reply to `request`, or None when a flooding user is being ignored."""
        caller = request.caller
        if caller.user_id is not None and not caller.local:
            verdict = self._throttle.check(caller.user_id)
            if verdict == "drop":
                return None
            if verdict == "warn":
                return Reply(
                    "You're sending commands very fast — I'll answer again in a few seconds."
                )
        command = BY_NAME.get(request.command)
        if command is None:
            return Reply(f"I don't know /{esc(request.command[:32])}. Send /help for the commands.")
        if command.admin and not caller.is_bot_admin:
            log.warning(
                "refused /%s from non-admin user %s in chat %s",
                command.name,
                caller.user_id,
                caller.chat_id,
            )
            return Reply(f"Sorry, /{command.name} is only for newsbot's admins.")
        if len(request.args) > ARGS_LIMIT:
            return Reply("That message is too long for this command. Please shorten it.")
        try:
            if command.handler is None:
                return Reply(help_text(caller, welcome=command.name == "start"))
            return await command.handler(self.rt, request)
        except UsageError as exc:
            return Reply(str(exc))
        except Exception:
            log.exception("/%s failed for chat %s", command.name, caller.chat_id)
            await self._record_failure(command.name)
            return Reply(FAILURE)

    async def press(self, caller: Caller, action: str) -> Reply | None:
        """Run a button's action (`command page args`); stale or forged data is refused."""
        parts = action.split(" ", 2)
        page = whole_number(parts[1]) if len(parts) >= 2 else None
        if parts[0] not in BY_NAME or page is None or not 1 <= page <= 10_000:
            return Reply(EXPIRED_BUTTON)
        args = parts[2] if len(parts) == 3 else ""
        return await self.handle(Request(command=parts[0], args=args, caller=caller, page=page))

    async def _record_failure(self, command: str) -> None:
        try:
            await self.rt.store.record_event("error", f"/{command} failed; see the log")
        except Exception:  # the store itself may be what failed
            log.exception("could not record the failure")


def visible_commands(is_admin: bool) -> list[Command]:
    """Commands a user may run, for /help and the Telegram command menu."""
    return [c for c in COMMANDS if is_admin or not c.admin]


def help_text(caller: Caller, *, welcome: bool) -> str:
    """The /start and /help text, listing the commands this caller may use."""
    lines = []
    if welcome:
        lines.append(
            "👋 <b>newsbot</b> keeps a library of news articles: short summaries, "
            "who said what, full-text search and a daily digest for your chats."
        )
    lines.append("<b>Commands</b>")
    lines += [
        f"{esc(c.usage)} — {esc(c.description)}" for c in visible_commands(caller.is_bot_admin)
    ]
    lines.append(
        '\nExamples: /latest 3 · /summary 1 · /who_said "a phrase" · /search harbour · '
        "/digest on 07:30 Europe/Berlin"
    )
    return "\n".join(lines)
