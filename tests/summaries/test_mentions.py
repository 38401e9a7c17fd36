from __future__ import annotations

from newsbot.summaries.mentions import BREAK, QUOTE, Mention, Tokens, find_mentions
from newsbot.summaries.quote_marks import find_quoted_spans


def tokens_of(text: str) -> Tokens:
    return Tokens(text, find_quoted_spans(text))


def test_tokens_carry_offsets_into_the_text() -> None:
    text = "Mr. Smith said:  “We won.”“Again.”\n\n  Jane  O’Brien-Lee left."
    tokens = tokens_of(text)
    assert list(zip(tokens.texts, tokens.starts, tokens.ends, strict=True)) == [
        ("Mr", 0, 2),
        (".", 2, 3),
        ("Smith", 4, 9),
        ("said", 10, 14),
        (":", 14, 15),
        (QUOTE, 17, 26),
        (QUOTE, 26, 34),
        (BREAK, 34, 38),
        ("Jane", 38, 42),
        ("O’Brien-Lee", 44, 55),
        ("left", 56, 60),
        (".", 60, 61),
    ]
    # two quotes with nothing between them stay two tokens
    assert tokens.quote_at == [5, 6]


def test_tokens_of_text_without_quotes_or_words() -> None:
    assert tokens_of("").texts == []
    assert tokens_of("  \n ").texts == [BREAK]


def test_mentions_split_roles_from_names() -> None:
    text = "Police said U.S. President Donald J. Trump met Charles de Gaulle's heirs in Paris."
    assert find_mentions(text, tokens_of(text)) == [
        Mention(0, 0, "Police", None, False, None),
        Mention(2, 8, "Donald J. Trump", "U.S. President", True, None),
        Mention(10, 12, "Charles de Gaulle", None, True, None),
        Mention(15, 15, "Paris", None, False, None),
    ]
