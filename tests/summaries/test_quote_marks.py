"""Pairing quotation marks."""

from __future__ import annotations

from newsbot.summaries.quote_marks import find_quoted_spans


def _texts(text: str) -> list[str]:
    return [s.inner_text(text) for s in find_quoted_spans(text)]


def test_mixed_styles_in_one_text() -> None:
    text = 'He said "one" and “two” and «trois» and „vier“ and ‘five’.'
    assert _texts(text) == ["one", "two", "trois", "vier", "five"]


def test_apostrophes_are_not_quotes() -> None:
    assert _texts("It's the players' union and Kim's O’Brien's boots.") == []


def test_unclosed_quote_is_cut_at_paragraph_end() -> None:
    text = "“Never closed here\n\nA normal paragraph with “a real quote” in it."
    spans = find_quoted_spans(text)
    assert not spans[0].closed
    assert _texts(text)[1] == "a real quote"


def test_repeated_opening_mark_joins_paragraphs() -> None:
    text = "“First part.\n\n“Second part.”"
    (span,) = find_quoted_spans(text)
    assert span.closed and span.start == 0 and span.end == len(text)
    assert span.inner_text(text) == "First part.\n\nSecond part."
