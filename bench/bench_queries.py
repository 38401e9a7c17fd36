"""Command latency at scale: p50/p95/p99 of `Newsbot.handle` on a 100,000-article store.

The store is generated once and cached (`--db`, default /tmp/newsbot-bench.db, with a
`.json` note beside it saying what it holds): article i is `bench.corpus.variant(i)`, a bundled
sample with its quoted people renamed from pools of 64 × 128 names, one of 24 outlets, a date
spread over two years and a unique closing paragraph with two more direct quotes. Every
variant is analysed by the real `analyze_article` in a pool of worker processes and stored
through the real store, so the
file holds exactly what ingesting those texts would produce. The shortcuts, for speed: analysis
runs in parallel processes rather than the bot's threads, and the results are stored with
`Store.add_articles` (the store's bulk path: the same inserts as `add_article`, speaker matcher
included, 100 articles per transaction instead of one).

The commands run through `Newsbot.handle` (the transport-independent command logic, no
Telegram) in a fresh child process that opens the store like the bot (`Services.open`), so
its peak RSS is the bot's and not the builder's. Each command runs `--iterations` times with
varied arguments (drawn the same seeded way on both stores): /latest [n] on pages 1-20,
/summary <id>, /summary <title words>, /who_said <name, surname or one-letter typo>,
/who_said "<phrase from a stored quote>", /search <1-3 words>. The baseline is the same
workload on a 1,000-article store built the same way; ratio = p95 at scale / p95 baseline.
Bar: p95 ≤ 10 ms for every command.

    .venv/bin/python bench/bench_queries.py [--quick] [--db PATH] [--articles N] [--rebuild]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus
from bench.machine import machine_line, peak_rss_mb, percentile, print_table, verdict
from bot.services import Services
from bot.settings import load_settings
from data.store import Store
from handlers.requests import Caller, Request
from handlers.router import FAILURE
from handlers.speaker_match import match_speaker

DEFAULT_DB = Path("/tmp/newsbot-bench.db")
FULL_ARTICLES = 100_000
QUICK_ARTICLES = 2_000
BASELINE_ARTICLES = 1_000
CHUNK = 100
WINDOW = 8
BAR_P95_MS = 10.0
GENERATOR_VERSION = 1  # bump when bench/corpus.py changes what it generates


# -- building the store -----------------------------------------------------------------------


def _note_path(db: Path) -> Path:
    return db.with_name(db.name + ".json")


def _wanted_note(articles: int) -> dict[str, int]:
    return {"articles": articles, "generator": GENERATOR_VERSION}


def cached(db: Path, articles: int) -> bool:
    """Whether `db` was fully built by this generator for `articles` articles."""
    note = _note_path(db)
    if not db.is_file() or not note.is_file():
        return False
    return bool(json.loads(note.read_text(encoding="utf-8")) == _wanted_note(articles))


def _chunks(count: int) -> Iterator[list[int]]:
    for start in range(0, count, CHUNK):
        yield list(range(start, min(start + CHUNK, count)))


async def build(db: Path, articles: int) -> float:
    """Generate and store `articles` variants in a new file at `db`; returns seconds taken."""
    for stale in (db, _note_path(db), Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store(db, speaker_matcher=match_speaker)
    await store.open()
    loop = asyncio.get_running_loop()
    try:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            # A bounded window of chunks in flight: analysis overlaps the inserts, and memory
            # stays flat however many articles are asked for.
            chunks = _chunks(articles)
            window: deque[asyncio.Future[list[corpus.StoredForm]]] = deque()
            done = 0
            while True:
                while len(window) < WINDOW and (chunk := next(chunks, None)) is not None:
                    window.append(loop.run_in_executor(pool, corpus.stored_forms, chunk))
                if not window:
                    break
                forms = await window.popleft()
                results = await store.add_articles(
                    [(f.article, f.summary, f.quotes) for f in forms]
                )
                duplicates = [r for r in results if not isinstance(r, int)]
                if duplicates:
                    sys.exit(f"bench_queries: generated a duplicate: {duplicates[0]}")
                done += len(forms)
                if done % 10_000 == 0:
                    rate = done / (time.perf_counter() - started)
                    print(f"  built {done:,}/{articles:,} ({rate:.0f} articles/s)", flush=True)
        stored = await store.count_articles()
    finally:
        await store.close()
    if stored != articles:
        sys.exit(f"bench_queries: stored {stored} of {articles} articles")
    _note_path(db).write_text(json.dumps(_wanted_note(articles)), encoding="utf-8")
    return time.perf_counter() - started


# -- the workload ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """One command invocation."""

    label: str
    command: str
    args: str
    page: int = 1


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def workload(articles: int, iterations: int, seed: int = 11) -> list[Query]:
    """`iterations` varied invocations of each command, drawn from the generated corpus."""
    rng = random.Random(seed)
    queries: list[Query] = []
    sample = [corpus.variant(rng.randrange(articles)) for _ in range(iterations)]
    for i in range(iterations):
        size = rng.choice(("", "3", "5", "10"))
        queries.append(Query("/latest [n]", "latest", size, page=1 + i % 20))
    for _ in range(iterations):
        queries.append(Query("/summary <id>", "summary", str(rng.randrange(1, articles + 1))))
    for v in sample:
        words = [w for w in re.findall(r"[A-Za-z]{4,}", v.title)]
        start = rng.randrange(max(1, len(words) - 2))
        queries.append(Query("/summary <words>", "summary", " ".join(words[start : start + 3])))
    for _ in range(iterations):
        first, last = rng.choice(corpus.FIRST_NAMES), rng.choice(corpus.SURNAMES)
        name = rng.choice((f"{first} {last}", last, _typo(f"{first} {last}", rng)))
        queries.append(Query("/who_said <name>", "who_said", name))
    for v in sample:
        quoted = re.findall(r"“([^”]{20,})”", v.text)
        words = rng.choice(quoted).split() if quoted else v.title.split()
        start = rng.randrange(max(1, len(words) - 4))
        phrase = " ".join(words[start : start + 4]).strip(",.")
        queries.append(Query('/who_said "<phrase>"', "who_said", f"“{phrase}”"))
    for v in sample:
        words = re.findall(r"[A-Za-z]{5,}", v.text)
        count = rng.choice((1, 2, 3))
        start = rng.randrange(max(1, len(words) - count))
        queries.append(Query("/search <words>", "search", " ".join(words[start : start + count])))
    return queries


@dataclass(frozen=True, slots=True)
class Measured:
    """Latencies of one command label in milliseconds, and how many replies were failures."""

    label: str
    millis: list[float]
    failures: int


async def measure(db: Path, articles: int, iterations: int) -> dict[str, object]:
    """Run the workload through `Newsbot.handle` on the store at `db` (child process)."""
    settings = load_settings({"DATABASE_PATH": str(db)}, env_file=None)
    services = await Services.open(settings)
    results: dict[str, Measured] = {}
    try:
        queries = workload(articles, iterations)
        # Warm-up: one pass over a few queries loads the schema and the hot pages.
        for query in queries[:: max(1, len(queries) // 30)]:
            await services.newsbot.handle(_request(query, 1))
        for n, query in enumerate(queries):
            request = _request(query, 10_000 + n)
            started = time.perf_counter()
            reply = await services.newsbot.handle(request)
            elapsed = (time.perf_counter() - started) * 1000
            entry = results.setdefault(query.label, Measured(query.label, [], 0))
            entry.millis.append(elapsed)
            if reply is None or reply.html == FAILURE:
                results[query.label] = Measured(query.label, entry.millis, entry.failures + 1)
        stats = await services.store.stats()
    finally:
        await services.close()
    return {
        "results": [asdict(m) for m in results.values()],
        "rss_mb": peak_rss_mb(),
        "db_bytes": sum(p.stat().st_size for p in _db_files(db)),
        "articles": stats.articles,
        "quotes": stats.quotes,
        "speakers": stats.speakers,
    }


def _request(query: Query, user_id: int) -> Request:
    # A distinct user per call keeps the per-user flood throttle out of the measurement.
    caller = Caller(user_id=user_id, chat_id=user_id, chat_type="private")
    return Request(command=query.command, args=query.args, caller=caller, page=query.page)


def _db_files(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal")) if p.exists()]


def measure_in_child(db: Path, articles: int, iterations: int) -> dict[str, object]:
    """`measure` in a fresh interpreter, so its peak RSS is a serving bot's."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            str(db),
            "--articles",
            str(articles),
            "--iterations",
            str(iterations),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# -- report ------------------------------------------------------------------------------------


def _summaries(run: dict[str, object]) -> dict[str, Measured]:
    rows = run["results"]
    assert isinstance(rows, list)
    return {r["label"]: Measured(r["label"], r["millis"], r["failures"]) for r in rows}


def report(big: dict[str, object], base: dict[str, object], big_n: int, base_n: int) -> bool:
    at_scale, baseline = _summaries(big), _summaries(base)
    rows: list[list[object]] = []
    ok = True
    for label, m in at_scale.items():
        p50, p95, p99 = (percentile(m.millis, p) for p in (50, 95, 99))
        base_p95 = percentile(baseline[label].millis, 95)
        ok &= p95 <= BAR_P95_MS and m.failures == 0
        rows.append(
            [
                label,
                len(m.millis),
                p50,
                p95,
                p99,
                max(m.millis),
                base_p95,
                p95 / base_p95,
                m.failures,
                verdict(p95 <= BAR_P95_MS),
            ]
        )
    print_table(
        f"Newsbot.handle latency in ms on {big_n:,} articles "
        f"(baseline: same queries on {base_n:,}; ratio = p95 / baseline p95)",
        [
            "command",
            "runs",
            "p50",
            "p95",
            "p99",
            "max",
            "base p95",
            "ratio",
            "failed",
            f"p95≤{BAR_P95_MS:.0f}ms",
        ],
        rows,
    )
    print_table(
        "Stores and serving process",
        ["store", "articles", "quotes", "speakers", "DB MiB", "peak RSS MiB"],
        [
            [
                f"scale ({big_n:,})",
                big["articles"],
                big["quotes"],
                big["speakers"],
                _mib(big["db_bytes"]),
                big["rss_mb"],
            ],
            [
                f"baseline ({base_n:,})",
                base["articles"],
                base["quotes"],
                base["speakers"],
                _mib(base["db_bytes"]),
                base["rss_mb"],
            ],
        ],
    )
    return ok


def _mib(value: object) -> float:
    assert isinstance(value, int)
    return value / (1024 * 1024)


async def ensure(db: Path, articles: int, rebuild: bool) -> None:
    if rebuild or not cached(db, articles):
        print(f"building {db} with {articles:,} articles …", flush=True)
        seconds = await build(db, articles)
        print(
            f"built {db} in {seconds:.0f} s ({articles / seconds:.0f} articles/s, "
            f"analysis in {os.cpu_count()} processes, Store.add_articles inserts)",
            flush=True,
        )
    else:
        print(f"using cached {db} ({articles:,} articles)", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Command latency at scale.")
    parser.add_argument("--quick", action="store_true", help="2,000 articles, 50 iterations")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached stores")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    articles = args.articles or (QUICK_ARTICLES if args.quick else FULL_ARTICLES)
    iterations = args.iterations or (50 if args.quick else 200)
    if args.measure is not None:
        print(json.dumps(asyncio.run(measure(args.measure, articles, iterations))))
        return 0
    db = args.db or (DEFAULT_DB.with_name("newsbot-bench-quick.db") if args.quick else DEFAULT_DB)
    base_db = db.with_name(f"{db.stem}-baseline{db.suffix}")
    print(machine_line())
    asyncio.run(ensure(db, articles, args.rebuild))
    asyncio.run(ensure(base_db, BASELINE_ARTICLES, args.rebuild))
    print(f"running {iterations} iterations of 6 commands on each store …", flush=True)
    big = measure_in_child(db, articles, iterations)
    base = measure_in_child(base_db, BASELINE_ARTICLES, iterations)
    ok = report(big, base, articles, BASELINE_ARTICLES)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
