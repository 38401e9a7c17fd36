"""sumy's summarizers as rankers, fed by newsbot's tokenizer and capped for speed.

sumy summarizers return only the top-k sentences, but every one of them funnels its ratings
through `AbstractSummarizer._get_best_sentences`, which accepts a callable "count" and hands it
all sentences sorted best first. `_Ranking` is such a callable: it records the full ranking so
the caller can select by count or by character budget.

Super-linear algorithms only see the first `CANDIDATE_CAPS[name]` sentences (news puts what
matters first, and a typical article has 20-60 sentences, so the cap rarely bites on news):
LexRank and TextRank build an n×n similarity matrix in pure Python, LSA runs an SVD over a
words×sentences matrix, and KL-Sum and SumBasic re-score every remaining sentence for each
pick. With these caps any algorithm ranks a 50,000-word input in well under a second
(bench/bench_summaries.py measures it). Sentences beyond the cap rank after the candidates, in
article order.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from newsbot.summaries.algorithms.cues import BONUS_WORDS, STIGMA_WORDS
from newsbot.summaries.language import stemmer, stop_words
from newsbot.summaries.tokenize import NewsTokenizer
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

# How many leading sentences each algorithm may rank (see the module docstring).
CANDIDATE_CAPS: dict[str, int] = {
    "lexrank": 150,
    "textrank": 150,
    "lsa": 100,
    "luhn": 400,
    "sumbasic": 150,
    "edmundson": 1000,
    "kl": 40,
}

SUMY_ALGORITHMS: tuple[str, ...] = tuple(CANDIDATE_CAPS)


class _Ranking:
    """A sumy "count" callable that records every sentence, best first."""

    def __init__(self) -> None:
        self.order: list[Any] = []

    def __call__(self, infos: Sequence[Any]) -> Sequence[Any]:
        self.order = [info.sentence for info in infos]
        return infos


def _summarizer(name: str, language: str) -> Callable[[Any, Any], Any]:
    """A configured sumy summarizer for `name` in `language`."""
    stem = stemmer(language)
    words = stop_words(language)
    summarizer: Any
    if name == "lexrank":
        summarizer = LexRankSummarizer(stem)
    elif name == "textrank":
        summarizer = TextRankSummarizer(stem)
    elif name == "lsa":
        summarizer = LsaSummarizer(stem)
    elif name == "luhn":
        summarizer = LuhnSummarizer(stem)
    elif name == "sumbasic":
        summarizer = SumBasicSummarizer(stem)
    elif name == "kl":
        summarizer = KLSummarizer(stem)
    else:
        # Cue, title and location methods. The key method is left out: it only counts
        # frequent words, which Luhn already does. Cue words exist for English only, so other
        # languages rank by title and location.
        english = language == "english"
        summarizer = EdmundsonSummarizer(stem, cue_weight=float(english), key_weight=0.0)
        if english:
            summarizer.bonus_words = BONUS_WORDS
            summarizer.stigma_words = STIGMA_WORDS
        summarizer.null_words = words
        return summarizer
    summarizer.stop_words = words
    return summarizer


def rank_with_sumy(
    name: str,
    sentences: Sequence[str],
    paragraph_starts: Sequence[bool],
    *,
    language: str,
    title: str | None = None,
) -> list[int]:
    """Indices of `sentences` ranked best first by sumy's `name` algorithm.

    `paragraph_starts[i]` is True when sentence i opens a paragraph (Edmundson's location
    method rewards first and last paragraphs); `title` becomes the document heading.
    """
    cap = CANDIDATE_CAPS[name]
    candidates = sentences[:cap]
    tokenizer = NewsTokenizer(language)
    objects = [SumySentence(text, tokenizer) for text in candidates]
    paragraphs: list[list[SumySentence]] = []
    if title:
        paragraphs.append([SumySentence(title, tokenizer, is_heading=True)])
    for index, sentence in enumerate(objects):
        if not paragraphs or paragraph_starts[index] or (title and len(paragraphs) == 1):
            paragraphs.append([])
        paragraphs[-1].append(sentence)
    document = ObjectDocumentModel([Paragraph(p) for p in paragraphs])
    ranking = _Ranking()
    with warnings.catch_warnings():
        # LSA warns when a text has fewer distinct words than sentences; the ranking is
        # still usable and the warning would only flood the bot's log.
        warnings.simplefilter("ignore", UserWarning)
        _summarizer(name, language)(document, ranking)
    position = {id(sentence): index for index, sentence in enumerate(objects)}
    ranked = [position[id(s)] for s in ranking.order if id(s) in position]
    seen = set(ranked)
    # Sentences sumy left unrated (none of its words survived) and those past the cap.
    ranked += [i for i in range(len(candidates)) if i not in seen]
    ranked += range(len(candidates), len(sentences))
    return ranked
