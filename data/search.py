"""Full-text article search in SQLite: one page of hits with snippets, and the match count."""

from __future__ import annotations

import sqlite3

from newsbot.data import fts
from newsbot.data.articles import LISTING_SELECT, listing
from newsbot.data.db import Database
from newsbot.data.models import SearchHit, SearchResults
from newsbot.data.rows import placeholders

SEARCH_WINDOW = 1_000
"""Article search pages through (and counts) at most this many matches, the newest.

Anything over every match of a common word costs time proportional to the library; the newest
thousand bound it and are what a news search wants anyway.
"""


def _common_page(
    conn: sqlite3.Connection, expression: str, window: list[int], limit: int, offset: int
) -> list[int]:
    """One page of a full window: all-words-in-title matches first, then newest first."""
    titled = conn.execute(
        "SELECT rowid FROM titles_fts WHERE titles_fts MATCH ? AND rowid >= ? ORDER BY rowid DESC",
        (expression, window[-1]),
    )
    first = [row["rowid"] for row in titled]
    seen = set(first)
    order = first + [article_id for article_id in window if article_id not in seen]
    return order[offset : offset + limit]


def _search(
    conn: sqlite3.Connection,
    query: str,
    expression: str,
    limit: int,
    offset: int,
    snippets: bool,
) -> SearchResults:
    # Walking the match list newest first needs no ranking, stops at the window, and counts
    # the matches on the way: the count costs no second walk.
    window = [
        row["rowid"]
        for row in conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (expression, SEARCH_WINDOW),
        )
    ]
    if not window or limit <= 0:
        return SearchResults(len(window), ())
    if len(window) < SEARCH_WINDOW:
        ranked = conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            "ORDER BY rank LIMIT ? OFFSET ?",
            (expression, limit, offset),
        )
        page = [row["rowid"] for row in ranked]
    else:
        page = _common_page(conn, expression, window, limit, offset)
    if not page:
        return SearchResults(len(window), ())
    marks = placeholders(len(page))
    listings = {
        row["id"]: listing(row)
        for row in conn.execute(f"{LISTING_SELECT} WHERE a.id IN ({marks})", page)
    }
    found: dict[int, str] = {}
    if snippets:
        # Snippets are made here from the start of each text, not by FTS5's snippet(), whose
        # cost grows with the square of an article's matches (see fts.snippet).
        texts = conn.execute(
            f"SELECT id, title, substr(body, 1, ?) AS body FROM articles WHERE id IN ({marks})",
            [fts.SNIPPET_SCAN_CHARS, *page],
        )
        found = {row["id"]: fts.best_snippet(row["title"], row["body"], query) for row in texts}
    hits = tuple(
        SearchHit(article=listings[article_id], snippet=found.get(article_id, ""))
        for article_id in page
        if article_id in listings
    )
    return SearchResults(len(window), hits)


class SqliteSearch:
    """The data.records.Search of a SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def search_articles(
        self, query: str, limit: int, offset: int, *, snippets: bool
    ) -> SearchResults:
        expression = fts.match_expression(query)
        if expression is None:
            return SearchResults(0, ())
        return await self._db.read(
            "search_articles",
            lambda conn: _search(conn, query, expression, limit, offset, snippets),
            query=query[:100],
        )
