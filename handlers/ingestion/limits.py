"""How much one ingestion may read and how long it may take, and the time budget of a link,
a feed poll or one /add command."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from newsbot.handlers.ingestion.fetch import format_size

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """How much one ingestion may read and how long it may take."""

    max_bytes: int = 2 * _MB  # paste/file/download cap (documented in README)
    fetch_timeout: float = 15.0  # seconds, whole request including redirects
    max_redirects: int = 5
    max_feed_entries: int = 50
    analyze_timeout: float = 30.0  # seconds for clean+summary+quotes of one article
    # Seconds one link, one feed poll or one /add command may spend before it stops starting
    # new entries or links (the one under way still finishes within its own limits).
    ingest_budget: float = 90.0
    max_batch_items: int = 10_000

    def deadline(self) -> float:
        """The event-loop time at which a budget started now runs out."""
        return asyncio.get_running_loop().time() + self.ingest_budget

    def out_of_time(self) -> str:
        """Why an input was not started: the budget ran out first."""
        return f"not fetched within the {self.ingest_budget:g}-second limit"

    def too_large(self, what: str) -> str:
        """Why an input over `max_bytes` was refused."""
        return (
            f"{what} is larger than {format_size(self.max_bytes)}, the most newsbot "
            "reads — send one article at a time or a link"
        )

    def too_slow(self, doing: str) -> str:
        """Why an input whose reading or analysis ran out of time was not stored."""
        return (
            f"{doing} took longer than {self.analyze_timeout:g} seconds, so it was "
            "not stored — try a shorter text"
        )


DEFAULT_LIMITS = IngestLimits()


def past(deadline: float) -> bool:
    """Whether the event-loop clock has reached `deadline`."""
    return asyncio.get_running_loop().time() >= deadline
