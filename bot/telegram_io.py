"""Translation between Telegram objects and newsbot's transport-neutral requests and replies."""

from __future__ import annotations

import logging

from newsbot.handlers.delivery import ChatMovedError, ChatUnavailableError, DeliveryError
from newsbot.handlers.replies import Reply
from newsbot.handlers.requests import Attachment, Caller, Request
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

log = logging.getLogger(__name__)

_ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def caller_of(update: Update, admin_ids: frozenset[int]) -> Caller:
    """Who sent `update` and where."""
    user = update.effective_user
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        # Anonymous admins (and channels) post as a chat. Telegram shows every anonymous
        # admin everywhere as the same GroupAnonymousBot user, so that id would make all of
        # them share one flood bucket; the posting chat is the sender that can be told apart.
        return Caller(
            user_id=message.sender_chat.id,
            chat_id=chat.id,
            chat_type=chat.type,
            chat_title=chat.title or chat.full_name,
        )
    return Caller(
        user_id=user.id if user else None,
        chat_id=chat.id,
        chat_type=chat.type,
        chat_title=chat.title or chat.full_name,
        is_bot_admin=bool(user and user.id in admin_ids),
    )


def _attachment(bot: Bot, message: Message) -> Attachment | None:
    document = message.document
    if document is not None:
        file_id = document.file_id

        async def download() -> bytes:
            file = await bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())

        return Attachment(
            file_name=document.file_name or "upload",
            mime_type=document.mime_type,
            size=document.file_size,
            download=download,
        )
    if message.photo:

        async def no_download() -> bytes:
            return b""

        return Attachment(
            "photo", "image/jpeg", message.photo[-1].file_size, no_download, is_photo=True
        )
    return None


def request_of(
    update: Update, bot: Bot, admin_ids: frozenset[int], command: str, args: str
) -> Request:
    """A newsbot request from a command message (text or caption, maybe a reply or a file)."""
    message = update.effective_message
    caller = caller_of(update, admin_ids)
    if message is None:
        return Request(command=command, args=args, caller=caller)
    replied = message.reply_to_message
    replied_text = (replied.text or replied.caption) if replied else None
    attachment = _attachment(bot, message)
    if attachment is None and replied is not None and replied.document is not None:
        # "/add" in answer to a file posted or forwarded earlier means that file.
        attachment = _attachment(bot, replied)

    async def is_chat_admin() -> bool:
        # Anonymous group admins post as the group itself.
        if message.sender_chat is not None and message.sender_chat.id == caller.chat_id:
            return True
        if caller.user_id is None:
            return False
        member = await bot.get_chat_member(caller.chat_id, caller.user_id)
        return member.status in _ADMIN_STATUSES

    return Request(
        command=command,
        args=args,
        caller=caller,
        replied_text=replied_text,
        attachment=attachment,
        is_chat_admin=is_chat_admin,
    )


def markup_of(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a reply's buttons."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.action) for b in row]
            for row in reply.buttons
        ]
    )


async def send_reply(bot: Bot, chat_id: int, reply: Reply, *, thread_id: int | None = None) -> None:
    """Send a reply as one or more messages; buttons go on the last one."""
    messages = reply.messages()
    preview = LinkPreviewOptions(is_disabled=not reply.preview)
    for index, text in enumerate(messages):
        last = index == len(messages) - 1
        await bot.send_message(
            chat_id,
            text,
            reply_markup=markup_of(reply) if last else None,
            link_preview_options=preview,
            message_thread_id=thread_id,
        )


class TelegramSender:
    """`handlers.delivery.Sender` over the Bot API, mapping Telegram errors to neutral ones."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, reply: Reply) -> None:
        try:
            await send_reply(self._bot, chat_id, reply)
        except Forbidden as exc:
            raise ChatUnavailableError(chat_id, exc.message) from exc
        except ChatMigrated as exc:
            raise ChatMovedError(chat_id, exc.new_chat_id) from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise ChatUnavailableError(chat_id, exc.message) from exc
            raise DeliveryError(exc.message) from exc
        except TelegramError as exc:
            raise DeliveryError(exc.message) from exc
