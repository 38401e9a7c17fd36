"""Argument helpers every command group shares: the usage error, numbers and search words."""

from __future__ import annotations

from newsbot.data.fts import match_expression

QUERY_MAX_CHARS = 200


class UsageError(ValueError):
    """The arguments cannot be understood; the message tells the user what to send instead."""


def whole_number(text: str, max_digits: int = 12) -> int | None:
    """`text` as a non-negative integer of at most `max_digits` digits, else None.

    str.isdigit() also accepts "²" and "⁵", which int() then refuses; isdecimal() accepts
    exactly the digits int() reads (Arabic-Indic ones too). The cap keeps ids within SQLite's
    integers.
    """
    return int(text) if text.isdecimal() and len(text) <= max_digits else None


def check_query(words: str, usage: str) -> str:
    """Reject empty or oversized free-text arguments with a friendly explanation."""
    words = " ".join(words.split())
    if not words:
        raise UsageError(usage)
    if len(words) > QUERY_MAX_CHARS:
        raise UsageError(
            f"That is {len(words)} characters — please search with at most "
            f"{QUERY_MAX_CHARS} (a few distinctive words work best)."
        )
    if match_expression(words) is None:
        raise UsageError(f"Search needs words with letters or digits. {usage}")
    return words
