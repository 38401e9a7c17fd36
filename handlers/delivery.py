"""How handlers send unsolicited messages (digests, admin alerts) without knowing Telegram.

The composition root implements `Sender` for Telegram and translates its errors into these
transport-neutral ones, so digest and feed logic stay testable with any sender.
"""

from __future__ import annotations

from typing import Protocol

from newsbot.handlers.replies import Reply


class DeliveryError(Exception):
    """A send failed for a reason that may pass (network, outage); try again later."""


class ChatUnavailableError(DeliveryError):
    """The chat blocked or removed the bot: stop sending to it."""

    def __init__(self, chat_id: int, reason: str) -> None:
        super().__init__(f"chat {chat_id} is unavailable: {reason}")
        self.chat_id = chat_id
        self.reason = reason


class ChatMovedError(DeliveryError):
    """The group became a supergroup with a new id."""

    def __init__(self, chat_id: int, new_chat_id: int) -> None:
        super().__init__(f"chat {chat_id} moved to {new_chat_id}")
        self.chat_id = chat_id
        self.new_chat_id = new_chat_id


class Sender(Protocol):
    """Delivers a reply to a chat; raises the errors above."""

    async def send(self, chat_id: int, reply: Reply) -> None: ...
