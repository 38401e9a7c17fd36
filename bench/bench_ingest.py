"""Ingest throughput: newsbot's pipeline against the same pipeline built from stock sumy.

Both pipelines run single-threaded on the CNN/DailyMail development articles
(`../shared/eval/summaries/cnndm_dev.jsonl`, read in place, never copied) into fresh temporary
SQLite files, one per round:

* newsbot: `summaries.article.analyze_article` (clean → language → summary → quotes), then
  one `Store.add_article` with the summary and the quotes (the Ingestor's conversion);
* baseline, "stock sumy": the same `clean_article`, then sumy's `PlaintextParser` with a
  tokenizer made of NLTK's `PunktSentenceTokenizer` (hand-set `PunktParameters`
  abbreviations, no downloaded model) and `TreebankWordTokenizer`, and `LexRankSummarizer`
  with the English stemmer and stop words (3 sentences), then the same quote extraction and
  the same `Store.add_article`;
* for reference, the real `Ingestor.ingest_text` path with an executor that runs the analysis
  inline, so it stays on one core;
* the ceiling: only the stages both pipelines share (the same cleaning, quote extraction and
  store), with a summary that costs nothing (newsbot's, computed before the clock starts).
  No summarizer can make a pipeline that shares those stages faster than this, so the
  baseline's time over this one is the largest ratio any summarizer could reach;
* the store alone: `Store.add_article` with newsbot's analyses made before the clock starts.

Rates are articles per CPU second of the process (the store's aiosqlite thread only runs while
the caller waits, so the work is sequential: one core's worth), which other load on a shared
machine does not distort; articles per wall second are shown too. Bars: newsbot's
analyze+store ≥ 10× the baseline's and ≥ 300 articles per CPU second.

    .venv/bin/python bench/bench_ingest.py [--quick] [--eval-dir DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsbot.data.models import NewArticle, NewQuote, NewSummary
from newsbot.data.store import Store
from newsbot.handlers.ingestion.ingestor import Ingestor
from newsbot.handlers.ingestion.speaker_match import match_speaker
from newsbot.summaries.article import analyze_article
from newsbot.summaries.clean import clean_article
from newsbot.summaries.quotes import extract_quotes
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
from nltk.tokenize.treebank import TreebankWordTokenizer
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bench.corpus import new_quotes
from bench.machine import DEFAULT_EVAL_DIR, machine_line, print_table, verdict

P = ParamSpec("P")
T = TypeVar("T")

SENTENCES = 3
BAR_RATIO = 10.0
BAR_RATE = 300.0

# What a Punkt model trained on news would know; hand-set because no model is downloaded.
ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "assn",
        "bros",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "al",
        "fig",
        "no",
        "vol",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "d.c",
        "n.y",
        "l.a",
        "calif",
        "fla",
        "ariz",
        "mass",
    }
)


@dataclass(frozen=True, slots=True)
class Doc:
    """One input article: a title (first words, as CNN/DM rows have none) and the raw text."""

    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """What either pipeline hands to the store."""

    article: NewArticle
    summary: NewSummary
    quotes: tuple[NewQuote, ...]


class PunktTreebankTokenizer:
    """sumy's tokenizer interface over NLTK's data-free Punkt and Treebank tokenizers.

    Mirrors `sumy.nlp.tokenizers.Tokenizer` (which would load a downloaded Punkt model):
    strip each sentence, keep only tokens matching sumy's word pattern.
    """

    def __init__(self) -> None:
        params = PunktParameters()
        params.abbrev_types = set(ABBREVIATIONS)
        self._sentences = PunktSentenceTokenizer(params)
        self._words = TreebankWordTokenizer()

    @property
    def language(self) -> str:
        return "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in self._sentences.tokenize(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._words.tokenize(sentence) if _is_sumy_word(w))


def _is_sumy_word(word: str) -> bool:
    return bool(Tokenizer._WORD_PATTERN.match(word))


class InlineExecutor(Executor):
    """Runs submitted work at once in the caller's thread: keeps the Ingestor on one core."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def load_docs(eval_dir: Path, limit: int | None) -> list[Doc]:
    """CNN/DM articles from the eval folder; a title is the article's first twelve words."""
    path = eval_dir / "summaries" / "cnndm_dev.jsonl"
    if not path.is_file():
        sys.exit(f"bench_ingest: {path} not found (pass --eval-dir)")
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line)["article"]
            docs.append(Doc(" ".join(text.split()[:12]), text))
    return docs[:limit]


def analyze_newsbot(doc: Doc) -> Analysis:
    result = analyze_article(doc.text, title=doc.title, sentences=SENTENCES)
    return Analysis(
        NewArticle(title=doc.title, body=result.body, language=result.language),
        NewSummary(result.summary.algorithm, SENTENCES, result.summary.sentences),
        new_quotes(result.quotes),
    )


class SumyPipeline:
    """The baseline: clean, stock sumy LexRank over Punkt/Treebank tokens, newsbot's quotes."""

    def __init__(self) -> None:
        self._tokenizer = PunktTreebankTokenizer()
        self._summarizer = LexRankSummarizer(Stemmer("english"))
        self._summarizer.stop_words = get_stop_words("english")

    def __call__(self, doc: Doc) -> Analysis:
        body = clean_article(doc.text, title=doc.title)
        parser = PlaintextParser.from_string(body, self._tokenizer)
        picked = self._summarizer(parser.document, SENTENCES)
        return Analysis(
            NewArticle(title=doc.title, body=body, language="english"),
            NewSummary("lexrank", SENTENCES, tuple(str(s) for s in picked)),
            new_quotes(extract_quotes(body)),
        )


class SharedStages:
    """The ceiling: cleaning, quotes and the store as both pipelines run them, no summarizing.

    The summaries are newsbot's, made once before timing, so the store writes the same rows.
    """

    def __init__(self, docs: Sequence[Doc]) -> None:
        self._summaries = {id(doc): analyze_newsbot(doc).summary for doc in docs}

    def __call__(self, doc: Doc) -> Analysis:
        body = clean_article(doc.text, title=doc.title)
        return Analysis(
            NewArticle(title=doc.title, body=body, language="english"),
            self._summaries[id(doc)],
            new_quotes(extract_quotes(body)),
        )


@dataclass(frozen=True, slots=True)
class Timing:
    """Articles processed and the wall and CPU seconds they took."""

    articles: int
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        """Articles per CPU second: per core, and unaffected by other load on the machine."""
        return self.articles / self.cpu

    @property
    def wall_rate(self) -> float:
        return self.articles / self.wall

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.articles + other.articles, self.wall + other.wall, self.cpu + other.cpu)


async def _timed(work: Callable[[], Coroutine[Any, Any, int]]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    count = await work()
    return Timing(count, time.perf_counter() - wall, time.process_time() - cpu)


async def run_analyze(docs: Sequence[Doc], analyze: Callable[[Doc], Analysis]) -> Timing:
    async def work() -> int:
        for doc in docs:
            analyze(doc)
        return len(docs)

    return await _timed(work)


async def run_pipeline(
    docs: Sequence[Doc], analyze: Callable[[Doc], Analysis], folder: Path
) -> Timing:
    """Analyze and store every doc into a fresh database; the open/close is not timed."""
    store = Store(folder / f"pipeline-{time.monotonic_ns()}.db", speaker_matcher=match_speaker)
    await store.open()
    try:

        async def work() -> int:
            for doc in docs:
                result = analyze(doc)
                await store.add_article(result.article, result.summary, result.quotes)
            return len(docs)

        timing = await _timed(work)
        stored = await store.count_articles()
    finally:
        await store.close()
    if stored != len(docs):
        sys.exit(f"bench_ingest: stored {stored} of {len(docs)} articles")
    return timing


async def run_ingestor(docs: Sequence[Doc], folder: Path) -> Timing:
    """The real `Ingestor.ingest_text` path, analysis inline on the event loop's thread."""
    store = Store(folder / f"ingestor-{time.monotonic_ns()}.db", speaker_matcher=match_speaker)
    await store.open()
    ingestor = Ingestor(store, executor=InlineExecutor())
    try:

        async def work() -> int:
            added = 0
            for doc in docs:
                item = await ingestor.ingest_text(doc.text, added_by=None, title=doc.title)
                added += item.status == "added"
            return added

        timing = await _timed(work)
    finally:
        await ingestor.close()
        await store.close()
    return timing


async def main_async(args: argparse.Namespace) -> int:
    docs = load_docs(args.eval_dir, 20 if args.quick else None)
    rounds = 1 if args.quick else args.rounds
    sumy = SumyPipeline()
    print(machine_line())
    print(
        f"input: {len(docs)} CNN/DM articles from {args.eval_dir}; newsbot {rounds} round(s), "
        f"baseline 1 round; every round stores into a fresh SQLite file",
        flush=True,
    )
    # Warm-up: first calls compile regexes and load stop-word lists.
    for doc in docs[:3]:
        analyze_newsbot(doc)
        sumy(doc)
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-ingest-") as tmp:
        folder = Path(tmp)
        nb_analyze = nb_full = nb_ingestor = Timing(0, 0.0, 0.0)
        for _ in range(rounds):
            nb_analyze += await run_analyze(docs, analyze_newsbot)
            nb_full += await run_pipeline(docs, analyze_newsbot, folder)
            nb_ingestor += await run_ingestor(docs, folder)
        base_analyze = await run_analyze(docs, sumy)
        base_full = await run_pipeline(docs, sumy, folder)
        shared = SharedStages(docs)
        analysed = {id(doc): analyze_newsbot(doc) for doc in docs}
        ceiling = store_only = Timing(0, 0.0, 0.0)
        for _ in range(rounds):
            ceiling += await run_pipeline(docs, shared, folder)
            store_only += await run_pipeline(docs, lambda doc: analysed[id(doc)], folder)

    def row(name: str, t: Timing, base: Timing) -> list[object]:
        return [name, t.articles, t.wall, t.cpu, t.wall_rate, t.rate, t.rate / base.rate]

    print_table(
        "Ingest throughput on one core (ratio = per-CPU-second rate / stock sumy's, same stage)",
        ["pipeline", "articles", "wall s", "cpu s", "art/s wall", "art/s cpu", "ratio"],
        [
            row("stock sumy LexRank: analyze", base_analyze, base_analyze),
            row("stock sumy LexRank: analyze + store", base_full, base_full),
            row("newsbot: analyze", nb_analyze, base_analyze),
            row("newsbot: analyze + store", nb_full, base_full),
            row("newsbot: Ingestor.ingest_text (inline)", nb_ingestor, base_full),
            row("ceiling: shared clean + quotes + store", ceiling, base_full),
            row("the store alone (analysed in advance)", store_only, base_full),
        ],
    )
    ratio = nb_full.rate / base_full.rate
    ok_ratio, ok_rate = ratio >= BAR_RATIO, nb_full.rate >= BAR_RATE
    print(
        f"bar: analyze+store ≥ {BAR_RATIO:.0f}× baseline: {ratio:.1f}× {verdict(ok_ratio)}; "
        f"≥ {BAR_RATE:.0f} articles/s: {nb_full.rate:.0f}/s {verdict(ok_rate)}"
    )
    print(
        f"ceiling: with the shared stages alone (a summarizer that costs nothing) a pipeline "
        f"reaches {ceiling.rate:.0f} articles/s, {ceiling.rate / base_full.rate:.1f}× the "
        f"baseline; newsbot's summarizing costs "
        f"{(nb_full.cpu / nb_full.articles - ceiling.cpu / ceiling.articles) * 1000:.2f} ms "
        f"an article on top of that"
    )
    return 0 if ok_ratio and ok_rate else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="20 articles, one round")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--rounds", type=int, default=3, help="newsbot rounds over the articles")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
