"""Crash safety of batch ingest: SIGKILL it at random points, then check the database.

A driver subprocess does what `newsbot ingest FILES…` does (`Services.open`, then
`Ingestor.ingest_sources`), printing "ready" once the store is open and a line per finished
input. A reference run first ingests the whole batch uninterrupted into its own file (the
same calls, in this process): that is the fresh analysis every stored article is compared
with. Then, `--kills` times,
into a fresh database each time: start the driver, SIGKILL it at a random point (after a
uniformly random number of finished inputs, plus a random fraction of one input's average
time), and check

* `PRAGMA integrity_check` is "ok", and so are the FTS5 indexes' own integrity checks;
* no article is partially stored: every stored article's body is one the reference stored,
  with the same number of quotes and the default summary present exactly when the reference
  has one; no quote without its article; speakers' quote counts match their quotes;
* re-running the same ingest to completion (in this process) adds exactly the missing
  articles, and the total is then the number of distinct inputs (the batch includes
  byte-identical copies, which must come out as duplicates).

The inputs are `bench.corpus` variants of the bundled samples (`--inputs`, plus copies), or
the bundled samples themselves (`--samples`, what tests/test_crash_safety.py uses).

    .venv/bin/python bench/crash_safety.py [--quick] [--kills 20] [--inputs 300] [--samples]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsbot.bot.services import Services
from newsbot.bot.settings import load_settings
from newsbot.data.bundled import sample_article_paths
from newsbot.data.schema import FTS_TABLES

from bench.corpus import write_sources
from bench.machine import REPO_ROOT, machine_line, print_table, verdict

DRIVER = """
import asyncio, sys
from newsbot.bot.services import Services
from newsbot.bot.settings import load_settings

async def main() -> None:
    services = await Services.open(load_settings({"DATABASE_PATH": sys.argv[1]}, env_file=None))
    print("ready", flush=True)
    try:
        report = await services.ingestor.ingest_sources(
            sys.argv[2:], progress=lambda done, total: print("done", done, flush=True)
        )
        print("report", len(report.added), len(report.duplicates), len(report.rejected), flush=True)
    finally:
        await services.close()

asyncio.run(main())
"""
READY_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Expected:
    """What the reference run stored for one distinct body."""

    quotes: int
    has_summary: bool


@dataclass(frozen=True, slots=True)
class RunReport:
    """The driver's own counts: added, duplicates, rejected."""

    added: int
    duplicates: int
    rejected: int


@dataclass(frozen=True, slots=True)
class KillResult:
    """One kill: when, what it left, and what the checks found (empty problems = good)."""

    after_items: int
    delay: float
    stored_at_kill: int
    added_by_rerun: int
    total: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _start(db: Path, sources: Sequence[Path]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db), *map(str, sources)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        raise RuntimeError(f"ingest driver did not start (said {line!r})")


async def _ingest(db: Path, sources: Sequence[Path]) -> RunReport:
    services = await Services.open(load_settings({"DATABASE_PATH": str(db)}, env_file=None))
    try:
        report = await services.ingestor.ingest_sources([str(s) for s in sources])
    finally:
        await services.close()
    return RunReport(len(report.added), len(report.duplicates), len(report.rejected))


def run_to_completion(db: Path, sources: Sequence[Path]) -> tuple[RunReport, float]:
    """Ingest `sources` into `db` without interruption, in this process (as the driver does).

    Returns the report and the seconds it took.
    """
    started = time.perf_counter()
    report = asyncio.run(_ingest(db, sources))
    return report, time.perf_counter() - started


def kill_during(db: Path, sources: Sequence[Path], after_items: int, delay: float) -> None:
    """Start an ingest; SIGKILL it `delay` seconds after it has finished `after_items` inputs."""
    proc = _start(db, sources)
    try:
        _wait_ready(proc)
        assert proc.stdout is not None
        done = 0
        while done < after_items:
            fields = proc.stdout.readline().split()
            if not fields or fields[0] != "done":
                break  # finished (or died) early: the kill below then finds it gone
            done = int(fields[1])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _connect(db: Path) -> sqlite3.Connection:
    # Opening after the kill also recovers the WAL, exactly as the next bot start would.
    return sqlite3.connect(db, timeout=10)


def reference(db: Path) -> dict[str, Expected]:
    """Body → expected quotes and summary, from an uninterrupted run's database."""
    with _connect(db) as conn:
        rows = conn.execute(
            """
            SELECT a.body, (SELECT count(*) FROM quotes q WHERE q.article_id = a.id),
                   EXISTS (SELECT 1 FROM summaries s WHERE s.article_id = a.id)
            FROM articles a
            """
        ).fetchall()
    return {body: Expected(int(quotes), bool(summary)) for body, quotes, summary in rows}


def check(db: Path, expected: dict[str, Expected]) -> tuple[int, list[str]]:
    """The article count of `db` and every problem found in it."""
    problems: list[str] = []
    with _connect(db) as conn:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:3]}")
        for table in FTS_TABLES:
            try:
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"{table} integrity-check: {exc}")
        rows = conn.execute(
            """
            SELECT a.id, a.body, a.summary_algorithm, a.summary_length,
                   (SELECT count(*) FROM quotes q WHERE q.article_id = a.id),
                   EXISTS (SELECT 1 FROM summaries s WHERE s.article_id = a.id
                           AND s.algorithm = a.summary_algorithm AND s.length = a.summary_length)
            FROM articles a
            """
        ).fetchall()
        for article_id, body, _algorithm, _length, quotes, has_summary in rows:
            want = expected.get(body)
            if want is None:
                problems.append(f"article {article_id}: body matches no reference article")
            elif quotes != want.quotes or bool(has_summary) != want.has_summary:
                problems.append(
                    f"article {article_id}: {quotes} quotes, summary {bool(has_summary)}; "
                    f"reference {want.quotes} quotes, summary {want.has_summary}"
                )
        orphans = conn.execute(
            "SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} quotes without their article")
        drift = conn.execute(
            """
            SELECT count(*) FROM speakers s
            WHERE s.quote_count <> (SELECT count(*) FROM quotes q WHERE q.speaker_id = s.id)
            """
        ).fetchone()[0]
        if drift:
            problems.append(f"{drift} speakers whose quote_count disagrees with their quotes")
    return len(rows), problems


def run(
    sources: Sequence[Path], distinct: int, kills: int, folder: Path, seed: int = 1
) -> tuple[float, list[KillResult]]:
    """The reference run, then `kills` kill-check-rerun rounds; (reference seconds, results)."""
    rng = random.Random(seed)
    ref_db = folder / "reference.db"
    ref_report, window = run_to_completion(ref_db, sources)
    expected = reference(ref_db)
    if len(expected) != distinct or ref_report.added != distinct:
        raise RuntimeError(
            f"reference run stored {len(expected)} articles (report: {ref_report}); "
            f"expected {distinct} distinct inputs"
        )
    results = []
    for n in range(kills):
        db = folder / f"kill-{n:02d}.db"
        # A uniformly random input, then a random moment within it: every stage of an
        # article (reading, analysis, the store transaction) gets its share of kills.
        after_items = rng.randrange(len(sources))
        delay = rng.uniform(0, window / len(sources))
        kill_during(db, sources, after_items, delay)
        stored, problems = check(db, expected)
        rerun, _ = run_to_completion(db, sources)
        total, after = check(db, expected)
        problems += [f"after rerun: {p}" for p in after]
        if rerun.added != distinct - stored:
            problems.append(f"rerun added {rerun.added}, but {distinct - stored} were missing")
        if total != distinct:
            problems.append(f"{total} articles after rerun, {distinct} distinct inputs")
        if rerun.rejected:
            problems.append(f"rerun rejected {rerun.rejected} inputs")
        results.append(KillResult(after_items, delay, stored, rerun.added, total, tuple(problems)))
    return window, results


def sample_sources(folder: Path, copies: int = 2) -> tuple[list[Path], int]:
    """The bundled samples plus `copies` byte-identical copies; (paths, distinct count)."""
    samples = sample_article_paths()
    folder.mkdir(parents=True, exist_ok=True)
    paths = list(samples)
    for i in range(copies):
        copy = folder / f"copy-{i}.json"
        copy.write_bytes(samples[i % len(samples)].read_bytes())
        paths.append(copy)
    return paths, len(samples)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SIGKILL batch ingests and check the database.")
    parser.add_argument("--quick", action="store_true", help="3 kills on the bundled samples")
    parser.add_argument("--kills", type=int, default=None)
    parser.add_argument("--inputs", type=int, default=300, help="generated articles in the batch")
    parser.add_argument("--samples", action="store_true", help="use the bundled samples")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    kills = args.kills or (3 if args.quick else 20)
    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="newsbot-crash-") as tmp:
        folder = Path(tmp)
        if args.samples or args.quick:
            sources, distinct = sample_sources(folder / "sources")
        else:
            copies = max(1, args.inputs // 30)
            sources = write_sources(folder / "sources", args.inputs, duplicates=copies)
            distinct = args.inputs
        print(
            f"batch: {len(sources)} files, {distinct} distinct articles; {kills} kills", flush=True
        )
        window, results = run(sources, distinct, kills, folder, seed=args.seed)
    rows = [
        [
            n + 1,
            r.after_items,
            r.delay * 1000,
            r.stored_at_kill,
            r.added_by_rerun,
            r.total,
            verdict(r.ok),
            "; ".join(r.problems)[:80],
        ]
        for n, r in enumerate(results)
    ]
    print_table(
        f"SIGKILL during batch ingest (uninterrupted reference run: {window:.2f} s)",
        ["kill", "after inputs", "+ms", "stored", "rerun added", "total", "checks", "problems"],
        rows,
    )
    failed = sum(not r.ok for r in results)
    print(
        f"{len(results) - failed}/{len(results)} kills left a consistent database "
        f"{verdict(not failed)}"
    )
    print(json.dumps({"kills": len(results), "failed": failed}))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
