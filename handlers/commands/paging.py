"""Page arithmetic and the "More" button shared by every paged list.

A More button's action is ``<command> <next page> <original arguments>``; the router turns it
back into a request for that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsbot.handlers.replies import Button


@dataclass(frozen=True, slots=True)
class Page:
    """A 1-based page of `size` items."""

    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def range_label(self, shown: int, total: int, *, at_least: bool = False) -> str:
        """`1–5 of 23` (`of 1000+` when `total` is only a lower bound)."""
        first = self.offset + 1 if shown else 0
        return f"{first}–{self.offset + shown} of {total}{'+' if at_least else ''}"


def more_button(
    command: str, page: Page, total: int, args: str = ""
) -> tuple[tuple[Button, ...], ...]:
    """A "More" button for the next page, if there is one and its action fits Telegram."""
    if page.offset + page.size >= total:
        return ()
    action = f"{command} {page.number + 1} {args}".strip()
    if not Button.fits(action):
        return ()
    return ((Button("More ▸", action),),)
