"""English cue words for sumy's Edmundson summarizer (sumy's defaults are Czech).

Edmundson's cue method rewards "bonus" words and penalises "stigma" words; "null" words are
ignored by its key and title methods. For news, bonus words are those of reported, attributable
facts (announcements, findings, figures, official actors) and stigma words mark page furniture,
hedging and first-person asides, which rarely belong in a summary.
"""

from __future__ import annotations


def _wordset(spaced: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string, for long word lists."""
    return frozenset(spaced.split())


BONUS_WORDS: frozenset[str] = _wordset(
    """according announced announcement confirmed revealed reported report found study
    official officials police government president minister court charged arrested killed
    died injured million billion percent cent first new largest record decision agreed
    approved rejected warned ruled elected launched accused investigation"""
)

STIGMA_WORDS: frozenset[str] = _wordset(
    """scroll click pictured picture photo photos video videos image images caption credit
    subscribe newsletter follow twitter facebook instagram share comments advertisement
    perhaps maybe hopefully anyway incidentally meanwhile i me my we us our you your"""
)
