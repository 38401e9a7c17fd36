"""Extractive summaries of cleaned article text, by any of newsbot's algorithms.

`summarize` splits the text into sentences, asks one ranker (`summaries.algorithms`) for the
sentences best first, then takes the best ones that fit the requested length, either a number
of sentences or a character budget, and gives them back in article order. Only languages that
sumy can stem and filter are ranked by content; text in any other language (or no detectable
language) gets the lead sentences, which is what a reader of a news story sees first anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.summaries.algorithms.newsbot import rank_newsbot
from newsbot.summaries.algorithms.sumy_rankers import SUMY_ALGORITHMS, rank_with_sumy
from newsbot.summaries.language import detect_language, supported_languages
from newsbot.summaries.sentences import Sentence, split_sentences

NEWSBOT = "newsbot"
LEAD = "lead"
ALGORITHMS: tuple[str, ...] = (NEWSBOT, LEAD, *SUMY_ALGORITHMS)
DEFAULT_ALGORITHM = NEWSBOT

_ELLIPSIS = "…"


class UnknownAlgorithmError(ValueError):
    """The requested summary algorithm is not one of `ALGORITHMS`."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"unknown summary algorithm {name!r}; choose one of {', '.join(ALGORITHMS)}"
        )
        self.name = name


@dataclass(frozen=True, slots=True)
class Summary:
    """Summary sentences in article order, the algorithm that chose them and the language.

    `algorithm` is the one actually used: "lead" when the requested one could not rank the
    text (unsupported language), so a stored summary says truthfully how it was made.
    """

    sentences: tuple[str, ...]
    algorithm: str
    language: str


def summarize(
    text: str,
    *,
    sentences: int = 3,
    max_chars: int | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
    language: str | None = None,
    title: str | None = None,
) -> Summary:
    """Summarise already-cleaned `text`.

    The length is `sentences` sentences, or, when `max_chars` is given, as many of the best
    sentences as fit in `max_chars` characters joined by spaces (the count is then ignored).
    Text no longer than the requested summary comes back whole. `language` is a sumy language
    name; None detects it. Raises only for bad arguments (`UnknownAlgorithmError`,
    `ValueError`), never for bad text.
    """
    if algorithm not in ALGORITHMS:
        raise UnknownAlgorithmError(algorithm)
    if sentences < 1:
        raise ValueError(f"sentences must be at least 1, got {sentences}")
    if max_chars is not None and max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    # Accept "English" or " german " from settings and callers; sumy's names are lower case.
    language = language.strip().casefold() if language and language.strip() else None
    language = language or detect_language(text)
    found = split_sentences(text)
    texts = [s.text for s in found]
    if language not in supported_languages():
        algorithm = LEAD
    if _fits_whole(texts, sentences, max_chars):
        return Summary(tuple(texts), algorithm, language)
    ranking = _rank(algorithm, text, found, language, title)
    return Summary(_select(texts, ranking, sentences, max_chars), algorithm, language)


def _fits_whole(texts: Sequence[str], count: int, max_chars: int | None) -> bool:
    if max_chars is None:
        return len(texts) <= count
    return _joined_length(texts) <= max_chars


def _joined_length(texts: Sequence[str]) -> int:
    return sum(len(t) for t in texts) + max(len(texts) - 1, 0)


def _paragraph_starts(text: str, found: Sequence[Sentence]) -> list[bool]:
    """For each sentence, whether a line break comes before it (it opens a paragraph)."""
    starts: list[bool] = []
    previous_end = 0
    for sentence in found:
        starts.append(not starts or "\n" in text[previous_end : sentence.start])
        previous_end = sentence.end
    return starts


def _rank(
    algorithm: str,
    text: str,
    found: Sequence[Sentence],
    language: str,
    title: str | None,
) -> list[int]:
    """Sentence indices best first; the lead order whenever an algorithm cannot rank."""
    lead = list(range(len(found)))
    if algorithm == LEAD:
        return lead
    texts = [s.text for s in found]
    if algorithm == NEWSBOT:
        return rank_newsbot(texts, language=language, title=title)
    starts = _paragraph_starts(text, found)
    try:
        return rank_with_sumy(algorithm, texts, starts, language=language, title=title)
    except Exception:
        # sumy's algorithms assume reasonable prose; on degenerate input (no content words,
        # singular matrices) they can fail in ways we cannot enumerate, and a summary must
        # still come back, so fall back to the lead.
        return lead


def _select(
    texts: Sequence[str], ranking: Sequence[int], count: int, max_chars: int | None
) -> tuple[str, ...]:
    """The best sentences that fit the length, in article order."""
    if max_chars is None:
        chosen = sorted(ranking[:count])
        return tuple(texts[i] for i in chosen)
    if not ranking:
        return ()
    best = ranking[0]
    if len(texts[best]) > max_chars:
        # The best sentence alone overflows the budget: shorten it rather than replace it by
        # whichever low-ranked fragment happens to be short enough.
        return (_shorten(texts[best], max_chars),)
    picked: list[int] = []
    used = -1  # the first sentence needs no separating space
    for index in ranking:
        needed = len(texts[index]) + 1
        if used + needed <= max_chars:
            picked.append(index)
            used += needed
    return tuple(texts[i] for i in sorted(picked))


def _shorten(sentence: str, max_chars: int) -> str:
    """`sentence` cut at a word boundary to at most `max_chars` characters, with an ellipsis."""
    if max_chars <= len(_ELLIPSIS):
        return sentence[:max_chars]
    cut = sentence[: max_chars - len(_ELLIPSIS)]
    space = cut.rfind(" ")
    if space > len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + _ELLIPSIS
