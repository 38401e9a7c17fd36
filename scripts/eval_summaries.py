"""ROUGE of every newsbot summarizer against the raw Lead-k baseline on the evaluation sets.

Usage:
    .venv/bin/python scripts/eval_summaries.py [--eval-dir ../shared/eval]
        [--algorithms newsbot,lead,...] [--part all|first|second] [--limit N]

For each file (cnndm_dev.jsonl with 3-sentence summaries, xsum_dev.jsonl with 1 sentence,
the papers' convention) every algorithm summarises each row the way `newsbot summarize
--jsonl` does (clean, detect the language, summarise; one sentence per line). "lead-k (raw)"
is the published baseline: the first k sentences of the article exactly as given, with no
cleaning, which is what "Lead-3" means in the papers and in the eval README.

Scores follow ../shared/eval/README.md and score_summaries.py exactly: Google's rouge-score
with Porter stemming, ROUGE-1, ROUGE-2 and rougeLsum over newline-separated sentences, mean
per-document F1 x 100. `--part first|second` scores the first or second half of each file,
so weights can be tuned on one half and checked on the other.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newsbot.summaries.clean import clean_article
from newsbot.summaries.language import detect_language
from newsbot.summaries.sentences import split_sentences
from newsbot.summaries.summarize import ALGORITHMS, summarize
from rouge_score import rouge_scorer

REPO_ROOT = Path(__file__).resolve().parent.parent
# (file name, summary length in sentences) as the README's convention fixes them.
DATASETS = (("summaries/cnndm_dev.jsonl", 3), ("summaries/xsum_dev.jsonl", 1))
METRICS = ("rouge1", "rouge2", "rougeLsum")
RAW_LEAD = "lead-k (raw)"

Summarizer = Callable[[str, int], list[str]]


def load_rows(path: Path, part: str, limit: int | None) -> list[dict[str, Any]]:
    """The rows of a JSONL file, optionally one half of them and at most `limit`."""
    with path.open(encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream if line.strip()]
    half = len(rows) // 2
    if part == "first":
        rows = rows[:half]
    elif part == "second":
        rows = rows[half:]
    return rows[:limit] if limit else rows


def raw_lead(article: str, count: int) -> list[str]:
    """The published Lead-k baseline: the first k sentences of the uncleaned article."""
    return [s.text for s in split_sentences(article)[:count]]


def pipeline(algorithm: str) -> Summarizer:
    """What `newsbot summarize --jsonl --algorithm NAME` does with one article."""

    def run(article: str, count: int) -> list[str]:
        body = clean_article(article)
        result = summarize(
            body, sentences=count, algorithm=algorithm, language=detect_language(body)
        )
        return list(result.sentences)

    return run


def score(rows: Iterable[dict[str, Any]], count: int, summarizer: Summarizer) -> dict[str, float]:
    """Mean ROUGE F1 x 100 of `summarizer` over `rows`, as score_summaries.py computes it."""
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals = dict.fromkeys(METRICS, 0.0)
    documents = 0
    for row in rows:
        prediction = "\n".join(summarizer(row["article"], count))
        scores = scorer.score(row["reference"], prediction)
        for metric in METRICS:
            totals[metric] += scores[metric].fmeasure
        documents += 1
    return {m: 100 * v / max(documents, 1) for m, v in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    parser.add_argument("--algorithms", default=",".join(ALGORITHMS))
    parser.add_argument("--part", choices=("all", "first", "second"), default="all")
    parser.add_argument("--limit", type=int, default=None, help="at most N rows per file")
    args = parser.parse_args(argv)
    algorithms = [a.strip() for a in args.algorithms.split(",") if a.strip()]
    unknown = [a for a in algorithms if a not in ALGORITHMS]
    if unknown:
        parser.error(f"unknown algorithms: {', '.join(unknown)}")
    for name, count in DATASETS:
        path = args.eval_dir / name
        if not path.exists():
            print(f"missing {path} (use --eval-dir)", file=sys.stderr)
            return 2
        rows = load_rows(path, args.part, args.limit)
        print(f"\n{name}: {len(rows)} articles, {count} sentence(s), part={args.part}")
        print(f"{'summarizer':<16}{'R1':>8}{'R2':>8}{'RLsum':>8}")
        runs: list[tuple[str, Summarizer]] = [(RAW_LEAD.replace("k", str(count)), raw_lead)]
        runs += [(a, pipeline(a)) for a in algorithms]
        for label, summarizer in runs:
            result = score(rows, count, summarizer)
            print(f"{label:<16}" + "".join(f"{result[m]:>8.2f}" for m in METRICS), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
