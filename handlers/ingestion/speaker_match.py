"""The store's speaker matcher: decides whether a quoted name is an already-known speaker.

The store cannot import summaries (dependency rule), so it receives this function as a
callback and calls it inside the ingest transaction with the candidates it found.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbot.data.models import SpeakerCandidate
from newsbot.summaries.speakers import same_person


def match_speaker(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
    """The id of the candidate who is the same person as `name`, or None for a new speaker."""
    for candidate in candidates:
        if any(same_person(name, alias) for alias in (candidate.name, *candidate.aliases)):
            return candidate.id
    return None
