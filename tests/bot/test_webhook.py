"""Webhook mode: the bot registers its URL and secret, and only Telegram's posts get through.

The application is started the way `run_telegram` starts it in webhook mode (same options,
from `webhook_options`), listening on 127.0.0.1; the fake Bot API posts updates to it with
the secret token header, as Telegram does.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from newsbot.bot.telegram_app import build_application, webhook_options

from tests.bot.conftest import ADMINS, bot_settings
from tests.fakes.telegram_server import FakeTelegram

USER = 4242
SECRET = "a-webhook-secret_42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def webhook_bot(fake: FakeTelegram, sample_db: Path) -> AsyncIterator[str]:
    """A running bot in webhook mode; yields the local address Telegram would post to."""
    port = free_port()
    settings = replace(
        bot_settings(fake, sample_db),
        webhook_url="https://bot.example/newsbot-hook",
        webhook_secret=SECRET,
        webhook_listen=("127.0.0.1", port),
    )
    app = build_application(settings)
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.updater.start_webhook(**webhook_options(settings))
    await app.start()
    try:
        yield f"http://127.0.0.1:{port}/newsbot-hook"
    finally:
        await app.updater.stop()
        await app.stop()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()


async def test_webhook_is_registered_with_its_secret(fake: FakeTelegram, webhook_bot: str) -> None:
    assert fake.webhook is not None
    assert fake.webhook["url"] == "https://bot.example/newsbot-hook"
    assert fake.webhook["secret_token"] == SECRET
    assert ADMINS  # the admins' command menus were published in webhook mode too
    assert fake.calls_to("setMyCommands")


async def test_updates_with_the_secret_are_answered(fake: FakeTelegram, webhook_bot: str) -> None:
    fake.add_user(USER)
    fake.add_chat(USER, "private")
    update_id = fake.send_text(USER, USER, "/latest 1")
    assert await fake.deliver_to_webhook(update_id, webhook_bot) == 200
    (reply,) = await fake.wait_for_messages(USER, count=1)
    assert "Latest articles" in reply.text


async def test_posts_without_the_right_secret_are_refused(
    fake: FakeTelegram, webhook_bot: str
) -> None:
    fake.add_user(USER)
    fake.add_chat(USER, "private")
    update_id = fake.send_text(USER, USER, "/latest 1")
    assert await fake.deliver_to_webhook(update_id, webhook_bot, secret="forged") == 403
    assert fake.messages(USER) == []
