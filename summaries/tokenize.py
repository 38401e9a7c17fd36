"""A sumy-compatible tokenizer built on newsbot's own sentence splitter.

sumy's `Tokenizer` loads NLTK punkt models, which newsbot never downloads. Its summarizers and
`PlaintextParser` only need an object with `language`, `to_sentences(paragraph)` and
`to_words(sentence)`, so `NewsTokenizer` provides exactly that on top of `split_sentences` and a
regex word pattern. Words follow sumy's own rule (letters, with inner apostrophes or hyphens;
no numbers, no punctuation) so stop-word filtering and stemming behave as sumy expects.
"""

from __future__ import annotations

import re

from newsbot.summaries.sentences import split_sentences

# A word starts with a letter and may continue with letters joined by ' ’ or -.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """The words of `text` in order, as written (case kept)."""
    return _WORD.findall(text)


class NewsTokenizer:
    """Drop-in replacement for `sumy.nlp.tokenizers.Tokenizer` that needs no NLTK data."""

    def __init__(self, language: str = "english") -> None:
        self._language = language

    @property
    def language(self) -> str:
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.text for s in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))
