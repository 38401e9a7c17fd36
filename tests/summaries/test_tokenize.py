"""Tests for summaries.tokenize: the sumy-compatible tokenizer that needs no NLTK data."""

from __future__ import annotations

from newsbot.summaries.tokenize import NewsTokenizer, words
from sumy.models.dom import Sentence as SumySentence
from sumy.parsers.plaintext import PlaintextParser


def test_words_keep_inner_apostrophes_and_hyphens() -> None:
    assert words("O'Neill's well-known café didn't open, 2 times!") == [
        "O'Neill's", "well-known", "café", "didn't", "open", "times",
    ]  # fmt: skip


def test_words_skip_numbers_punctuation_and_urls_parts() -> None:
    assert words("12,000 -- ... 3.5%") == []


def test_tokenizer_splits_sentences_with_abbreviations() -> None:
    tokenizer = NewsTokenizer("english")
    assert tokenizer.language == "english"
    assert tokenizer.to_sentences("Mr. Lee met Dr. Ruiz in the U.S. capital. They talked.") == (
        "Mr. Lee met Dr. Ruiz in the U.S. capital.",
        "They talked.",
    )


def test_tokenizer_works_with_sumy_parser() -> None:
    text = "Ferries return to the harbour.\n\nThe pier reopened on Monday. Crews cheered."
    document = PlaintextParser.from_string(text, NewsTokenizer("english")).document
    assert [str(s) for s in document.sentences] == [
        "Ferries return to the harbour.",
        "The pier reopened on Monday.",
        "Crews cheered.",
    ]
    assert SumySentence("Crews cheered loudly.", NewsTokenizer()).words == (
        "Crews", "cheered", "loudly",
    )  # fmt: skip
