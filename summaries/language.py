"""Offline language detection over the languages sumy can summarise.

sumy ships stop-word lists for its languages; function words are the most frequent tokens of
any text, so how well each list covers a text's words identifies the language well enough to
pick a stemmer and stop words, without a model or a new dependency. Each list is scored like a
unigram model that spreads its mass evenly over its words: a covered token earns
log(1/|list|), an uncovered one a fixed small probability. Coverage dominates, and among lists
covering the same tokens the smaller, more specific one wins (English's list of 580 words
includes "o", "e", "no", "com", so a short Portuguese text would otherwise read as English).
Only languages for which sumy has both a stemmer and stop words, and whose words are separated
by spaces (our regex word tokenizer cannot segment Chinese, Japanese, Korean or Thai), are
candidates.
"""

from __future__ import annotations

import math
from functools import cache

from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

from summaries.tokenize import words

UNKNOWN = "unknown"

# sumy's languages whose text our tokenizer can split into words.
_CANDIDATES = (
    "english", "german", "french", "spanish", "italian", "portuguese", "swedish", "czech",
    "slovak", "polish", "greek", "ukrainian", "hebrew", "arabic",
)  # fmt: skip
_SAMPLE_WORDS = 2000  # enough for a stable vote; bounds the cost on huge inputs
_MIN_WORDS = 3  # below this a vote means nothing
_MIN_SHARE = 0.12  # running text in any of these languages is >25% stop words; noise is <5%
_MISS_LOG_PROB = math.log(1e-5)  # a token outside the list: far less likely than any hit


@cache
def supported_languages() -> tuple[str, ...]:
    """The candidate languages that sumy can actually stem and filter in this install."""
    usable: list[str] = []
    for language in _CANDIDATES:
        try:
            Stemmer(language)
            get_stop_words(language)
        except LookupError:
            continue
        usable.append(language)
    return tuple(usable)


@cache
def stop_words(language: str) -> frozenset[str]:
    """sumy's stop words for `language` (lower-case); empty for unsupported languages."""
    if language not in supported_languages():
        return frozenset()
    return frozenset(w.casefold() for w in get_stop_words(language))


def detect_language(text: str) -> str:
    """The sumy language name of `text`, or "unknown" when none fits. Never raises."""
    tokens = [w.casefold() for w in words(text[: _SAMPLE_WORDS * 12])][:_SAMPLE_WORDS]
    if len(tokens) < _MIN_WORDS:
        return UNKNOWN
    best, best_score, best_share = UNKNOWN, -math.inf, 0.0
    for language in supported_languages():
        vocabulary = stop_words(language)
        hits = sum(token in vocabulary for token in tokens)
        score = hits * -math.log(len(vocabulary)) + (len(tokens) - hits) * _MISS_LOG_PROB
        if score > best_score:
            best, best_score, best_share = language, score, hits / len(tokens)
    return best if best_share >= _MIN_SHARE else UNKNOWN
