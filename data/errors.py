"""Domain exceptions raised by the store.

Callers never see `sqlite3` exceptions: every failure is a `StoreError` whose `context`
says which operation failed and on what (ids, paths, versions), so a log line is enough to
understand it without a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal


class StoreError(Exception):
    """Base class of every store failure; `context` holds what the failure was about."""

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context: dict[str, object] = context

    def __str__(self) -> str:
        if not self.context:
            return self.message
        details = ", ".join(f"{key}={value!r}" for key, value in self.context.items())
        return f"{self.message} ({details})"


class DuplicateArticleError(StoreError):
    """The article is already stored: same canonical URL or same normalised body."""

    def __init__(self, existing_id: int, reason: Literal["url", "text"]) -> None:
        super().__init__("article already stored", existing_id=existing_id, reason=reason)
        self.existing_id = existing_id
        self.reason: Literal["url", "text"] = reason


class DuplicateFeedError(StoreError):
    """A feed with the same URL is already subscribed."""

    def __init__(self, feed_id: int, url: str) -> None:
        super().__init__("feed already added", feed_id=feed_id, url=url)
        self.feed_id = feed_id


class StoreClosedError(StoreError):
    """The store was used before `open()` or after `close()`."""


class DatabaseUnusableError(StoreError):
    """The database file cannot be used at all: no database, damaged, written by a newer
    newsbot, or in a place where it or its journal files cannot be created.

    The message is one line for the operator: the path, what is wrong, and what to do.
    """

    def __init__(self, path: str | Path, problem: str, remedy: str, **context: object) -> None:
        super().__init__(f"cannot use the database {path}: {problem}; {remedy}", **context)
        self.context["path"] = str(path)
        self.path = str(path)
        self.problem = problem
        self.remedy = remedy

    def __str__(self) -> str:
        return self.message  # already names the path; the details stay in `context`


class MigrationError(DatabaseUnusableError):
    """The database file cannot be brought to the schema version this code knows."""


class UnknownChatError(StoreError):
    """A chat setting was changed for a chat the store has never seen (call upsert_chat)."""

    def __init__(self, chat_id: int) -> None:
        super().__init__("unknown chat", chat_id=chat_id)
        self.chat_id = chat_id
