"""Tests for the rule-based sentence splitter (original text only)."""

from __future__ import annotations

import pytest
from newsbot.summaries.sentences import Sentence, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_offsets_point_into_the_text() -> None:
    text = "  The council met on Monday.  It voted to close the old bridge.\n"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The council met on Monday.",
        "It voted to close the old bridge.",
    ]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert isinstance(sentences[0], Sentence)


@pytest.mark.parametrize(
    "text",
    [
        "Gen. Harlow Penrose inspected the harbour on Tuesday.",
        "Mr. Quill and Dr. Amsel arrived in the U.S. Senate chamber at noon.",
        "The fund grew 3.75 per cent in the year to Jan. 14 according to the filing.",
        "The novel by J. R. Tolland sold well.",
        "Shares of Brindle & Co. fell sharply.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_split(text: str) -> None:
    assert texts(text) == [text]


def test_acronym_at_sentence_end_splits_before_an_opener() -> None:
    assert texts("She moved to the U.S. Then she opened a bakery.") == [
        "She moved to the U.S.",
        "Then she opened a bakery.",
    ]


def test_quote_closing_after_the_full_stop_stays_with_its_sentence() -> None:
    text = 'The mayor said: "We will rebuild. It will take years." Work starts soon.'
    assert texts(text) == [
        'The mayor said: "We will rebuild.',
        'It will take years."',
        "Work starts soon.",
    ]


def test_quote_followed_by_lower_case_attribution_does_not_split() -> None:
    text = '"The river is rising fast." the warden said on the radio.'
    assert texts(text) == [text]


def test_ellipses() -> None:
    assert texts("He paused... then carried on. Nobody spoke.") == [
        "He paused... then carried on.",
        "Nobody spoke.",
    ]
    assert texts("I waited for hours.... The bus never came.") == [
        "I waited for hours....",
        "The bus never came.",
    ]


def test_paragraph_break_ends_a_headline_without_punctuation() -> None:
    text = "Storm closes coastal road\n\nThe coastal road was shut overnight."
    assert texts(text) == ["Storm closes coastal road", "The coastal road was shut overnight."]


def test_inline_numbered_list() -> None:
    assert texts("1) Pack the tent 2) Check the weather") == [
        "1) Pack the tent",
        "2) Check the weather",
    ]


def test_stray_number_before_full_stop_is_not_a_list() -> None:
    text = "The goalkeeper was 42. His deputy was 41. Both retired."
    assert texts(text) == ["The goalkeeper was 42.", "His deputy was 41.", "Both retired."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n"])
def test_blank_text_gives_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_long_text_without_punctuation_is_one_sentence() -> None:
    text = " ".join(["word"] * 20000)
    assert texts(text) == [text]


def test_bulleted_lines_are_sentences() -> None:
    text = "Steps:\n• Pack the tent\n• Check the weather"
    assert texts(text) == ["Steps:", "• Pack the tent", "• Check the weather"]


def test_inline_lettered_and_bulleted_numbered_lists() -> None:
    assert texts("a. Pack the tent b. Check the weather") == [
        "a. Pack the tent",
        "b. Check the weather",
    ]
    assert texts("You need: • 1. a tent • 2. a map") == ["You need:", "• 1. a tent", "• 2. a map"]
