"""Articles and their summaries in SQLite: storing (one transaction per article), reading,
listing and removing them, and the summary cache."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Sequence

from newsbot.data import quotes
from newsbot.data.db import Database
from newsbot.data.errors import DuplicateArticleError
from newsbot.data.models import Article, ArticleListing, NewArticle, NewQuote, NewSummary
from newsbot.data.rows import build, chunks, iso_or_none, now, placeholders, sentences
from newsbot.data.speaker_merge import SpeakerMatcher

# The default summary is the one named on the article row; the join is a primary-key lookup.
LISTING_SELECT = """
    SELECT a.id, a.title, a.url, a.outlet, a.published_at, a.added_at, s.sentences AS summary
    FROM articles AS a
    LEFT JOIN summaries AS s
        ON s.article_id = a.id AND s.algorithm = a.summary_algorithm
        AND s.length = a.summary_length
"""


def listing(row: sqlite3.Row) -> ArticleListing:
    """An ArticleListing from a row of LISTING_SELECT."""
    return build(ArticleListing, row, summary=sentences(row["summary"]))


def content_hash(body: str) -> str:
    """Hash of the normalised body (NFKC, casefolded, whitespace collapsed): the text identity.

    Two pastes of one article that differ only in case, line breaks or spacing are duplicates.
    """
    normalised = " ".join(unicodedata.normalize("NFKC", body).casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def insert_article(
    conn: sqlite3.Connection,
    article: NewArticle,
    summary: NewSummary | None,
    new_quotes: Sequence[NewQuote],
    matcher: SpeakerMatcher | None,
) -> int:
    """Store one article with its summary and quotes inside the caller's transaction."""
    digest = content_hash(article.body)
    by_url, by_text = conn.execute(
        "SELECT (SELECT id FROM articles WHERE url = ?), "
        "(SELECT id FROM articles WHERE content_hash = ?)",
        (article.url, digest),
    ).fetchone()
    if by_url is not None:
        raise DuplicateArticleError(by_url, "url")
    if by_text is not None:
        raise DuplicateArticleError(by_text, "text")
    added_at = now()
    published_at = iso_or_none(article.published_at)
    (article_id,) = conn.execute(
        """
        INSERT INTO articles (url, title, outlet, author, published_at, added_at,
            added_by, language, content_hash, summary_algorithm, summary_length, body)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """,
        (
            article.url,
            article.title,
            article.outlet,
            article.author,
            published_at,
            added_at,
            article.added_by,
            article.language,
            digest,
            None if summary is None else summary.algorithm,
            None if summary is None else summary.length,
            article.body,
        ),
    ).fetchone()
    if summary is not None:
        conn.execute(
            "INSERT INTO summaries (article_id, algorithm, length, sentences) VALUES (?, ?, ?, ?)",
            (article_id, summary.algorithm, summary.length, json.dumps(summary.sentences)),
        )
    quotes.insert_quotes(conn, article_id, published_at or added_at, new_quotes, matcher)
    return int(article_id)


class SqliteArticles:
    """The data.records.Articles of a SQLite database."""

    def __init__(self, db: Database, matcher: SpeakerMatcher | None) -> None:
        self._db = db
        self._matcher = matcher

    async def add_article(
        self, article: NewArticle, summary: NewSummary | None, new_quotes: Sequence[NewQuote]
    ) -> int:
        return await self._db.write(
            "add_article",
            lambda conn: insert_article(conn, article, summary, new_quotes, self._matcher),
            url=article.url,
            title=article.title,
        )

    async def add_articles(
        self, items: Sequence[tuple[NewArticle, NewSummary | None, Sequence[NewQuote]]]
    ) -> list[int | DuplicateArticleError]:
        def add_all(conn: sqlite3.Connection) -> list[int | DuplicateArticleError]:
            results: list[int | DuplicateArticleError] = []
            for article, summary, new_quotes in items:
                # A savepoint per item undoes a duplicate's partial work, nothing else.
                conn.execute("SAVEPOINT item")
                try:
                    results.append(
                        insert_article(conn, article, summary, new_quotes, self._matcher)
                    )
                except DuplicateArticleError as duplicate:
                    conn.execute("ROLLBACK TO item")
                    results.append(duplicate)
                conn.execute("RELEASE item")
            return results

        return await self._db.write("add_articles", add_all, items=len(items))

    async def get_article(self, article_id: int) -> Article | None:
        def get(conn: sqlite3.Connection) -> Article | None:
            row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            return None if row is None else build(Article, row)

        return await self._db.read("get_article", get, article_id=article_id)

    async def article_ids_by_url(self, urls: Sequence[str]) -> dict[str, int]:
        def find(conn: sqlite3.Connection) -> dict[str, int]:
            found: dict[str, int] = {}
            for chunk in chunks(list(dict.fromkeys(urls))):
                rows = conn.execute(
                    f"SELECT url, id FROM articles WHERE url IN ({placeholders(len(chunk))})",
                    chunk,
                )
                found.update((row["url"], row["id"]) for row in rows)
            return found

        return await self._db.read("article_ids_by_url", find, urls=len(urls))

    async def remove_article(self, article_id: int) -> bool:
        def remove(conn: sqlite3.Connection) -> bool:
            speakers = conn.execute(
                "SELECT DISTINCT speaker_id FROM quotes "
                "WHERE article_id = ? AND speaker_id IS NOT NULL",
                (article_id,),
            ).fetchall()
            removed = conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
            # Speakers left without any quote go too, so name lookups never offer them.
            for chunk in chunks([row["speaker_id"] for row in speakers]):
                conn.execute(
                    f"DELETE FROM speakers WHERE quote_count = 0 "
                    f"AND id IN ({placeholders(len(chunk))})",
                    chunk,
                )
            return removed > 0

        return await self._db.write("remove_article", remove, article_id=article_id)

    async def latest(self, limit: int, offset: int) -> list[ArticleListing]:
        def latest(conn: sqlite3.Connection) -> list[ArticleListing]:
            rows = conn.execute(
                f"{LISTING_SELECT} ORDER BY a.id DESC LIMIT ? OFFSET ?", (limit, offset)
            )
            return [listing(row) for row in rows]

        return await self._db.read("latest", latest)

    async def count_articles(self) -> int:
        def count(conn: sqlite3.Connection) -> int:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])

        return await self._db.read("count_articles", count)

    async def articles_after(self, article_id: int, limit: int) -> list[ArticleListing]:
        def after(conn: sqlite3.Connection) -> list[ArticleListing]:
            rows = conn.execute(
                f"{LISTING_SELECT} WHERE a.id > ? ORDER BY a.id LIMIT ?", (article_id, limit)
            )
            return [listing(row) for row in rows]

        return await self._db.read("articles_after", after, article_id=article_id)

    async def get_summary(
        self, article_id: int, algorithm: str, length: int
    ) -> tuple[str, ...] | None:
        def get(conn: sqlite3.Connection) -> tuple[str, ...] | None:
            row = conn.execute(
                "SELECT sentences FROM summaries "
                "WHERE article_id = ? AND algorithm = ? AND length = ?",
                (article_id, algorithm, length),
            ).fetchone()
            return None if row is None else sentences(row["sentences"])

        return await self._db.read("get_summary", get, article_id=article_id)

    async def put_summary(
        self, article_id: int, algorithm: str, length: int, summary: tuple[str, ...]
    ) -> None:
        def put(conn: sqlite3.Connection) -> None:
            conn.execute(
                """
                INSERT INTO summaries (article_id, algorithm, length, sentences)
                SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)
                ON CONFLICT (article_id, algorithm, length)
                DO UPDATE SET sentences = excluded.sentences
                """,
                (article_id, algorithm, length, json.dumps(summary), article_id),
            )

        await self._db.write("put_summary", put, article_id=article_id)
