"""Fixtures for end-to-end tests: the real PTB application talking to the fake Bot API.

`bot` builds the application exactly as production does (`build_application(settings)`),
pointed at a `FakeTelegram` on 127.0.0.1 and at a copy of the sample database. Every handler
callback is wrapped so a test can wait until *its* update has been handled completely
(including a reply split into several messages, or no reply at all) instead of sleeping.

After each test the fixture checks that the fake answered no 400 and no 429 the test did not
provoke, and the session's totals are printed at the end of the run.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from newsbot.bot.services import Services
from newsbot.bot.settings import Settings
from newsbot.bot.telegram_app import NewsbotApp, build_application
from newsbot.handlers.commands.digest import DigestService
from telegram import Update
from telegram.ext import ContextTypes

from tests.conftest import make_settings
from tests.fakes.telegram_server import FakeTelegram, SentMessage

# BOT_TOKEN is validated like a real @BotFather token, so the fake gets one of that shape.
TOKEN = "123456:TEST-TOKEN-abcdefghijklmnop"
ADMIN = 7001
SECOND_ADMIN = 7002
ADMINS = (ADMIN, SECOND_ADMIN)
# Every handled update must finish within this; generous because private chats are paced
# at about one message per second.
HANDLED_TIMEOUT = 20.0

# HTTP statuses the fake answered over the whole session, for the closing summary.
SESSION_STATUSES: Counter[int] = Counter()
SESSION_FAKES: list[int] = [0]

Callback = Callable[[Any, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, Any]]


class BotUnderTest:
    """One newsbot process (restartable) over one database, plus helpers to talk to it."""

    def __init__(self, fake: FakeTelegram, settings: Settings) -> None:
        self.fake = fake
        self.settings = settings
        self.app: NewsbotApp | None = None
        self.polling = False
        # Statuses a test provokes on purpose; anything else is a failure at teardown.
        self.expected: Counter[int] = Counter()
        self.job_names: list[str] = []
        self.errors: list[tuple[int, BaseException]] = []
        self._handled: defaultdict[int, asyncio.Event] = defaultdict(asyncio.Event)

    # -- lifecycle (what run_polling does, minus the signal handling and the real clock)

    async def start(self, *, polling: bool = True, keep_jobs: bool = False) -> NewsbotApp:
        app = build_application(self.settings)
        for handlers in app.handlers.values():
            for handler in handlers:
                handler.callback = self._tracked(handler.callback)
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        # The 60-second ticks use the wall clock; most tests drive digests with an injected
        # one and keep the real ticks out of the way.
        assert app.job_queue is not None
        for job in app.job_queue.jobs():
            self.job_names.append(job.name or "")
            if not keep_jobs:
                job.schedule_removal()
        if polling:
            assert app.updater is not None
            # As run_telegram does: every update type, so membership changes arrive too.
            await app.updater.start_polling(
                poll_interval=0,
                timeout=1,
                drop_pending_updates=False,
                allowed_updates=Update.ALL_TYPES,
            )
        await app.start()
        self.app, self.polling = app, polling
        return app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if self.polling and app.updater is not None:
            await app.updater.stop()
        await app.stop()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()

    async def restart(self) -> NewsbotApp:
        await self.stop()
        return await self.start()

    def _tracked(self, callback: Callback) -> Callback:
        async def tracked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Any:
            try:
                return await callback(update, context)
            except BaseException as exc:
                self.errors.append((update.update_id, exc))
                raise
            finally:
                self._handled[update.update_id].set()

        return tracked

    # -- the running process

    @property
    def services(self) -> Services:
        assert self.app is not None
        services: Services = self.app.bot_data["services"]
        return services

    @property
    def digests(self) -> DigestService:
        assert self.app is not None
        digests: DigestService = self.app.bot_data["digests"]
        return digests

    # -- the users' side

    async def handled(self, update_id: int, timeout: float = HANDLED_TIMEOUT) -> None:  # noqa: ASYNC109
        """Wait until the bot's handler for `update_id` has finished (replies sent)."""
        await asyncio.wait_for(self._handled[update_id].wait(), timeout)

    async def through(self, chat_id: int, update_id: int) -> list[SentMessage]:
        """The messages the bot sent to `chat_id` while handling `update_id`."""
        before = len(self.fake.messages(chat_id))
        await self.handled(update_id)
        return self.fake.messages(chat_id)[before:]

    async def ask(self, chat_id: int, user_id: int, text: str, **kwargs: Any) -> list[SentMessage]:
        """Send `text` as `user_id` in `chat_id`; the bot's reply messages (maybe none)."""
        before = len(self.fake.messages(chat_id))
        update_id = self.fake.send_text(chat_id, user_id, text, **kwargs)
        await self.handled(update_id)
        return self.fake.messages(chat_id)[before:]

    async def press(
        self, chat_id: int, user_id: int, message: SentMessage, data: str | None = None
    ) -> list[SentMessage]:
        """Press a button of `message` (its last one unless `data` is given)."""
        choice = data if data is not None else message.callback_data[-1]
        before = len(self.fake.messages(chat_id))
        update_id = self.fake.press_button(chat_id, user_id, message.message_id, choice)
        await self.handled(update_id)
        # Every press must be answered, or the user's client shows a spinner for a while.
        assert self.fake.callback_query_id(update_id) in self.fake.callback_answers
        return self.fake.messages(chat_id)[before:]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as telegram:
        # setMyCommands for an admin's chat needs the chat to exist, as on Telegram.
        for admin in ADMINS:
            telegram.add_user(admin, f"Admin{admin}")
            telegram.add_chat(admin, "private")
        yield telegram
        SESSION_STATUSES.update(telegram.status_counts)
        SESSION_FAKES[0] += 1


def bot_settings(fake: FakeTelegram, db: Path) -> Settings:
    return make_settings(
        db,
        TELEGRAM_API_URL=fake.api_root,
        BOT_TOKEN=fake.token,
        ADMIN_IDS=",".join(str(a) for a in ADMINS),
    )


@pytest.fixture
async def idle_bot(fake: FakeTelegram, sample_db: Path) -> AsyncIterator[BotUnderTest]:
    """A bot over the sample library, not started (tests that start it their own way)."""
    under_test = BotUnderTest(fake, bot_settings(fake, sample_db))
    try:
        yield under_test
    finally:
        await under_test.stop()
    assert not under_test.errors, under_test.errors
    for status in (400, 429):
        assert fake.status_counts[status] == under_test.expected[status], (
            f"unexpected HTTP {status} from the fake Bot API: "
            + "; ".join(f"{c.method}: {c.description}" for c in fake.calls if c.status == status)
        )


@pytest.fixture
async def bot(idle_bot: BotUnderTest) -> BotUnderTest:
    """A started, polling bot over the sample library."""
    await idle_bot.start()
    return idle_bot


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SESSION_FAKES[0]:
        # Each test asserts its own 400/429 count (only what it provokes), so these totals
        # are the provoked ones whenever the run passed.
        terminalreporter.write_sep("-", "fake Telegram Bot API (tests/bot end-to-end)")
        terminalreporter.write_line(
            f"{SESSION_FAKES[0]} fake servers answered {SESSION_STATUSES[400]} × HTTP 400, "
            f"{SESSION_STATUSES[429]} × HTTP 429, {SESSION_STATUSES[403]} × HTTP 403 and "
            f"{SESSION_STATUSES[502]} × HTTP 502"
        )
