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
from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import repeat

from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

UNKNOWN = "unknown"

# sumy's languages whose text our tokenizer can split into words.
_CANDIDATES = (
    "english", "german", "french", "spanish", "italian", "portuguese", "swedish", "czech",
    "slovak", "polish", "greek", "ukrainian", "hebrew", "arabic",
)  # fmt: skip
_SAMPLE_WORDS = 200  # enough for a stable vote (stop words are a third of running text)
_MIN_WORDS = 3  # below this a vote means nothing
_MIN_SHARE = 0.12  # running text in any of these languages is >25% stop words; noise is <5%
_PUNCTUATION = ".,;:!?\"'()[]{}<>«»“”„‘’‚‹›—–-…*/|¿¡"
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
def stemmer(language: str) -> Callable[[str], str]:
    """sumy's stemmer for `language`, memoised; the identity for unsupported languages.

    News vocabulary repeats from sentence to sentence and article to article, and Snowball
    stemming is the hot path of every ranker.
    """
    if language not in supported_languages():
        return str
    return lru_cache(maxsize=100_000)(Stemmer(language))


@cache
def stop_words(language: str) -> frozenset[str]:
    """sumy's stop words for `language` (lower-case); empty for unsupported languages."""
    if language not in supported_languages():
        return frozenset()
    return frozenset(w.casefold() for w in get_stop_words(language))


# Very frequent function words missing from sumy's lists (French lacks "de", Ukrainian the
# one-letter prepositions); used for detection only, never as stop words.
_DETECTION_EXTRAS: dict[str, frozenset[str]] = {
    "french": frozenset(["de", "un", "une", "à", "a", "des", "du", "d", "l", "qu"]),
    "ukrainian": frozenset(["в", "і", "у", "на", "за", "не", "до"]),
}


@cache
def _languages_by_word() -> dict[str, tuple[str, ...]]:
    """Every stop word of every candidate language, with the languages that list it.

    One dictionary look-up per distinct token then scores all languages at once, instead of
    one set look-up per token per language.
    """
    index: dict[str, list[str]] = {}
    for language in supported_languages():
        for word in stop_words(language) | _DETECTION_EXTRAS.get(language, frozenset()):
            index.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def detect_language(text: str) -> str:
    """The sumy language name of `text`, or "unknown" when none fits. Never raises."""
    # Whitespace tokens with their punctuation stripped: str.split runs in C, and a sample
    # needs no exact word boundaries.
    sample = text[: _SAMPLE_WORDS * 12].casefold().split()[:_SAMPLE_WORDS]
    tokens: Counter[str] = Counter(map(str.strip, sample, repeat(_PUNCTUATION)))
    for token in [t for t in tokens if not t[:1].isalpha()]:
        del tokens[token]  # numbers, dashes, emoji: not words of any language
    total = sum(tokens.values())
    if total < _MIN_WORDS:
        return UNKNOWN
    hits: Counter[str] = Counter()
    index = _languages_by_word()
    for token, count in tokens.items():
        for language in index.get(token, ()):
            hits[language] += count
    best, best_score, best_share = UNKNOWN, -math.inf, 0.0
    for language in supported_languages():
        covered = hits[language]
        score = covered * -math.log(len(stop_words(language))) + (total - covered) * _MISS_LOG_PROB
        if score > best_score:
            best, best_score, best_share = language, score, covered / total
    return best if best_share >= _MIN_SHARE else UNKNOWN
