"""Splitting and measuring Telegram HTML: replies must fit by construction."""

from __future__ import annotations

import re

import pytest
from newsbot.handlers.commands.formatting import (
    MESSAGE_LIMIT,
    esc,
    html_to_text,
    link,
    plain_length,
    split_html,
    truncate,
    utf16_len,
)

_TAG = re.compile(r"</?([a-z]+)[^>]*>")


def balanced(fragment: str) -> bool:
    stack: list[str] = []
    for match in _TAG.finditer(fragment):
        name = match.group(1)
        if match.group(0).startswith("</"):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def test_escape_covers_html_specials() -> None:
    assert esc('<b> & "x" it\'s') == '&lt;b&gt; &amp; "x" it\'s'
    assert esc(None) == ""


def test_link_only_for_http_urls() -> None:
    assert (
        link("https://a.example/x?a=1&b=2", "A")
        == '<a href="https://a.example/x?a=1&amp;b=2">A</a>'
    )
    assert link("javascript:alert(1)", "<x>") == "&lt;x&gt;"


def test_utf16_counts_astral_characters_twice() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("📰") == 2
    assert plain_length("<b>a&amp;b</b> 📰") == 6


def test_short_text_is_one_message() -> None:
    assert split_html("<b>hi</b>") == ["<b>hi</b>"]
    assert split_html("   ") == []


def test_long_text_splits_at_paragraphs_and_fits() -> None:
    paragraph = "<b>Title</b>\n" + esc("Sentence & more. " * 20).strip()
    text = "\n\n".join([paragraph] * 40)
    chunks = split_html(text)
    assert len(chunks) > 1
    for chunk in chunks:
        assert plain_length(chunk) <= MESSAGE_LIMIT
        assert balanced(chunk)
        assert chunk.startswith("<b>Title</b>")  # cut between paragraphs
    assert html_to_text("\n\n".join(chunks)).count("Sentence & more.") == 40 * 20


def test_a_giant_tagged_paragraph_is_cut_with_tags_reopened() -> None:
    text = "<i>" + ("word " * 3000) + "</i>"
    chunks = split_html(text)
    assert len(chunks) >= 4
    for chunk in chunks:
        assert plain_length(chunk) <= MESSAGE_LIMIT
        assert balanced(chunk)
        assert chunk.startswith("<i>") and chunk.endswith("</i>")


def test_entities_and_emoji_are_never_split() -> None:
    text = "&amp;📰" * 3000
    chunks = split_html(text, limit=100)
    for chunk in chunks:
        assert plain_length(chunk) <= 100
        assert not re.search(r"&[a-z]*$", chunk)
        assert "\ud83d" not in chunk
    assert "".join(chunks) == text


@pytest.mark.parametrize("limit", [1, 7, 50])
def test_tiny_limits_still_make_progress(limit: int) -> None:
    chunks = split_html("<b>" + "x" * 120 + "</b>", limit=limit)
    assert all(plain_length(c) <= limit for c in chunks)
    assert html_to_text("".join(chunks)) == "x" * 120


def test_truncate_cuts_at_a_word() -> None:
    assert truncate("one two three four", 10) == "one two…"
    assert truncate("short", 10) == "short"


def test_html_to_text_shows_link_targets() -> None:
    assert html_to_text('<b>A &amp; B</b> <a href="https://x.example/">read</a>') == (
        "A & B read (https://x.example/)"
    )


def test_a_two_megabyte_run_splits_in_one_pass() -> None:
    # Each cut used to re-measure and re-tokenise the whole rest: about 22 s for this text.
    text = "<b>" + "word " * 400_000 + "</b>"
    messages = split_html(text)
    assert len(messages) >= plain_length(text) // MESSAGE_LIMIT
    assert all(plain_length(m) <= MESSAGE_LIMIT for m in messages)
    assert all(m.startswith("<b>") and m.endswith("</b>") for m in messages)


def test_an_emoji_wider_than_the_limit_still_makes_progress() -> None:
    chunks = split_html("😀😀x", limit=1)
    assert "".join(chunks) == "😀😀x"


def test_escape_drops_control_characters_but_keeps_lines_and_tabs() -> None:
    assert esc("a\x00b\x07c\nd\te\x1b") == "abc\nd\te"
    assert esc("x\x85y\x9fz") == "xyz"  # the C1 controls too


def test_a_tag_longer_than_the_read_window_is_no_dead_end() -> None:
    # A link to a 70,000-character URL used to make split_html raise.
    long_link = f'<a href="https://x.example/{"a" * 70_000}">link</a>'
    messages = split_html(long_link + " " + "word " * 2_000)
    assert html_to_text("".join(messages)).startswith("link")
    assert all(plain_length(m) <= MESSAGE_LIMIT for m in messages)


def test_a_paragraph_break_straddling_the_limit_is_still_the_cut() -> None:
    first = "x" * 99
    messages = split_html(f"{first}\n\n{'y' * 50}", limit=100)
    assert messages == [first, "y" * 50]


def test_dates_need_no_glibc_only_strftime_directives() -> None:
    """%-d is glibc's: Windows raises on it. Days print without a leading zero all the same."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from newsbot.handlers.commands.formatting import format_date, format_moment

    moment = datetime(2026, 12, 2, 7, 5, tzinfo=UTC)
    assert format_date(moment, ZoneInfo("UTC")) == "2 Dec 2026"
    assert format_moment(moment) == "Wed 2 Dec, 07:05"
