"""End to end: the real python-telegram-bot application against the fake Bot API server.

Each test starts newsbot the way `run_polling` does (`build_application(settings)`, polling
getUpdates over HTTP) on a copy of the sample library, plays users with the fake's helpers and
checks what arrives in the chats. The router's own logic is covered in
tests/handlers/test_commands.py; these tests cover what only the Telegram layer can get wrong:
addressing, admin checks via getChatMember, files via getFile, buttons, HTML that Telegram
must accept, message splitting, rate limits, outages, blocked and migrated chats, and digests
fired by an injected clock across restarts.

The `bot` fixture fails a test that caused any HTTP 400 or 429 it did not declare in
`bot.expected`, and any handler that raised.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newsbot.bot.services import Services
from newsbot.handlers.commands.router import EXPIRED_BUTTON
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from tests.bot.conftest import ADMIN, SECOND_ADMIN, BotUnderTest, bot_settings
from tests.conftest import make_settings
from tests.fakes.telegram_html import utf16_len
from tests.fakes.telegram_server import FakeTelegram, SentMessage

USER = 1001
# Group roles: the creator and an administrator may change the digest, a member may not.
CREATOR, MODERATOR, MEMBER = 2001, 2002, 2003
GROUP = -5001
DIGEST_DAY = datetime(2031, 3, 10, tzinfo=UTC)  # far from the real clock's slots

ARTICLE = (
    "Tram line to the harbour opens two months early\n"
    "The new tram line linking Lakeport's central station with the harbour opened on Monday, "
    "two months ahead of schedule and slightly under its budget of 140 million crowns.\n\n"
    "“We promised the harbour district a fast connection and we delivered it early,” said "
    "transport councillor Mirela Castano at the opening ceremony.\n\n"
    "Trams will run every six minutes at peak times. The council expects twelve thousand "
    "passengers a day within the first year, easing traffic on the coastal road."
)

_user_ids = itertools.count(3000)


def fresh_user() -> int:
    """A user nobody has used yet: its own private chat, throttle bucket and pacing."""
    return next(_user_ids)


def add_group(
    fake: FakeTelegram, chat_id: int = GROUP, *, kind: str = "group", anonymous: bool = False
) -> int:
    fake.add_chat(chat_id, kind, f"Readers {chat_id}", (CREATOR, MODERATOR), anonymous)
    return chat_id


def text(messages: list[SentMessage]) -> str:
    return "\n".join(m.text for m in messages)


def at(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    return DIGEST_DAY + timedelta(days=days, hours=hour, minutes=minute)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10) -> None:  # noqa: ASYNC109
    """Poll an async condition (store state changed by a handler) until it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "condition never held"
        await asyncio.sleep(0.02)


async def turn_on_digest(bot: BotUnderTest, chat_id: int, time: str = "09:00") -> None:
    """The group's creator turns the daily digest on through Telegram."""
    reply = await bot.ask(chat_id, CREATOR, f"/digest on {time} UTC")
    assert "Daily digest is on" in text(reply)


def digests_in(fake: FakeTelegram, chat_id: int) -> list[SentMessage]:
    return [m for m in fake.messages(chat_id) if "Your news digest" in m.text]


# --- start-up -------------------------------------------------------------------------------


async def test_command_menus_hide_admin_commands_except_in_admin_chats(bot: BotUnderTest) -> None:
    public = [c["command"] for c in bot.fake.commands_for() or []]
    assert public[:3] == ["start", "help", "latest"] and "who_said" in public
    assert not {"add", "feed", "remove", "stats"} & set(public)
    for admin in (ADMIN, SECOND_ADMIN):
        menu = [
            c["command"] for c in bot.fake.commands_for({"type": "chat", "chat_id": admin}) or []
        ]
        assert {"add", "feed", "remove", "stats"} <= set(menu) and set(public) <= set(menu)
    assert sorted(bot.job_names) == ["digests", "feeds"]


async def test_an_admin_who_never_started_the_bot_does_not_cost_the_others_their_menu(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    # 7000 is asked for first (lowest id, and first in the frozenset), so its
    # "chat not found" comes before the other admins' menus.
    settings = make_settings(
        tmp_path / "menus.db",
        TELEGRAM_API_URL=fake.api_root,
        BOT_TOKEN=fake.token,
        ADMIN_IDS=f"{ADMIN},7000,{SECOND_ADMIN}",
    )
    under_test = BotUnderTest(fake, settings)
    await under_test.start(polling=False)
    try:
        for admin in (ADMIN, SECOND_ADMIN):
            assert fake.commands_for({"type": "chat", "chat_id": admin}), admin
        assert fake.status_counts[400] == 1  # 7000's chat, which Telegram does not know
    finally:
        await under_test.stop()


# --- reading commands, in private chats and groups --------------------------------------------


@pytest.fixture(params=["private", "group"])
def where(request: pytest.FixtureRequest, bot: BotUnderTest) -> tuple[int, int]:
    """(chat, user) for a fresh user in a private chat or as a member of a fresh group."""
    user = fresh_user()
    if request.param == "private":
        return user, user
    chat = -user
    bot.fake.add_chat(chat, "group", "Readers", (CREATOR, user - 1))
    return chat, user


@pytest.mark.parametrize("admin", [False, True])
async def test_start_and_help(bot: BotUnderTest, where: tuple[int, int], admin: bool) -> None:
    chat, user = where
    if admin:
        chat, user = (ADMIN, ADMIN) if chat > 0 else (chat, ADMIN)
    start = await bot.ask(chat, user, "/start")
    assert len(start) == 1 and "newsbot keeps a library" in start[0].text
    help_ = await bot.ask(chat, user, "/help")
    assert "/latest [n]" in help_[0].text and "/digest on" in help_[0].text
    assert ("/add" in help_[0].text) is admin
    assert "<b>Commands</b>" in help_[0].html  # parsed as HTML, not shown as tags


async def test_latest_and_the_more_button(bot: BotUnderTest, where: tuple[int, int]) -> None:
    chat, user = where
    (first,) = await bot.ask(chat, user, "/latest 3")
    assert "Latest articles (1–3 of 28)" in first.text and first.callback_data == ("latest 2 3",)
    (second,) = await bot.press(chat, user, first)
    assert "(4–6 of 28)" in second.text
    assert "#28" in first.text and "#25" in second.text


async def test_summary_by_id_by_words_and_by_choosing(
    bot: BotUnderTest, where: tuple[int, int]
) -> None:
    chat, user = where
    (by_id,) = await bot.ask(chat, user, "/summary 1")
    assert by_id.text.count("• ") == 3 and "Read the full article" in by_id.text
    (by_words,) = await bot.ask(chat, user, "/summary green bond")
    assert "• " in by_words.text and "bond" in by_words.text.lower()
    (choices,) = await bot.ask(chat, user, "/summary Harriers")
    assert "Several articles match" in choices.text
    assert set(choices.callback_data) == {"summary 1 11", "summary 1 12"}
    (chosen,) = await bot.press(chat, user, choices, "summary 1 11")
    assert chosen.text.startswith("Lakeport Harriers & Port Anselm Athletic")


async def test_who_said_by_name_by_phrase_and_alone(
    bot: BotUnderTest, where: tuple[int, int]
) -> None:
    chat, user = where
    (by_name,) = await bot.ask(chat, user, "/who_said Okonjo-Reyes")
    assert "Amara Okonjo-Reyes" in by_name.text and "“" in by_name.text
    phrase = " ".join(by_name.text.split("“", 1)[1].split()[:4])
    (by_phrase,) = await bot.ask(chat, user, f'/who_said "{phrase}"')
    assert "Who said" in by_phrase.text and "Okonjo-Reyes" in by_phrase.text
    (alone,) = await bot.ask(chat, user, "/who_said")
    assert "Most quoted" in alone.text and alone.callback_data
    (picked,) = await bot.press(chat, user, alone, alone.callback_data[0])
    assert "quotes, newest first" in picked.text


@pytest.mark.parametrize(
    "spelling", ["/who-said", "/whosaid", "/Who-Said", "/who-said@newsbot_test_bot"]
)
async def test_who_said_spellings_typed_as_text(bot: BotUnderTest, spelling: str) -> None:
    chat = add_group(bot.fake, -fresh_user())
    (reply,) = await bot.ask(chat, MEMBER, f"{spelling} Okonjo-Reyes")
    assert "Amara Okonjo-Reyes" in reply.text


async def test_search(bot: BotUnderTest, where: tuple[int, int]) -> None:
    chat, user = where
    (found,) = await bot.ask(chat, user, "/search budget")
    assert "results for “budget”" in found.text or "1 result for" in found.text
    assert any(e["type"] == "bold" for e in found.entities)  # matches marked in bold
    (nothing,) = await bot.ask(chat, user, "/search zzqx")
    assert "Nothing found" in nothing.text


# --- addressing -----------------------------------------------------------------------------


async def test_commands_addressed_to_this_bot_or_another(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    ours = await bot.ask(chat, MEMBER, "/latest@newsbot_test_bot 1")
    assert "Latest articles (1–1 of 28)" in text(ours)
    assert await bot.ask(chat, MEMBER, "/latest@OtherBot 1") == []
    # In a group an unknown bare command is probably another bot's; addressed to us, answer.
    assert await bot.ask(chat, MEMBER, "/frobnicate") == []
    assert "I don't know /frobnicate" in text(
        await bot.ask(chat, MEMBER, "/frobnicate@newsbot_test_bot")
    )
    assert "I don't know /frobnicate" in text(await bot.ask(USER, USER, "/frobnicate"))


async def test_an_unknown_command_in_a_group_caption_is_ignored(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    update = bot.fake.send_document(chat, MEMBER, b"notes", "notes.txt", "text/plain", "/frob")
    assert await bot.through(chat, update) == []
    update = bot.fake.send_photo(chat, MEMBER, caption="/otherbotcommand")
    assert await bot.through(chat, update) == []


# --- /digest settings in groups ---------------------------------------------------------------


async def test_group_admins_change_the_digest_and_members_cannot(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    bot.fake.add_user(ADMIN)  # a newsbot admin, but only a member of this group
    on = await bot.ask(chat, CREATOR, "/digest on 07:30 europe/berlin")
    assert "Daily digest is on" in text(on) and "07:30" in text(on)
    assert "Europe/Berlin" in text(on)
    for user in (MEMBER, ADMIN):
        refused = await bot.ask(chat, user, "/digest off")
        assert "Only this group's administrators" in text(refused)
    status = await bot.ask(chat, MEMBER, "/digest status")
    assert "Daily digest at 07:30 (Europe/Berlin)" in text(status)
    off = await bot.ask(chat, MODERATOR, "/digest off")
    assert "turned off" in text(off)
    asked = {c.params["user_id"] for c in bot.fake.calls_to("getChatMember")}
    assert asked == {CREATOR, MEMBER, ADMIN, MODERATOR}
    stored = await bot.services.store.get_chat(chat)
    assert stored is not None and not stored.digest_enabled


async def test_an_anonymous_admin_may_change_the_digest(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake, kind="supergroup", chat_id=-1005001, anonymous=True)
    on = await bot.ask(chat, CREATOR, "/digest on 06:15")
    assert "Daily digest is on" in text(on)
    # Telegram hides who the anonymous admin is; the message comes from the group itself.
    assert bot.fake.calls_to("getChatMember") == []
    stored = await bot.services.store.get_chat(chat)
    assert stored is not None and stored.digest_enabled and stored.digest_time == "06:15"


async def test_anonymous_admins_of_different_groups_are_throttled_separately(
    bot: BotUnderTest,
) -> None:
    # Every anonymous admin's messages come "from" the same GroupAnonymousBot account.
    noisy = add_group(bot.fake, -1005011, kind="supergroup", anonymous=True)
    quiet = add_group(bot.fake, -1005012, kind="supergroup", anonymous=True)
    for _ in range(10):
        await bot.ask(noisy, CREATOR, "/digest status")
    reply = await bot.ask(quiet, MODERATOR, "/digest status")
    assert "The daily digest is off here" in text(reply)


async def test_digest_in_a_private_chat_needs_no_admin_check(bot: BotUnderTest) -> None:
    on = await bot.ask(USER, USER, "/digest on 21:00 Asia/Kolkata")
    assert "Daily digest at 21:00 (Asia/Kolkata)" in text(on)
    assert bot.fake.calls_to("getChatMember") == []


async def test_digest_now_fits_one_message_and_moves_the_watermark(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    # A member may not take it: that would leave the group's daily digest empty.
    refused = await bot.ask(chat, MEMBER, "/digest now")
    assert "Only this group's administrators" in text(refused)
    # 28 new articles: one message (one send per chat keeps fan-outs fast) that points to
    # /latest for the articles that did not fit.
    (digest,) = await bot.ask(chat, MODERATOR, "/digest now")
    assert digest.text.startswith("🗞 Your news digest") and "/latest" in digest.text
    assert utf16_len(digest.text) <= 4096
    again = await bot.ask(chat, MODERATOR, "/digest now")
    assert "Nothing new since the last digest" in text(again)


DIGEST_MISTAKES = (
    "on 25:00", "on 7pm", "on -1", "on 07:30 Mars/Olympus", "on 07:30 UTC extra", "sometimes",
    "off now", "on 24:00", "on 7:60", "on 07:30 <b>&amp;", "on " + "9" * 4000,
)  # fmt: skip


async def test_digest_bad_times_and_zones_are_explained(bot: BotUnderTest) -> None:
    # One process for the whole table (start-up dominates); a fresh user per line keeps
    # throttling and per-chat pacing out of the way.
    for args in DIGEST_MISTAKES:
        user = fresh_user()
        (reply,) = await bot.ask(user, user, f"/digest {args}")
        explained = ("/digest on", "not a time", "time zone")
        assert any(e in reply.text for e in explained), (args, reply.text)
        chat = await bot.services.store.get_chat(user)
        assert chat is None or not chat.digest_enabled, args


# --- admin commands -------------------------------------------------------------------------


async def test_add_pasted_text_then_read_it(bot: BotUnderTest) -> None:
    (added,) = await bot.ask(ADMIN, ADMIN, f"/add {ARTICLE}")
    assert "1 added" in added.text and "Tram line to the harbour" in added.text
    (found,) = await bot.ask(ADMIN, ADMIN, "/who_said Castano")
    assert "delivered it early" in found.text
    (again,) = await bot.ask(ADMIN, ADMIN, f"/add {ARTICLE}")
    assert "1 duplicate" in again.text


async def test_add_as_a_reply_to_a_message(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    posted = bot.fake.send_text(chat, MEMBER, ARTICLE)
    (added,) = await bot.ask(
        chat, ADMIN, "/add", reply_to_message_id=bot.fake.message_id_of(posted)
    )
    assert "1 added" in added.text
    assert await bot.services.store.count_articles() == 29


async def test_add_an_attached_text_file_downloads_it_through_the_api_url(
    bot: BotUnderTest,
) -> None:
    update = bot.fake.send_document(
        ADMIN, ADMIN, ARTICLE.encode(), "tram.txt", "text/plain", caption="/add"
    )
    (added,) = await bot.through(ADMIN, update)
    assert "1 added" in added.text and "Tram line" in added.text
    assert [c.status for c in bot.fake.calls_to("getFile")] == [200]
    assert [c.status for c in bot.fake.calls_to("file")] == [200]


async def test_add_as_a_reply_to_a_file(bot: BotUnderTest) -> None:
    # A file forwarded or posted earlier: the admin answers it with /add.
    chat = add_group(bot.fake)
    posted = bot.fake.send_document(chat, MEMBER, ARTICLE.encode(), "tram.txt", "text/plain")
    target = bot.fake.message_id_of(posted)
    (added,) = await bot.ask(chat, ADMIN, "/add", reply_to_message_id=target)
    assert "1 added" in added.text and "Tram line" in added.text
    assert [c.status for c in bot.fake.calls_to("file")] == [200]


async def test_add_refuses_photos_politely(bot: BotUnderTest) -> None:
    update = bot.fake.send_photo(ADMIN, ADMIN, caption="/add")
    (reply,) = await bot.through(ADMIN, update)
    assert "I can't read photos" in reply.text
    assert bot.fake.calls_to("getFile") == []


async def test_add_refuses_a_20_mb_file_without_downloading_it(bot: BotUnderTest) -> None:
    update = bot.fake.send_document(
        ADMIN, ADMIN, b"big", "big.txt", "text/plain", "/add", file_size=20 * 1024 * 1024
    )
    (reply,) = await bot.through(ADMIN, update)
    assert "20.0 MB" in reply.text and "limit" in reply.text
    assert bot.fake.calls_to("getFile") == [] and bot.fake.calls_to("file") == []


async def test_add_with_nothing_to_add_explains_how(bot: BotUnderTest) -> None:
    (reply,) = await bot.ask(ADMIN, ADMIN, "/add")
    assert "Send /add followed by the article text" in reply.text


async def test_admin_commands_are_refused_to_everyone_else(
    bot: BotUnderTest, where: tuple[int, int]
) -> None:
    chat, user = where
    for command in (f"/add {ARTICLE}", "/remove 1", "/stats", "/feed list"):
        reply = await bot.ask(chat, user, command)
        assert "is only for newsbot's admins" in text(reply), command
    update = bot.fake.send_document(chat, user, ARTICLE.encode(), "t.txt", "text/plain", "/add")
    assert "only for newsbot's admins" in text(await bot.through(chat, update))
    assert bot.fake.calls_to("getFile") == []
    assert await bot.services.store.count_articles() == 28


async def test_feeds_remove_and_stats(bot: BotUnderTest) -> None:
    admin = SECOND_ADMIN
    assert "No feeds yet" in text(await bot.ask(admin, admin, "/feed list"))
    added = await bot.ask(admin, admin, "/feed add https://news.example/rss.xml 60")
    assert "Feed #1 added" in text(added)
    listing = await bot.ask(admin, admin, "/feed")
    assert "1. https://news.example/rss.xml — every 60 min" in text(listing)
    assert "Removed article #5" in text(await bot.ask(ADMIN, ADMIN, "/remove #5"))
    assert "There is no article #5" in text(await bot.ask(ADMIN, ADMIN, "/remove 5"))
    assert "Feed removed" in text(await bot.ask(admin, admin, "/feed remove 1"))
    (stats,) = await bot.ask(ADMIN, ADMIN, "/stats")
    assert "Articles: 27" in stats.text and "Feeds: 0" in stats.text


# --- scheduled digests ----------------------------------------------------------------------


async def test_a_digest_fires_at_its_time_into_the_group(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    await turn_on_digest(bot, chat)
    before = len(bot.fake.messages(chat))
    assert (await bot.digests.run_due(at(8, 59))).sent == 0
    assert len(bot.fake.messages(chat)) == before
    run = await bot.digests.run_due(at(9, 0))
    assert run.sent == 1
    (digest,) = bot.fake.messages(chat)[before:]
    assert digest.text.startswith("🗞 Your news digest") and "#28" in digest.text
    assert (await bot.digests.run_due(at(9, 1))).sent == 0
    # The next day there is nothing new; after an /add the digest carries just that article.
    assert (await bot.digests.run_due(at(9, days=1))).sent == 0
    await bot.ask(ADMIN, ADMIN, f"/add {ARTICLE}")
    assert (await bot.digests.run_due(at(9, days=2))).sent == 1
    (latest,) = bot.fake.messages(chat)[before + 1 :]
    assert "Tram line to the harbour" in latest.text and "#28" not in latest.text


async def test_a_restart_does_not_send_the_digest_twice(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    await turn_on_digest(bot, chat)
    (listing,) = await bot.ask(chat, MEMBER, "/latest 2")
    # Two ticks overlapping (a slow run and the next one) still deliver once.
    runs = await asyncio.gather(bot.digests.run_due(at(9, 0)), bot.digests.run_due(at(9, 0)))
    assert sorted(r.sent for r in runs) == [0, 1]
    sent = len(bot.fake.messages(chat))
    await bot.restart()
    assert (await bot.digests.run_due(at(9, 0))).sent == 0
    assert (await bot.digests.run_due(at(9, 30))).sent == 0
    assert len(bot.fake.messages(chat)) == sent
    status = await bot.ask(chat, MEMBER, "/digest status")
    assert "Last sent" in text(status)
    # Buttons carry their whole action, so those sent before the restart still work.
    (more,) = await bot.press(chat, MEMBER, listing)
    assert "(3–4 of 28)" in more.text


async def test_a_missed_digest_goes_out_at_start_up_only_if_less_than_12_hours_late(
    fake: FakeTelegram, sample_db: Path
) -> None:
    # Configured while the bot was down: one chat's time was 5 h ago, the other's 13 h ago.
    now = datetime.now(UTC)
    late, too_late = add_group(fake, -6001), add_group(fake, -6002)
    services = await Services.open(make_settings(sample_db))
    for chat, hours in ((late, 5), (too_late, 13)):
        await services.store.upsert_chat(chat, "group", "Readers")
        hhmm = (now - timedelta(hours=hours)).strftime("%H:%M")
        await services.store.set_digest(chat, enabled=True, time=hhmm, timezone="UTC")
    await services.close()

    under_test = BotUnderTest(fake, bot_settings(fake, sample_db))
    try:
        # The real digest job's first tick, a second after start-up, catches up.
        await under_test.start(keep_jobs=True)
        await fake.wait_for_messages(late, 1)
        await under_test.stop()  # waits for the running tick to finish
        assert len(digests_in(fake, late)) == 1 and fake.messages(too_late) == []
        await under_test.start()
        assert (await under_test.digests.run_due(datetime.now(UTC))).sent == 0
        assert len(digests_in(fake, late)) == 1 and fake.messages(too_late) == []
    finally:
        await under_test.stop()
    assert not under_test.errors
    assert fake.status_counts[400] == fake.status_counts[429] == 0


async def test_late_digests_with_an_injected_clock(bot: BotUnderTest) -> None:
    late, too_late = add_group(bot.fake, -6011), add_group(bot.fake, -6012)
    await turn_on_digest(bot, late)
    await turn_on_digest(bot, too_late)
    assert (await bot.digests.run_due(at(14, 0))).sent == 2  # both 5 h late
    late2, too_late2 = add_group(bot.fake, -6013), add_group(bot.fake, -6014)
    await turn_on_digest(bot, late2, "10:00")
    await turn_on_digest(bot, too_late2, "09:00")
    run = await bot.digests.run_due(at(21, 30))  # 11.5 h and 12.5 h late
    assert run.sent == 1 and digests_in(bot.fake, late2) and not digests_in(bot.fake, too_late2)
    assert (await bot.digests.run_due(at(21, 31))).sent == 0
    assert (await bot.digests.run_due(at(9, days=1))).sent == 1  # the next day's comes
    assert len(digests_in(bot.fake, too_late2)) == 1


async def test_a_429_storm_loses_and_duplicates_nothing(bot: BotUnderTest) -> None:
    chats = [add_group(bot.fake, -7000 - i) for i in range(4)]
    for chat in chats:
        await turn_on_digest(bot, chat)
    bot.fake.flood(None, 5, retry_after=1)
    bot.expected[429] = 5
    run = await bot.digests.run_due(at(9, 0))
    assert run.sent == 4 and run.failed == 0
    for chat in chats:
        (digest,) = bot.fake.messages(chat)[1:]  # after the "digest is on" reply
        assert digests_in(bot.fake, chat) == [digest]
    assert bot.fake.status_counts[429] == 5


async def test_a_429_on_a_command_reply_is_waited_out(bot: BotUnderTest) -> None:
    bot.fake.flood(USER, 2, retry_after=1)
    bot.expected[429] = 2
    (reply,) = await bot.ask(USER, USER, "/help")
    assert "/latest [n]" in reply.text


async def test_a_blocked_chat_loses_its_digest_and_stats_show_it(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    await turn_on_digest(bot, chat)
    assert "Daily digest is on" in text(await bot.ask(USER, USER, "/digest on 09:00 UTC"))
    bot.fake.block_chat(chat)
    bot.fake.block_chat(USER)
    run = await bot.digests.run_due(at(9, 0))
    assert run.disabled == 2 and run.sent == 0
    for chat_id in (chat, USER):
        stored = await bot.services.store.get_chat(chat_id)
        assert stored is not None and stored.blocked and not stored.digest_enabled
    forbidden = [c for c in bot.fake.calls if c.status == 403]
    assert len(forbidden) == 2
    assert (await bot.digests.run_due(at(9, days=1))).disabled == 0  # not tried again
    assert len([c for c in bot.fake.calls if c.status == 403]) == 2
    (stats,) = await bot.ask(ADMIN, ADMIN, "/stats")
    assert "2 blocked" in stats.text and "chat-blocked" in stats.text


async def test_a_group_upgraded_to_a_supergroup_keeps_its_digest(bot: BotUnderTest) -> None:
    chat, supergroup = add_group(bot.fake, -5101), -1005101
    await turn_on_digest(bot, chat, "07:45")
    bot.fake.migrate_chat(chat, supergroup)

    async def moved() -> bool:
        return await bot.services.store.get_chat(supergroup) is not None

    await eventually(moved)
    assert await bot.services.store.get_chat(chat) is None
    assert (await bot.digests.run_due(at(7, 45))).sent == 1
    assert len(digests_in(bot.fake, supergroup)) == 1
    status = await bot.ask(supergroup, MEMBER, "/digest status")
    assert "Daily digest at 07:45 (UTC)" in text(status)


async def test_a_digest_follows_an_upgrade_it_discovers_when_sending(
    idle_bot: BotUnderTest,
) -> None:
    # Not polling: the service message about the upgrade has not reached the bot yet.
    bot, chat, supergroup = idle_bot, add_group(idle_bot.fake, -5201), -1005201
    await bot.start(polling=False)
    store = bot.services.store
    await store.upsert_chat(chat, "group", "Readers")
    await store.set_digest(chat, enabled=True, time="09:00", timezone="UTC")
    bot.fake.migrate_chat(chat, supergroup)
    bot.expected[400] = 1  # "group chat was upgraded to a supergroup chat"
    assert (await bot.digests.run_due(at(9, 0))).sent == 1
    assert len(digests_in(bot.fake, supergroup)) == 1
    moved = await store.get_chat(supergroup)
    assert moved is not None and moved.digest_enabled and await store.get_chat(chat) is None
    assert (await bot.digests.run_due(at(9, 5))).sent == 0


async def test_membership_changes_are_recorded(bot: BotUnderTest) -> None:
    store = bot.services.store
    added = bot.fake.add_bot_to_group(-8001, CREATOR, title="Newsroom")
    await bot.handled(added)
    chat = await store.get_chat(-8001)
    assert chat is not None and chat.title == "Newsroom" and not chat.blocked
    await bot.handled(bot.fake.remove_bot(-8001, CREATOR))
    chat = await store.get_chat(-8001)
    assert chat is not None and chat.blocked


# --- delivery -------------------------------------------------------------------------------


async def test_a_reply_longer_than_4096_is_split_into_messages_telegram_accepts(
    bot: BotUnderTest,
) -> None:
    parts = await bot.ask(USER, USER, "/latest 10")
    assert len(parts) == 2 and sum(utf16_len(p.text) for p in parts) > 4096
    assert all(utf16_len(p.text) <= 4096 for p in parts)
    assert parts[0].reply_markup is None and parts[1].callback_data == ("latest 2 10",)
    assert "#28" in parts[0].text and "#19" in parts[1].text


async def test_many_users_at_once_are_paced_under_the_overall_limit(bot: BotUnderTest) -> None:
    # 45 replies at once: Telegram allows about 30 messages a second over all chats.
    users = [fresh_user() for _ in range(45)]
    updates = [bot.fake.send_text(user, user, "/start") for user in users]
    await asyncio.gather(*(bot.handled(u) for u in updates))
    assert all(len(bot.fake.messages(user)) == 1 for user in users)
    assert bot.fake.status_counts[429] == 0


async def test_commands_sent_during_an_outage_are_answered_when_it_ends(
    bot: BotUnderTest,
) -> None:
    bot.fake.outage(1.5)
    # Wait until polling has noticed, so the command is not collected by a poll that began
    # before the outage (a real outage would not deliver it either).
    await bot.fake.wait_for(lambda: any(c.status == 502 for c in bot.fake.calls_to("getUpdates")))
    during = bot.fake.send_text(USER, USER, "/help")
    assert "/latest [n]" in text(await bot.through(USER, during))
    after = await bot.ask(USER, USER, "/latest 1")
    assert "Latest articles (1–1 of 28)" in text(after)
    assert bot.app is not None and bot.app.running


async def test_a_digest_during_a_short_outage_is_resent_until_it_goes_through(
    bot: BotUnderTest,
) -> None:
    chat = add_group(bot.fake)
    await turn_on_digest(bot, chat)
    bot.fake.outage(1.2)  # shorter than the rate limiter's resend delays add up to
    assert (await bot.digests.run_due(at(9, 0))).sent == 1
    assert len(digests_in(bot.fake, chat)) == 1
    assert bot.fake.status_counts[502] >= 1


async def test_a_digest_during_a_long_outage_is_retried_by_the_next_tick(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Resend delays shortened so the outage outlasts them without slowing the test.
    monkeypatch.setattr("newsbot.bot.rate_limit.NETWORK_RETRY_DELAYS", (0.05, 0.05))
    chat = add_group(bot.fake)
    await turn_on_digest(bot, chat)
    bot.fake.outage(30)
    failed = await bot.digests.run_due(at(9, 0))
    assert failed.failed == 1 and not digests_in(bot.fake, chat)
    bot.fake.outage(0)
    assert (await bot.digests.run_due(at(9, 1))).sent == 1
    assert (await bot.digests.run_due(at(9, 2))).sent == 0
    assert len(digests_in(bot.fake, chat)) == 1


# --- bad input ------------------------------------------------------------------------------

HTML_MESS = "<b>&amp; _*[`code`](x) </i> &"


BAD_ARGUMENTS = (
    ("/summary", "Use /summary ID"),
    ("/search", "Use /search"),
    ("/latest 3 4", "Use /latest or /latest N"),
    ("/latest 0", "from 1 to 10"),
    ("/summary 1 2 lexrank extra", "No article matches"),
    (f"/summary {HTML_MESS}", "No article matches"),
    (f"/search {HTML_MESS}", "Nothing found for “<b>&amp; _*[`code`](x) </i> &”"),
    (f'/who_said "{HTML_MESS}"', "Nobody in the stored articles"),
    (f"/who_said {HTML_MESS}", "Nobody in the stored articles"),
    (f"/frob {HTML_MESS}", "Send /help"),
    ("/search " + "harbour " * 500, "at most 200"),
    ("/summary " + "x" * 4000, "at most 200"),
    ("/latest " + "9" * 4000, "from 1 to 10"),
    ("/who_said " + "<&>" * 1333, "at most 200"),
    ("/search " + "&<>" * 1300, "at most 200"),
    ("/add " + "x" * 4000, "only for newsbot's admins"),
)


async def test_bad_arguments_are_answered(bot: BotUnderTest) -> None:
    for command, expected in BAD_ARGUMENTS:
        user = fresh_user()
        reply = await bot.ask(user, user, command)
        assert expected in text(reply), (command[:60], text(reply))


ADMIN_MISTAKES = (
    ("/remove", "Use /remove ID"),
    ("/remove 1 2", "Use /remove ID"),
    ("/remove <b>1</b>", "Use /remove ID"),
    ("/remove " + "9" * 4000, "Use /remove ID"),
    ("/feed add", "Use /feed add URL"),
    ("/feed list extra", "Use /feed add URL"),
    ("/feed add ftp://example.com/rss", "not a feed address I can use"),
    ("/feed add https://news.example/rss 3", "from 5 to 1440"),
)


async def test_bad_admin_arguments_are_answered(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)  # a group paces 20 replies a minute, a private chat one a second
    for number, (command, expected) in enumerate(ADMIN_MISTAKES):
        admin = (ADMIN, SECOND_ADMIN)[number % 2]  # each admin stays within the flood limit
        reply = await bot.ask(chat, admin, command)
        assert expected in text(reply), (command[:60], text(reply))
    assert await bot.services.store.count_articles() == 28


async def test_titles_with_html_characters_reach_telegram_intact(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    for article, title in (
        (11, "Lakeport Harriers & Port Anselm Athletic"),
        (17, "Blood test flags sepsis in < 20 minutes"),
        (22, "Night buses & late trams"),
    ):
        (reply,) = await bot.ask(chat, MEMBER, f"/summary {article}")
        assert reply.text.startswith(title)
    (search,) = await bot.ask(chat, MEMBER, "/search sepsis")
    assert "in < 20 minutes" in search.text
    assert "&" in text(await bot.ask(chat, CREATOR, "/digest now"))


async def test_an_article_with_markup_in_its_title(bot: BotUnderTest) -> None:
    title = "Council <b>votes</b> & *rejects* _the_ [plan] `today`"
    body = ARTICLE.split("\n", 1)[1]
    (added,) = await bot.ask(ADMIN, ADMIN, f"/add {title}\n{body}")
    assert title in added.text
    (latest,) = await bot.ask(SECOND_ADMIN, SECOND_ADMIN, "/latest 1")
    assert title in latest.text
    (summary,) = await bot.ask(SECOND_ADMIN, SECOND_ADMIN, "/summary 29")
    assert summary.text.startswith(title)


async def test_stale_and_forged_buttons(bot: BotUnderTest) -> None:
    chat = add_group(bot.fake)
    (choices,) = await bot.ask(chat, MEMBER, "/summary Harriers")
    await bot.ask(ADMIN, ADMIN, "/remove 11")
    (stale,) = await bot.press(chat, MEMBER, choices, "summary 1 11")
    assert "There is no article #11" in stale.text
    # Buttons from an older version of the bot, or data a modified client made up.
    assert bot.app is not None
    forged = ["latest", "nope 2", "latest 0", "latest x", "latest 99999999", "<b> 1 &amp;"]
    admin_only = ["add 1 Forged article text", "remove 1 1", "stats 1"]
    keyboard = [[InlineKeyboardButton(d, callback_data=d)] for d in forged + admin_only]
    old = await bot.app.bot.send_message(chat, "old", reply_markup=InlineKeyboardMarkup(keyboard))
    message = bot.fake.message(chat, old.message_id)
    for data in forged:
        assert text(await bot.press(chat, MEMBER, message, data)) == EXPIRED_BUTTON
    for data in admin_only:
        assert "only for newsbot's admins" in text(await bot.press(chat, MEMBER, message, data))
    assert await bot.services.store.count_articles() == 27


async def test_a_button_pressed_while_the_bot_was_down_still_works(bot: BotUnderTest) -> None:
    (listing,) = await bot.ask(USER, USER, "/latest 2")
    await bot.stop()
    pressed = bot.fake.press_button(USER, USER, listing.message_id, listing.callback_data[0])
    bot.fake.expire_callback_queries()  # too late to answer once the bot is back
    await bot.start()
    bot.expected[400] = 1  # "query is too old and response timeout expired"
    (more,) = await bot.through(USER, pressed)
    assert "(3–4 of 28)" in more.text


async def test_a_hundred_commands_in_a_second_from_one_user(bot: BotUnderTest) -> None:
    user = fresh_user()
    updates = [bot.fake.send_text(user, user, "/latest 1") for _ in range(100)]
    await asyncio.gather(*(bot.handled(u) for u in updates))
    replies = bot.fake.messages(user)
    answered = [m for m in replies if "Latest articles" in m.text]
    warned = [m for m in replies if "very fast" in m.text]
    assert 1 <= len(answered) < 100 and len(warned) == 1
    # Everyone else is still served, and so is the same user once the flood is over.
    assert "/latest [n]" in text(await bot.ask(USER, USER, "/help"))
    assert bot.app is not None and bot.app.running
