"""Hostile inputs: extraction must finish quickly and never raise."""

from __future__ import annotations

from newsbot.summaries.quotes import extract_quotes


def _valid(text: str) -> None:
    for quote in extract_quotes(text):
        assert 0 <= quote.start < quote.end <= len(text)


def test_empty_and_blank_text() -> None:
    assert extract_quotes("") == ()
    assert extract_quotes("   \n\n ") == ()


def test_ten_thousand_quotation_marks() -> None:
    _valid('"' * 10_000)
    _valid("“”" * 5_000)
    _valid('He said "' * 10_000)


def test_only_opening_marks() -> None:
    _valid("“Never closed " * 2_000)
    _valid("„« ‘" * 3_000)


def test_nested_quotes() -> None:
    text = "“She told me ‘he said “no” twice’ and left,” said Ada Lowe."
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Ada Lowe"
    _valid("“" * 500 + "deep" + "”" * 500)


def test_single_fifty_thousand_character_quote() -> None:
    text = "“" + "word " * 10_000 + "end,” said Ada Lowe."
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Ada Lowe"
    assert quote.end == text.index("”") + 1


def test_megabyte_of_marks_and_words() -> None:
    chunk = '“A b c d,” he said. "x" \' ‘ « » „ “ Mr. Smith, said, told: '
    _valid(chunk * (1_000_000 // len(chunk)))


def test_control_characters_and_odd_unicode() -> None:
    _valid("\x00\ufeff“\u200b\u202e text ”\r\n\r\n” said\t\x0b")
