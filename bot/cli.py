"""The `newsbot` command line.

    newsbot                 Telegram when BOT_TOKEN is set, otherwise the offline console
    newsbot run             the Telegram bot (long polling, or webhook with WEBHOOK_URL)
    newsbot chat            the offline console over the local database
    newsbot ingest PATH|URL…  add articles (files, folders, URLs, feeds) with a progress bar
    newsbot summarize FILE|-  print a summary (--jsonl for batch evaluation)
    newsbot quotes FILE|-     print attributed quotes (--jsonl for batch evaluation)
    newsbot stats           counts from the database

Configuration problems end the process with one line naming the variable, exit status 2.
`summarize` and `quotes` end with one line and exit status 2 when the input cannot be used
(a bad option; a file that is unreadable, too big, empty or binary); in `--jsonl` mode each
bad line is reported and skipped, and the exit status is 1 if there was any.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TextIO

from newsbot.bot.console import run_console
from newsbot.bot.progress import ProgressBar
from newsbot.bot.services import Services
from newsbot.bot.settings import Settings, SettingsError, configure_logging, load_settings
from newsbot.bot.textcli import InputError, run_quotes, run_summarize
from newsbot.data.bundled import sample_article_paths
from newsbot.summaries.summarize import ALGORITHMS, DEFAULT_ALGORITHM

_SOURCE_HELP = "the text, or - (the default) to read standard input"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot", description="A Telegram bot that serves news summaries and quotes."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the Telegram bot (needs BOT_TOKEN)")
    sub.add_parser("chat", help="offline console with the same commands")
    ingest = sub.add_parser("ingest", help="add articles from files, folders, URLs or feeds")
    ingest.add_argument("sources", nargs="*", metavar="PATH|URL")
    ingest.add_argument("--samples", action="store_true", help="add the bundled sample articles")
    sub.add_parser("stats", help="print database statistics")

    summ = sub.add_parser("summarize", help="summarise a text without storing it")
    summ.add_argument("source", metavar="FILE|-", nargs="?", default="-", help=_SOURCE_HELP)
    summ.add_argument(
        "--jsonl",
        action="store_true",
        help="read rows {id, article|text}; write rows {id, summary}; "
        "a bad line is reported on stderr and skipped (exit status 1)",
    )
    summ.add_argument("--json", action="store_true", help="machine-readable output")
    summ.add_argument(
        "--sentences", type=int, default=3, metavar="N", help="1 to 50 sentences (default 3)"
    )
    summ.add_argument(
        "--chars",
        type=int,
        default=None,
        metavar="N",
        help="a budget of N >= 1 characters instead of a sentence count",
    )
    summ.add_argument("--algorithm", choices=ALGORITHMS, default=DEFAULT_ALGORITHM)

    quotes = sub.add_parser("quotes", help="print attributed quotes without storing them")
    quotes.add_argument("source", metavar="FILE|-", nargs="?", default="-", help=_SOURCE_HELP)
    quotes.add_argument(
        "--jsonl",
        action="store_true",
        help="read rows {doc_id|id, text|article}; write rows {doc_id, quotes}; "
        "a bad line is reported on stderr and skipped (exit status 1)",
    )
    quotes.add_argument("--json", action="store_true", help="machine-readable output")
    quotes.add_argument("--indirect", action="store_true", help="include indirect speech")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = sys.stdout
    try:
        if args.command == "summarize":
            if not 1 <= args.sentences <= 50:
                raise InputError("--sentences must be between 1 and 50")
            if args.chars is not None and args.chars < 1:
                raise InputError("--chars must be at least 1")
            return run_summarize(
                args.source,
                jsonl=args.jsonl,
                as_json=args.json,
                sentences=args.sentences,
                algorithm=args.algorithm,
                max_chars=args.chars,
                out=out,
            )
        if args.command == "quotes":
            return run_quotes(
                args.source, jsonl=args.jsonl, as_json=args.json, indirect=args.indirect, out=out
            )
        settings = load_settings()
    except (InputError, SettingsError) as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    command = args.command or ("run" if settings.bot_token else "chat")
    if command == "run":
        if not settings.bot_token:
            print(
                "newsbot: BOT_TOKEN: not set; put it in .env or the environment "
                "(or use `newsbot chat` offline)",
                file=sys.stderr,
            )
            return 2
        return _run_telegram(settings)
    try:
        return asyncio.run(_with_services(settings, _ASYNC_COMMANDS[command], args, out))
    except KeyboardInterrupt:
        return 130


def _run_telegram(settings: Settings) -> int:
    """Run the bot; a token Telegram rejects or an unreachable Bot API ends with one line."""
    # Imported here: the console and the text commands never need PTB's start-up cost.
    from newsbot.bot.telegram_app import run_telegram
    from telegram.error import InvalidToken, NetworkError

    # PTB logs a failed start-up with its traceback just before raising the error, which the
    # lines below then explain in one line; the traceback would only bury that line.
    logging.getLogger("telegram.ext").addFilter(_not_a_failed_start)
    try:
        run_telegram(settings)
    except InvalidToken:
        print(
            "newsbot: BOT_TOKEN: the Bot API rejected this token; get a valid one from @BotFather",
            file=sys.stderr,
        )
        return 2
    except NetworkError as exc:
        print(
            f"newsbot: TELEGRAM_API_URL: cannot reach the Bot API at "
            f"{settings.telegram_api_url} ({exc.message}); check the network or the setting",
            file=sys.stderr,
        )
        return 1
    return 0


def _not_a_failed_start(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return not (message.startswith("Network Retry Loop (Bootstrap") and "Aborting" in message)


AsyncCommand = Callable[[Services, argparse.Namespace, TextIO], Awaitable[int]]


async def _with_services(
    settings: Settings, body: AsyncCommand, args: argparse.Namespace, out: TextIO
) -> int:
    services = await Services.open(settings)
    try:
        return await body(services, args, out)
    finally:
        await services.close()


async def _chat(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    await run_console(services, out)
    return 0


async def _ingest(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    sources = list(args.sources)
    if args.samples:
        sources += [str(p) for p in sample_article_paths()]
    if not sources:
        print("newsbot ingest: name files, folders or URLs (or --samples)", file=sys.stderr)
        return 2
    bar = ProgressBar(sys.stderr)
    report = await services.ingestor.ingest_sources(sources, progress=bar.update)
    bar.close()
    for item in report.items:
        if item.status != "added":
            out.write(f"{item.status}: {item.source}: {item.reason or item.title or ''}\n")
    out.write(report.summary_line() + "\n")
    return 0 if report.added or not report.rejected else 1


async def _stats(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    stats = await services.store.stats()
    for name in (
        "articles",
        "quotes",
        "speakers",
        "chats",
        "digest_chats",
        "blocked_chats",
        "feeds",
        "feeds_failing",
        "db_bytes",
    ):
        out.write(f"{name:>14}: {getattr(stats, name)}\n")
    return 0


_ASYNC_COMMANDS: dict[str, AsyncCommand] = {
    "chat": _chat,
    "ingest": _ingest,
    "stats": _stats,
}


if __name__ == "__main__":
    sys.exit(main())
