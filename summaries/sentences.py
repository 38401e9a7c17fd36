"""Rule-based sentence segmentation that needs no downloaded data.

`split_sentences` finds candidate boundaries with a few linear regex scans (terminal punctuation
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
from collections.abc import Iterator
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

# A run of terminal punctuation (or a spaced ". . ." ellipsis), then closing quotes/brackets;
# or a paragraph break. The spaced ellipsis alternative comes first so ". . . ." is read as one
# unit. Every alternative starts with the one character class in front, and lookbehinds tell
# them apart: a pattern that opens with a character class lets the regex engine skip ahead to
# the next candidate character in C instead of trying the pattern at every offset.
_CANDIDATE = re.compile(
    r"[.!?…\n](?:(?<=\.)(?: \.){2,}[\"'’”»)\]]*(?=\s)"
    r"|(?<=[.!?…])[.!?…]*[\"'’”»)\]]*(?=\s)"
    r"|(?<=\n)[ \t\r\f\v]*\n\s*)"
)
_BULLETS = "•⁃▪●◦‣"
# A bullet after whitespace and before a word starts a sentence (at the bullet).
_BULLET = re.compile(r"[•⁃▪●◦‣](?<=\s.)(?=\s?\S)")
# What follows the label of a list marker ("1." / "2.)" / "b)") and then a space; the label
# and what precedes it are checked in `_list_markers`.
_LIST_STYLE = re.compile(r"(?:\.\)|\)|\.)(?= )")
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
    cuts.update(match.start() for match in _BULLET.finditer(text))
    for match in _CANDIDATE.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        if token[0] == "\n":
            cuts.add(end)  # a paragraph break always starts a new sentence
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
    for start, value, style in _list_markers(text):
        previous = last.get(style)
        if previous is not None and _follows(previous, value):
            starts.add(start)
            last[style] = value
        elif value in ("1", "a") and _at_sentence_start(text, start):
            last[style] = value
    return starts


def _list_markers(text: str) -> Iterator[tuple[int, str, str]]:
    """(start, label, style) of every list marker: "1." / "b)" / "• 2.)" after whitespace.

    A marker is an optional bullet, an optional whitespace character, a label of one to three
    digits or one lower-case letter, then a style followed by a space. Scanning for the rare
    style characters and checking the few characters before them in Python is several times
    faster than a regex tried at every offset. A marker starts as early as it can, as a
    left-to-right regex scan would report it ("  • 2." starts at the bullet).
    """
    for match in _LIST_STYLE.finditer(text):
        label_end = match.start()
        label_start = _label_start(text, label_end)
        if label_start is None:
            continue
        for start in (label_start - 2, label_start - 1, label_start):
            if _marker_prefix(text, start, label_start):
                yield start, text[label_start:label_end], match.group()
                break


def _label_start(text: str, label_end: int) -> int | None:
    """Where a list label ending at `label_end` starts, if one can: one to three digits or one
    lower-case letter, after whitespace, a bullet or the start of the text."""
    start = label_end
    while start > 0 and label_end - start <= 3 and text[start - 1].isdecimal():
        start -= 1
    if start == label_end and start > 0 and "a" <= text[start - 1] <= "z":
        start -= 1
    if start == label_end or label_end - start > 3:
        return None
    if start > 0 and not (text[start - 1].isspace() or text[start - 1] in _BULLETS):
        return None  # the usual case, the last letter of a word: "said. The"
    return start


def _marker_prefix(text: str, start: int, label_start: int) -> bool:
    """Whether text[start:label_start] is an optional bullet then optional whitespace, and
    `start` is at the start of the text or after whitespace."""
    if start < 0 or (start > 0 and not text[start - 1].isspace()):
        return False
    prefix = text[start:label_start]
    if prefix and prefix[0] in _BULLETS:
        prefix = prefix[1:]
    return not prefix or (len(prefix) == 1 and prefix.isspace())


def _at_sentence_start(text: str, offset: int) -> bool:
    """True at the start of the text, a line, or right after terminal punctuation."""
    before = text[max(0, offset - _LOOKBACK) : offset].rstrip(" \t")
    return not before or before[-1] in "\n.!?" + _BULLETS


def _follows(previous: str, value: str) -> bool:
    """True when `value` is the list label right after `previous` (2 after 1, b after a)."""
    if previous.isdigit() and value.isdigit():
        return int(value) == int(previous) + 1
    return len(previous) == len(value) == 1 and ord(value) == ord(previous) + 1
