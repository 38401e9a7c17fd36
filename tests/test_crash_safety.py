"""A batch ingest killed with SIGKILL leaves a consistent database that a re-run completes.

The small version of bench/crash_safety.py: three kills at random points of an ingest of ten
bundled samples (plus a byte-identical copy, which must come out as a duplicate). Each kill is
followed by SQLite's and FTS5's integrity checks, a comparison of every stored article with an
uninterrupted reference run (same quotes, summary present), and a re-run that must add
exactly the missing articles.
"""

from __future__ import annotations

from pathlib import Path

from newsbot.data.bundled import sample_article_paths

from bench.crash_safety import run


def test_killed_ingest_leaves_whole_articles_and_rerun_completes(tmp_path: Path) -> None:
    samples = sample_article_paths()[:10]
    copy = tmp_path / "copy.json"
    copy.write_bytes(samples[0].read_bytes())

    _, results = run([*samples, copy], distinct=len(samples), kills=3, folder=tmp_path, seed=7)

    assert len(results) == 3
    for result in results:
        assert result.problems == ()
        assert result.total == len(samples)
        assert result.stored_at_kill + result.added_by_rerun == len(samples)
