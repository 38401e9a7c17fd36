"""Who is asking and what they sent: the transport-independent input of every command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


async def _never_admin() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Caller:
    """The sender and the chat a command came from.

    `is_bot_admin` means the user is in ADMIN_IDS; `local` marks the operator's own console,
    which may fetch URLs on private networks (chat users may not).
    """

    user_id: int | None
    chat_id: int
    chat_type: str  # "private", "group", "supergroup" or "channel"
    chat_title: str | None = None
    is_bot_admin: bool = False
    local: bool = False

    @property
    def is_group(self) -> bool:
        return self.chat_type in ("group", "supergroup")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a command; `download` fetches its bytes only when asked."""

    file_name: str
    mime_type: str | None
    size: int | None
    download: Callable[[], Awaitable[bytes]]
    is_photo: bool = False


@dataclass(frozen=True, slots=True)
class Request:
    """One command: its name (normalised), the argument text and everything around it."""

    command: str
    args: str
    caller: Caller
    page: int = 1
    replied_text: str | None = None
    attachment: Attachment | None = None
    # Whether the sender administers the group (getChatMember on Telegram); asked lazily
    # because only digest changes need it.
    is_chat_admin: Callable[[], Awaitable[bool]] = field(default=_never_admin)
