"""Every command through the transport-independent router, over the bundled sample library.

These tests drive `Newsbot.handle` / `Newsbot.press` exactly as the Telegram adapter and the
console do, on a real SQLite copy of the ingested samples. Every reply is checked against
Telegram's own HTML and length rules (tests/fakes/telegram_html.py), so formatting bugs
show up here before they become 400s.
"""

from __future__ import annotations

import pytest
from newsbot.bot.services import Services
from newsbot.handlers.commands.router import EXPIRED_BUTTON, parse_command
from newsbot.handlers.replies import Reply
from newsbot.handlers.requests import Attachment, Caller, Request

from tests.fakes.telegram_html import parse_html, trim, utf16_len

USER = Caller(user_id=1001, chat_id=1001, chat_type="private", chat_title=None)
ADMIN = Caller(user_id=7, chat_id=7, chat_type="private", is_bot_admin=True)
GROUP = Caller(user_id=1001, chat_id=-100200, chat_type="supergroup", chat_title="Readers")


def check_telegram_rules(reply: Reply) -> None:
    """Each message parses as Telegram HTML and fits 4096 UTF-16 units; buttons fit 64 bytes."""
    for message in reply.messages():
        parsed = trim(parse_html(message))
        assert parsed.text, "empty message"
        assert utf16_len(parsed.text) <= 4096
    for row in reply.buttons:
        for button in row:
            assert 1 <= len(button.action.encode()) <= 64


async def ask(
    services: Services,
    text: str,
    caller: Caller = USER,
    *,
    is_chat_admin: bool = False,
    replied_text: str | None = None,
    attachment: Attachment | None = None,
) -> Reply:
    parsed = parse_command(text, "newsbot_test_bot")
    assert parsed is not None, text
    name, args = parsed

    async def chat_admin() -> bool:
        return is_chat_admin

    reply = await services.newsbot.handle(
        Request(
            name,
            args,
            caller,
            replied_text=replied_text,
            attachment=attachment,
            is_chat_admin=chat_admin,
        )
    )
    assert reply is not None
    check_telegram_rules(reply)
    return reply


async def press(services: Services, reply: Reply, caller: Caller = USER) -> Reply:
    action = reply.buttons[-1][0].action
    answer = await services.newsbot.press(caller, action)
    assert answer is not None
    check_telegram_rules(answer)
    return answer


# --- /start, /help, unknown ----------------------------------------------------------------


async def test_start_lists_commands_without_admin_ones_for_users(services: Services) -> None:
    reply = await ask(services, "/start")
    assert "newsbot" in reply.html and "/latest" in reply.html and "/who_said" in reply.html
    assert "/add" not in reply.html


async def test_help_shows_admin_commands_to_admins(services: Services) -> None:
    reply = await ask(services, "/help", ADMIN)
    assert "/add" in reply.html and "/feed" in reply.html and "/stats" in reply.html


async def test_unknown_command_is_answered(services: Services) -> None:
    reply = await ask(services, "/frobnicate <b>now</b>")
    assert "/help" in reply.html and "<b>now" not in reply.html


def test_commands_for_other_bots_are_ignored() -> None:
    assert parse_command("/latest@OtherBot 3", "newsbot_test_bot") is None
    assert parse_command("/latest@NewsBot_Test_Bot 3", "newsbot_test_bot") == ("latest", "3")


@pytest.mark.parametrize("spelling", ["/who_said", "/who-said", "/whosaid", "/Who-Said"])
def test_who_said_spellings(spelling: str) -> None:
    assert parse_command(f"{spelling} Okonjo-Reyes") == ("who_said", "Okonjo-Reyes")


# --- /latest ---------------------------------------------------------------------------------


async def test_latest_pages_through_every_article(services: Services) -> None:
    total = await services.store.count_articles()
    reply = await ask(services, "/latest 10")
    assert "Latest articles" in reply.html and f"of {total}" in reply.html
    seen = reply.html.count("Read the article")
    while reply.buttons:
        reply = await press(services, reply)
        seen += reply.html.count("Read the article")
    assert seen == total


@pytest.mark.parametrize("args", ["0", "11", "-1", "abc", "3 4", "9" * 4000, "²", "⁵"])
async def test_latest_bad_counts_explain_the_range(services: Services, args: str) -> None:
    reply = await ask(services, f"/latest {args}")
    assert "1 to 10" in reply.html or "too long" in reply.html


async def test_latest_on_an_empty_library(empty_services: Services) -> None:
    reply = await ask(empty_services, "/latest")
    assert "No articles yet" in reply.html


# --- /summary --------------------------------------------------------------------------------


async def test_summary_by_id_has_title_link_and_sentences(services: Services) -> None:
    article = await services.store.get_article(1)
    assert article is not None
    reply = await ask(services, "/summary 1")
    assert article.title.split()[0] in reply.html
    assert reply.html.count("• ") == 3
    assert "Read the full article" in reply.html


async def test_summary_length_and_algorithm(services: Services) -> None:
    reply = await ask(services, "/summary #1 2 lexrank")
    assert reply.html.count("• ") == 2 and "lexrank" in reply.html
    # The second request is served from the store's cache and is identical.
    assert (await ask(services, "/summary #1 2 lexrank")).html == reply.html


async def test_summary_by_words_finds_the_one_clear_match(services: Services) -> None:
    reply = await ask(services, "/summary green bond")
    assert "• " in reply.html and "bond" in reply.html.lower()


async def test_summary_with_several_matches_offers_buttons(services: Services) -> None:
    reply = await ask(services, "/summary Meridia")
    if "Several articles match" in reply.html:
        assert reply.buttons
        chosen = await press(services, reply)
        assert "• " in chosen.html
    else:  # the search found one clear title: that is answered directly
        assert "• " in reply.html


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", "Use /summary"),
        ("99999", "There is no article #99999"),
        ("1 0", "1 to 10"),
        ("1 50", "1 to 10"),
        ("1 ²", "match"),  # words, not a length: searched like any others
        ("covid 19", "No article matches “covid 19”"),  # a number among words is a word
        ("-1", "There is no article #-1"),
        ("0", "There is no article #0"),
        ("9" * 13, "There is no article"),
        ("zzqx qqzv", "No article matches"),
        ("<b>&amp; _*[`", "No article matches"),
        ("x" * 300, "at most 200"),
    ],
)
async def test_summary_bad_arguments(services: Services, args: str, expected: str) -> None:
    reply = await ask(services, f"/summary {args}")
    assert expected in reply.html


# --- /search ---------------------------------------------------------------------------------


async def test_search_shows_snippets_with_matches_in_bold(services: Services) -> None:
    reply = await ask(services, "/search budget")
    assert "result" in reply.html and "<b>" in reply.html


@pytest.mark.parametrize(
    "words",
    ["budget AND NEAR(x", "rates*", '"unbalanced', "'; DROP TABLE articles; --", "^*:()-"],
)
async def test_search_treats_operators_and_sql_as_words(services: Services, words: str) -> None:
    reply = await ask(services, f"/search {words}")
    assert any(answer in reply.html for answer in ("result", "Nothing found", "letters or digits"))
    assert await services.store.count_articles() > 0


@pytest.mark.parametrize("query", ['"', "*", "^ - :", "\x00"])
async def test_search_for_punctuation_only_asks_for_words(services: Services, query: str) -> None:
    reply = await ask(services, f"/search {query}")
    assert "letters or digits" in reply.html
    assert "\x00" not in reply.html


async def test_search_without_words_explains(services: Services) -> None:
    assert "Use /search" in (await ask(services, "/search")).html


# --- /who_said -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Okonjo-Reyes", "Amara Okonjo-Reyes", "okonjo-reyes", "Premier Okonjo-Reyes", "Okonjo-Reyez"],
)
async def test_who_said_finds_a_speaker_under_name_variants(services: Services, name: str) -> None:
    reply = await ask(services, f"/who_said {name}")
    assert "Okonjo-Reyes" in reply.html and "“" in reply.html


async def test_who_said_phrase_tells_who_said_it(services: Services) -> None:
    listing = await ask(services, "/who_said Okonjo-Reyes")
    words = listing.html.split("“", 1)[1].split()[:3]
    reply = await ask(services, f'/who_said "{" ".join(words)}"')
    assert "Who said" in reply.html and "—" in reply.html


async def test_who_said_alone_lists_the_most_quoted(services: Services) -> None:
    reply = await ask(services, "/who_said")
    assert "Most quoted" in reply.html and reply.buttons


@pytest.mark.parametrize(
    "args",
    [
        '"keep the NEAR(peace',
        "AND OR NOT *",
        "'; DELETE FROM quotes; --",
        "x" * 4000,
        "Nobody Byanyname",
    ],
)
async def test_who_said_bad_input_is_answered(services: Services, args: str) -> None:
    reply = await ask(services, f"/who_said {args}")
    assert reply.html


# --- /digest ---------------------------------------------------------------------------------


async def test_group_digest_needs_a_group_admin(services: Services) -> None:
    refused = await ask(services, "/digest on 07:30", GROUP, is_chat_admin=False)
    assert "administrators" in refused.html
    accepted = await ask(services, "/digest on 07:30 europe/berlin", GROUP, is_chat_admin=True)
    assert "07:30" in accepted.html and "Europe/Berlin" in accepted.html
    status = await ask(services, "/digest status", GROUP)
    assert "07:30" in status.html
    off = await ask(services, "/digest off", GROUP, is_chat_admin=True)
    assert "off" in off.html


@pytest.mark.parametrize(
    "args", ["on 25:00", "on 7pm", "on -1", "on 07:30 Mars/Olympus", "sometimes"]
)
async def test_digest_bad_times_and_zones(services: Services, args: str) -> None:
    reply = await ask(services, f"/digest {args}", USER)
    assert "is not a time" in reply.html or "/digest on" in reply.html
    chat = await services.store.get_chat(USER.chat_id)
    assert chat is None or not chat.digest_enabled


async def test_only_group_admins_may_take_a_groups_digest_now(services: Services) -> None:
    await ask(services, "/digest on 08:00 UTC", GROUP, is_chat_admin=True)
    refused = await ask(services, "/digest now", GROUP, is_chat_admin=False)
    assert "administrators" in refused.html
    # the member's attempt took nothing: the group's digest still has every article
    sent = await ask(services, "/digest now", GROUP, is_chat_admin=True)
    assert "Read the article" in sent.html


async def test_digest_now_sends_new_articles_once(services: Services) -> None:
    first = await ask(services, "/digest now")
    assert "digest" in first.html.lower() and "Read the article" in first.html
    second = await ask(services, "/digest now")
    assert "Nothing new" in second.html


# --- admin commands --------------------------------------------------------------------------

ARTICLE = (
    "Tram line to the harbour opens two months early\n"
    "The new tram line linking Lakeport's central station with the harbour opened on Monday, "
    "two months ahead of schedule and slightly under its budget of 140 million crowns.\n\n"
    "“We promised the harbour district a fast connection and we delivered it early,” said "
    "transport councillor Mirela Castano at the opening ceremony.\n\n"
    "Trams will run every six minutes at peak times. The council expects twelve thousand "
    "passengers a day within the first year, easing traffic on the coastal road."
)


@pytest.mark.parametrize("command", ["/add some text", "/remove 1", "/stats", "/feed list"])
async def test_admin_commands_refuse_other_users(services: Services, command: str) -> None:
    reply = await ask(services, command, USER)
    assert "only for newsbot's admins" in reply.html


async def test_add_text_then_find_summary_and_quote(services: Services) -> None:
    reply = await ask(services, f"/add {ARTICLE}", ADMIN)
    assert "added" in reply.html.lower()
    found = await ask(services, "/summary tram harbour")
    assert "Tram line" in found.html
    quotes = await ask(services, "/who_said Castano")
    assert "delivered it early" in quotes.html
    again = await ask(services, f"/add {ARTICLE}", ADMIN)
    assert "duplicate" in again.html.lower() or "already" in again.html.lower()


async def test_add_as_reply_to_a_message(services: Services) -> None:
    reply = await ask(services, "/add", ADMIN, replied_text=ARTICLE)
    assert "added" in reply.html.lower()


@pytest.mark.parametrize("text", ["", "   \n\t  "])
async def test_add_empty_explains_how(services: Services, text: str) -> None:
    reply = await ask(services, f"/add {text}", ADMIN)
    assert "/add" in reply.html


async def test_add_refuses_photos_and_oversized_files(services: Services) -> None:
    async def never() -> bytes:
        raise AssertionError("must not download")

    photo = Attachment("photo.jpg", "image/jpeg", 50_000, never, is_photo=True)
    assert "photos" in (await ask(services, "/add", ADMIN, attachment=photo)).html
    big = Attachment("huge.txt", "text/plain", 20 * 1024 * 1024, never)
    assert "limit" in (await ask(services, "/add", ADMIN, attachment=big)).html


async def test_add_file_attachment(services: Services) -> None:
    async def download() -> bytes:
        return ARTICLE.encode("utf-8")

    doc = Attachment("tram.txt", "text/plain", len(ARTICLE), download)
    reply = await ask(services, "/add", ADMIN, attachment=doc)
    assert "added" in reply.html.lower()


async def test_add_url_to_a_private_address_is_refused_from_chat(services: Services) -> None:
    reply = await ask(services, "/add http://127.0.0.1:9/article", ADMIN)
    assert "rejected" in reply.html.lower() or "private" in reply.html.lower()
    assert await services.store.count_articles() == (await services.store.stats()).articles


async def test_remove_and_stats(services: Services) -> None:
    before = await services.store.count_articles()
    assert "Removed article #1" in (await ask(services, "/remove 1", ADMIN)).html
    assert await services.store.count_articles() == before - 1
    assert "no article" in (await ask(services, "/remove 1", ADMIN)).html.lower()
    assert "/remove ID" in (await ask(services, "/remove abc", ADMIN)).html
    assert "/remove ID" in (await ask(services, "/remove ²", ADMIN)).html
    stats = await ask(services, "/stats", ADMIN)
    assert f"Articles: {before - 1}" in stats.html


async def test_feed_commands_validate_urls(services: Services) -> None:
    assert "No feeds yet" in (await ask(services, "/feed list", ADMIN)).html
    bad = await ask(services, "/feed add ftp://example.com/rss", ADMIN)
    assert "http" in bad.html.lower()
    odd = await ask(services, "/feed add https://news.example/rss ²", ADMIN)
    assert "minutes, from 5 to 1440" in odd.html
    huge = await ask(services, "/feed remove " + "9" * 30, ADMIN)
    assert "No such feed" in huge.html


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:8080/rss",
        "http://localhost/feed",
        "http://[::1]/rss",
        "http://127.1/rss",  # shorthand forms that resolvers read as 127.0.0.1
        "http://2130706433/rss",
        "http://0x7f.0.0.1/rss",
    ],
)
async def test_feeds_on_private_addresses_are_refused_at_once(
    services: Services, address: str
) -> None:
    refused = await ask(services, f"/feed add {address}", ADMIN)
    assert "local or private network" in refused.html
    assert "No feeds yet" in (await ask(services, "/feed list", ADMIN)).html


# --- buttons and floods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    ["", "latest", "latest x", "nope 2", "latest 0", "latest 99999999", "latest ² x"],
)
async def test_stale_or_forged_buttons(services: Services, action: str) -> None:
    reply = await services.newsbot.press(USER, action)
    assert reply is not None and reply.html == EXPIRED_BUTTON


async def test_a_flood_of_commands_is_answered_or_throttled(services: Services) -> None:
    replies = [await services.newsbot.handle(Request("latest", "1", USER)) for _ in range(100)]
    answered = [r for r in replies if r is not None]
    assert answered and len(answered) < 100
    assert any("very fast" in r.html for r in answered)
