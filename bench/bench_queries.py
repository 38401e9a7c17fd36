"""Command latency at scale: p50/p95/p99 of `Newsbot.handle` on a 100,000-article store.

The store is generated once and cached (`--db`, default /tmp/newsbot-bench.db, with a
`.json` note beside it saying what it holds; an interrupted build resumes). Two stages:

1. Articles 1-10,000 are `bench.corpus.variant(i)`: a bundled sample with its quoted people
   renamed from pools of 64 × 128 names, one of 24 outlets, a date spread over two years and a
   unique closing paragraph with two more direct quotes. Each is analysed by the real
   `analyze_article` (in a pool of worker processes) and stored with `Store.add_articles` (the
   store's bulk path: the same inserts as `add_article`, speaker matcher included, 100
   articles per transaction). This is exactly what ingesting those texts produces.
2. Articles 10,001-100,000 are copies of those, made in SQL on the same file through the
   store's own schema and triggers (so FTS rows, speaker quote counts and indexes are kept
   exactly as the store keeps them): a new id, URL, outlet and date, the same quotes,
   speakers and summary, and one plain sentence appended to the body to make it unique.
   Analysing and inserting 100,000 articles one by one costs about 16 ms of CPU each, too
   long for a benchmark set-up; the build re-analyses 40 random copies as texts of their own
   and prints how many came out identical (body, summary, quote spans), so the shortcut is
   checked, not assumed.

The commands run through `Newsbot.handle` (the transport-independent command logic, no
Telegram) in a fresh child process that opens the store like the bot (`Services.open`), so
its peak RSS is the bot's and not the builder's. Each command runs `--iterations` times with
varied arguments (drawn the same seeded way on both stores): /latest [n] on pages 1-20,
/summary <id>, /summary <title words>, /who_said <name, surname or one-letter typo>,
/who_said "<phrase from a stored quote>", /search <1-3 words>. The baseline is the same
workload on a 1,000-article store built the same way; ratio = p95 at scale / p95 baseline.
Bar: p95 ≤ 10 ms for every command (wall time). The CPU time of each call (the process's,
which includes the store's aiosqlite thread) is shown as well: it is what the call costs
even when other load on a shared machine stretches the wall time.

    .venv/bin/python bench/bench_queries.py [--quick] [--db PATH] [--articles N] [--rebuild]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsbot.bot.services import Services
from newsbot.bot.settings import load_settings
from newsbot.data.store import Store, content_hash
from newsbot.handlers.commands.router import FAILURE
from newsbot.handlers.ingestion.speaker_match import match_speaker
from newsbot.handlers.requests import Caller, Request

from bench import corpus
from bench.machine import machine_line, peak_rss_mb, percentile, print_table, verdict

DEFAULT_DB = Path("/tmp/newsbot-bench.db")
FULL_ARTICLES = 100_000
QUICK_ARTICLES = 2_000
BASELINE_ARTICLES = 1_000
CHUNK = 100
ANALYSED = 10_000  # articles analysed for real; the rest are SQL copies of them
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


def _chunks(first: int, count: int) -> Iterator[list[int]]:
    for start in range(first, count, CHUNK):
        yield list(range(start, min(start + CHUNK, count)))


async def analyse_and_store(db: Path, count: int) -> None:
    """Variants 0..count-1, analysed for real and stored with `Store.add_articles`.

    Resumable: each batch is one transaction, so a file left by an interrupted build holds a
    whole number of batches, and the build goes on from there.
    """
    store = Store(db, speaker_matcher=match_speaker)
    await store.open()
    loop = asyncio.get_running_loop()
    started, first = time.perf_counter(), await store.count_articles()
    try:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            # A bounded window of chunks in flight: analysis overlaps the inserts, and memory
            # stays flat however many articles are asked for.
            chunks = _chunks(first, count)
            window: deque[asyncio.Future[list[corpus.StoredForm]]] = deque()
            done = first
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
                if done % 1_000 == 0:
                    rate = (done - first) / (time.perf_counter() - started)
                    print(f"  analysed {done:,}/{count:,} ({rate:.0f} articles/s)", flush=True)
    finally:
        await store.close()


def update_line(article_id: int) -> str:
    """The sentence that makes a replicated copy's body unique."""
    return f"Figures for region {article_id} are due to be revised next month."


def _store_time(moment: datetime) -> str:
    # The store's fixed-width UTC text (data/store.py keeps timestamps in this form).
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def replicate(db: Path, real: int, total: int, seed: int = 5) -> None:
    """Fill ids real+1..total with copies of articles 1..real, through SQL (see docstring)."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(articles)")]
        originals = conn.execute(
            f"SELECT {', '.join(columns)} FROM articles WHERE id <= ? ORDER BY id", (real,)
        ).fetchall()
        insert = (
            f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        now = _store_time(datetime.now(UTC))
        for offset in range(real, total, real):
            rows = []
            for original in originals:
                row = dict(zip(columns, original, strict=True))
                new_id = row["id"] + offset
                if new_id > total:
                    break
                published = corpus.EPOCH + timedelta(minutes=rng.randrange(corpus.SPREAD_MINUTES))
                row.update(
                    id=new_id,
                    url=f"{row['url']}-{offset // real}",
                    outlet=rng.choice(corpus.OUTLETS),
                    published_at=_store_time(published),
                    added_at=now,
                    body=row["body"] + "\n\n" + update_line(new_id),
                )
                row["content_hash"] = content_hash(row["body"])
                rows.append(tuple(row[c] for c in columns))
            last = offset + len(rows)
            with conn:
                conn.executemany(insert, rows)
                conn.execute(
                    "INSERT INTO summaries (article_id, algorithm, length, sentences) "
                    "SELECT article_id + ?, algorithm, length, sentences FROM summaries "
                    "WHERE article_id <= ?",
                    (offset, last - offset),
                )
                conn.execute(
                    'INSERT INTO quotes (article_id, start, "end", text, kind, speaker_id, role, '
                    'sort_at) SELECT q.article_id + ?, q.start, q."end", q.text, q.kind, '
                    "q.speaker_id, q.role, a.published_at FROM quotes q "
                    "JOIN articles a ON a.id = q.article_id + ? WHERE q.article_id <= ? "
                    "ORDER BY q.id",
                    (offset, offset, last - offset),
                )
            print(f"  replicated {last:,}/{total:,}", flush=True)
    finally:
        conn.close()


def spot_check(db: Path, real: int, total: int, samples: int = 40) -> tuple[int, int]:
    """Re-analyse random copies as texts of their own; (identical, checked)."""
    rng = random.Random(3)
    conn = sqlite3.connect(db)
    identical = 0
    try:
        for new_id in rng.sample(range(real + 1, total + 1), min(samples, total - real)):
            source = corpus.variant((new_id - 1) % real)
            text = source.text + "\n\n" + update_line(new_id)
            form = corpus.stored_form(replace(source, text=text))
            body, sentences = conn.execute(
                "SELECT a.body, s.sentences FROM articles a LEFT JOIN summaries s "
                "ON s.article_id = a.id WHERE a.id = ?",
                (new_id,),
            ).fetchone()
            quotes = conn.execute(
                'SELECT start, "end", text, kind FROM quotes WHERE article_id = ? ORDER BY start',
                (new_id,),
            ).fetchall()
            want = sorted((q.start, q.end, q.text, q.kind) for q in form.quotes)
            stored_summary = tuple(json.loads(sentences)) if sentences else ()
            summary = form.summary.sentences if form.summary else ()
            identical += body == form.article.body and stored_summary == summary and quotes == want
    finally:
        conn.close()
    return identical, min(samples, total - real)


def build(db: Path, articles: int) -> float:
    """Make (or finish) the store at `db` with `articles` articles; returns seconds taken."""
    started = time.perf_counter()
    if _note_path(db).exists():
        for stale in (db, _note_path(db), Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
    real = min(articles, ANALYSED)
    if db.exists():
        with sqlite3.connect(db) as conn:
            if conn.execute("SELECT count(*) FROM articles").fetchone()[0] > real:
                conn.close()
                db.unlink()  # an interrupted replication: start again
    asyncio.run(analyse_and_store(db, real))
    if articles > real:
        replicate(db, real, articles)
        identical, checked = spot_check(db, real, articles)
        print(
            f"  spot check: {identical}/{checked} replicated copies identical to a fresh "
            "analysis of their text",
            flush=True,
        )
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
    cpu_millis: list[float]
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
            started, cpu = time.perf_counter(), time.process_time()
            reply = await services.newsbot.handle(request)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_elapsed = (time.process_time() - cpu) * 1000
            entry = results.setdefault(query.label, Measured(query.label, [], [], 0))
            entry.millis.append(elapsed)
            entry.cpu_millis.append(cpu_elapsed)
            if reply is None or reply.html == FAILURE:
                results[query.label] = Measured(
                    query.label, entry.millis, entry.cpu_millis, entry.failures + 1
                )
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
    return {
        r["label"]: Measured(r["label"], r["millis"], r["cpu_millis"], r["failures"]) for r in rows
    }


def median_run(runs: Sequence[dict[str, object]]) -> dict[str, object]:
    """Per command, the run whose p95 is the median of the runs; the largest RSS of all.

    Other load on a shared machine hits single runs; the median run is the typical one.
    """
    by_run = [_summaries(run) for run in runs]
    chosen = []
    for label in by_run[0]:
        ranked = sorted((percentile(r[label].millis, 95), i) for i, r in enumerate(by_run))
        chosen.append(asdict(by_run[ranked[len(ranked) // 2][1]][label]))
    merged = dict(runs[0])
    merged["results"] = chosen
    merged["rss_mb"] = max(float(str(run["rss_mb"])) for run in runs)
    return merged


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
                percentile(m.cpu_millis, 95),
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
            "cpu p95",
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


def ensure(db: Path, articles: int, rebuild: bool) -> None:
    if rebuild or not cached(db, articles):
        print(f"building {db} with {articles:,} articles …", flush=True)
        seconds = build(db, articles)
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
    parser.add_argument("--repeat", type=int, default=3, help="runs per store (median reported)")
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
    ensure(db, articles, args.rebuild)
    ensure(base_db, BASELINE_ARTICLES, args.rebuild)
    print(
        f"running {iterations} iterations of 6 commands on each store, {args.repeat} times "
        "(per command, the run with the median p95 is shown) …",
        flush=True,
    )
    big = median_run([measure_in_child(db, articles, iterations) for _ in range(args.repeat)])
    base = median_run(
        [measure_in_child(base_db, BASELINE_ARTICLES, iterations) for _ in range(args.repeat)]
    )
    ok = report(big, base, articles, BASELINE_ARTICLES)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
