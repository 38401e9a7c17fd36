"""A fake Telegram Bot API server for end-to-end tests, speaking HTTP on 127.0.0.1.

The real python-telegram-bot stack (``Application`` or ``Bot`` with
``base_url=f"{api_root}/bot"`` and ``base_file_url=f"{api_root}/file/bot"``) talks to it exactly
as it talks to api.telegram.org, so tests exercise PTB's request encoding, error mapping
(``BadRequest``, ``Forbidden``, ``RetryAfter``, ``ChatMigrated``, ``NetworkError``) and polling.

The fake enforces the rules that bite real bots:

* HTML parse mode is validated by :mod:`tests.fakes.telegram_html` (TDLib's rules); text longer
  than 4096 UTF-16 units after parsing, or empty, is rejected; captions are capped at 1024.
* Inline keyboards: ``callback_data`` must be 1–64 bytes, URL buttons need a valid link.
* Flood control as token buckets on message sends: 30/s overall, 20/min per group, about 1/s
  per private chat with a burst of 3 (half a token of slack absorbs timing jitter); plus
  :meth:`FakeTelegram.flood` to force 429s.
* Blocked users and kicked bots answer 403, upgraded groups 400 with ``migrate_to_chat_id``,
  :meth:`FakeTelegram.outage` makes every call answer 502.
* ``getUpdates`` long-polls, honours ``offset`` confirmation, and a second concurrent poller
  gets 409 like on Telegram.

Not modelled: privacy mode (every group message is delivered, and getMe says so), Markdown
parse modes, rate limits on edits, media other than documents and (incoming) photos.

Test-side helpers (``send_text``, ``press_button`` …) build updates with the JSON shape
Telegram uses, and every bot call is recorded in :attr:`FakeTelegram.calls` and
:attr:`FakeTelegram.status_counts`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import ClientSession, web

from tests.fakes.telegram_html import (
    EntityParseError,
    ParsedText,
    check_link,
    parse_html,
    plain,
    trim,
    utf16_len,
)

# Long enough to pass bot.settings' BotFather-shape check (digits:20+ characters).
TOKEN = "123456:TEST-TOKEN-for-the-fake-server"
BOT_USERNAME = "newsbot_test_bot"
BOT_FIRST_NAME = "Newsbot Test"
# The user Telegram shows as the sender when a group admin posts anonymously.
ANONYMOUS_ADMIN_ID = 1087968824
MAX_TEXT_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files for bots
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# A send passes when its bucket holds at least this much of a token. A bot pacing itself at
# exactly the limit still shows jitter here (its event loop may be busy between acquiring its
# limiter and sending), and Telegram's own limits are not that exact; a bot that does not pace
# at all still runs dry after the burst and gets its 429.
_BUCKET_SLACK = 0.5
_FIRST_UPDATE_ID = 100_000_001
# fmt: off
_ALL_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)
# Update types Telegram leaves out unless allowed_updates names them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_COMMAND_SCOPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
        "chat_administrators", "chat_member",
    }
)
_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)
# Real methods this fake does not implement: a clear 501 beats a misleading 404.
_UNSUPPORTED_METHODS = (
    "sendPhoto", "sendAudio", "sendVideo", "sendAnimation", "sendVoice", "sendMediaGroup",
    "sendSticker", "sendPoll", "sendLocation", "forwardMessage", "copyMessage",
    "editMessageCaption", "editMessageMedia", "pinChatMessage", "unpinChatMessage",
    "setMyDescription", "setMyShortDescription", "setMyName", "setChatMenuButton",
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup", "link_preview_options", "reply_parameters", "entities", "caption_entities",
        "commands", "scope", "allowed_updates",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id", "message_id", "user_id", "offset", "limit", "timeout", "reply_to_message_id",
        "cache_time", "message_thread_id",
    }
)
_URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»]")
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
    "can_delete_stories", "can_pin_messages",
)
# fmt: on
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

T = TypeVar("T")
Json = dict[str, Any]


class _ApiError(Exception):
    """A Bot API failure: HTTP status, ``description`` and optional ``parameters``."""

    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True, slots=True)
class SentDocument:
    """A document the bot sent (or re-sent by file_id)."""

    file_id: str
    file_name: str
    mime_type: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message the bot sent, in its current state.

    ``text`` is what the user sees (entities parsed, trimmed); ``html`` is the raw text or
    caption as the bot sent it; ``reply_markup`` the markup as sent (None if none or removed).
    """

    message_id: int
    chat_id: int
    text: str
    html: str
    reply_markup: Json | None = None
    edited: bool = False
    entities: tuple[Json, ...] = ()
    parse_mode: str | None = None
    reply_to_message_id: int | None = None
    document: SentDocument | None = None
    deleted: bool = False

    @property
    def buttons(self) -> tuple[Json, ...]:
        """The inline keyboard buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return tuple(button for row in rows for button in row)

    @property
    def callback_data(self) -> tuple[str, ...]:
        return tuple(b["callback_data"] for b in self.buttons if "callback_data" in b)


@dataclass(frozen=True, slots=True)
class Call:
    """One HTTP request the bot made and how the fake answered it."""

    method: str
    status: int
    params: Json
    description: str | None = None


@dataclass(frozen=True, slots=True)
class _User:
    id: int
    first_name: str
    username: str | None
    is_bot: bool = False

    def json(self) -> Json:
        data: Json = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        return data


@dataclass(slots=True)
class _Chat:
    id: int
    type: str
    title: str | None
    user: _User | None  # the other side of a private chat
    admins: tuple[int, ...] = ()
    anonymous_admin: bool = False
    bot_status: str = "member"  # member / administrator / left / kicked
    migrated_to: int | None = None
    last_message_id: int = 0

    def json(self) -> Json:
        if self.type == "private" and self.user is not None:
            data: Json = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.username:
                data["username"] = self.user.username
            return data
        return {"id": self.id, "type": self.type, "title": self.title or f"Chat {self.id}"}

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def is_group(self) -> bool:
        return self.type in ("group", "supergroup", "channel")


@dataclass(slots=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    size: int


@dataclass(slots=True)
class _Flood:
    chat_id: int | None
    remaining: int
    retry_after: int


@dataclass(slots=True)
class _TokenBucket:
    """Telegram-style flood limit: ``capacity`` sends at once, refilled at ``per_second``."""

    capacity: float
    per_second: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """Seconds until one send is allowed (0 if allowed now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        missing = 1 - _BUCKET_SLACK - self.tokens
        return max(missing, 0.0) / self.per_second

    def take(self) -> None:
        self.tokens -= 1


@dataclass(slots=True)
class _Params:
    """Request parameters from the query string, a form, multipart or JSON body."""

    values: Json
    files: dict[str, tuple[str, bytes, str | None]] = field(default_factory=dict)

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value))
        except ValueError:
            raise _bad(f"invalid {name} specified") from None

    def get_bool(self, name: str) -> bool:
        return self.values.get(name) in (True, "true", "True", "1", 1)

    def get_json(self, name: str) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {name} JSON object") from None

    def logged(self) -> Json:
        """The parameters with JSON fields decoded and numbers as ints, for the call log."""
        out: Json = {}
        for name, value in self.values.items():
            if name in _JSON_FIELDS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            elif name in _INT_FIELDS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = int(value)
            out[name] = value
        for name, (file_name, data, _mime) in self.files.items():
            out[name] = {"file_name": file_name, "size": len(data)}
        return out


def _auto_entities(text: str) -> list[Json]:
    """The entities Telegram detects in a user's plain text: bot commands and http(s) URLs."""
    entities = [_entity("bot_command", text, start, end) for start, end in _bot_commands(text)]
    for match in _URL_RE.finditer(text):
        entities.append(_entity("url", text, match.start(), match.end()))
    entities.sort(key=lambda e: e["offset"])
    return entities


def _bot_commands(text: str) -> list[tuple[int, int]]:
    """Spans of ``/command`` and ``/command@bot``, following TDLib's ``find_bot_commands``.

    A slash glued to a word ("and/or") is no command; "/who-said" yields "/who" because "-"
    ends a command name.
    """
    spans: list[tuple[int, int]] = []
    size, pos = len(text), 0
    while (pos := text.find("/", pos)) >= 0:
        if pos > 0 and _blocks_command(text[pos - 1]):
            pos += 1
            continue
        begin = pos
        pos += 1
        while pos < size and _is_name_char(text[pos]):
            pos += 1
        end = pos
        if not 1 <= end - begin - 1 <= 64:
            continue
        name_end, has_mention = end, False
        if pos < size and text[pos] == "@":
            pos += 1
            mention = pos
            while pos < size and _is_name_char(text[pos]):
                pos += 1
            if 3 <= pos - mention <= 32:
                end, has_mention = pos, True
        if pos < size and _blocks_command(text[pos]):
            if not has_mention:
                continue
            end = name_end
        spans.append((begin, end))
    return spans


def _is_name_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _blocks_command(char: str) -> bool:
    return char.isalnum() or char in "_/<>"


def _entity(kind: str, text: str, start: int, end: int) -> Json:
    return {
        "type": kind,
        "offset": utf16_len(text[:start]),
        "length": utf16_len(text[start:end]),
    }


def _scope_key(scope: Json | None, language_code: str = "") -> str:
    """How :attr:`FakeTelegram.my_commands` names a scope (plus ``|lang`` if a language)."""
    key = json.dumps(scope or {"type": "default"}, sort_keys=True, separators=(",", ":"))
    return f"{key}|{language_code}" if language_code else key


class FakeTelegram:
    """The fake Bot API: an aiohttp server plus helpers that play the users' side.

    Use as ``async with FakeTelegram() as tg:`` and point the bot at ``tg.api_root``.
    ``clock`` (monotonic seconds) drives the flood limits and outages, so tests may inject one.
    """

    def __init__(
        self,
        *,
        token: str = TOKEN,
        bot_username: str = BOT_USERNAME,
        clock: Callable[[], float] = time.monotonic,
        private_burst: int = 3,
        private_per_second: float = 1.0,
        group_per_minute: int = 20,
        overall_per_second: int = 30,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.api_root = ""  # set once the server listens
        self._clock = clock
        self._private_limit = (float(private_burst), private_per_second)
        self._group_limit = (float(group_per_minute), group_per_minute / 60)
        self._overall = _TokenBucket(overall_per_second, overall_per_second, overall_per_second, 0)
        self._buckets: dict[int, _TokenBucket] = {}

        self.status_counts: Counter[int] = Counter()
        self.calls: list[Call] = []
        self.my_commands: dict[str, list[Json]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_answers: dict[str, Json] = {}
        self.webhook: Json | None = None

        self._users: dict[int, _User] = {}
        self._chats: dict[int, _Chat] = {}
        self._messages: dict[int, dict[int, Json]] = {}  # every message, users' and the bot's
        self._sent: dict[int, dict[int, SentMessage]] = {}  # the bot's, for assertions
        self._files: dict[str, _StoredFile] = {}
        self._file_paths: dict[str, _StoredFile] = {}
        self._open_queries: set[str] = set()
        self._updates: list[Json] = []  # delivered-or-pending, not yet confirmed
        self._update_index: dict[int, Json] = {}
        self._next_update_id = _FIRST_UPDATE_ID
        self._delivered_up_to = 0
        self._allowed_updates: list[str] | None = None
        self._floods: list[_Flood] = []
        self._outage_until = -math.inf
        self._poll_generation = 0
        self._closing = False
        self._activity = asyncio.Event()
        self._updates_changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[_Params], Awaitable[Any]]] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._harmless,
                "close": self._harmless,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "sendDocument": self._send_document,
                "getFile": self._get_file,
                "getChat": self._get_chat,
                "getChatMember": self._get_chat_member,
                "getChatAdministrators": self._get_chat_administrators,
                "setMyCommands": self._set_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "getMyCommands": self._get_my_commands,
                "sendChatAction": self._send_chat_action,
                "leaveChat": self._leave_chat,
            }.items()
        }

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port and set :attr:`api_root`."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # Cancelling handlers whose client went away drops abandoned long polls silently
        # instead of answering (and counting) them later.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self.api_root = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        """Stop the server; waiting long polls return at once."""
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ the users' side

    def add_user(
        self, user_id: int, first_name: str = "User", *, username: str | None = None
    ) -> None:
        """Register a user (``username`` defaults to ``user<id>``)."""
        self._users[user_id] = _User(user_id, first_name, username or f"user{user_id}")

    def add_chat(
        self,
        chat_id: int,
        type: str = "private",
        title: str | None = None,
        admins: tuple[int, ...] = (),
        anonymous_admin: bool = False,
        *,
        bot_status: str = "member",
    ) -> None:
        """Register a chat the bot is in. The first admin is the creator.

        A private chat's id is its user's id. ``anonymous_admin`` makes the admins post as the
        group itself (sender_chat, from = GroupAnonymousBot), as Telegram does.
        """
        if type not in ("private", "group", "supergroup", "channel"):
            raise ValueError(f"unknown chat type {type!r}")
        user = self._user(chat_id) if type == "private" else None
        for admin in admins:
            self._user(admin)
        if type != "private" and chat_id > 0:
            raise ValueError("group chat ids are negative")
        self._chats[chat_id] = _Chat(
            chat_id, type, title, user, tuple(admins), anonymous_admin, bot_status
        )
        self._messages.setdefault(chat_id, {})

    def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
        sender_chat_id: int | None = None,
    ) -> int:
        """A user sends ``text``; returns the update id. Commands get bot_command entities."""
        content: Json = {"text": text}
        entities = _auto_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(chat_id, user_id, content, reply_to_message_id, sender_chat_id)

    def send_document(
        self,
        chat_id: int,
        user_id: int,
        file_bytes: bytes,
        file_name: str,
        mime_type: str | None,
        caption: str | None = None,
        *,
        file_size: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> int:
        """A user uploads a file; ``file_size`` may claim a size larger than the bytes given."""
        stored = self._store_file(file_bytes, "documents", file_name, file_size)
        document: Json = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "file_size": stored.size,
        }
        if mime_type:
            document["mime_type"] = mime_type
        content: Json = {"document": document, **self._caption(caption)}
        return self._user_message(chat_id, user_id, content, reply_to_message_id, None)

    def send_photo(self, chat_id: int, user_id: int, caption: str | None = None) -> int:
        """A user sends a photo (three sizes, like Telegram); returns the update id."""
        sizes = []
        for width, height in ((90, 60), (320, 213), (1280, 853)):
            data = b"\xff\xd8\xff\xe0" + bytes(width * height // 50)
            stored = self._store_file(data, "photos", "photo.jpg", None)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": stored.size,
                }
            )
        content: Json = {"photo": sizes, **self._caption(caption)}
        return self._user_message(chat_id, user_id, content, None, None)

    def press_button(self, chat_id: int, user_id: int, message_id: int, callback_data: str) -> int:
        """A user presses an inline button of a bot message; returns the update id.

        The query id is ``callback_query_id(update_id)``; the bot's answer lands in
        :attr:`callback_answers` under it.
        """
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None or message["from"]["id"] != self.bot_id:
            raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        if not any(b.get("callback_data") == callback_data for row in rows for b in row):
            raise ValueError(f"message {message_id} has no button with data {callback_data!r}")
        update_id = self._next_update_id
        query_id = self.callback_query_id(update_id)
        self._open_queries.add(query_id)
        return self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": self._user(user_id).json(),
                "message": dict(message),  # as it looked when pressed
                "chat_instance": str(7_000_000_000 + abs(chat_id)),
                "data": callback_data,
            },
        )

    @staticmethod
    def callback_query_id(update_id: int) -> str:
        return f"cq{update_id}"

    def expire_callback_queries(self) -> None:
        """Time passes: answerCallbackQuery for every press so far is a 400 ("query is too old").

        Telegram accepts an answer only shortly after the press, so presses that queue up while
        a bot is down cannot be answered when it comes back.
        """
        self._open_queries.clear()

    def add_bot_to_group(
        self,
        chat_id: int,
        user_id: int,
        *,
        as_admin: bool = False,
        type: str = "group",
        title: str | None = None,
    ) -> int:
        """``user_id`` adds the bot to a group (created if new); returns the my_chat_member id."""
        chat = self._chats.get(chat_id)
        if chat is None:
            self.add_chat(chat_id, type, title, (user_id,), bot_status="left")
            chat = self._chats[chat_id]
        old = chat.bot_status if chat.bot_status in ("left", "kicked") else "left"
        chat.bot_status = "administrator" if as_admin else "member"
        return self._my_chat_member(chat, user_id, old, chat.bot_status)

    def remove_bot(self, chat_id: int, user_id: int) -> int:
        """``user_id`` removes the bot from a group; returns the my_chat_member update id."""
        chat = self._known_chat(chat_id)
        old, chat.bot_status = chat.bot_status, "kicked"
        return self._my_chat_member(chat, user_id, old, "kicked")

    def block_chat(self, chat_id: int, *, notify: bool = False) -> None:
        """The user blocks the bot (private) or the bot is kicked (group): sends get 403.

        With ``notify`` the my_chat_member update Telegram sends is queued too; off by default
        so tests can exercise the bot discovering the block from a 403.
        """
        chat = self._known_chat(chat_id)
        old, chat.bot_status = chat.bot_status, "kicked"
        if notify:
            self._my_chat_member(chat, chat.admins[0] if chat.admins else chat_id, old, "kicked")

    def unblock_chat(self, chat_id: int) -> None:
        self._known_chat(chat_id).bot_status = "member"

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Upgrade a group to a supergroup, queueing both service messages as Telegram does."""
        old = self._known_chat(old_id)
        if old.type != "group":
            raise ValueError("only basic groups are upgraded")
        self._chats[new_id] = _Chat(
            new_id,
            "supergroup",
            old.title,
            None,
            old.admins,
            old.anonymous_admin,
            old.bot_status,
        )
        self._messages.setdefault(new_id, {})
        old.migrated_to = new_id
        by = old.admins[0] if old.admins else next(iter(self._users), 1)
        self._service_message(old, by, {"migrate_to_chat_id": new_id})
        self._service_message(self._chats[new_id], by, {"migrate_from_chat_id": old_id})

    def flood(self, chat_id: int | None, count: int, retry_after: int) -> None:
        """The next ``count`` sends (to ``chat_id``, or anywhere if None) get 429."""
        self._floods.append(_Flood(chat_id, count, retry_after))

    def outage(self, seconds: float) -> None:
        """Every request answers 502 Bad Gateway for ``seconds`` (by the injected clock)."""
        self._outage_until = self._clock() + seconds

    async def deliver_to_webhook(
        self, update_id: int, address: str, *, secret: str | None = None
    ) -> int:
        """POST a queued update to the bot's webhook, as Telegram does; returns the HTTP status.

        ``address`` is where the bot listens (in production the public https URL registered
        with setWebhook sits in front of it, behind a TLS proxy). The secret token registered
        with setWebhook goes in the header unless ``secret`` overrides it.
        """
        if self.webhook is None:
            raise RuntimeError("the bot has not set a webhook")
        token = secret if secret is not None else self.webhook.get("secret_token")
        headers = {"X-Telegram-Bot-Api-Secret-Token": str(token)} if token else {}
        async with (
            ClientSession() as session,
            session.post(address, json=self._update_index[update_id], headers=headers) as answer,
        ):
            return answer.status

    # ------------------------------------------------------------------ assertions

    def messages(self, chat_id: int) -> list[SentMessage]:
        """What the bot sent to ``chat_id``, oldest first, in their current state.

        Edits show as ``edited=True``; deleted messages stay listed with ``deleted=True``.
        """
        return list(self._sent.get(chat_id, {}).values())

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        return self._sent[chat_id][message_id]

    def message_id_of(self, update_id: int) -> int:
        """The message_id of the message an update carried (e.g. to reply to it)."""
        update = self._update_index[update_id]
        body = update.get("message") or update["callback_query"]["message"]
        return int(body["message_id"])

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def commands_for(self, scope: Json | None = None, language_code: str = "") -> list[Json] | None:
        """The commands set for ``scope`` (default scope if None), or None if never set."""
        return self.my_commands.get(_scope_key(scope, language_code))

    @property
    def pending_updates(self) -> int:
        """Queued updates the bot has not received yet."""
        return sum(1 for u in self._updates if u["update_id"] > self._delivered_up_to)

    def delivered(self, update_id: int) -> bool:
        """Whether a getUpdates answer has carried this update to the bot."""
        return update_id <= self._delivered_up_to

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> T:
        """Wait until ``predicate()`` is truthy, re-checking after every bot call; returns it.

        Raises TimeoutError (naming the last calls) if it stays falsy for ``timeout`` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._activity  # taken before checking, so no signal is missed
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "; ".join(f"{c.method}->{c.status}" for c in self.calls[-8:])
                raise TimeoutError(f"condition not met within {timeout}s (last calls: {recent})")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``."""
        return await self.wait_for(
            lambda: self.messages(chat_id) if len(self.messages(chat_id)) >= count else [],
            timeout,
        )

    # ------------------------------------------------------------------ HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._download(request, path.removeprefix("/file/bot"))
        token, _, method = path.removeprefix("/bot").partition("/")
        params = _Params({})
        try:
            if not path.startswith("/bot"):
                raise _ApiError(404, "Not Found")
            if self._clock() < self._outage_until:
                raise _ApiError(502, "Bad Gateway")
            if token != self.token:
                raise _ApiError(401, "Unauthorized")
            handler = self._methods.get(method.lower())
            if handler is None:
                if method.lower() in {m.lower() for m in _UNSUPPORTED_METHODS}:
                    raise _ApiError(501, f"Not Implemented: the fake has no {method}")
                raise _ApiError(404, "Not Found")
            params = await self._read_params(request)
            result = await handler(params)
        except _ApiError as error:
            body: Json = {
                "ok": False,
                "error_code": error.status,
                "description": error.description,
            }
            if error.parameters:
                body["parameters"] = error.parameters
            return self._answer(request, method, error.status, params, body, error.description)
        return self._answer(request, method, 200, params, {"ok": True, "result": result}, None)

    def _answer(
        self,
        request: web.Request,
        method: str,
        status: int,
        params: _Params,
        body: Json,
        description: str | None,
    ) -> web.Response:
        transport = request.transport
        # An answer to a client that already hung up (an abandoned long poll ended by a newer
        # one) never reaches the bot, so it is not counted either.
        if transport is not None and not transport.is_closing():
            self._record(Call(method, status, params.logged(), description))
        return web.json_response(body, status=status)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self.status_counts[call.status] += 1
        self._signal()

    def _signal(self) -> None:
        self._activity.set()
        self._activity = asyncio.Event()

    async def _read_params(self, request: web.Request) -> _Params:
        params = _Params(dict(request.query))
        if not request.body_exists:
            return params
        try:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise _bad("parameters must be a JSON object")
                params.values.update(body)
                return params
            form = await request.post()
        except web.HTTPRequestEntityTooLarge:
            raise _ApiError(413, "Request Entity Too Large") from None
        except ValueError:
            raise _bad("can't parse JSON body") from None
        for name, value in form.items():
            if isinstance(value, web.FileField):
                params.files[name] = (value.filename, value.file.read(), value.content_type)
            else:
                params.values[name] = value
        return params

    def _download(self, request: web.Request, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        status, stored = 200, self._file_paths.get(file_path)
        if self._clock() < self._outage_until:
            status = 502
        elif token != self.token:
            status = 401
        elif stored is None:
            status = 404
        self._record(Call("file", status, {"file_path": file_path}))
        if status != 200 or stored is None:
            return web.json_response(
                {"ok": False, "error_code": status, "description": _REASONS[status]},
                status=status,
            )
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # ------------------------------------------------------------------ methods: bot & updates

    async def _get_me(self, params: _Params) -> Json:
        return {
            **self._bot_user().json(),
            "can_join_groups": True,
            "can_read_all_group_messages": True,  # privacy mode is not modelled
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _harmless(self, params: _Params) -> bool:
        return True

    async def _get_updates(self, params: _Params) -> list[Json]:
        if self.webhook is not None:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        # Like Telegram, a newer getUpdates ends any older one still waiting.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        offset = params.get_int("offset")
        if offset is not None:
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._signal()
        allowed = params.get_json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed] or None
        limit = min(max(params.get_int("limit") or 100, 1), 100)
        timeout = max(params.get_int("timeout") or 0, 0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            ready = [u for u in self._updates if self._is_allowed(u)][:limit]
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._closing:
                break
            changed = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
            if generation != self._poll_generation:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        if ready:
            self._delivered_up_to = max(self._delivered_up_to, ready[-1]["update_id"])
        return ready

    def _is_allowed(self, update: Json) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates is None:
            return kind not in _OPT_IN_UPDATES
        return kind in self._allowed_updates

    async def _set_webhook(self, params: _Params) -> bool:
        url = params.get_str("url") or ""
        if not url:
            self.webhook = None
            return True
        if not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = params.logged()
        if params.get_bool("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, params: _Params) -> bool:
        self.webhook = None
        if params.get_bool("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: _Params) -> Json:
        info: Json = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": self.pending_updates,
        }
        if self.webhook is not None:
            info["max_connections"] = int(self.webhook.get("max_connections", 40))
        return info

    # ------------------------------------------------------------------ methods: messages

    async def _send_message(self, params: _Params) -> Json:
        chat = self._target_chat(params)
        parsed, raw = self._formatted(params, "text", "entities", MAX_TEXT_UTF16)
        if not parsed.text:
            raise _bad("message text is empty")
        markup = self._reply_markup(params)
        reply_to = self._reply_target(params, chat)
        params.get_json("link_preview_options")  # must at least be valid JSON
        self._admit_send(chat)
        content: Json = {"text": parsed.text}
        if parsed.entities:
            content["entities"] = list(parsed.entities)
        message = self._bot_message(chat, content, markup, reply_to)
        self._sent.setdefault(chat.id, {})[message["message_id"]] = SentMessage(
            message_id=message["message_id"],
            chat_id=chat.id,
            text=parsed.text,
            html=raw,
            reply_markup=markup,
            entities=parsed.entities,
            parse_mode=params.get_str("parse_mode"),
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
        )
        return message

    async def _edit_message_text(self, params: _Params) -> Json:
        chat, message, sent = self._editable(params)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        parsed, raw = self._formatted(params, "text", "entities", MAX_TEXT_UTF16)
        if not parsed.text:
            raise _bad("message text is empty")
        markup = self._reply_markup(params)
        entities = list(parsed.entities)
        if (
            parsed.text == message["text"]
            and entities == message.get("entities", [])
            and _inline(markup) == message.get("reply_markup")
        ):
            raise _bad(_NOT_MODIFIED)
        message["text"] = parsed.text
        message["edit_date"] = int(time.time())
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        self._set_markup(message, markup)
        self._sent[chat.id][sent.message_id] = replace(
            sent,
            text=parsed.text,
            html=raw,
            entities=parsed.entities,
            reply_markup=markup,
            parse_mode=params.get_str("parse_mode"),
            edited=True,
        )
        return message

    async def _edit_message_reply_markup(self, params: _Params) -> Json:
        chat, message, sent = self._editable(params)
        markup = self._reply_markup(params)
        if _inline(markup) == message.get("reply_markup"):
            raise _bad(_NOT_MODIFIED)
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        self._sent[chat.id][sent.message_id] = replace(sent, reply_markup=markup, edited=True)
        return message

    async def _delete_message(self, params: _Params) -> bool:
        chat = self._target_chat(params)
        message_id = params.get_int("message_id")
        messages = self._messages[chat.id]
        if message_id is None or message_id not in messages:
            raise _bad("message to delete not found")
        del messages[message_id]
        sent = self._sent.get(chat.id, {}).get(message_id)
        if sent is not None:
            self._sent[chat.id][message_id] = replace(sent, deleted=True)
        return True

    async def _answer_callback_query(self, params: _Params) -> bool:
        query_id = params.get_str("callback_query_id") or ""
        if query_id not in self._open_queries:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._open_queries.discard(query_id)
        self.callback_answers[query_id] = params.logged()
        return True

    async def _send_document(self, params: _Params) -> Json:
        chat = self._target_chat(params)
        document = self._document_upload(params)
        parsed, raw = self._formatted(params, "caption", "caption_entities", MAX_CAPTION_UTF16)
        markup = self._reply_markup(params)
        reply_to = self._reply_target(params, chat)
        self._admit_send(chat)
        stored = self._files[document.file_id]
        content: Json = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": document.file_name,
                "file_size": stored.size,
            }
        }
        if document.mime_type:
            content["document"]["mime_type"] = document.mime_type
        if parsed.text:
            content["caption"] = parsed.text
            if parsed.entities:
                content["caption_entities"] = list(parsed.entities)
        message = self._bot_message(chat, content, markup, reply_to)
        self._sent.setdefault(chat.id, {})[message["message_id"]] = SentMessage(
            message_id=message["message_id"],
            chat_id=chat.id,
            text=parsed.text,
            html=raw,
            reply_markup=markup,
            entities=parsed.entities,
            parse_mode=params.get_str("parse_mode"),
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            document=document,
        )
        return message

    async def _get_file(self, params: _Params) -> Json:
        stored = self._files.get(params.get_str("file_id") or "")
        if stored is None:
            raise _bad("invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    # ------------------------------------------------------------------ methods: chats

    async def _get_chat(self, params: _Params) -> Json:
        chat = self._target_chat(params)
        return {
            **chat.json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: _Params) -> Json:
        chat = self._target_chat(params)
        user_id = params.get_int("user_id")
        if user_id is None:
            raise _bad("user_id is empty")
        if user_id == self.bot_id:
            return self._member_json(chat, self._bot_user(), chat.bot_status)
        user = self._users.get(user_id)
        if user is None or (chat.type == "private" and user_id != chat.id):
            raise _bad("user not found")
        return self._member_json(chat, user, self._status_of(chat, user_id))

    async def _get_chat_administrators(self, params: _Params) -> list[Json]:
        chat = self._target_chat(params)
        if chat.type == "private":
            raise _bad("there are no administrators in the private chat")
        admins = [
            self._member_json(chat, self._user(uid), self._status_of(chat, uid))
            for uid in chat.admins
        ]
        if chat.bot_status == "administrator":
            admins.append(self._member_json(chat, self._bot_user(), "administrator"))
        return admins

    async def _send_chat_action(self, params: _Params) -> bool:
        chat = self._target_chat(params)
        action = params.get_str("action") or ""
        if action not in _ALL_CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append((chat.id, action))
        return True

    async def _leave_chat(self, params: _Params) -> bool:
        chat = self._target_chat(params)
        if chat.type == "private":
            raise _bad("chat member status can't be changed in private chats")
        old, chat.bot_status = chat.bot_status, "left"
        self._my_chat_member(chat, self.bot_id, old, "left")
        return True

    # ------------------------------------------------------------------ methods: commands

    async def _set_my_commands(self, params: _Params) -> bool:
        commands = params.get_json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.my_commands[self._scope_key(params)] = commands
        return True

    async def _delete_my_commands(self, params: _Params) -> bool:
        self.my_commands.pop(self._scope_key(params), None)
        return True

    async def _get_my_commands(self, params: _Params) -> list[Json]:
        return self.my_commands.get(self._scope_key(params), [])

    def _scope_key(self, params: _Params) -> str:
        scope = params.get_json("scope")
        if scope is not None:
            if not isinstance(scope, dict) or scope.get("type") not in _COMMAND_SCOPES:
                raise _bad("can't parse BotCommandScope JSON object")
            if "chat_id" in scope and int(scope["chat_id"]) not in self._chats:
                raise _bad("chat not found")
        return _scope_key(scope, params.get_str("language_code") or "")

    # ------------------------------------------------------------------ rules

    def _target_chat(self, params: _Params) -> _Chat:
        """The chat a method addresses, after Telegram's existence/upgrade/membership checks."""
        raw = params.get_str("chat_id")
        if not raw:
            raise _bad("chat_id is empty")
        try:
            chat = self._chats.get(int(raw))
        except ValueError:
            chat = None  # @channel usernames are not modelled
        if chat is None:
            raise _bad("chat not found")
        if chat.migrated_to is not None:
            raise _ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        kind = "supergroup" if chat.type in ("supergroup", "channel") else "group"
        if chat.bot_status == "kicked":
            if chat.type == "private":
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
            raise _ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if chat.bot_status == "left":
            raise _ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
        return chat

    def _admit_send(self, chat: _Chat) -> None:
        """Forced floods first, then the overall and per-chat buckets; 429 if any is empty."""
        for flood in self._floods:
            if flood.remaining > 0 and flood.chat_id in (None, chat.id):
                flood.remaining -= 1
                self._floods = [f for f in self._floods if f.remaining > 0]
                raise _too_many(flood.retry_after)
        now = self._clock()
        bucket = self._buckets.get(chat.id)
        if bucket is None:
            capacity, rate = self._group_limit if chat.is_group() else self._private_limit
            bucket = self._buckets[chat.id] = _TokenBucket(capacity, rate, capacity, now)
        wait = max(self._overall.wait(now), bucket.wait(now))
        if wait > 0:
            raise _too_many(max(1, math.ceil(wait)))
        self._overall.take()
        bucket.take()

    def _formatted(
        self, params: _Params, name: str, entities_name: str, limit: int
    ) -> tuple[ParsedText, str]:
        """Parsed and trimmed text (or caption) plus the raw source; 400 if invalid/too long."""
        raw = params.get_str(name) or ""
        mode = (params.get_str("parse_mode") or "").lower()
        if mode == "html":
            try:
                parsed = parse_html(raw)
            except EntityParseError as error:
                raise _ApiError(400, error.description) from None
        elif mode:
            raise _bad(f"unsupported parse_mode {mode!r} (the fake implements HTML only)")
        else:
            given = params.get_json(entities_name)
            parsed = ParsedText(raw, tuple(given)) if isinstance(given, list) else plain(raw)
        parsed = trim(parsed)
        if utf16_len(parsed.text) > limit:
            raise _bad(
                "message caption is too long" if name == "caption" else "message is too long"
            )
        return parsed, raw

    def _reply_markup(self, params: _Params) -> Json | None:
        markup = params.get_json("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            if not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
                raise _bad("can't parse reply keyboard markup JSON object")
            return markup
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad("can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                _check_button(button)
        return markup

    def _reply_target(self, params: _Params, chat: _Chat) -> Json | None:
        reply = params.get_json("reply_parameters")
        if isinstance(reply, dict):
            message_id, lenient = (
                reply.get("message_id"),
                bool(reply.get("allow_sending_without_reply")),
            )
        else:
            message_id, lenient = (
                params.get_int("reply_to_message_id"),
                params.get_bool("allow_sending_without_reply"),
            )
        if message_id is None:
            return None
        target = self._messages[chat.id].get(int(message_id))
        if target is None and not lenient:
            raise _bad("message to be replied not found")
        return target

    def _editable(self, params: _Params) -> tuple[_Chat, Json, SentMessage]:
        if params.get_str("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")  # inline mode is not modelled
        chat = self._target_chat(params)
        message_id = params.get_int("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        message = self._messages[chat.id].get(message_id)
        if message is None:
            raise _bad("message to edit not found")
        sent = self._sent.get(chat.id, {}).get(message_id)
        if sent is None:
            raise _bad("message can't be edited")
        return chat, message, sent

    def _document_upload(self, params: _Params) -> SentDocument:
        """The document of a sendDocument: an upload (maybe via attach://) or a file_id."""
        value = params.get_str("document")
        upload = params.files.get("document")
        if value and value.startswith("attach://"):
            upload = params.files.get(value.removeprefix("attach://"))
        if upload is not None:
            file_name, data, mime = upload
            if not data:
                raise _bad("file must be non-empty")
            if len(data) > MAX_UPLOAD_BYTES:
                raise _ApiError(413, "Request Entity Too Large")
            stored = self._store_file(data, "documents", file_name, None)
            return SentDocument(stored.file_id, file_name, mime, data)
        if value:
            known = self._files.get(value)
            if known is None:
                raise _bad("wrong file identifier/HTTP URL specified")
            name = known.file_path.rsplit("/", 1)[-1]
            return SentDocument(known.file_id, name, None, known.data)
        raise _bad("there is no document in the request")

    # ------------------------------------------------------------------ building blocks

    def _bot_user(self) -> _User:
        return _User(self.bot_id, BOT_FIRST_NAME, self.bot_username, is_bot=True)

    def _user(self, user_id: int) -> _User:
        if user_id not in self._users:
            self.add_user(user_id)
        return self._users[user_id]

    def _known_chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}; add_chat first")
        return chat

    def _chat_for_user_message(self, chat_id: int, user_id: int) -> _Chat:
        """The chat a user writes in, created on first use (private if the id is positive)."""
        if chat_id not in self._chats:
            if chat_id > 0:
                self.add_chat(chat_id, "private")
            else:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                self.add_chat(chat_id, kind, f"Group {chat_id}", (user_id,))
        chat = self._chats[chat_id]
        if chat.type == "private" and user_id != chat_id:
            raise ValueError("in a private chat only its user writes")
        if chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} was upgraded to {chat.migrated_to}")
        if chat.bot_status in ("left", "kicked"):
            raise ValueError(f"the bot does not receive messages from chat {chat_id}")
        return chat

    def _user_message(
        self,
        chat_id: int,
        user_id: int,
        content: Json,
        reply_to_message_id: int | None,
        sender_chat_id: int | None,
    ) -> int:
        chat = self._chat_for_user_message(chat_id, user_id)
        user = self._user(user_id)
        message: Json = {"message_id": chat.next_message_id()}
        if sender_chat_id is None and chat.anonymous_admin and user_id in chat.admins:
            sender_chat_id = chat.id  # an anonymous admin always posts as the group
        if sender_chat_id is None:
            message["from"] = user.json()
        else:
            message["from"] = {
                "id": ANONYMOUS_ADMIN_ID,
                "is_bot": True,
                "first_name": "Group",
                "username": "GroupAnonymousBot",
            }
            message["sender_chat"] = self._known_chat(sender_chat_id).json()
        message["chat"] = chat.json()
        message["date"] = int(time.time())
        if reply_to_message_id is not None:
            target = self._messages[chat.id].get(reply_to_message_id)
            if target is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat_id}")
            message["reply_to_message"] = _without_reply(target)
        message.update(content)
        self._messages[chat.id][message["message_id"]] = message
        return self._enqueue("message", message)

    def _service_message(self, chat: _Chat, user_id: int, content: Json) -> int:
        message: Json = {
            "message_id": chat.next_message_id(),
            "from": self._user(user_id).json(),
            "chat": chat.json(),
            "date": int(time.time()),
            **content,
        }
        self._messages[chat.id][message["message_id"]] = message
        return self._enqueue("message", message)

    def _bot_message(
        self, chat: _Chat, content: Json, markup: Json | None, reply_to: Json | None
    ) -> Json:
        message: Json = {
            "message_id": chat.next_message_id(),
            "from": self._bot_user().json(),
            "chat": chat.json(),
            "date": int(time.time()),
        }
        if reply_to is not None:
            message["reply_to_message"] = _without_reply(reply_to)
        message.update(content)
        self._set_markup(message, markup)
        self._messages[chat.id][message["message_id"]] = message
        return message

    @staticmethod
    def _set_markup(message: Json, markup: Json | None) -> None:
        # Only inline keyboards belong to a message; other markups act on the client.
        inline = _inline(markup)
        if inline is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = inline

    def _caption(self, caption: str | None) -> Json:
        if not caption:
            return {}
        content: Json = {"caption": caption}
        entities = _auto_entities(caption)
        if entities:
            content["caption_entities"] = entities
        return content

    def _store_file(
        self, data: bytes, folder: str, file_name: str, size: int | None
    ) -> _StoredFile:
        number = len(self._files) + 1
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = _StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:06d}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{folder}/file_{number}.{suffix}",
            data=data,
            size=len(data) if size is None else size,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    def _status_of(self, chat: _Chat, user_id: int) -> str:
        if chat.admins and user_id == chat.admins[0]:
            return "creator"
        return "administrator" if user_id in chat.admins else "member"

    def _member_json(self, chat: _Chat, user: _User, status: str) -> Json:
        member: Json = {"status": status, "user": user.json()}
        if status == "creator":
            member["is_anonymous"] = chat.anonymous_admin
        elif status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
            member.update(
                can_be_edited=False,
                can_promote_members=False,
                is_anonymous=chat.anonymous_admin and not user.is_bot,
            )
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _my_chat_member(self, chat: _Chat, by_user_id: int, old: str, new: str) -> int:
        by = self._bot_user() if by_user_id == self.bot_id else self._user(by_user_id)
        bot = self._bot_user()
        return self._enqueue(
            "my_chat_member",
            {
                "chat": chat.json(),
                "from": by.json(),
                "date": int(time.time()),
                "old_chat_member": self._member_json(chat, bot, old),
                "new_chat_member": self._member_json(chat, bot, new),
            },
        )

    def _enqueue(self, kind: str, payload: Json) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        update = {"update_id": update_id, kind: payload}
        self._updates.append(update)
        self._update_index[update_id] = update
        self._wake_pollers()
        return update_id

    def _wake_pollers(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()


_REASONS = {401: "Unauthorized", 404: "Not Found", 502: "Bad Gateway"}


def _too_many(retry_after: int) -> _ApiError:
    return _ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def _inline(markup: Json | None) -> Json | None:
    if markup is None or "inline_keyboard" not in markup:
        return None
    return {"inline_keyboard": markup["inline_keyboard"]}


def _without_reply(message: Json) -> Json:
    """Telegram nests replies one level deep only."""
    return {k: v for k, v in message.items() if k != "reply_to_message"}


def _check_button(button: Any) -> None:
    if not isinstance(button, Mapping) or not isinstance(button.get("text"), str):
        raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
    if not button["text"]:
        raise _bad("can't parse inline keyboard button: Text must be non-empty")
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise _bad("BUTTON_DATA_INVALID")
    if "url" in button and check_link(str(button["url"])) is None:
        raise _bad("BUTTON_URL_INVALID")
    if not any(action in button for action in _BUTTON_ACTIONS):
        raise _bad("text buttons are unallowed in the inline keyboard")
