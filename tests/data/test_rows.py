"""Values across the SQL boundary: timestamps as ordered text, rows to dataclasses by name."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

from newsbot.data.models import Chat
from newsbot.data.rows import build, chunks, iso, sentences


def test_iso_is_fixed_width_utc_text() -> None:
    moment = datetime(2024, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    assert iso(moment) == "2024-05-01T12:30:00.000000Z"
    assert iso(datetime(5, 1, 1)) == "0005-01-01T00:00:00.000000Z"  # naive is UTC
    assert iso(datetime.min.replace(tzinfo=timezone(timedelta(hours=5)))) == iso(
        datetime.min.replace(tzinfo=UTC)
    )


def test_build_reads_columns_by_name_in_any_order() -> None:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        "SELECT 'x' AS blocked_reason, 1 AS blocked, 5 AS digest_watermark, "
        "'2024-05-01T12:30:00.000000Z' AS last_digest_at, NULL AS timezone, "
        "'08:00' AS digest_time, 0 AS digest_enabled, NULL AS title, 'group' AS type, 7 AS id"
    ).fetchone()
    chat = build(Chat, row)
    assert chat == Chat(
        id=7,
        type="group",
        title=None,
        digest_enabled=False,
        digest_time="08:00",
        timezone=None,
        last_digest_at=datetime(2024, 5, 1, 12, 30, tzinfo=UTC),
        digest_watermark=5,
        blocked=True,
        blocked_reason="x",
    )
    assert build(Chat, row, title="given").title == "given"


def test_sentences_and_chunks() -> None:
    assert sentences(None) == ()
    assert sentences('["One.", "Two."]') == ("One.", "Two.")
    assert [len(chunk) for chunk in chunks(list(range(1200)))] == [500, 500, 200]
