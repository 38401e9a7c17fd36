"""The Telegram application: PTB wiring, lifecycle, scheduled jobs and the error handler.

Modelled on PTB's examples and rules-bot: one ApplicationBuilder with HTML defaults and the
rate limiter, services opened in post_init and closed in post_shutdown, every update routed
to `handlers.router.Newsbot`, and one error handler that logs and answers politely.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import urlsplit

from newsbot.bot.rate_limit import NewsbotRateLimiter
from newsbot.bot.services import Services
from newsbot.bot.settings import Settings
from newsbot.bot.telegram_io import TelegramSender, caller_of, request_of, send_reply
from newsbot.handlers.commands.digest import DigestService
from newsbot.handlers.commands.router import BY_NAME, FAILURE, parse_command, visible_commands
from newsbot.handlers.ingestion.feed_poll import FeedPoller
from newsbot.handlers.replies import Reply
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    JobQueue,
    MessageHandler,
    filters,
)

log = logging.getLogger(__name__)

NewsbotApp = Application[
    ExtBot[None],
    CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]],
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[Any],
]
TICK_SECONDS = 60


def build_application(settings: Settings) -> NewsbotApp:
    """The configured PTB application (not yet started)."""
    if not settings.bot_token:
        raise ValueError("build_application needs BOT_TOKEN")
    root = settings.telegram_api_url
    app = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.default_timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(NewsbotRateLimiter())
        # Updates are handled concurrently so a slow /add never delays a /latest.
        .concurrent_updates(True)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        .build()
    )
    app.bot_data["settings"] = settings
    add_handlers(cast(NewsbotApp, app))
    return cast(NewsbotApp, app)


def add_handlers(app: NewsbotApp) -> None:
    """Route commands (and their text spellings), buttons, files and chat changes."""
    app.add_handler(
        MessageHandler(
            (filters.COMMAND | filters.CaptionRegex(r"^/")) & ~filters.UpdateType.EDITED,
            on_command,
            block=False,
        )
    )
    # /who-said is not a Telegram command entity (hyphen), so it arrives as plain text.
    app.add_handler(
        MessageHandler(
            filters.Regex(r"^/(who-said|whosaid)(@\w+)?(\s|$)") & ~filters.UpdateType.EDITED,
            on_command,
            block=False,
        )
    )
    app.add_handler(CallbackQueryHandler(on_button, block=False))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    app.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(on_error)


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return cast(Services, context.bot_data["services"])


def settings_of(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    return cast(Settings, context.bot_data["settings"])


async def on_startup(app: NewsbotApp) -> None:
    """post_init: open the store and services, schedule jobs, publish the command menus."""
    settings = cast(Settings, app.bot_data["settings"])
    services = await Services.open(settings)
    app.bot_data["services"] = services
    sender = TelegramSender(app.bot)
    app.bot_data["digests"] = DigestService(services.runtime, sender)
    app.bot_data["feeds"] = FeedPoller(services.runtime, notify=_admin_notifier(app, settings))
    if app.job_queue is not None:
        app.job_queue.run_repeating(digest_tick, interval=TICK_SECONDS, first=1, name="digests")
        app.job_queue.run_repeating(feed_tick, interval=TICK_SECONDS, first=5, name="feeds")
    await publish_commands(app, settings)
    log.info("newsbot started as @%s", app.bot.username)


async def on_shutdown(app: NewsbotApp) -> None:
    """post_shutdown: close the services opened in on_startup."""
    services = app.bot_data.pop("services", None)
    if services is not None:
        await services.close()


async def publish_commands(app: NewsbotApp, settings: Settings) -> None:
    """Command menus: public commands for everyone, all commands in each admin's chat."""

    def menu(is_admin: bool) -> list[BotCommand]:
        return [BotCommand(c.name, c.description) for c in visible_commands(is_admin)]

    # A menu is a convenience: a failure here must not keep the bot from running, and one
    # admin who never started the bot ("chat not found") must not cost the others their menu.
    try:
        await app.bot.set_my_commands(menu(False), scope=BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("could not publish the command menu: %s", exc)
    for admin_id in sorted(settings.admin_ids):
        try:
            await app.bot.set_my_commands(menu(True), scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:
            log.warning("could not publish the admin menu for %s: %s", admin_id, exc)


def _admin_notifier(app: NewsbotApp, settings: Settings) -> Any:
    async def notify(html: str) -> None:
        for admin_id in settings.admin_ids:
            try:
                await send_reply(app.bot, admin_id, Reply(html))
            except TelegramError as exc:
                log.warning("could not notify admin %s: %s", admin_id, exc)

    return notify


async def digest_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    run = await context.bot_data["digests"].run_due(datetime.now(UTC))
    if run.sent or run.failed or run.disabled:
        log.info("digests: %s", run)


async def feed_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot_data["feeds"].run_due(datetime.now(UTC))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command message: parse, run through the router, reply once."""
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    # A file or photo carries its command in the caption.
    command_line = message.text or message.caption or ""
    parsed = parse_command(command_line, context.bot.username)
    if parsed is None:
        return
    name, args = parsed
    chat = update.effective_chat
    if name not in BY_NAME and chat.type != "private" and "@" not in command_line.split()[0]:
        return  # in groups, unknown commands without @newsbot are probably for another bot
    settings = settings_of(context)
    request = request_of(update, context.bot, settings.admin_ids, name, args)
    reply = await services_of(context).newsbot.handle(request)
    if reply is not None:
        await send_reply(context.bot, chat.id, reply, thread_id=message.message_thread_id)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: answer the callback, then run its action like a command."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    try:
        await query.answer()
    except BadRequest as exc:
        # A press that waited while the bot was down can no longer be answered ("query is
        # too old"); the press itself is still valid and gets its reply.
        log.info("could not answer callback query %s: %s", query.id, exc.message)
    caller = caller_of(update, settings_of(context).admin_ids)
    reply = await services_of(context).newsbot.press(caller, str(query.data or ""))
    if reply is not None:
        await send_reply(context.bot, update.effective_chat.id, reply)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: keep its digest settings under the new id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await services_of(context).store.migrate_chat(message.chat_id, message.migrate_to_chat_id)


async def on_my_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was removed from or added to a chat."""
    change = update.my_chat_member
    if change is None:
        return
    store = services_of(context).store
    status = change.new_chat_member.status
    chat = change.chat
    if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        if await store.get_chat(chat.id) is not None:
            await store.mark_blocked(chat.id, f"bot {status}")
    else:
        await store.upsert_chat(chat.id, chat.type, chat.title or chat.full_name)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: log with the traceback, tell the user politely, keep running."""
    log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, FAILURE)
        except TelegramError:
            log.warning("could not tell chat %s about the failure", update.effective_chat.id)


def webhook_options(settings: Settings) -> dict[str, Any]:
    """How the webhook server listens and what it registers with Telegram (WEBHOOK_* settings).

    Telegram sends the secret token in a header with every update; PTB's webhook server
    answers 403 to any request without it.
    """
    host, port = settings.webhook_listen
    return {
        "listen": host,
        "port": port,
        "url_path": urlsplit(settings.webhook_url or "").path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
        "allowed_updates": Update.ALL_TYPES,
    }


def run_telegram(settings: Settings) -> None:
    """Run the bot until interrupted: webhook mode when WEBHOOK_URL is set, else polling."""
    app = build_application(settings)
    # run_polling/run_webhook run on the current event loop and close it when they stop; a
    # fresh one makes a second run in the same process (tests, embedding) work too.
    asyncio.set_event_loop(asyncio.new_event_loop())
    if settings.webhook_url and settings.webhook_secret:
        app.run_webhook(**webhook_options(settings))
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
