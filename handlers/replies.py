"""What a command answers with, independent of the transport that delivers it.

A `Reply` is Telegram-flavoured HTML plus optional inline buttons; the Telegram adapter
sends it with `parse_mode=HTML`, and the console renders the same HTML as plain text.
Buttons carry an *action*: a short command line such as ``latest 2`` that the router runs
when the button is pressed, so paging survives restarts and needs no server-side state.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsbot.handlers.commands.formatting import split_html

# Telegram rejects callback data longer than 64 bytes.
CALLBACK_DATA_LIMIT = 64


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button; `action` is the command line it runs (at most 64 UTF-8 bytes)."""

    label: str
    action: str

    @staticmethod
    def fits(action: str) -> bool:
        """Whether `action` fits Telegram's callback-data limit."""
        return len(action.encode("utf-8")) <= CALLBACK_DATA_LIMIT


@dataclass(frozen=True, slots=True)
class Reply:
    """A command's answer: HTML text, rows of buttons, and whether to show link previews."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    preview: bool = False

    def messages(self) -> list[str]:
        """The HTML split into messages that each fit Telegram's length limit."""
        return split_html(self.html)


def text_reply(html: str) -> Reply:
    """A reply with no buttons."""
    return Reply(html=html)
