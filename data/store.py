"""The SQLite store: articles, summaries, quotes and speakers, chats, digests, feeds, events.

One aiosqlite connection in autocommit mode; every write is an explicit BEGIN IMMEDIATE
transaction. An asyncio.Lock serialises the operations on that connection: without it a second
coroutine's statement could run inside another's open transaction and be rolled back with it.
In WAL mode other processes (the CLI next to a running bot) still read while one writes.

Callers get the frozen dataclasses of data.models and the exceptions of data.errors, never
sqlite3 rows or sqlite3 exceptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite
from newsbot.data import fts
from newsbot.data.errors import (
    DuplicateArticleError,
    DuplicateFeedError,
    StoreClosedError,
    StoreError,
    UnknownChatError,
)
from newsbot.data.models import (
    Article,
    ArticleListing,
    Chat,
    Event,
    Feed,
    NewArticle,
    NewQuote,
    NewSummary,
    QuoteRow,
    SearchHit,
    SearchResults,
    Speaker,
    SpeakerCandidate,
    Stats,
)
from newsbot.data.schema import migrate

SpeakerMatcher = Callable[[str, Sequence[SpeakerCandidate]], int | None]
"""Given a quoted name and the existing speakers it might be, the id of the one it is, or None."""

BUSY_TIMEOUT_MS = 5_000
"""How long a statement waits for another process's write lock before failing."""

SEARCH_WINDOW = 1_000
"""Article search pages through (and counts) at most this many matches, the newest.

Anything over every match of a common word costs time proportional to the library; the newest
thousand bound it and are what a news search wants anyway.
"""

MAX_CANDIDATES = 50
"""Existing speakers offered to the speaker matcher for one quoted name."""

FUZZY_ROWS = 300
"""Aliases read per fuzzy name lookup expression (newest first) before scoring them."""

MAX_SPEAKERS_PER_QUERY = 50
"""Speaker ids honoured by quotes_by_speakers; bounds the size of one statement."""

EVENTS_KEPT = 10_000
"""Operational events kept; older ones are pruned as new ones arrive."""

_IN_CHUNK = 500  # values per `IN (...)` list, well below SQLite's variable limit
_LOOKUPS_PER_QUERY = 100  # speaker lookups per statement; SQLite allows 500 compound arms
_MIN_UTC = datetime.min.replace(tzinfo=UTC)
_MAX_UTC = datetime.max.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, so that text order is time order; naive means UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        # datetime.min/max with a non-zero offset have no UTC equivalent ("since the
        # beginning of time" in a local zone): clamp to the representable end.
        moment = _MIN_UTC if moment.year == datetime.min.year else _MAX_UTC
    # Formatted by hand: strftime("%Y") does not zero-pad years below 1000 on every platform.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else _iso(moment)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _time_or_none(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _now() -> str:
    return _iso(datetime.now(UTC))


def content_hash(body: str) -> str:
    """Hash of the normalised body (NFKC, casefolded, whitespace collapsed): the text identity.

    Two pastes of one article that differ only in case, line breaks or spacing are duplicates.
    """
    normalised = " ".join(unicodedata.normalize("NFKC", body).casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _snippet(title: str, body: str, query: str) -> str:
    """The body's snippet, or the title's when only the title holds the words."""
    made = fts.snippet(body, query)
    if "\x02" in made:
        return made
    titled = fts.snippet(title, query)
    return titled if "\x02" in titled else made


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _sentences(text: str | None) -> tuple[str, ...]:
    return () if text is None else tuple(json.loads(text))


_ARTICLE_COLUMNS = (
    "id, title, url, outlet, author, published_at, added_at, added_by, language, body, content_hash"
)

# The default summary is the one named on the article row; the join is a primary-key lookup.
_LISTING_SELECT = """
    SELECT a.id, a.title, a.url, a.outlet, a.published_at, a.added_at, s.sentences
    FROM articles AS a
    LEFT JOIN summaries AS s
        ON s.article_id = a.id AND s.algorithm = a.summary_algorithm
        AND s.length = a.summary_length
"""

_QUOTE_COLUMNS = """
    q.id, q.article_id, q.text, q.kind, q.speaker_id, s.name, q.role,
    a.title, a.url, a.outlet, a.published_at, a.added_at
"""
_QUOTE_JOINS = """
    JOIN articles AS a ON a.id = q.article_id
    LEFT JOIN speakers AS s ON s.id = q.speaker_id
"""

_CHAT_COLUMNS = (
    "id, type, title, digest_enabled, digest_time, timezone, last_digest_at, "
    "digest_watermark, blocked, blocked_reason"
)

_FEED_COLUMNS = (
    "id, url, title, interval_minutes, added_by, added_at, last_checked_at, last_ok_at, "
    "last_error, failures"
)

# json_group_array keeps alias boundaries intact whatever characters the names contain.
_SPEAKER_SELECT = """
    SELECT s.id, s.name, s.role, s.quote_count,
        (SELECT json_group_array(alias)
         FROM (SELECT alias FROM speaker_aliases WHERE speaker_id = s.id ORDER BY id))
    FROM speakers AS s
"""

# One arm per quoted name: speakers with an alias of that key or surname, exact keys first,
# capped so that a common surname does not offer thousands of speakers. `surname <> ''`
# repeats the partial index's condition so that the index applies.
_CANDIDATE_ARM = """
    SELECT * FROM (
        SELECT ? AS lookup, speaker_id, max(alias_key = ?) AS exact FROM speaker_aliases
        WHERE alias_key = ? OR (surname = ? AND surname <> '')
        GROUP BY speaker_id ORDER BY exact DESC, speaker_id LIMIT ?
    )
"""


def _article(row: Any) -> Article:
    return Article(
        id=row[0],
        title=row[1],
        url=row[2],
        outlet=row[3],
        author=row[4],
        published_at=_time_or_none(row[5]),
        added_at=_time(row[6]),
        added_by=row[7],
        language=row[8],
        body=row[9],
        content_hash=row[10],
    )


def _listing(row: Any) -> ArticleListing:
    return ArticleListing(
        id=row[0],
        title=row[1],
        url=row[2],
        outlet=row[3],
        published_at=_time_or_none(row[4]),
        added_at=_time(row[5]),
        summary=_sentences(row[6]),
    )


def _quote_row(row: Any) -> QuoteRow:
    return QuoteRow(
        id=row[0],
        article_id=row[1],
        text=row[2],
        kind=row[3],
        speaker_id=row[4],
        speaker=row[5],
        role=row[6],
        article_title=row[7],
        article_url=row[8],
        outlet=row[9],
        published_at=_time_or_none(row[10]),
        added_at=_time(row[11]),
    )


def _chat(row: Any) -> Chat:
    return Chat(
        id=row[0],
        type=row[1],
        title=row[2],
        digest_enabled=bool(row[3]),
        digest_time=row[4],
        timezone=row[5],
        last_digest_at=_time_or_none(row[6]),
        digest_watermark=row[7],
        blocked=bool(row[8]),
        blocked_reason=row[9],
    )


def _feed(row: Any) -> Feed:
    return Feed(
        id=row[0],
        url=row[1],
        title=row[2],
        interval_minutes=row[3],
        added_by=row[4],
        added_at=_time(row[5]),
        last_checked_at=_time_or_none(row[6]),
        last_ok_at=_time_or_none(row[7]),
        last_error=row[8],
        failures=row[9],
    )


def _speaker(row: Any, quote_count: int | None = None) -> Speaker:
    return Speaker(
        id=row[0],
        name=row[1],
        role=row[2],
        aliases=tuple(json.loads(row[4])),
        quote_count=row[3] if quote_count is None else quote_count,
    )


async def _rows(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    return list(await conn.execute_fetchall(sql, params))


async def _row(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> Any | None:
    async with conn.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def _run(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> tuple[int, int]:
    """Execute a write; returns (lastrowid, rowcount)."""
    async with conn.execute(sql, params) as cursor:
        return cursor.lastrowid or 0, cursor.rowcount


async def _speakers_by_id(conn: aiosqlite.Connection, ids: Sequence[int]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for chunk in _chunks(ids):
        sql = f"{_SPEAKER_SELECT} WHERE s.id IN ({_placeholders(len(chunk))})"
        for row in await _rows(conn, sql, chunk):
            found[row[0]] = row
    return found


@dataclass(slots=True)
class _IngestSpeaker:
    """A speaker as one article's ingest sees it: as stored, plus that article's changes."""

    name: str
    role: str | None
    aliases: list[str] = field(default_factory=list)  # in the order they were added
    keys: set[str] = field(default_factory=set)
    changed: bool = False  # differs from the stored row, or there is none yet

    def merge(self, name: str, role: str | None) -> None:
        """Another quote by this speaker: keep the fuller name and the latest role given,
        unless that role only shortens the one known ("leader" after "leader of the Front")."""
        # "Putin" then "Vladimir Putin": the name with more words is the more complete. A
        # hyphen separates words too, and of "Okonjo Reyes" and "Okonjo-Reyes" the hyphenated
        # one is kept: writers drop hyphens far more often than they invent them.
        words, known = _name_words(name), _name_words(self.name)
        if words > known or (words == known and name.count("-") > self.name.count("-")):
            self.name = name
            self.changed = True
        if role is not None and role != self.role and not _shortens(role, self.role):
            self.role = role
            self.changed = True


def _name_words(name: str) -> int:
    return len(name.replace("-", " ").split())


def _shortens(role: str, known: str | None) -> bool:
    """Whether every word of `role` is already in `known`, so it would say less."""
    return known is not None and set(role.casefold().split()) <= set(known.casefold().split())


async def _stored_candidates(
    conn: aiosqlite.Connection, lookups: dict[str, str]
) -> tuple[dict[str, list[tuple[int, int]]], dict[int, _IngestSpeaker]]:
    """Per name key (→ surname), its best MAX_CANDIDATES stored candidates as (speaker id,
    exact key match) in no particular order; and those speakers, by id."""
    keys = list(lookups)
    stored: dict[str, list[tuple[int, int]]] = {key: [] for key in keys}
    speakers: dict[int, _IngestSpeaker] = {}
    for start in range(0, len(keys), _LOOKUPS_PER_QUERY):
        chunk = keys[start : start + _LOOKUPS_PER_QUERY]
        params: list[Any] = []
        for index, key in enumerate(chunk, start):
            params += [index, key, key, lookups[key], MAX_CANDIDATES]
        arms = " UNION ALL ".join([_CANDIDATE_ARM] * len(chunk))
        rows = await _rows(
            conn,
            f"""
            SELECT c.lookup, c.speaker_id, c.exact, s.name, s.role,
                (SELECT json_group_array(json_array(alias, alias_key)) FROM
                    (SELECT alias, alias_key FROM speaker_aliases WHERE speaker_id = s.id
                     ORDER BY id))
            FROM ({arms}) AS c CROSS JOIN speakers AS s ON s.id = c.speaker_id
            """,
            params,
        )
        for index, speaker_id, exact, name, role, aliases in rows:
            stored[keys[index]].append((speaker_id, exact))
            if speaker_id not in speakers:
                pairs = json.loads(aliases)
                speakers[speaker_id] = _IngestSpeaker(
                    name, role, [alias for alias, _ in pairs], {key for _, key in pairs}
                )
    return stored, speakers


class Store:
    """The newsbot database; open with `await store.open()` or `async with Store(path)`."""

    def __init__(self, path: str | Path, *, speaker_matcher: SpeakerMatcher | None = None) -> None:
        self.path = Path(path)
        self._matcher = speaker_matcher
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        """Open the file (created if missing), configure it and apply pending migrations.

        Raises StoreError (with the path) when the file cannot be opened or is no database,
        and MigrationError when it was written by a newer newsbot.
        """
        if self._conn is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError("cannot open database", path=str(self.path), error=str(exc)) from exc
        try:
            await self._configure(conn)
            await migrate(conn, self.path)
        except BaseException:
            await conn.close()
            raise
        self._conn = conn

    async def _configure(self, conn: aiosqlite.Connection) -> None:
        try:
            row = await _row(conn, "PRAGMA journal_mode = WAL")
            if row is None or str(row[0]).lower() != "wal":
                # e.g. a filesystem without shared memory: readers would block the bot.
                raise StoreError(
                    "database cannot use WAL journaling",
                    path=str(self.path),
                    journal_mode=None if row is None else row[0],
                )
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            # NORMAL is durable across application crashes in WAL mode; only an OS crash
            # can lose the last transactions, and it saves an fsync per commit.
            await conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError("cannot use database", path=str(self.path), error=str(exc)) from exc

    async def close(self) -> None:
        """Close the connection; the store can be opened again later. Idempotent."""
        async with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            # Lets SQLite refresh the statistics its planner uses; harmless if it fails.
            with contextlib.suppress(sqlite3.Error):
                await conn.execute("PRAGMA optimize")
            await conn.close()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def _require(self, operation: str) -> aiosqlite.Connection:
        if self._conn is None:
            raise StoreClosedError("store is not open", path=str(self.path), operation=operation)
        return self._conn

    def _failure(
        self, operation: str, exc: sqlite3.Error, context: dict[str, object]
    ) -> StoreError:
        return StoreError(f"{operation} failed", path=str(self.path), error=str(exc), **context)

    @contextlib.asynccontextmanager
    async def _reading(
        self, operation: str, **context: object
    ) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            conn = self._require(operation)
            try:
                yield conn
            except sqlite3.Error as exc:
                raise self._failure(operation, exc, context) from exc

    @contextlib.asynccontextmanager
    async def _writing(
        self, operation: str, **context: object
    ) -> AsyncIterator[aiosqlite.Connection]:
        """One transaction: committed when the block ends, rolled back if anything raises."""
        async with self._lock:
            conn = self._require(operation)
            try:
                # IMMEDIATE takes the write lock up front, so checks made inside the
                # transaction (duplicates, existing rows) still hold when it commits.
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        await conn.execute("ROLLBACK")
                    raise
                await conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise self._failure(operation, exc, context) from exc

    # -- articles --------------------------------------------------------------------------

    async def add_article(
        self, article: NewArticle, summary: NewSummary | None, quotes: Sequence[NewQuote]
    ) -> int:
        """Store an article with its default summary and its quotes; returns the new id.

        One transaction: the article, summary, quotes, speakers, aliases and FTS rows are all
        stored or none is. Raises DuplicateArticleError for a known canonical URL or body.
        An exception from the speaker matcher propagates unchanged (after the rollback).
        """
        async with self._writing("add_article", url=article.url, title=article.title) as conn:
            return await self._insert_article(conn, article, summary, quotes)

    async def add_articles(
        self, items: Sequence[tuple[NewArticle, NewSummary | None, Sequence[NewQuote]]]
    ) -> list[int | DuplicateArticleError]:
        """Store many articles in one transaction (bulk imports): one commit, not one each.

        Returns, per item, the new id or the DuplicateArticleError it would have raised (a
        duplicate within the batch counts too). Any other failure rolls the whole batch back.
        """
        results: list[int | DuplicateArticleError] = []
        async with self._writing("add_articles", items=len(items)) as conn:
            for article, summary, quotes in items:
                # A savepoint per item undoes a duplicate's partial work, nothing else.
                await conn.execute("SAVEPOINT item")
                try:
                    results.append(await self._insert_article(conn, article, summary, quotes))
                except DuplicateArticleError as duplicate:
                    await conn.execute("ROLLBACK TO item")
                    results.append(duplicate)
                await conn.execute("RELEASE item")
        return results

    async def _insert_article(
        self,
        conn: aiosqlite.Connection,
        article: NewArticle,
        summary: NewSummary | None,
        quotes: Sequence[NewQuote],
    ) -> int:
        # Each awaited statement is a round trip to aiosqlite's thread that costs more CPU than
        # most of these statements do: hence few statements, each doing all of its kind.
        digest = content_hash(article.body)
        # The largest speaker id comes along so that new speakers can be given their ids (the
        # ones SQLite would pick: counting up from the largest) before anything is written.
        by_url, by_text, last_speaker = (
            await _rows(
                conn,
                "SELECT (SELECT id FROM articles WHERE url = ?), "
                "(SELECT id FROM articles WHERE content_hash = ?), "
                "(SELECT coalesce(max(id), 0) FROM speakers)",
                (article.url, digest),
            )
        )[0]
        if by_url is not None:
            raise DuplicateArticleError(by_url, "url")
        if by_text is not None:
            raise DuplicateArticleError(by_text, "text")
        added_at = _now()
        published_at = _iso_or_none(article.published_at)
        (article_id,) = (
            await _rows(
                conn,
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
            )
        )[0]
        if summary is not None:
            await conn.execute(
                "INSERT INTO summaries (article_id, algorithm, length, sentences) "
                "VALUES (?, ?, ?, ?)",
                (article_id, summary.algorithm, summary.length, json.dumps(summary.sentences)),
            )
        speaker_ids = await self._resolve_speakers(conn, quotes, last_speaker)
        sort_at = published_at or added_at
        rows = [
            (article_id, quote.start, quote.end, quote.text, quote.kind, speaker_id,
             quote.role, sort_at)
            for quote, speaker_id in zip(quotes, speaker_ids, strict=True)
        ]  # fmt: skip
        if rows:
            await conn.executemany(
                'INSERT INTO quotes (article_id, start, "end", text, kind, speaker_id, role, '
                "sort_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return article_id

    async def _resolve_speakers(
        self, conn: aiosqlite.Connection, quotes: Sequence[NewQuote], last_speaker: int
    ) -> list[int | None]:
        """Each quote's speaker id (None if unnamed), registering new speakers and aliases.

        The stored candidates for every quoted name are read in one query before any write;
        the speakers and aliases that earlier quotes of the article add are tracked here, so
        each quote is matched against what the database would hold by then.
        """
        names: list[tuple[str, str, str] | None] = []
        lookups: dict[str, str] = {}  # key → surname; later quotes of a key reuse its speaker
        for quote in quotes:
            name = " ".join((quote.speaker or "").split())
            key = quote.speaker_key or fts.name_key(name)
            if not name or not key:
                names.append(None)
                continue
            surname = (
                key.rsplit(" ", 1)[-1] if quote.speaker_surname is None else quote.speaker_surname
            )
            names.append((name, key, surname))
            lookups.setdefault(key, surname)
        stored, speakers = await _stored_candidates(conn, lookups)
        added: list[tuple[int, str, str, str]] = []  # new aliases: speaker id, name, key, surname
        resolved: dict[str, int] = {}
        ids: list[int | None] = []
        for quote, named in zip(quotes, names, strict=True):
            if named is None:
                ids.append(None)
                continue
            name, key, surname = named
            speaker_id = resolved.get(key)
            if speaker_id is None:
                speaker_id = self._match_speaker(name, key, surname, stored[key], added, speakers)
            if speaker_id is None:
                last_speaker += 1
                speaker_id = last_speaker
                speaker = speakers[speaker_id] = _IngestSpeaker(name, quote.role, changed=True)
            else:
                speaker = speakers[speaker_id]
                speaker.merge(name, quote.role)
            if key not in speaker.keys:  # one alias per speaker and key, as the table has it
                speaker.keys.add(key)
                speaker.aliases.append(name)
                added.append((speaker_id, name, key, surname))
            resolved[key] = speaker_id
            ids.append(speaker_id)
        changed = [(i, s.name, s.role) for i, s in speakers.items() if s.changed]
        if changed:
            # New speakers and changes to known ones alike; quote_count is the triggers' job.
            await conn.executemany(
                "INSERT INTO speakers (id, name, role) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role",
                changed,
            )
        if added:
            await conn.executemany(
                "INSERT INTO speaker_aliases (speaker_id, alias, alias_key, surname) "
                "VALUES (?, ?, ?, ?)",
                added,
            )
        return ids

    def _match_speaker(
        self,
        name: str,
        key: str,
        surname: str,
        stored: Sequence[tuple[int, int]],
        added: Sequence[tuple[int, str, str, str]],
        speakers: dict[int, _IngestSpeaker],
    ) -> int | None:
        """The existing speaker (stored or new in this article) that `name` is, or None."""
        # The candidates the lookup query would return now: the stored ones (read before this
        # article's writes) with the aliases added since. An added alias only raises a
        # speaker's rank or adds a speaker, so cutting the merged list again is exact.
        exact = dict(stored)
        for speaker_id, _, alias_key, alias_surname in added:
            if alias_key == key or (alias_surname == surname and surname):
                exact[speaker_id] = max(exact.get(speaker_id, 0), int(alias_key == key))
        ranked = sorted(exact, key=lambda i: (-exact[i], i))[:MAX_CANDIDATES]
        if self._matcher is None:
            # Without name logic only an identical normalised name is safely the same person.
            return next((i for i in ranked if exact[i]), None)
        if not ranked:
            return None
        candidates = [
            SpeakerCandidate(id=i, name=speakers[i].name, aliases=tuple(speakers[i].aliases))
            for i in ranked
        ]
        chosen = self._matcher(name, candidates)
        if chosen is not None and chosen not in ranked:
            raise StoreError(
                "speaker matcher chose a speaker it was not offered", speaker=name, chosen=chosen
            )
        return chosen

    async def get_article(self, article_id: int) -> Article | None:
        """The article with its full body, or None."""
        async with self._reading("get_article", article_id=article_id) as conn:
            row = await _row(
                conn, f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            )
        return None if row is None else _article(row)

    async def article_ids_by_url(self, urls: Sequence[str]) -> dict[str, int]:
        """The stored articles among these canonical URLs: URL → article id."""
        found: dict[str, int] = {}
        async with self._reading("article_ids_by_url", urls=len(urls)) as conn:
            for chunk in _chunks(list(dict.fromkeys(urls))):
                rows = await _rows(
                    conn,
                    f"SELECT url, id FROM articles WHERE url IN ({_placeholders(len(chunk))})",
                    chunk,
                )
                found.update((url, article_id) for url, article_id in rows)
        return found

    async def remove_article(self, article_id: int) -> bool:
        """Delete an article with its summaries, quotes and FTS rows; False if there was none.

        Speakers left without any quote go too, so name lookups never offer empty speakers.
        """
        async with self._writing("remove_article", article_id=article_id) as conn:
            speakers = await _rows(
                conn,
                "SELECT DISTINCT speaker_id FROM quotes "
                "WHERE article_id = ? AND speaker_id IS NOT NULL",
                (article_id,),
            )
            _, removed = await _run(conn, "DELETE FROM articles WHERE id = ?", (article_id,))
            for chunk in _chunks([row[0] for row in speakers]):
                await conn.execute(
                    f"DELETE FROM speakers WHERE quote_count = 0 "
                    f"AND id IN ({_placeholders(len(chunk))})",
                    chunk,
                )
        return removed > 0

    async def latest(self, limit: int, offset: int = 0) -> list[ArticleListing]:
        """Articles newest first (by the order they were added)."""
        async with self._reading("latest") as conn:
            rows = await _rows(
                conn, f"{_LISTING_SELECT} ORDER BY a.id DESC LIMIT ? OFFSET ?", (limit, offset)
            )
        return [_listing(row) for row in rows]

    async def count_articles(self) -> int:
        """Number of stored articles."""
        async with self._reading("count_articles") as conn:
            row = await _row(conn, "SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    async def articles_after(self, article_id: int, limit: int) -> list[ArticleListing]:
        """Articles with an id above `article_id` (added later), oldest first: digest input."""
        async with self._reading("articles_after", article_id=article_id) as conn:
            rows = await _rows(
                conn, f"{_LISTING_SELECT} WHERE a.id > ? ORDER BY a.id LIMIT ?", (article_id, limit)
            )
        return [_listing(row) for row in rows]

    # -- search ----------------------------------------------------------------------------

    async def search_articles(
        self, query: str, limit: int, offset: int = 0, *, snippets: bool = True
    ) -> SearchResults:
        """Full-text search over titles and bodies: one page of hits, best first, with snippets,
        and the number of matching articles (at most SEARCH_WINDOW; a caller that gets exactly
        that may show it as "1000+").

        `query` is raw user text (see data.fts): every word is required, "quoted text" is a
        phrase. Results page through at most SEARCH_WINDOW articles, the newest matches.
        Selective queries (fewer matches than that) are ranked by bm25 with a title match
        weighing 5× a body match. Common queries, whose bm25 would first scan every match
        in the library to weigh the words, list articles with every word in the title
        first, then the rest, newest first within each. Snippets (fts.snippet) mark matched
        words with "\\x02" … "\\x03"; with `snippets=False` every snippet is "".
        """
        expression = fts.match_expression(query)
        if expression is None:
            return SearchResults(0, ())
        async with self._reading("search_articles", query=query[:100]) as conn:
            # Walking the match list newest first needs no ranking, stops at the window, and
            # counts the matches on the way: the count costs no second walk.
            window = await _rows(
                conn,
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT ?",
                (expression, SEARCH_WINDOW),
            )
            if not window or limit <= 0:
                return SearchResults(len(window), ())
            if len(window) < SEARCH_WINDOW:
                rows = await _rows(
                    conn,
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                    "ORDER BY rank LIMIT ? OFFSET ?",
                    (expression, limit, offset),
                )
                page = [row[0] for row in rows]
            else:
                page = await self._common_page(conn, expression, window, limit, offset)
            if not page:
                return SearchResults(len(window), ())
            marks = _placeholders(len(page))
            rows = await _rows(conn, f"{_LISTING_SELECT} WHERE a.id IN ({marks})", page)
            # Snippets are made here from the start of each text, not by FTS5's snippet(),
            # whose cost grows with the square of an article's matches (see fts.snippet).
            texts = (
                await _rows(
                    conn,
                    f"SELECT id, title, substr(body, 1, ?) FROM articles WHERE id IN ({marks})",
                    [fts.SNIPPET_SCAN_CHARS, *page],
                )
                if snippets
                else []
            )
        listings = {row[0]: _listing(row) for row in rows}
        found = {article_id: _snippet(title, body, query) for article_id, title, body in texts}
        hits = tuple(
            SearchHit(article=listings[article_id], snippet=found.get(article_id, ""))
            for article_id in page
            if article_id in listings
        )
        return SearchResults(len(window), hits)

    @staticmethod
    async def _common_page(
        conn: aiosqlite.Connection, expression: str, window: list[Any], limit: int, offset: int
    ) -> list[int]:
        """One page of a full window: all-words-in-title matches first, then newest first."""
        floor = window[-1][0]
        titled = await _rows(
            conn,
            "SELECT rowid FROM titles_fts WHERE titles_fts MATCH ? AND rowid >= ? "
            "ORDER BY rowid DESC",
            (expression, floor),
        )
        first = [row[0] for row in titled]
        seen = set(first)
        order = first + [row[0] for row in window if row[0] not in seen]
        return order[offset : offset + limit]

    # -- summaries cache -------------------------------------------------------------------

    async def get_summary(
        self, article_id: int, algorithm: str, length: int
    ) -> tuple[str, ...] | None:
        """A stored summary of the article, or None if that one was never computed."""
        async with self._reading("get_summary", article_id=article_id) as conn:
            row = await _row(
                conn,
                "SELECT sentences FROM summaries "
                "WHERE article_id = ? AND algorithm = ? AND length = ?",
                (article_id, algorithm, length),
            )
        return None if row is None else _sentences(row[0])

    async def put_summary(
        self, article_id: int, algorithm: str, length: int, sentences: tuple[str, ...]
    ) -> None:
        """Cache a summary; ignored if the article has been removed meanwhile."""
        async with self._writing("put_summary", article_id=article_id) as conn:
            await conn.execute(
                """
                INSERT INTO summaries (article_id, algorithm, length, sentences)
                SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)
                ON CONFLICT (article_id, algorithm, length)
                DO UPDATE SET sentences = excluded.sentences
                """,
                (article_id, algorithm, length, json.dumps(sentences), article_id),
            )

    # -- quotes and speakers ---------------------------------------------------------------

    async def speaker_candidates(self, query: str, limit: int = 50) -> list[Speaker]:
        """Speakers a typed name may mean: exact name, same surname, then similar spellings.

        The fuzzy part (FTS5 trigram index, see fts.fuzzy_name) tolerates a one-letter typo;
        the caller scores and filters the candidates.
        """
        key = fts.name_key(query)
        if not key or limit <= 0:
            return []
        surname = key.rsplit(" ", 1)[-1]
        async with self._reading("speaker_candidates", query=query[:100]) as conn:
            ids: dict[int, None] = {}  # insertion-ordered set: best kind of match first
            # `surname <> ''` repeats the partial index's condition so that the index applies.
            exact = await _rows(
                conn,
                """
                SELECT speaker_id FROM speaker_aliases WHERE alias_key = ?
                UNION
                SELECT speaker_id FROM speaker_aliases WHERE surname = ? AND surname <> ''
                LIMIT ?
                """,
                (key, surname, limit),
            )
            ids.update((row[0], None) for row in exact)
            if len(ids) < limit:
                fuzzy: dict[int, float] = {}
                for expression in fts.fuzzy_name(key):
                    # Unranked and capped: a half shared by thousands of names ("Surname…")
                    # costs FUZZY_ROWS rows; the other half then carries the lookup.
                    rows = await _rows(
                        conn,
                        """
                        SELECT a.speaker_id, a.alias_key FROM speaker_aliases_fts
                        JOIN speaker_aliases AS a ON a.id = speaker_aliases_fts.rowid
                        WHERE speaker_aliases_fts MATCH ?
                        ORDER BY speaker_aliases_fts.rowid DESC LIMIT ?
                        """,
                        (expression, FUZZY_ROWS),
                    )
                    for speaker_id, alias_key in rows:
                        score = fts.similarity(key, alias_key)
                        fuzzy[speaker_id] = max(score, fuzzy.get(speaker_id, 0.0))
                ids.update((i, None) for i in sorted(fuzzy, key=lambda i: -fuzzy[i]))
            found = await _speakers_by_id(conn, list(ids)[:limit])
        return [_speaker(found[i]) for i in ids if i in found]

    async def quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool, limit: int, offset: int = 0
    ) -> list[QuoteRow]:
        """Quotes by any of the speakers, newest first (article date, else date added).

        Each speaker's newest offset+limit quotes come from an index walk and only those are
        merged, so the cost does not grow with how often a speaker is quoted.
        """
        ids = list(dict.fromkeys(speaker_ids))[:MAX_SPEAKERS_PER_QUERY]
        if not ids or limit <= 0:
            return []
        # Written out literally so that the partial index on attributed quotes applies.
        kind = "" if include_indirect else " AND kind <> 'indirect'"
        arm = (
            "SELECT * FROM (SELECT id, sort_at FROM quotes WHERE speaker_id = ?"
            f"{kind} ORDER BY sort_at DESC, id DESC LIMIT ?)"
        )
        picks = " UNION ALL ".join([arm] * len(ids))
        params: list[Any] = []
        for speaker_id in ids:
            params += [speaker_id, offset + limit]
        async with self._reading("quotes_by_speakers", speaker_ids=ids) as conn:
            rows = await _rows(
                conn,
                f"""
                SELECT {_QUOTE_COLUMNS} FROM ({picks}) AS pick
                CROSS JOIN quotes AS q ON q.id = pick.id {_QUOTE_JOINS}
                ORDER BY pick.sort_at DESC, pick.id DESC LIMIT ? OFFSET ?
                """,
                [*params, limit, offset],
            )
        return [_quote_row(row) for row in rows]

    async def count_quotes_by_speakers(
        self, speaker_ids: Sequence[int], *, include_indirect: bool
    ) -> int:
        """How many quotes quotes_by_speakers can page through."""
        ids = list(dict.fromkeys(speaker_ids))[:MAX_SPEAKERS_PER_QUERY]
        if not ids:
            return 0
        marks = _placeholders(len(ids))
        async with self._reading("count_quotes_by_speakers", speaker_ids=ids) as conn:
            if include_indirect:
                # quote_count is kept by triggers: no scan over a prolific speaker's quotes.
                sql = f"SELECT coalesce(sum(quote_count), 0) FROM speakers WHERE id IN ({marks})"
            else:
                sql = (
                    f"SELECT count(*) FROM quotes WHERE speaker_id IN ({marks}) "
                    "AND kind <> 'indirect'"
                )
            row = await _row(conn, sql, ids)
        return int(row[0]) if row else 0

    async def search_quotes(
        self, query: str, *, include_indirect: bool, limit: int, offset: int = 0
    ) -> list[QuoteRow]:
        """Quotes containing the words (or the "quoted phrase") of raw user text.

        Most recently stored first: the match list is walked in id order and stops after
        offset+limit hits, so a common word costs no more than a rare one.
        """
        expression = fts.match_expression(query)
        if expression is None or limit <= 0:
            return []
        kind = "" if include_indirect else " AND q.kind <> 'indirect'"
        async with self._reading("search_quotes", query=query[:100]) as conn:
            rows = await _rows(
                conn,
                f"""
                SELECT {_QUOTE_COLUMNS} FROM quotes_fts
                CROSS JOIN quotes AS q ON q.id = quotes_fts.rowid {_QUOTE_JOINS}
                WHERE quotes_fts MATCH ?{kind}
                ORDER BY quotes_fts.rowid DESC LIMIT ? OFFSET ?
                """,
                (expression, limit, offset),
            )
        return [_quote_row(row) for row in rows]

    async def top_speakers(self, since: datetime, limit: int) -> list[Speaker]:
        """Most quoted speakers; quote_count = their quotes dated at or after `since`."""
        if limit <= 0:
            return []
        start = _iso(since)
        async with self._reading("top_speakers") as conn:
            oldest = await _row(conn, "SELECT min(sort_at) FROM quotes")
            if oldest is None or oldest[0] is None:
                return []
            if start <= oldest[0]:
                # Every quote counts: the trigger-kept totals answer without a scan.
                counted = await _rows(
                    conn,
                    "SELECT id, quote_count FROM speakers WHERE quote_count > 0 "
                    "ORDER BY quote_count DESC, id LIMIT ?",
                    (limit,),
                )
            else:
                # A recent window is a small range of quotes_recent; without the hint the
                # planner may walk every quote in speaker order to skip the GROUP BY sort.
                counted = await _rows(
                    conn,
                    """
                    SELECT speaker_id, count(*) AS n FROM quotes INDEXED BY quotes_recent
                    WHERE sort_at >= ? AND speaker_id IS NOT NULL
                    GROUP BY speaker_id ORDER BY n DESC, speaker_id LIMIT ?
                    """,
                    (start, limit),
                )
            found = await _speakers_by_id(conn, [row[0] for row in counted])
        return [_speaker(found[row[0]], row[1]) for row in counted if row[0] in found]

    # -- chats and digests -----------------------------------------------------------------

    async def upsert_chat(self, chat_id: int, type: str, title: str | None) -> Chat:
        """Record a chat (or refresh its type and title) and return it.

        A chat that reaches the bot again is evidently not blocking it any more, so this
        clears `blocked`; its digest stays off until the chat turns it on again.
        """
        now = _now()
        async with self._writing("upsert_chat", chat_id=chat_id) as conn:
            row = await _row(
                conn,
                f"""
                INSERT INTO chats (id, type, title, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title,
                    blocked = 0, blocked_reason = NULL, updated_at = excluded.updated_at
                RETURNING {_CHAT_COLUMNS}
                """,
                (chat_id, type, title, now, now),
            )
        assert row is not None  # an upsert always returns its row
        return _chat(row)

    async def get_chat(self, chat_id: int) -> Chat | None:
        """The chat, or None if the bot has never seen it."""
        async with self._reading("get_chat", chat_id=chat_id) as conn:
            row = await _row(conn, f"SELECT {_CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,))
        return None if row is None else _chat(row)

    async def set_digest(
        self, chat_id: int, *, enabled: bool, time: str | None, timezone: str | None
    ) -> Chat:
        """Change a chat's digest settings; UnknownChatError if upsert_chat never saw it."""
        async with self._writing("set_digest", chat_id=chat_id) as conn:
            row = await _row(
                conn,
                f"""
                UPDATE chats SET digest_enabled = ?, digest_time = ?, timezone = ?,
                    updated_at = ?
                WHERE id = ? RETURNING {_CHAT_COLUMNS}
                """,
                (int(enabled), time, timezone, _now(), chat_id),
            )
            if row is None:
                raise UnknownChatError(chat_id)
        return _chat(row)

    async def digest_chats(self) -> list[Chat]:
        """Chats whose digest is on and which have not blocked the bot."""
        async with self._reading("digest_chats") as conn:
            rows = await _rows(
                conn,
                f"SELECT {_CHAT_COLUMNS} FROM chats "
                "WHERE digest_enabled = 1 AND blocked = 0 ORDER BY id",
            )
        return [_chat(row) for row in rows]

    async def mark_blocked(self, chat_id: int, reason: str) -> None:
        """The bot can no longer write to the chat: stop its digest. Unknown chats: no-op."""
        async with self._writing("mark_blocked", chat_id=chat_id) as conn:
            await conn.execute(
                "UPDATE chats SET blocked = 1, blocked_reason = ?, digest_enabled = 0, "
                "updated_at = ? WHERE id = ?",
                (reason, _now(), chat_id),
            )

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with a new id: move settings and delivery history.

        If the new id is already known (it spoke to the bot first), the old settings win
        over the fresh row's defaults. Unknown old id: no-op.
        """
        now = _now()
        async with self._writing("migrate_chat", old_id=old_id, new_id=new_id) as conn:
            _, moved = await _run(
                conn,
                """
                INSERT INTO chats (id, type, title, digest_enabled, digest_time, timezone,
                    last_digest_at, digest_watermark, blocked, blocked_reason, created_at,
                    updated_at)
                SELECT ?, 'supergroup', title, digest_enabled, digest_time, timezone,
                    last_digest_at, digest_watermark, 0, NULL, created_at, ?
                FROM chats WHERE id = ?
                ON CONFLICT (id) DO UPDATE SET
                    digest_enabled = excluded.digest_enabled,
                    digest_time = excluded.digest_time, timezone = excluded.timezone,
                    last_digest_at = excluded.last_digest_at,
                    digest_watermark = max(digest_watermark, excluded.digest_watermark),
                    title = coalesce(title, excluded.title), updated_at = excluded.updated_at
                """,
                (new_id, now, old_id),
            )
            if not moved:
                return
            # OR IGNORE: a slot the new id already has keeps its own record.
            await conn.execute(
                "UPDATE OR IGNORE digest_deliveries SET chat_id = ? WHERE chat_id = ?",
                (new_id, old_id),
            )
            await conn.execute("DELETE FROM chats WHERE id = ?", (old_id,))

    async def claim_digest(self, chat_id: int, slot: str) -> bool:
        """Reserve the chat's digest for `slot`; False if it is already claimed or delivered.

        Exactly one caller (process, job, retry) wins a slot, so no digest is sent twice. A
        released (failed) slot can be claimed again.
        """
        async with self._writing("claim_digest", chat_id=chat_id, slot=slot) as conn:
            if await _row(conn, "SELECT 1 FROM chats WHERE id = ?", (chat_id,)) is None:
                raise UnknownChatError(chat_id)
            _, claimed = await _run(
                conn,
                """
                INSERT INTO digest_deliveries (chat_id, slot, status, claimed_at)
                VALUES (?, ?, 'claimed', ?)
                ON CONFLICT (chat_id, slot) DO UPDATE SET status = 'claimed',
                    claimed_at = excluded.claimed_at, completed_at = NULL, articles = NULL,
                    error = NULL
                WHERE status = 'failed'
                """,
                (chat_id, slot, _now()),
            )
        return claimed > 0

    async def complete_digest(
        self, chat_id: int, slot: str, *, watermark: int, sent_articles: int
    ) -> None:
        """Mark the slot delivered and move the chat's watermark (never backwards)."""
        now = _now()
        async with self._writing("complete_digest", chat_id=chat_id, slot=slot) as conn:
            await conn.execute(
                "UPDATE digest_deliveries SET status = 'delivered', completed_at = ?, "
                "articles = ?, error = NULL WHERE chat_id = ? AND slot = ?",
                (now, sent_articles, chat_id, slot),
            )
            await conn.execute(
                "UPDATE chats SET digest_watermark = max(digest_watermark, ?), "
                "last_digest_at = ?, updated_at = ? WHERE id = ?",
                (watermark, now, now, chat_id),
            )

    async def release_digest(self, chat_id: int, slot: str, error: str) -> None:
        """Record a failed delivery and free the slot so that a retry may claim it."""
        async with self._writing("release_digest", chat_id=chat_id, slot=slot) as conn:
            await conn.execute(
                "UPDATE digest_deliveries SET status = 'failed', completed_at = ?, error = ? "
                "WHERE chat_id = ? AND slot = ? AND status = 'claimed'",
                (_now(), error, chat_id, slot),
            )

    # -- feeds -----------------------------------------------------------------------------

    async def add_feed(self, url: str, *, interval_minutes: int, added_by: int | None) -> Feed:
        """Subscribe to a feed (url already canonical); DuplicateFeedError if it is known."""
        async with self._writing("add_feed", url=url) as conn:
            existing = await _row(conn, "SELECT id FROM feeds WHERE url = ?", (url,))
            if existing is not None:
                raise DuplicateFeedError(existing[0], url)
            row = await _row(
                conn,
                f"""
                INSERT INTO feeds (url, interval_minutes, added_by, added_at)
                VALUES (?, ?, ?, ?) RETURNING {_FEED_COLUMNS}
                """,
                (url, interval_minutes, added_by, _now()),
            )
        assert row is not None  # an INSERT … RETURNING always returns its row
        return _feed(row)

    async def remove_feed(self, url_or_id: str) -> bool:
        """Unsubscribe by id ("3" or "#3") or by URL; False if no such feed."""
        text = url_or_id.strip()
        digits = text.removeprefix("#")
        async with self._writing("remove_feed", feed=text) as conn:
            if digits.isdecimal() and len(digits) <= 18:  # beyond that no SQLite integer
                _, removed = await _run(conn, "DELETE FROM feeds WHERE id = ?", (int(digits),))
            else:
                _, removed = await _run(conn, "DELETE FROM feeds WHERE url = ?", (text,))
        return removed > 0

    async def list_feeds(self) -> list[Feed]:
        """All feeds, oldest subscription first."""
        async with self._reading("list_feeds") as conn:
            rows = await _rows(conn, f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")
        return [_feed(row) for row in rows]

    async def record_feed_check(
        self, feed_id: int, *, error: str | None, title: str | None = None
    ) -> None:
        """Record a check: success resets the failure streak, an error extends it."""
        now = _now()
        async with self._writing("record_feed_check", feed_id=feed_id) as conn:
            if error is None:
                await conn.execute(
                    "UPDATE feeds SET last_checked_at = ?, last_ok_at = ?, last_error = NULL, "
                    "failures = 0, title = coalesce(?, title) WHERE id = ?",
                    (now, now, title, feed_id),
                )
            else:
                await conn.execute(
                    "UPDATE feeds SET last_checked_at = ?, last_error = ?, "
                    "failures = failures + 1, title = coalesce(?, title) WHERE id = ?",
                    (now, error, title, feed_id),
                )

    async def seen_feed_entries(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """The subset of `keys` already marked for this feed."""
        seen: set[str] = set()
        unique = list(dict.fromkeys(keys))
        async with self._reading("seen_feed_entries", feed_id=feed_id) as conn:
            for chunk in _chunks(unique):
                rows = await _rows(
                    conn,
                    f"SELECT key FROM feed_entries WHERE feed_id = ? "
                    f"AND key IN ({_placeholders(len(chunk))})",
                    [feed_id, *chunk],
                )
                seen.update(row[0] for row in rows)
        return seen

    async def mark_feed_entries(self, feed_id: int, keys: Sequence[str]) -> None:
        """Remember entries as handled; a removed feed's entries are not recorded."""
        if not keys:
            return
        now = _now()
        async with self._writing("mark_feed_entries", feed_id=feed_id) as conn:
            if await _row(conn, "SELECT 1 FROM feeds WHERE id = ?", (feed_id,)) is None:
                return
            await conn.executemany(
                "INSERT OR IGNORE INTO feed_entries (feed_id, key, seen_at) VALUES (?, ?, ?)",
                [(feed_id, key, now) for key in dict.fromkeys(keys)],
            )

    # -- events and stats ------------------------------------------------------------------

    async def record_event(self, kind: str, message: str) -> None:
        """Log an operational event for the operator; keeps the newest EVENTS_KEPT."""
        async with self._writing("record_event", kind=kind) as conn:
            event_id, _ = await _run(
                conn,
                "INSERT INTO events (at, kind, message) VALUES (?, ?, ?)",
                (_now(), kind, message),
            )
            await conn.execute("DELETE FROM events WHERE id <= ?", (event_id - EVENTS_KEPT,))

    async def recent_events(self, limit: int) -> list[Event]:
        """The newest events first."""
        async with self._reading("recent_events") as conn:
            rows = await _rows(
                conn, "SELECT id, at, kind, message FROM events ORDER BY id DESC LIMIT ?", (limit,)
            )
        return [Event(id=row[0], at=_time(row[1]), kind=row[2], message=row[3]) for row in rows]

    async def stats(self) -> Stats:
        """Counts for the operator; db_bytes is the main file's size (pages in use or free)."""
        async with self._reading("stats") as conn:
            row = await _row(
                conn,
                """
                SELECT
                    (SELECT count(*) FROM articles),
                    (SELECT count(*) FROM quotes),
                    (SELECT count(*) FROM speakers),
                    (SELECT count(*) FROM chats),
                    (SELECT count(*) FROM chats WHERE digest_enabled = 1 AND blocked = 0),
                    (SELECT count(*) FROM chats WHERE blocked = 1),
                    (SELECT count(*) FROM feeds),
                    (SELECT count(*) FROM feeds WHERE failures > 0),
                    (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())
                """,
            )
        assert row is not None  # a SELECT without FROM always yields one row
        return Stats(*(int(value) for value in row))
