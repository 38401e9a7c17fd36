"""The fake Bot API server, driven by a real python-telegram-bot ``Bot`` over HTTP.

These tests pin the behaviour the end-to-end tests rely on: Telegram's error texts and status
codes arrive as the PTB exceptions a real server would cause.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    ExtBot,
)
from telegram.request import HTTPXRequest

from tests.fakes.telegram_server import (
    ANONYMOUS_ADMIN_ID,
    BOT_USERNAME,
    TOKEN,
    FakeTelegram,
    _auto_entities,
)

USER = 1001
GROUP = -2001
SUPERGROUP = -1002001


# PTB warns that RetryAfter.retry_after will become a timedelta; both forms are handled here.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


class FakeClock:
    """Monotonic time the test moves by hand, for the flood limits and outages."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def tg(clock: FakeClock) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(clock=clock) as fake:
        fake.add_user(USER, "Ann")
        fake.add_chat(USER, "private")
        fake.add_chat(GROUP, "group", "Newsroom", admins=(USER, 1002))
        yield fake


def plain_http() -> HTTPXRequest:
    # Plain HTTP to 127.0.0.1 needs no CA bundle; skipping it makes each Bot ~10x cheaper.
    return HTTPXRequest(httpx_kwargs={"verify": False})


def make_bot(tg: FakeTelegram, token: str = TOKEN) -> Bot:
    return Bot(
        token,
        base_url=f"{tg.api_root}/bot",
        base_file_url=f"{tg.api_root}/file/bot",
        request=plain_http(),
        get_updates_request=plain_http(),
    )


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with make_bot(tg) as real_bot:
        yield real_bot


async def test_get_me_identifies_the_bot(bot: Bot, tg: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.username == BOT_USERNAME
    assert me.is_bot and me.id == 123456
    assert tg.status_counts[200] >= 1
    assert tg.calls_to("getMe")


async def test_valid_html_is_stored_as_plain_text_and_raw_html(bot: Bot, tg: FakeTelegram) -> None:
    sent = await bot.send_message(USER, "<b>Hi</b> &amp; <a href='https://x.org'>link</a>", "HTML")
    assert sent.text == "Hi & link"
    assert [e.type for e in sent.entities] == ["bold", "text_link"]
    [message] = tg.messages(USER)
    assert message.text == "Hi & link"
    assert message.html.startswith("<b>Hi</b>")
    assert message.message_id == sent.message_id and not message.edited


async def test_invalid_html_is_a_bad_request_with_telegrams_reason(
    bot: Bot, tg: FakeTelegram
) -> None:
    with pytest.raises(BadRequest, match=r'(?i)Unsupported start tag "foo" at byte offset 3'):
        await bot.send_message(USER, "hi <foo>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)Can't find end tag corresponding to start tag"):
        await bot.send_message(USER, "<b>open", parse_mode=ParseMode.HTML)
    assert tg.status_counts[400] == 2
    assert tg.calls[-1].description is not None
    assert tg.calls[-1].description.startswith("Bad Request: can't parse entities:")
    assert tg.messages(USER) == []


async def test_length_is_counted_in_utf16_units_after_parsing(bot: Bot, tg: FakeTelegram) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
        await bot.send_message(USER, "a" * 4097)
    # Tags do not count; an emoji outside the BMP counts twice.
    await bot.send_message(USER, "<b>" + "😀" * 2048 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(USER, "a" * 4094 + "😀")
    with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
        await bot.send_message(USER, "a" * 4095 + "😀")
    assert len(tg.messages(USER)) == 2


async def test_text_empty_after_parsing_is_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Message text is empty"):
        await bot.send_message(USER, "<b> </b>\n", parse_mode=ParseMode.HTML)


async def test_callback_data_must_be_1_to_64_bytes(bot: Bot, tg: FakeTelegram) -> None:
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "pick", reply_markup=too_long)
    fine = InlineKeyboardMarkup([[InlineKeyboardButton("next", callback_data="p" * 64)]])
    await bot.send_message(USER, "pick", reply_markup=fine)
    assert tg.messages(USER)[0].callback_data == ("p" * 64,)


async def test_flood_limit_in_private_chat_raises_retry_after(
    bot: Bot, tg: FakeTelegram, clock: FakeClock
) -> None:
    for n in range(3):  # the burst
        await bot.send_message(USER, f"m{n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "one too many")
    assert retry_seconds(caught.value) == 1
    assert tg.status_counts[429] == 1
    clock.advance(1.0)
    await bot.send_message(USER, "after the pause")
    assert len(tg.messages(USER)) == 4


async def test_pacing_with_jitter_passes_but_sustained_overspeed_does_not(
    bot: Bot, clock: FakeClock
) -> None:
    for n in range(3):
        await bot.send_message(USER, f"burst {n}")
    for gap in (0.7, 1.3, 0.8, 1.2):  # about 1/s on average, arriving a little early or late
        clock.advance(gap)
        await bot.send_message(USER, "paced")
    with pytest.raises(RetryAfter):
        for _ in range(3):
            clock.advance(0.8)
            await bot.send_message(USER, "too fast for too long")


async def test_group_limit_is_20_per_minute(bot: Bot, tg: FakeTelegram, clock: FakeClock) -> None:
    for n in range(20):
        await bot.send_message(GROUP, f"m{n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(GROUP, "too many")
    assert retry_seconds(caught.value) >= 1
    clock.advance(3.0)
    await bot.send_message(GROUP, "a slot freed up")


async def test_overall_limit_is_30_per_second(bot: Bot, tg: FakeTelegram) -> None:
    for user in range(30):
        tg.add_chat(5000 + user, "private")
        await bot.send_message(5000 + user, "hello")
    tg.add_chat(6000, "private")
    with pytest.raises(RetryAfter):
        await bot.send_message(6000, "hello")


async def test_flood_knob_forces_429s(bot: Bot, tg: FakeTelegram) -> None:
    tg.flood(GROUP, count=2, retry_after=7)
    await bot.send_message(USER, "another chat is not affected")
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(GROUP, "x")
        assert retry_seconds(caught.value) == 7
    await bot.send_message(GROUP, "through")


async def test_ptb_rate_limiter_waits_out_a_429(tg: FakeTelegram) -> None:
    tg.flood(None, count=1, retry_after=1)
    limited = ExtBot(
        TOKEN,
        base_url=f"{tg.api_root}/bot",
        base_file_url=f"{tg.api_root}/file/bot",
        request=plain_http(),
        get_updates_request=plain_http(),
        rate_limiter=AIORateLimiter(max_retries=2),
    )
    async with limited:
        await limited.send_message(USER, "eventually")
    assert tg.status_counts[429] == 1
    assert [m.text for m in tg.messages(USER)] == ["eventually"]


async def test_blocked_user_and_kicked_bot_are_forbidden(bot: Bot, tg: FakeTelegram) -> None:
    tg.block_chat(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hello?")
    tg.block_chat(GROUP)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(GROUP, "hello?")
    assert tg.status_counts[403] == 2
    tg.unblock_chat(USER)
    await bot.send_message(USER, "back")


async def test_block_with_notify_queues_my_chat_member(bot: Bot, tg: FakeTelegram) -> None:
    tg.block_chat(USER, notify=True)
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_migrated_group_raises_chat_migrated_and_queues_service_messages(
    bot: Bot, tg: FakeTelegram
) -> None:
    tg.migrate_chat(GROUP, SUPERGROUP)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(GROUP, "hi")
    assert caught.value.new_chat_id == SUPERGROUP
    updates = await bot.get_updates()
    assert [u.message.migrate_to_chat_id for u in updates if u.message] == [SUPERGROUP, None]
    assert updates[1].message is not None
    assert updates[1].message.migrate_from_chat_id == GROUP
    assert updates[1].message.chat.type == "supergroup"
    await bot.send_message(SUPERGROUP, "hello supergroup")


async def test_long_poll_returns_an_update_queued_while_waiting(bot: Bot, tg: FakeTelegram) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    update_id = tg.send_text(USER, USER, "/latest 5")
    [update] = await asyncio.wait_for(poll, 2)
    assert update.update_id == update_id
    assert update.message is not None and update.message.text == "/latest 5"
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].offset == 0 and update.message.entities[0].length == 7
    assert tg.delivered(update_id)
    # Confirming by offset forgets it.
    assert await bot.get_updates(offset=update_id + 1) == ()
    assert tg.pending_updates == 0


async def test_unconfirmed_updates_are_delivered_again(bot: Bot, tg: FakeTelegram) -> None:
    first = tg.send_text(USER, USER, "one")
    second = tg.send_text(USER, USER, "two")
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]


async def test_a_second_poller_terminates_the_first_with_conflict(
    bot: Bot, tg: FakeTelegram
) -> None:
    # Two Bot objects: one Bot polls through a single pooled connection.
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with make_bot(tg) as second:
        await second.get_updates(timeout=0)
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2)


async def test_user_document_downloads_through_get_file(bot: Bot, tg: FakeTelegram) -> None:
    payload = "Ein Artikel über Nachrichten.\n".encode() * 50
    tg.send_document(USER, USER, payload, "article.txt", "text/plain", caption="/add")
    [update] = await bot.get_updates()
    message = update.message
    assert message is not None and message.document is not None
    assert message.document.file_name == "article.txt"
    assert message.document.file_size == len(payload)
    assert message.caption == "/add" and message.caption_entities[0].type == "bot_command"
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == payload


async def test_files_over_20_mb_cannot_be_fetched(bot: Bot, tg: FakeTelegram) -> None:
    tg.send_document(USER, USER, b"x", "big.json", "application/json", file_size=21 * 2**20)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    with pytest.raises(BadRequest, match=r"(?i)File is too big"):
        await bot.get_file(update.message.document.file_id)


async def test_bot_documents_are_recorded(bot: Bot, tg: FakeTelegram) -> None:
    await bot.send_document(
        USER, b"id,title\n1,x\n", filename="export.csv", caption="<b>Export</b>", parse_mode="HTML"
    )
    [message] = tg.messages(USER)
    assert message.document is not None
    assert message.document.file_name == "export.csv"
    assert message.document.data == b"id,title\n1,x\n"
    assert message.text == "Export" and message.html == "<b>Export</b>"


async def test_chat_member_statuses(bot: Bot, tg: FakeTelegram) -> None:
    tg.add_user(1003, "Member")
    assert (await bot.get_chat_member(GROUP, USER)).status == "creator"
    assert (await bot.get_chat_member(GROUP, 1002)).status == "administrator"
    assert (await bot.get_chat_member(GROUP, 1003)).status == "member"
    assert (await bot.get_chat_member(GROUP, 123456)).status == "member"
    admins = await bot.get_chat_administrators(GROUP)
    assert {a.user.id for a in admins} == {USER, 1002}


async def test_anonymous_admin_posts_as_the_group(bot: Bot, tg: FakeTelegram) -> None:
    tg.add_chat(SUPERGROUP, "supergroup", "Desk", admins=(USER,), anonymous_admin=True)
    tg.send_text(SUPERGROUP, USER, "/digest on")
    [update] = await bot.get_updates()
    message = update.message
    assert message is not None and message.from_user is not None
    assert message.from_user.id == ANONYMOUS_ADMIN_ID
    assert message.sender_chat is not None and message.sender_chat.id == SUPERGROUP
    member = await bot.get_chat_member(SUPERGROUP, USER)
    assert member.status == "creator" and getattr(member, "is_anonymous", False)


async def test_get_chat_describes_private_and_group_chats(bot: Bot) -> None:
    private = await bot.get_chat(USER)
    assert private.type == "private" and private.first_name == "Ann"
    group = await bot.get_chat(GROUP)
    assert group.type == "group" and group.title == "Newsroom"
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.get_chat(-999)


async def test_edit_message_text_rules(bot: Bot, tg: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("more", callback_data="more:1")]])
    sent = await bot.send_message(USER, "page 1", reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified"):
        await bot.edit_message_text("page 1", USER, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)Message to edit not found"):
        await bot.edit_message_text("page 2", USER, 999)
    await bot.edit_message_text("<i>page 2</i>", USER, sent.message_id, parse_mode="HTML")
    [message] = tg.messages(USER)
    assert message.edited and message.text == "page 2"
    assert message.reply_markup is None  # an edit without markup drops the keyboard


async def test_edit_reply_markup(bot: Bot, tg: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("more", callback_data="more:1")]])
    sent = await bot.send_message(USER, "page 1", reply_markup=keyboard)
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    assert tg.messages(USER)[0].buttons == ()
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)


async def test_button_press_and_answer(bot: Bot, tg: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("more", callback_data="more:2")]])
    sent = await bot.send_message(USER, "page 1", reply_markup=keyboard)
    with pytest.raises(ValueError, match="no button"):
        tg.press_button(USER, USER, sent.message_id, "nope")
    update_id = tg.press_button(USER, USER, sent.message_id, "more:2")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "more:2"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert tg.message_id_of(update_id) == sent.message_id
    await bot.answer_callback_query(query.id, text="Loading")
    assert tg.callback_answers[tg.callback_query_id(update_id)]["text"] == "Loading"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_replies_carry_the_replied_message(bot: Bot, tg: FakeTelegram) -> None:
    sent = await bot.send_message(USER, "An article summary")
    tg.send_text(USER, USER, "/quotes", reply_to_message_id=sent.message_id)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.reply_to_message is not None
    assert update.message.reply_to_message.text == "An article summary"
    await bot.send_message(USER, "reply", reply_to_message_id=update.message.message_id)
    assert tg.messages(USER)[-1].reply_to_message_id == update.message.message_id


async def test_bot_membership_updates(bot: Bot, tg: FakeTelegram) -> None:
    tg.add_bot_to_group(-3001, USER, title="New group")
    tg.remove_bot(-3001, USER)
    updates = await bot.get_updates()
    statuses = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ]
    assert statuses == [("left", "member"), ("member", "kicked")]
    await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(GROUP, "hi")


async def test_commands_are_recorded_per_scope(bot: Bot, tg: FakeTelegram) -> None:
    await bot.set_my_commands([BotCommand("latest", "Latest articles")])
    await bot.set_my_commands([BotCommand("stats", "Statistics")], scope=BotCommandScopeChat(USER))
    assert tg.commands_for() == [{"command": "latest", "description": "Latest articles"}]
    assert tg.commands_for({"type": "chat", "chat_id": USER}) == [
        {"command": "stats", "description": "Statistics"}
    ]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(USER))] == [
        "stats"
    ]
    await bot.delete_my_commands(scope=BotCommandScopeChat(USER))
    assert tg.commands_for({"type": "chat", "chat_id": USER}) is None
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Who-Said", "bad name")])


async def test_chat_actions_and_webhook_calls(bot: Bot, tg: FakeTelegram) -> None:
    await bot.send_chat_action(USER, "typing")
    assert tg.chat_actions == [(USER, "typing")]
    await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()
    assert await bot.log_out() and await bot.close()


async def test_outage_answers_502_until_it_ends(
    bot: Bot, tg: FakeTelegram, clock: FakeClock
) -> None:
    tg.outage(30)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(USER, "anyone?")
    clock.advance(31)
    await bot.send_message(USER, "back")
    assert tg.status_counts[502] == 1


async def test_wrong_token_and_unknown_method(tg: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with make_bot(tg, "999:WRONG"):
            pass
    async with httpx.AsyncClient(base_url=tg.api_root) as client:
        unknown = await client.post(f"/bot{TOKEN}/getNothing")
        assert unknown.status_code == 404
        assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        # Method names are case-insensitive and GET with a query string works, as on Telegram.
        me = await client.get(f"/bot{TOKEN}/getme")
        assert me.json()["result"]["username"] == BOT_USERNAME
        by_json = await client.post(
            f"/bot{TOKEN}/sendMessage",
            json={"chat_id": USER, "text": "<i>json</i>", "parse_mode": "HTML"},
        )
        assert by_json.json()["result"]["text"] == "json"
        missing = await client.get(f"/file/bot{TOKEN}/documents/nothing.txt")
        assert missing.status_code == 404
    assert tg.status_counts[401] == 1 and tg.status_counts[404] == 2


async def test_wait_for_wakes_on_bot_calls(bot: Bot, tg: FakeTelegram) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(USER, "done")

    task = asyncio.create_task(later())
    [message] = await tg.wait_for_messages(USER, 1, timeout=2)
    assert message.text == "done"
    await task
    with pytest.raises(TimeoutError, match="condition not met"):
        await tg.wait_for(lambda: tg.messages(GROUP), timeout=0.05)


def test_command_entities_follow_tdlib_rules() -> None:
    def commands(text: str) -> list[str]:
        return [
            text[e["offset"] : e["offset"] + e["length"]]
            for e in _auto_entities(text)
            if e["type"] == "bot_command"
        ]

    assert commands("/start") == ["/start"]
    assert commands(f"/latest@{BOT_USERNAME} 5") == [f"/latest@{BOT_USERNAME}"]
    assert commands("and/or /x") == ["/x"]
    assert commands("/who-said Putin") == ["/who"]
    assert commands("/ alone") == []
    assert [e["type"] for e in _auto_entities("see https://example.org/a.")] == ["url"]


async def test_a_polling_application_answers_commands(tg: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(f"<b>Hello</b> {context.args}")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{tg.api_root}/bot")
        .base_file_url(f"{tg.api_root}/file/bot")
        .request(plain_http())
        .get_updates_request(plain_http())
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=5)
        tg.send_text(USER, USER, f"/start@{BOT_USERNAME} now")
        [reply] = await tg.wait_for_messages(USER, 1, timeout=5)
        await app.updater.stop()
        await app.stop()
    assert reply.text == "Hello ['now']"
    assert tg.pending_updates == 0
    # Stopping abandons a long poll: it must not show up as an error answer.
    assert set(tg.status_counts) == {200}, tg.calls
