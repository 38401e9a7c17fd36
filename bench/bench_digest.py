"""Digest fan-out: N subscribed chats all due in the same minute, through the real sending path.

Set-up (not timed): a copy of a store (`--db`, e.g. the 100,000-article bench store, or by
default a fresh one holding the bundled samples) gets N chats — half private, a quarter
groups, a quarter supergroups — with digests on at the same UTC minute written as local times
in eight time zones. `tests/fakes/telegram_server.py`'s FakeTelegram, which enforces
Telegram's flood limits (30 messages/s overall, 20/min per group, ~1/s per private chat; 429
with retry_after beyond them), runs in this process on 127.0.0.1.

Measured: a child process is the bot — `bot.telegram_app.build_application` (PTB Application
and Bot with `NewsbotRateLimiter`), its post_init (`Services.open`, `DigestService` over
`TelegramSender`) — and times one `DigestService.run_due(now)`; then it answers a few commands
through `Newsbot.handle` like a bot in service, and reports its peak RSS (ru_maxrss). Counted
from the fake's own records: messages per chat (lost = chats with none, duplicated = chats
with a message repeated) and every 429 it answered.

Baseline in the same run: the same DigestService over the same store with a sender that
sends nothing (the store and formatting cost alone). The limit is N/30 s; bar: delivery
time ≤ 1.2 × limit, zero 429s, zero lost, zero duplicated, and peak RSS ≤ 250 MB.

    .venv/bin/python bench/bench_digest.py [--quick] [--chats N] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsbot.bot.services import Services
from newsbot.bot.settings import load_settings
from newsbot.bot.telegram_app import build_application, on_shutdown, on_startup
from newsbot.data.bundled import sample_article_paths
from newsbot.handlers.commands.digest import DigestService
from newsbot.handlers.replies import Reply
from newsbot.handlers.requests import Caller, Request

from bench.machine import REPO_ROOT, machine_line, peak_rss_mb, print_table, verdict

TELEGRAM_RATE = 30.0  # messages per second, overall
BAR_FACTOR = 1.2
BAR_RSS_MB = 250.0
ZONES = (
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
)
CHILD_COMMANDS = (
    ("latest", ""),
    ("latest", "10"),
    ("search", "budget vote"),
    ("who_said", "Lindqvist"),
    ("summary", "1"),
)


def chat_plan(count: int) -> list[tuple[int, str]]:
    """(chat id, type) for `count` chats: half private, a quarter each groups, supergroups."""
    plan = []
    for i in range(count):
        if i % 2 == 0:
            plan.append((10_000_000 + i, "private"))
        elif i % 4 == 1:
            plan.append((-(10_000_000 + i), "group"))
        else:
            plan.append((-(1_000_000_000_000 + i), "supergroup"))
    return plan


async def prepare_store(
    db: Path, source: Path | None, plan: Sequence[tuple[int, str]], now: datetime
) -> None:
    """Copy (or create) the store and subscribe every chat of `plan` for the minute `now`."""
    if source is not None:
        shutil.copyfile(source, db)
    services = await Services.open(load_settings({"DATABASE_PATH": str(db)}, env_file=None))
    try:
        if source is None:
            paths = [str(p) for p in sample_article_paths()]
            await services.ingestor.ingest_sources(paths)
        for n, (chat_id, kind) in enumerate(plan):
            zone = ZONES[n % len(ZONES)]
            local = now.astimezone(ZoneInfo(zone))
            await services.store.upsert_chat(
                chat_id, kind, None if kind == "private" else f"Group {n}"
            )
            await services.store.set_digest(
                chat_id, enabled=True, time=f"{local:%H:%M}", timezone=zone
            )
    finally:
        await services.close()


class NullSender:
    """Sends nothing: the baseline measures the store and formatting work alone."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, chat_id: int, reply: Reply) -> None:
        self.sent += 1


async def baseline(db: Path, now: datetime) -> tuple[float, int]:
    """run_due with the null sender on a copy of the prepared store: (seconds, digests)."""
    services = await Services.open(load_settings({"DATABASE_PATH": str(db)}, env_file=None))
    try:
        sender = NullSender()
        service = DigestService(services.runtime, sender)
        started = time.perf_counter()
        await service.run_due(now)
        return time.perf_counter() - started, sender.sent
    finally:
        await services.close()


async def child(db: Path, api_root: str, token: str, now: datetime) -> dict[str, object]:
    """The bot process: build the PTB application, run its start-up, deliver, serve a little."""
    settings = load_settings(
        {"DATABASE_PATH": str(db), "BOT_TOKEN": token, "TELEGRAM_API_URL": api_root},
        env_file=None,
    )
    app = build_application(settings)
    await app.initialize()
    await on_startup(app)
    try:
        digests: DigestService = app.bot_data["digests"]
        started = time.perf_counter()
        run = await digests.run_due(now)
        elapsed = time.perf_counter() - started
        services: Services = app.bot_data["services"]
        for n, (command, args) in enumerate(CHILD_COMMANDS):
            caller = Caller(user_id=500 + n, chat_id=500 + n, chat_type="private")
            await services.newsbot.handle(Request(command=command, args=args, caller=caller))
    finally:
        await on_shutdown(app)
        await app.shutdown()
    return {
        "seconds": elapsed,
        "sent": run.sent,
        "empty": run.empty,
        "failed": run.failed,
        "disabled": run.disabled,
        "rss_mb": peak_rss_mb(),
    }


async def measure(db: Path, plan: Sequence[tuple[int, str]], now: datetime) -> dict[str, object]:
    """Start the fake, run the bot child against it, and count what the fake received."""
    # Imported here, not at the top: the bot child imports this module too, and the fake's
    # aiohttp server must not count towards the bot's memory.
    from tests.fakes.telegram_server import FakeTelegram

    async with FakeTelegram() as fake:
        for chat_id, kind in plan:
            if kind == "private":
                fake.add_user(chat_id)
            fake.add_chat(chat_id, kind, title=None if kind == "private" else f"Chat {chat_id}")
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--child",
            str(db),
            "--api-root",
            fake.api_root,
            "--token",
            fake.token,
            "--now",
            now.isoformat(),
            stdout=asyncio.subprocess.PIPE,
            cwd=REPO_ROOT,
        )
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            sys.exit(f"bench_digest: the bot process failed (exit {proc.returncode})")
        result = dict(json.loads(out.decode().strip().splitlines()[-1]))
        per_chat = [fake.messages(chat_id) for chat_id, _ in plan]
        result["messages"] = sum(len(m) for m in per_chat)
        result["lost"] = sum(1 for m in per_chat if not m)
        result["duplicated"] = sum(
            1 for m in per_chat if any(c > 1 for c in Counter(x.text for x in m).values())
        )
        result["status_429"] = fake.status_counts[429]
        result["statuses"] = {str(k): v for k, v in sorted(fake.status_counts.items())}
    return result


async def main_async(args: argparse.Namespace) -> int:
    chats = args.chats or (60 if args.quick else 1000)
    plan = chat_plan(chats)
    # All digests fall due at the start of the current minute.
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-digest-") as tmp:
        db, base_db = Path(tmp) / "bot.db", Path(tmp) / "baseline.db"
        print(
            f"preparing {chats} chats on a copy of {args.db or 'the bundled samples'} …", flush=True
        )
        await prepare_store(db, args.db, plan, now)
        shutil.copyfile(db, base_db)
        base_seconds, base_sent = await baseline(base_db, now)
        result = await measure(db, plan, now)
    limit = chats / TELEGRAM_RATE
    seconds = float(str(result["seconds"]))
    rss = float(str(result["rss_mb"]))
    messages = int(str(result["messages"]))
    ok_time = seconds <= BAR_FACTOR * limit
    ok_clean = result["status_429"] == 0 and result["lost"] == 0 and result["duplicated"] == 0
    ok_rss = rss <= BAR_RSS_MB
    print_table(
        f"Digest delivery to {chats} chats due in the same minute "
        f"(limit = {chats}/{TELEGRAM_RATE:.0f} per s = {limit:.1f} s; ratio = time / limit)",
        [
            "path",
            "digests",
            "messages",
            "seconds",
            "ratio",
            "msgs/30 s",
            "429s",
            "lost",
            "duplicated",
        ],
        [
            [
                "DigestService + null sender (baseline)",
                base_sent,
                0,
                base_seconds,
                base_seconds / limit,
                0.0,
                0,
                0,
                0,
            ],
            [
                "PTB + NewsbotRateLimiter + FakeTelegram",
                result["sent"],
                result["messages"],
                seconds,
                seconds / limit,
                messages / TELEGRAM_RATE,
                result["status_429"],
                result["lost"],
                result["duplicated"],
            ],
        ],
    )
    per_digest = messages / max(1, int(str(result["sent"])))
    print(
        f"messages per digest: {per_digest:.2f} (a digest over 4096 characters is split in "
        "several; messages/30 s is the floor for what was actually sent)"
    )
    print(
        f"fake's HTTP statuses: {result['statuses']}; run_due: sent {result['sent']}, "
        f"empty {result['empty']}, failed {result['failed']}, disabled {result['disabled']}"
    )
    print(f"bot process peak RSS: {rss:.0f} MiB (store: {args.db or 'bundled samples'})")
    print(
        f"bar: time ≤ {BAR_FACTOR}× limit: {seconds / limit:.2f}× {verdict(ok_time)}; "
        f"no 429/lost/duplicated: {verdict(ok_clean)}; "
        f"RSS ≤ {BAR_RSS_MB:.0f} MB: {verdict(ok_rss)}"
    )
    return 0 if ok_time and ok_clean and ok_rss else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Digest fan-out through the real sending path.")
    parser.add_argument("--quick", action="store_true", help="60 chats")
    parser.add_argument("--chats", type=int, default=None)
    parser.add_argument("--db", type=Path, default=None, help="store to copy (default: samples)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--api-root", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--now", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        now = datetime.fromisoformat(args.now)
        print(json.dumps(asyncio.run(child(args.child, args.api_root, args.token, now))))
        return 0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
