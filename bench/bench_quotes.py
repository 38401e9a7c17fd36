"""Benchmark quote extraction + attribution against a plain regex quote finder.

Articles are synthetic (~600 words, original text built here) so the benchmark needs no data.
Prints the machine, a table of median/p90 times per article for newsbot's `extract_quotes` and
for a baseline that only finds “…” / "…" spans with one regex (no attribution), their ratio,
and the time for hostile 1 MB inputs to show the bound on bad input.

    .venv/bin/python bench/bench_quotes.py [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable

from newsbot.summaries.quotes import extract_quotes

_BASELINE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")

_PARAGRAPHS = [
    "Harbour Minister Talia Brennick announced on Monday that the port would reopen to "
    "fishing boats next spring after a two-year closure forced by storm damage and repairs.",
    "“We counted every boat twice before deciding, and the numbers finally work for the "
    "families who depend on this harbour,” Brennick said at a crowded town hall meeting.",
    "Local fishers welcomed the news but said the delay had already cost them dearly. "
    "Oren Vasquez, who has fished the coast for thirty years, called the closure "
    "“a slow disaster for everyone who lives here.”",
    "“I sold my second boat last winter just to keep the first one,” Vasquez said. "
    "“Nobody in Ottawa asked what that would mean for my kids.”",
    "A spokesperson for the federal fisheries department said the repairs had been "
    "complicated by supply shortages and by two further storms that damaged the breakwater.",
    "“The engineers did the best they could with the materials they had,” the spokesperson "
    "said, adding that the final inspection was scheduled for early March.",
    "Brennick said the province would also fund a training program for young crew members. "
    "She described the plan as “an investment in the next generation of the fleet.”",
]


def make_article(words: int = 600) -> str:
    """An original news-style article of about `words` words."""
    out: list[str] = []
    while sum(len(p.split()) for p in out) < words:
        out.append(_PARAGRAPHS[len(out) % len(_PARAGRAPHS)])
    return "\n\n".join(out)


def baseline(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BASELINE.finditer(text)]


def time_call(func: Callable[[str], object], text: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func(text)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()} | {platform.processor() or platform.machine()} | "
        f"{os.cpu_count()} CPUs | Python {sys.version.split()[0]}"
    )
    article = make_article()
    print(f"article: {len(article.split())} words, {len(article)} chars")
    extract_quotes(article)  # warm-up
    ours = time_call(extract_quotes, article, args.runs)
    base = time_call(baseline, article, args.runs)
    print(f"{'extractor':32s} {'median ms':>10s} {'p90 ms':>10s}")
    for name, samples in (("newsbot extract_quotes", ours), ("baseline regex finder", base)):
        p90 = statistics.quantiles(samples, n=10)[-1]
        print(f"{name:32s} {statistics.median(samples):10.3f} {p90:10.3f}")
    ratio = statistics.median(ours) / statistics.median(base)
    print(f"ratio newsbot / baseline (median): {ratio:.1f}x")
    print(f"\n{'length scaling':32s} {'chars':>10s} {'ms':>10s} {'µs/char':>10s}")
    for paragraphs in (1, 4, 16):
        text = "\n\n".join([article] * paragraphs)
        ms = statistics.median(time_call(extract_quotes, text, 5))
        print(
            f"{'article x' + str(paragraphs):32s} {len(text):10d} {ms:10.2f} "
            f"{1000 * ms / len(text):10.3f}"
        )
    hostile = {
        "1 MB of quote-heavy text": (
            '“A b c d,” he said. "x" ‘ « » „ “ Mr. Smith, told: ' * 20_000
        ),
        "1 MB of straight quotes": '"' * 1_000_000,
        "1 MB of prose and quotes": make_article() * 250,
    }
    for name, text in hostile.items():
        text = text[:1_000_000]
        ms = statistics.median(time_call(extract_quotes, text, 3))
        print(f"{name:32s} {len(text):10d} {ms:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
