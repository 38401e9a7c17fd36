"""Quotes in SQLite: storing an article's quotes with their speakers, and the /who_said
listings (by speaker, by words)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from newsbot.data import fts, speakers
from newsbot.data.db import Database
from newsbot.data.models import NewQuote, QuoteRow
from newsbot.data.rows import build, placeholders
from newsbot.data.speaker_merge import SpeakerMatcher

MAX_SPEAKERS_PER_QUERY = 50
"""Speaker ids honoured by quotes_by_speakers; bounds the size of one statement."""

_QUOTE_COLUMNS = """
    q.id, q.article_id, q.text, q.kind, q.speaker_id, s.name AS speaker, q.role,
    a.title AS article_title, a.url AS article_url, a.outlet, a.published_at, a.added_at
"""
_QUOTE_JOINS = """
    JOIN articles AS a ON a.id = q.article_id
    LEFT JOIN speakers AS s ON s.id = q.speaker_id
"""


def insert_quotes(
    conn: sqlite3.Connection,
    article_id: int,
    sort_at: str,
    quotes: Sequence[NewQuote],
    matcher: SpeakerMatcher | None,
) -> None:
    """Store an article's quotes (and new speakers) inside the caller's transaction.

    `sort_at` is the article's date (published, else added): copied onto each quote so that
    "newest first" listings walk an index instead of joining articles to sort.
    """
    speaker_ids = speakers.resolve_speakers(conn, quotes, matcher)
    rows = [
        (article_id, quote.start, quote.end, quote.text, quote.kind, speaker_id,
         quote.role, sort_at)
        for quote, speaker_id in zip(quotes, speaker_ids, strict=True)
    ]  # fmt: skip
    if rows:
        conn.executemany(
            'INSERT INTO quotes (article_id, start, "end", text, kind, speaker_id, role, '
            "sort_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _speaker_ids(speaker_ids: Sequence[int]) -> list[int]:
    return list(dict.fromkeys(speaker_ids))[:MAX_SPEAKERS_PER_QUERY]


class SqliteQuotes:
    """The data.records.Quotes of a SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool, limit: int, offset: int
    ) -> list[QuoteRow]:
        ids = _speaker_ids(speaker_ids)
        if not ids or limit <= 0:
            return []
        # Each speaker's newest offset+limit quotes come from an index walk and only those are
        # merged, so the cost does not grow with how often a speaker is quoted. The kind
        # condition is written out literally so that the partial index applies.
        kind = "" if include_indirect else " AND kind <> 'indirect'"
        arm = (
            "SELECT * FROM (SELECT id, sort_at FROM quotes WHERE speaker_id = ?"
            f"{kind} ORDER BY sort_at DESC, id DESC LIMIT ?)"
        )
        picks = " UNION ALL ".join([arm] * len(ids))
        params: list[Any] = []
        for speaker_id in ids:
            params += [speaker_id, offset + limit]
        sql = f"""
            SELECT {_QUOTE_COLUMNS} FROM ({picks}) AS pick
            CROSS JOIN quotes AS q ON q.id = pick.id {_QUOTE_JOINS}
            ORDER BY pick.sort_at DESC, pick.id DESC LIMIT ? OFFSET ?
        """

        def read(conn: sqlite3.Connection) -> list[QuoteRow]:
            return [build(QuoteRow, row) for row in conn.execute(sql, [*params, limit, offset])]

        return await self._db.read("quotes_by_speakers", read, speaker_ids=ids)

    async def count_quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool
    ) -> int:
        ids = _speaker_ids(speaker_ids)
        if not ids:
            return 0
        marks = placeholders(len(ids))
        if include_indirect:
            # quote_count is kept by triggers: no scan over a prolific speaker's quotes.
            sql = f"SELECT coalesce(sum(quote_count), 0) FROM speakers WHERE id IN ({marks})"
        else:
            sql = (
                f"SELECT count(*) FROM quotes WHERE speaker_id IN ({marks}) AND kind <> 'indirect'"
            )

        def count(conn: sqlite3.Connection) -> int:
            return int(conn.execute(sql, ids).fetchone()[0])

        return await self._db.read("count_quotes_by_speakers", count, speaker_ids=ids)

    async def search_quotes(
        self, query: str, *, include_indirect: bool, limit: int, offset: int
    ) -> list[QuoteRow]:
        expression = fts.match_expression(query)
        if expression is None or limit <= 0:
            return []
        # Most recently stored first: the match list is walked in id order and stops after
        # offset+limit hits, so a common word costs no more than a rare one.
        kind = "" if include_indirect else " AND q.kind <> 'indirect'"
        sql = f"""
            SELECT {_QUOTE_COLUMNS} FROM quotes_fts
            CROSS JOIN quotes AS q ON q.id = quotes_fts.rowid {_QUOTE_JOINS}
            WHERE quotes_fts MATCH ?{kind}
            ORDER BY quotes_fts.rowid DESC LIMIT ? OFFSET ?
        """

        def read(conn: sqlite3.Connection) -> list[QuoteRow]:
            rows = conn.execute(sql, (expression, limit, offset))
            return [build(QuoteRow, row) for row in rows]

        return await self._db.read("search_quotes", read, query=query[:100])
