"""The speaker merge policy on its own: which name and role a speaker keeps, which candidates
a quoted name is offered, and what the matcher may answer."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from newsbot.data.errors import StoreError
from newsbot.data.models import SpeakerCandidate
from newsbot.data.speaker_merge import (
    MAX_CANDIDATES,
    IngestSpeaker,
    NewAlias,
    choose_speaker,
    fuller_name,
    ranked_candidates,
    shortens,
)


def test_the_name_with_more_words_wins_and_a_hyphen_breaks_a_tie() -> None:
    assert fuller_name("Vladimir Putin", "Putin")
    assert not fuller_name("Putin", "Vladimir Putin")
    assert fuller_name("Okonjo-Reyes", "Okonjo Reyes")
    assert not fuller_name("Okonjo Reyes", "Okonjo-Reyes")
    assert not fuller_name("Putin", "Putin")


def test_a_role_that_only_shortens_the_known_one_is_not_taken() -> None:
    assert shortens("leader", "Leader of the Front")
    assert not shortens("minister of finance", "leader")
    assert not shortens("leader", None)


def test_merge_keeps_the_fuller_name_and_the_latest_informative_role() -> None:
    speaker = IngestSpeaker("Putin", "president of Russia")
    speaker.merge("Vladimir Putin", "president")
    assert (speaker.name, speaker.role, speaker.changed) == (
        "Vladimir Putin",
        "president of Russia",
        True,
    )
    speaker.merge("Putin", "head of state")
    assert (speaker.name, speaker.role) == ("Vladimir Putin", "head of state")


def test_unchanged_speakers_stay_unchanged() -> None:
    speaker = IngestSpeaker("Ada Lovelace", "mathematician")
    speaker.merge("Lovelace", None)
    assert not speaker.changed


def test_candidates_rank_exact_keys_first_and_count_this_articles_aliases() -> None:
    stored = [(7, 0), (3, 0)]  # two speakers sharing the surname
    added = [NewAlias(9, "Ada Lovelace", "ada lovelace", "lovelace")]
    ranked, exact = ranked_candidates("ada lovelace", "lovelace", stored, added)
    assert ranked == [9, 3, 7]
    assert exact == {7: 0, 3: 0, 9: 1}
    many = [(i, 0) for i in range(1, 2 * MAX_CANDIDATES)]
    assert len(ranked_candidates("x y", "y", many, [])[0]) == MAX_CANDIDATES


def test_without_a_matcher_only_an_exact_key_joins() -> None:
    speakers = {3: IngestSpeaker("Ada Lovelace", None)}
    assert choose_speaker("Ada Lovelace", [3], {3: 1}, speakers, None) == 3
    assert choose_speaker("Lovelace", [3], {3: 0}, speakers, None) is None


def test_the_matcher_sees_the_candidates_and_may_not_invent_one() -> None:
    speakers = {3: IngestSpeaker("Ada Lovelace", None, ["Ada Lovelace", "Lovelace"])}
    offered: list[Sequence[SpeakerCandidate]] = []

    def matcher(name: str, candidates: Sequence[SpeakerCandidate]) -> int | None:
        offered.append(candidates)
        return 3 if name == "Lovelace" else 42

    assert choose_speaker("Lovelace", [3], {3: 0}, speakers, matcher) == 3
    assert offered == [[SpeakerCandidate(3, "Ada Lovelace", ("Ada Lovelace", "Lovelace"))]]
    assert choose_speaker("Someone", [], {}, speakers, matcher) is None  # nobody to offer
    with pytest.raises(StoreError):
        choose_speaker("Other", [3], {3: 0}, speakers, matcher)
