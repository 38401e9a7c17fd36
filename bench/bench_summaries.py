"""Summary speed: newsbot's default summarizer end to end against a typical sumy setup.

Per article (the rows of cnndm_dev.jsonl, `--limit` of them), newsbot runs its whole path:
`clean_article` → `detect_language` → `summarize` (sentence split + "newsbot" ranking, 3
sentences). The baseline, measured in the same run on the same raw texts, is what a sumy user
without downloaded NLTK data would write: `PlaintextParser` fed by NLTK's
`PunktSentenceTokenizer` (hand-set `PunktParameters` abbreviations) and
`TreebankWordTokenizer` (words filtered like sumy's own tokenizer), then `LexRankSummarizer`
with the English stemmer and stop words, 3 sentences. Each side first summarises the rows of
xsum_dev.jsonl untimed, as a running bot would have summarised earlier stories (this warms
newsbot's stem cache on different text, never on the timed articles), then runs each timed
article once with the garbage collector paused, as `timeit` does, so one side's garbage is not
collected on the other's clock. Each article's wall time and CPU time (`time.process_time`,
which other processes on a shared machine do not inflate) are recorded; the table shows median
and p95 milliseconds per article and articles per second. Bar: newsbot's median at least 10×
faster than the baseline's, on CPU time; the wall-time ratio is printed beside it.

The second table feeds every algorithm (and the baseline) one 50,000-word input built from the
same articles repeated, and times clean + summarise. Bar: each under 1 second (the
super-linear sumy algorithms only rank a capped number of leading sentences).

    .venv/bin/python bench/bench_summaries.py [--eval-dir ../shared/eval] [--limit 200]
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsbot.summaries.clean import clean_article
from newsbot.summaries.language import detect_language
from newsbot.summaries.summarize import ALGORITHMS, summarize
from newsbot.summaries.tokenize import words
from nltk.tokenize import TreebankWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bench.machine import DEFAULT_EVAL_DIR, machine_line, percentile, print_table, verdict

SENTENCES = 3
SPEED_BAR = 10.0  # newsbot's median must be at least this many times faster
HUGE_WORDS = 50_000
HUGE_BAR_SECONDS = 1.0
BASELINE = "sumy LexRank + NLTK Punkt"

# The abbreviations a careful user would hand-set for English news.
_PUNKT_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt",
    "st", "jr", "sr", "inc", "co", "corp", "ltd", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e",
    "a.m", "p.m", "no",
}  # fmt: skip
# sumy's own Tokenizer keeps only tokens that look like words.
_SUMY_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")


class PunktTokenizer:
    """The sumy tokenizer interface on NLTK Punkt and Treebank, with no downloaded data."""

    def __init__(self) -> None:
        parameters = PunktParameters()
        parameters.abbrev_types = set(_PUNKT_ABBREVIATIONS)
        self._sentences = PunktSentenceTokenizer(parameters)
        self._words = TreebankWordTokenizer()
        self.language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in self._sentences.tokenize(paragraph) if s.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._words.tokenize(sentence) if _SUMY_WORD.match(w))


def baseline_summarizer() -> Callable[[str], list[str]]:
    """The sumy setup described in the module docstring, built once like a user would."""
    tokenizer = PunktTokenizer()
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(text: str) -> list[str]:
        document = PlaintextParser.from_string(text, tokenizer).document
        return [str(s) for s in summarizer(document, SENTENCES)]

    return run


def newsbot_summarizer(algorithm: str = "newsbot") -> Callable[[str], list[str]]:
    """newsbot's path for one raw article: clean, detect the language, summarise."""

    def run(text: str) -> list[str]:
        body = clean_article(text)
        result = summarize(
            body, sentences=SENTENCES, algorithm=algorithm, language=detect_language(body)
        )
        return list(result.sentences)

    return run


@dataclass(frozen=True, slots=True)
class Timings:
    """Per-article wall and CPU milliseconds of one summarizer."""

    wall: list[float]
    cpu: list[float]


def time_each(run: Callable[[str], list[str]], texts: Sequence[str]) -> Timings:
    """Wall and CPU time in milliseconds of `run` on each text, garbage collector paused."""
    timings = Timings([], [])
    collecting = gc.isenabled()
    gc.disable()
    try:
        for text in texts:
            wall, cpu = time.perf_counter(), time.process_time()
            run(text)
            timings.cpu.append((time.process_time() - cpu) * 1000)
            timings.wall.append((time.perf_counter() - wall) * 1000)
    finally:
        if collecting:
            gc.enable()
        gc.collect()
    return timings


def load_articles(path: Path, limit: int | None = None) -> list[str]:
    with path.open(encoding="utf-8") as stream:
        texts = [json.loads(line)["article"] for line in stream if line.strip()]
    return texts[:limit] if limit else texts


def huge_text(texts: Sequence[str]) -> str:
    """About HUGE_WORDS words of real news: the articles repeated, paragraph after paragraph."""
    parts: list[str] = []
    count = 0
    while count < HUGE_WORDS:
        for text in texts:
            parts.append(text)
            count += len(words(text))
            if count >= HUGE_WORDS:
                break
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--limit", type=int, default=200, help="articles to time (at most)")
    args = parser.parse_args(argv)
    path = args.eval_dir / "summaries" / "cnndm_dev.jsonl"
    if not path.exists():
        print(f"missing {path} (use --eval-dir)", file=sys.stderr)
        return 2
    texts = load_articles(path, args.limit)
    warm_path = args.eval_dir / "summaries" / "xsum_dev.jsonl"
    warm = load_articles(warm_path) if warm_path.exists() else []
    print(machine_line())
    print(f"{len(texts)} articles from {path.name}, {SENTENCES}-sentence summaries")
    print(f"warm-up: {len(warm)} other articles from {warm_path.name}, untimed")

    results: list[tuple[str, Timings]] = []
    for label, run in (
        ("newsbot (clean+split+summarize)", newsbot_summarizer()),
        (BASELINE, baseline_summarizer()),
    ):
        for text in warm:
            run(text)
        results.append((label, time_each(run, texts)))
    rows: list[list[object]] = []
    for label, timings in results:
        rows.append(
            [
                label,
                percentile(timings.cpu, 50),
                percentile(timings.cpu, 95),
                percentile(timings.wall, 50),
                percentile(timings.wall, 95),
                len(timings.wall) / (sum(timings.wall) / 1000),
            ]
        )
    headers = ["summarizer", "CPU median ms", "CPU p95 ms", "wall median ms", "wall p95 ms"]
    print_table("Per-article time", [*headers, "articles/s (wall)"], rows)
    ours, theirs = results[0][1], results[1][1]
    cpu_ratio = percentile(theirs.cpu, 50) / percentile(ours.cpu, 50)
    wall_ratio = percentile(theirs.wall, 50) / percentile(ours.wall, 50)
    print(
        f"ratio (baseline median / newsbot median): CPU {cpu_ratio:.1f}x, wall {wall_ratio:.1f}x"
        f"  bar >= {SPEED_BAR:.0f}x (CPU): {verdict(cpu_ratio >= SPEED_BAR)}"
    )

    text = huge_text(texts)
    huge_rows: list[list[object]] = []
    runs: list[tuple[str, Callable[[str], list[str]]]] = [
        (name, newsbot_summarizer(name)) for name in ALGORITHMS
    ]
    runs.append((BASELINE, baseline_summarizer()))
    for label, run in runs:
        seconds = time_each(run, [text]).wall[0] / 1000
        bar = verdict(seconds < HUGE_BAR_SECONDS) if label != BASELINE else "(reference)"
        huge_rows.append([label, seconds, bar])
    print_table(
        f"One {len(words(text)):,}-word input ({len(text):,} characters)",
        ["algorithm", "seconds", f"< {HUGE_BAR_SECONDS:.0f} s"],
        huge_rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
