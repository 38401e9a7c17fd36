"""Which stored speaker a quoted name joins, and what the merged speaker keeps: pure policy.

The SQL of data.speakers reads the candidates and writes the outcome; the decisions in
between live here, as plain functions over plain values, so that any backend makes them
alike and they are tested without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from newsbot.data.errors import StoreError
from newsbot.data.models import SpeakerCandidate

SpeakerMatcher = Callable[[str, Sequence[SpeakerCandidate]], int | None]
"""Given a quoted name and the existing speakers it might be, the id of the one it is, or None."""

MAX_CANDIDATES = 50
"""Existing speakers offered to the speaker matcher for one quoted name."""


@dataclass(frozen=True, slots=True)
class NewAlias:
    """A name a speaker is quoted under for the first time, with its lookup keys."""

    speaker_id: int
    alias: str
    key: str
    surname: str


@dataclass(slots=True)
class IngestSpeaker:
    """A speaker as one article's ingest sees it: as stored, plus that article's changes."""

    name: str
    role: str | None
    aliases: list[str] = field(default_factory=list)  # in the order they were added
    keys: set[str] = field(default_factory=set)
    changed: bool = False  # differs from the stored row, or there is none yet

    def merge(self, name: str, role: str | None) -> None:
        """Another quote by this speaker: keep the fuller name and the latest role given."""
        if fuller_name(name, self.name):
            self.name = name
            self.changed = True
        if role is not None and role != self.role and not shortens(role, self.role):
            self.role = role
            self.changed = True


def _name_words(name: str) -> int:
    return len(name.replace("-", " ").split())


def fuller_name(name: str, known: str) -> bool:
    """Whether `name` says more than `known` and should replace it.

    "Putin" then "Vladimir Putin": the name with more words is the more complete. A hyphen
    separates words too, and of "Okonjo Reyes" and "Okonjo-Reyes" the hyphenated one is kept:
    writers drop hyphens far more often than they invent them.
    """
    words, known_words = _name_words(name), _name_words(known)
    return words > known_words or (words == known_words and name.count("-") > known.count("-"))


def shortens(role: str, known: str | None) -> bool:
    """Whether every word of `role` is already in `known`, so it would say less ("leader"
    after "leader of the Front")."""
    return known is not None and set(role.casefold().split()) <= set(known.casefold().split())


def ranked_candidates(
    key: str, surname: str, stored: Sequence[tuple[int, int]], added: Sequence[NewAlias]
) -> tuple[list[int], dict[int, int]]:
    """The speakers a name may join, best first, and whether each has an alias of exactly
    `key` (1) or only of `surname` (0).

    `stored` are the (speaker id, exact) pairs the lookup query returned before this article's
    writes; `added` the aliases the article has added since. An added alias only raises a
    speaker's rank or adds a speaker, so cutting the merged list again is exact.
    """
    exact = dict(stored)
    for alias in added:
        if alias.key == key or (alias.surname == surname and surname):
            exact[alias.speaker_id] = max(exact.get(alias.speaker_id, 0), int(alias.key == key))
    ranked = sorted(exact, key=lambda i: (-exact[i], i))[:MAX_CANDIDATES]
    return ranked, exact


def choose_speaker(
    name: str,
    ranked: Sequence[int],
    exact: Mapping[int, int],
    speakers: Mapping[int, IngestSpeaker],
    matcher: SpeakerMatcher | None,
) -> int | None:
    """The candidate that `name` is, or None for a new speaker."""
    if matcher is None:
        # Without name logic only an identical normalised name is safely the same person.
        return next((i for i in ranked if exact[i]), None)
    if not ranked:
        return None
    candidates = [
        SpeakerCandidate(id=i, name=speakers[i].name, aliases=tuple(speakers[i].aliases))
        for i in ranked
    ]
    chosen = matcher(name, candidates)
    if chosen is not None and chosen not in ranked:
        raise StoreError(
            "speaker matcher chose a speaker it was not offered", speaker=name, chosen=chosen
        )
    return chosen
