"""newsbot's own sentence ranker: news structure first, then content, then variety.

News is written as an inverted pyramid, so where a sentence sits says more about its
importance than any word statistic (that is why Lead-3 beats every classic graph or frequency
summarizer on news). The ranker therefore starts from a position prior and corrects it with
evidence the lead alone cannot give:

* centrality: how much of a sentence's vocabulary (stemmed content words) recurs in the rest
  of the article, the signal LexRank and Luhn use, computed in one linear pass;
* topicality: overlap with the headline, or with the opening sentence when no headline is
  known, since the lead names the story;
* form: sentences that are too short to stand alone, very long run-ons, questions, bare
  quotations and page furniture are rarely what a summary needs;
* redundancy: sentences are picked greedily and each pick discounts the sentences that
  repeat its words, so a lead that restates itself does not fill the summary.

Everything is linear in the article except the greedy redundancy step, which only considers
the best `_SHORTLIST` sentences, so a 50,000-word input ranks in milliseconds. The weights
were set on half of a development set of news articles and checked on the other half.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from sumy.nlp.stemmers import Stemmer

from summaries.language import stop_words
from summaries.tokenize import words

_CANDIDATE_CAP = 500  # sentences scored by content; later ones follow in article order
_SHORTLIST = 40  # sentences the greedy redundancy step chooses among

# Score weights (see the module docstring for what each feature means).
_POSITION_WEIGHT = 1.0
_POSITION_DECAY = 0.25  # position prior = 1 / (1 + decay * index)
_CENTRALITY_WEIGHT = 0.55
_TOPICALITY_WEIGHT = 0.3  # only with a known headline; not tunable on headline-less dev data
_CENTRALITY_EXPONENT = 0.5  # centrality is divided by (sentence size) ** exponent
_REDUNDANCY_WEIGHT = 0.6

_SHORT_WORDS = 8  # fewer words than this: a fragment, a caption or a quote tag
_LONG_WORDS = 55  # more than this: a run-on, often a glued caption
_SHORT_FACTOR = 0.5
_LONG_FACTOR = 0.8
_QUESTION_FACTOR = 0.6
_QUOTE_ONLY_FACTOR = 0.7

_OPENING_QUOTES = "\"'“‘«„"
_CLOSING_QUOTE = re.compile(r"[\"'”’»]\s*$|[\"'”’»][.!?…]?$")
_FURNITURE = re.compile(
    r"\b(?:click here|scroll down|pictured|watch the video|sign up|subscribe|newsletter|"
    r"follow us|read more|copyright)\b",
    re.IGNORECASE,
)
_FURNITURE_FACTOR = 0.3


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    """A memoised stemmer: news vocabulary repeats, and Snowball stemming is the hot path."""
    stem = Stemmer(language)
    return lru_cache(maxsize=200_000)(stem)


def _content_stems(sentence: str, language: str, stops: frozenset[str]) -> list[str]:
    stem = _stemmer(language)
    lowered = (w.casefold() for w in words(sentence))
    return [stem(w) for w in lowered if w not in stops and len(w) > 1]


def rank_newsbot(
    sentences: Sequence[str],
    paragraph_starts: Sequence[bool],
    *,
    language: str,
    title: str | None = None,
) -> list[int]:
    """Indices of `sentences` best first (see the module docstring).

    `paragraph_starts` is accepted for a uniform ranker signature; paragraph structure in
    pasted news is too unreliable to be a signal.
    """
    del paragraph_starts
    candidates = sentences[:_CANDIDATE_CAP]
    if not candidates:
        return []
    stops = stop_words(language)
    bags = [set(_content_stems(s, language, stops)) for s in candidates]
    scores = _base_scores(candidates, bags, language, stops, title)
    ranked = _pick_greedily(scores, bags)
    return ranked + list(range(len(candidates), len(sentences)))


def _base_scores(
    sentences: Sequence[str],
    bags: Sequence[set[str]],
    language: str,
    stops: frozenset[str],
    title: str | None,
) -> list[float]:
    """Each sentence's score before redundancy: position, content and form together."""
    document = Counter(word for bag in bags for word in bag)
    topic = set(_content_stems(title, language, stops)) if title else set()
    centralities = [_centrality(bag, document) for bag in bags]
    top = max(centralities) or 1.0
    scores: list[float] = []
    for index, (sentence, bag) in enumerate(zip(sentences, bags, strict=True)):
        position = 1.0 / (1.0 + _POSITION_DECAY * index)
        topical = len(bag & topic) / math.sqrt(len(bag) * len(topic)) if bag and topic else 0.0
        score = (
            _POSITION_WEIGHT * position
            + _CENTRALITY_WEIGHT * centralities[index] / top
            + _TOPICALITY_WEIGHT * topical
        )
        scores.append(score * _form_factor(sentence))
    return scores


def _centrality(bag: set[str], document: Counter[str]) -> float:
    """How much of the sentence's vocabulary recurs elsewhere in the article.

    Counts other sentences sharing each word (log-damped so one repeated name does not
    dominate), normalised by the square root of the sentence's size so long sentences are not
    central merely for being long.
    """
    if not bag:
        return 0.0
    shared = sum(math.log1p(document[word] - 1) for word in bag)
    return shared / len(bag) ** _CENTRALITY_EXPONENT


def _form_factor(sentence: str) -> float:
    """A multiplier below 1 for sentences whose form makes them poor summary material."""
    count = len(words(sentence))
    factor = 1.0
    if count < _SHORT_WORDS:
        factor *= _SHORT_FACTOR
    elif count > _LONG_WORDS:
        factor *= _LONG_FACTOR
    stripped = sentence.rstrip("\"'”’») ")
    if stripped.endswith("?"):
        factor *= _QUESTION_FACTOR
    if sentence[:1] in _OPENING_QUOTES and _CLOSING_QUOTE.search(sentence):
        factor *= _QUOTE_ONLY_FACTOR
    if _FURNITURE.search(sentence):
        factor *= _FURNITURE_FACTOR
    return factor


def _pick_greedily(scores: Sequence[float], bags: Sequence[set[str]]) -> list[int]:
    """Order sentences by score, discounting each by its overlap with those already picked."""
    by_score = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    shortlist, rest = by_score[:_SHORTLIST], by_score[_SHORTLIST:]
    picked: list[int] = []
    redundancy = dict.fromkeys(shortlist, 0.0)
    while redundancy:
        best = max(redundancy, key=lambda i: (scores[i] - _REDUNDANCY_WEIGHT * redundancy[i], -i))
        del redundancy[best]
        picked.append(best)
        for other in redundancy:
            redundancy[other] = max(redundancy[other], _overlap(bags[best], bags[other]))
    return picked + rest


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller sentence's words that the other one repeats."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
