"""Rule-based sentence segmentation that needs no downloaded data.

`split_sentences` finds candidate boundaries with one linear regex pass (terminal punctuation
followed by whitespace, paragraph breaks, bullets and numbered list markers) and decides each
candidate from a few characters of context on either side: the word the punctuation ends and
the word that follows. That keeps it fast (linear in the text, no backtracking-prone patterns)
while handling abbreviations (Mr., U.S., Gen., Jan.), initials, decimals, ellipses, quotes that
close after the full stop and headlines without final punctuation (a blank line always ends a
sentence). Every `Sentence` carries offsets into the text it came from, so callers such as the
quote extractor can map back to the original characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: `text == source[start:end]`, stripped of surrounding whitespace."""

    start: int
    end: int
    text: str


def _wordset(spaced: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string, for long word lists."""
    return frozenset(spaced.split())


# Titles that precede a name: the following capitalised word never starts a new sentence.
_TITLES = _wordset(
    """mr mrs ms mx dr prof gen sen rep gov lt col capt cpt sgt maj adm cmdr cpl pvt supt det
    insp rev fr hon pres mt st ft messrs mme mlle sr jr dept no nos nr vol fig pp p op ch art
    sec cf vs v ave blvd rd"""
)

# Abbreviations that can end a sentence: a boundary only when a typical sentence opener follows.
_ABBREVIATIONS = _wordset(
    """inc co corp ltd llc plc bros etc al approx est dept univ assn jan feb mar apr jun jul aug
    sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun am pm a.m p.m e.g i.e
    u.s u.k u.n e.u u.s.a"""
)

# Words that begin sentences far more often than they continue a name or title.
_OPENERS = _wordset(
    """the a an he she it they we i you his her its their our my your this that these those
    there here but and or so yet in on at as if when while what how why who where after before
    however some many most one two no not all both each every then now also still since
    although though because for from with by to of meanwhile today yesterday tomorrow last
    next earlier later instead indeed"""
)

# A run of terminal punctuation (or a spaced ". . ." ellipsis), then closing quotes/brackets.
# The spaced ellipsis alternative comes first so ". . . ." is read as one unit.
_CANDIDATE = re.compile(
    r"(?:\.(?: \.){2,}|[.!?…]+)[\"'’”»)\]]*(?=\s)|\n[ \t\r\f\v]*\n\s*"
    r"|(?<=\s)(?=[•⁃▪●◦‣]\s?\S)"
)
_BULLETS = "•⁃▪●◦‣"
# Numbered / lettered list markers such as "1.", "2.)", "b." preceded by whitespace.
_LIST_MARKER = re.compile(r"(?:(?<=\s)|^)[•⁃▪●◦‣]?\s?(\d{1,3}|[a-z])(\.\)|\)|\.)(?= )")
_WORD_BEFORE = re.compile(r"(\S*?)[.!?…\"'’”»)\]]*$")
_LOOKBACK = 60  # characters inspected before a candidate; bounds the per-candidate cost


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences with offsets into it; empty or blank text gives []."""
    cuts = _boundaries(text)
    sentences: list[Sentence] = []
    start = 0
    for cut in [*cuts, len(text)]:
        _append(sentences, text, start, cut)
        start = cut
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    """Append text[start:end] minus surrounding whitespace, unless it is blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(start, end, text[start:end]))


def _boundaries(text: str) -> list[int]:
    """Offsets where a new sentence starts, in increasing order."""
    items = _list_item_starts(text)
    cuts = set(items)
    for match in _CANDIDATE.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        if not token.strip():
            # Paragraph breaks and bullets (a zero-width match) always start a new sentence.
            cuts.add(end)
        elif token.startswith(". .") and start > 0 and not text[start - 1].isspace():
            # "compounds. . . . The": the full stop ends the sentence and the spaced ellipsis
            # opens the next one (an omission at the start of the quoted sentence).
            if token.count(".") >= 4 and _ends_sentence(text, start, end, items):
                cuts.add(start + 1)
        elif _ends_sentence(text, start, end, items):
            cuts.add(end)
    return sorted(c for c in cuts if 0 < c < len(text))


def _ends_sentence(text: str, start: int, end: int, items: set[int]) -> bool:
    """Decide whether the punctuation at text[start:end] closes a sentence."""
    punct = text[start:end].rstrip("\"'’”»)]")
    following = _next_word(text, end)
    if not following:
        return True
    first = following[0]
    opener = first in "\"'“‘«([" and len(following) > 1
    head = following[1] if opener else first
    if head.islower() or head in ",;:-–—":
        # "Yahoo! in", '"Great." she said', "Co. at noon": a lower-case continuation.
        return False
    if head.isdigit():
        # "p. 55", "No. 1026", "Jan. 5": numbers rarely open sentences after a period.
        return punct[-1] in "!?" or punct.endswith("..")
    if opener and first == "(":
        return False  # a parenthetical citation such as "(Smith 55)" continues the sentence
    if "." not in punct or punct[-1] in "!?…":
        return True
    if punct.startswith(". ."):
        # A spaced ". . ." ellipsis marks an omission inside the sentence; four dots end it.
        return punct.count(".") >= 4
    if len(punct) > 1:
        return True  # "that...." / "end.." style: an ellipsis before a capitalised word
    return _period_ends_sentence(text, start, following, items)


def _period_ends_sentence(text: str, dot: int, following: str, items: set[int]) -> bool:
    """A single full stop before a capitalised word: tell abbreviations from sentence ends."""
    window = text[max(0, dot - _LOOKBACK) : dot]
    match = _WORD_BEFORE.search(window.rsplit(None, 1)[-1] if window.strip() else "")
    word = match.group(1) if match else ""
    bare = word.lstrip("\"'“‘«([").casefold()
    next_word = following.lstrip("\"'“‘«([").rstrip(".,;:!?\"'’”»)]").casefold()
    starts_sentence = next_word in _OPENERS
    if not bare:
        return True
    if bare in _TITLES:
        return False
    if _is_list_marker(text, dot, word, items):
        return False  # "1. The first item": the marker opens its own sentence
    if len(bare) == 1 and bare.isalpha():
        if word == "I" and _previous_word_is_lower(text, dot - len(word)):
            return True  # "you and I. Did ..." – the pronoun, not an initial
        return starts_sentence  # "Jonas E. Smith" vs "Plan B. The ..."
    if bare in _ABBREVIATIONS or _is_dotted_acronym(bare):
        return starts_sentence  # "U.S. Government" vs "the U.S. How about you?"
    return True


def _next_word(text: str, end: int) -> str:
    """The whitespace-delimited word after offset `end` (bounded look-ahead)."""
    window = text[end : end + _LOOKBACK].split(None, 1)
    return window[0] if window else ""


def _previous_word_is_lower(text: str, before: int) -> bool:
    """True when the word ending before offset `before` starts lower-case."""
    words = text[max(0, before - _LOOKBACK) : before].split()
    return bool(words) and words[-1][:1].islower()


def _is_dotted_acronym(word: str) -> bool:
    """'u.s', 'e.u', 'a.m' – single letters joined by dots."""
    parts = word.split(".")
    return len(parts) > 1 and all(len(p) == 1 and p.isalpha() for p in parts)


def _is_list_marker(text: str, dot: int, word: str, items: set[int]) -> bool:
    """A list label ("1", "b", "⁃9") opening a list item or a sentence."""
    core = word.lstrip(_BULLETS)
    if not (core.isdigit() and len(core) <= 3) and not (len(core) == 1 and core.islower()):
        return False
    begin = dot - len(word)
    return word[:1] in _BULLETS or begin in items or _at_sentence_start(text, begin)


def _list_item_starts(text: str) -> set[int]:
    """Starts of list items written inline: "1) first 2) second" splits before "2)".

    A chain of markers must begin where a sentence begins ("1." at the start of a line) and
    each marker must follow the previous one in the same style (2 after 1, b after a), so a
    stray number before a full stop ("He was 42. She") is never taken for a list item.
    """
    starts: set[int] = set()
    last: dict[str, str] = {}
    for match in _LIST_MARKER.finditer(text):
        value, style = match.group(1), match.group(2)
        previous = last.get(style)
        if previous is not None and _follows(previous, value):
            starts.add(match.start())
            last[style] = value
        elif value in ("1", "a") and _at_sentence_start(text, match.start()):
            last[style] = value
    return starts


def _at_sentence_start(text: str, offset: int) -> bool:
    """True at the start of the text, a line, or right after terminal punctuation."""
    before = text[max(0, offset - _LOOKBACK) : offset].rstrip(" \t")
    return not before or before[-1] in "\n.!?" + _BULLETS


def _follows(previous: str, value: str) -> bool:
    """True when `value` is the list label right after `previous` (2 after 1, b after a)."""
    if previous.isdigit() and value.isdigit():
        return int(value) == int(previous) + 1
    return len(previous) == len(value) == 1 and ord(value) == ord(previous) + 1
