"""`newsbot chat`: an offline console that runs the same command logic as the Telegram bot.

The operator is treated as an admin on a private chat. Replies are the same HTML the bot
sends, rendered as plain text; inline buttons are numbered and pressed by typing the number.
An empty database is first filled with the bundled sample articles.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TextIO

from newsbot.bot.services import Services
from newsbot.data.bundled import sample_article_paths
from newsbot.handlers.commands.formatting import html_to_text
from newsbot.handlers.commands.router import parse_command
from newsbot.handlers.replies import Button, Reply
from newsbot.handlers.requests import Caller, Request

CONSOLE_CALLER = Caller(
    user_id=None,
    chat_id=0,
    chat_type="private",
    chat_title="console",
    is_bot_admin=True,
    local=True,
)
EXIT_WORDS = {"quit", "exit", "/quit", "/exit", ":q"}
BANNER = (
    "newsbot console — the same commands as on Telegram, offline.\n"
    "Try /latest, /summary 1, /who_said, /search <words>, /help. "
    "Type a button's number to press it; quit or Ctrl-D to leave."
)


async def load_samples_if_empty(services: Services, out: TextIO) -> None:
    """Fill an empty store with the bundled sample articles, so the demo has content."""
    if await services.store.count_articles():
        return
    paths = sample_article_paths()
    out.write(f"Loading {len(paths)} bundled sample articles…\n")
    report = await services.ingestor.ingest_sources([str(p) for p in paths])
    out.write(f"Sample articles: {report.summary_line()}.\n")


def render(reply: Reply) -> tuple[str, list[Button]]:
    """Plain text of a reply and its buttons, numbered from 1."""
    buttons = [b for row in reply.buttons for b in row]
    text = "\n\n".join(html_to_text(m) for m in reply.messages())
    if buttons:
        text += "\n\n" + "   ".join(f"[{i}] {b.label}" for i, b in enumerate(buttons, start=1))
    return text, buttons


async def stdin_lines(prompt: str, out: TextIO) -> AsyncIterator[str]:
    """Lines typed by the user, read in a thread so the event loop stays free."""
    while True:
        out.write(prompt)
        out.flush()
        line = await asyncio.to_thread(input_line)
        if line is None:
            return
        yield line


def input_line() -> str | None:
    try:
        return input()
    except EOFError:
        return None


async def run_console(
    services: Services,
    out: TextIO,
    lines: Callable[[], AsyncIterator[str]] | None = None,
) -> None:
    """The read-eval-print loop; `lines` defaults to the terminal."""
    await load_samples_if_empty(services, out)
    out.write(BANNER + "\n")
    buttons: list[Button] = []
    source = lines() if lines is not None else stdin_lines("\nnewsbot> ", out)
    async for raw in source:
        line = raw.strip()
        if not line:
            continue
        if line.lower() in EXIT_WORDS:
            break
        reply: Reply | None
        if line.isdigit():
            index = int(line) - 1
            if not 0 <= index < len(buttons):
                out.write("No button with that number.\n")
                continue
            reply = await services.newsbot.press(CONSOLE_CALLER, buttons[index].action)
        else:
            parsed = parse_command(line)
            if parsed is None:
                out.write("Commands start with / — try /help.\n")
                continue
            name, args = parsed
            reply = await services.newsbot.handle(Request(name, args, CONSOLE_CALLER))
        if reply is not None:
            text, buttons = render(reply)
            out.write(text + "\n")
    out.write("Bye.\n")
