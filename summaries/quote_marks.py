"""Find quoted spans in running text, whatever quotation-mark style the outlet uses.

One left-to-right pass per paragraph, so the cost is linear in the text length whatever the
marks look like. The scanner has to survive real copy: curly and straight double marks mixed
in one article, German „…“ and French «…», UK-style single quotes, apostrophes and inch marks
that look like closing marks, a closing mark forgotten at the end of a paragraph, and quotes
that run over several paragraphs (the opening mark repeated at each paragraph, the closing mark
only at the end). A mark that cannot be paired never reaches past its paragraph, so one stray
mark cannot swallow the rest of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Side = Literal["open", "close", "either"]

# Which way a glyph points on its own. „ and « only ever open; ” and » only ever close; “ opens
# in English but closes a German „ quote (handled by the pairing rule), " is ambiguous.
DOUBLE_MARKS: dict[str, Side] = {
    "“": "open",
    "„": "open",
    "«": "open",
    "”": "close",
    "»": "close",
    '"': "either",
    "‟": "open",
}
# The closing glyphs that may end a quote opened by a given glyph besides the generic closers.
EXTRA_CLOSERS: dict[str, str] = {"„": "“", "«": "»"}
SINGLE_OPENERS = "‘'"
_ANY_MARK = re.compile("[“„«”»\"‟‘'’]")
SINGLE_CLOSERS = "’'"
# Characters after which a mark reads as opening ("... said, “Yes") and before which it reads
# as closing ("yes,” he said).
OPEN_CONTEXT_BEFORE = " \t\n([{—–-/:;"
CLOSE_CONTEXT_AFTER = " \t\n)]}.,;:!?—–-/…"
SENTENCE_PUNCT = ".,;:!?…"


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """A quoted stretch of text: `start` is the opening mark, `end` is one past the closing mark.

    `closed` is False when the closing mark was missing and the span was cut at the end of its
    paragraph. `skip` holds the offsets of repeated opening marks inside a multi-paragraph
    quote, which are not part of the quoted words.
    """

    start: int
    end: int
    closed: bool
    skip: tuple[int, ...] = ()

    def inner_text(self, text: str) -> str:
        """The quoted words without the surrounding marks (and without repeated openers)."""
        inner_start = self.start + 1
        inner_end = self.end - 1 if self.closed else self.end
        if not self.skip:
            return text[inner_start:inner_end].strip()
        parts: list[str] = []
        cursor = inner_start
        for mark in self.skip:
            parts.append(text[cursor:mark])
            cursor = mark + 1
        parts.append(text[cursor:inner_end])
        return "".join(parts).strip()


def _context_side(text: str, i: int) -> Side:
    """Which way a mark at `i` points judging only by its neighbours."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    opens = before in OPEN_CONTEXT_BEFORE and not after.isspace()
    closes = after in CLOSE_CONTEXT_AFTER and not before.isspace()
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _is_single_opener(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    return (before.isspace() or before in "([—–") and after.isalpha()


def _is_single_closer(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if before.isspace() or after.isalnum():
        return False  # an apostrophe inside a word: don't, Kim’s, O’Brien
    # "the players’ union": a plural possessive, not the end of a quote
    return before in SENTENCE_PUNCT or after in SENTENCE_PUNCT or before not in "sS"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line; news copy puts one paragraph per line."""
    spans: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start <= length:
        end = text.find("\n", start)
        if end < 0:
            end = length
        if text[start:end].strip():
            spans.append((start, end))
        start = end + 1
    return spans


def _first_visible(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _last_visible_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[MarkedSpan], int | None]:
    """Pair the marks of one paragraph.

    Returns the closed spans and, when the paragraph ends inside a double quote, the offset of
    that quote's opening mark (the caller decides whether the quote carries on).
    """
    spans: list[MarkedSpan] = []
    # Open double marks, outermost first; a nested pair inside a quote is just quoted text.
    stack: list[int] = []
    single_open: int | None = None
    # jump from mark to mark: the text between marks never matters here
    for match in _ANY_MARK.finditer(text, start, end):
        i = match.start()
        ch = text[i]
        glyph_side = DOUBLE_MARKS.get(ch)
        if glyph_side is not None:
            if single_open is not None:
                continue  # a double quote nested inside a UK-style single quote
            side = glyph_side if glyph_side != "either" else _context_side(text, i)
            if stack:
                opener = text[stack[-1]]
                context = _context_side(text, i)
                closes = (
                    side == "close"
                    or ch == EXTRA_CLOSERS.get(opener)
                    or (side == "either")
                    or (context == "close" and ch in "“„")  # “Hi.“ typed the wrong way round
                )
                if closes:
                    opened = stack.pop()
                    if not stack:
                        spans.append(MarkedSpan(opened, i + 1, True))
                else:
                    stack.append(i)
            elif side == "open" or (side == "close" and _context_side(text, i) == "open"):
                # the second case is a ” typed as an opener, e.g. ”Hello at a paragraph start
                stack.append(i)
            # otherwise: a closing mark with nothing open (inch mark, stray) is ignored
        elif not stack and ch in SINGLE_OPENERS and single_open is None:
            if _is_single_opener(text, i):
                single_open = i
        elif (
            not stack
            and ch in SINGLE_CLOSERS
            and single_open is not None
            and _is_single_closer(text, i)
        ):
            spans.append(MarkedSpan(single_open, i + 1, True))
            single_open = None
    return spans, (stack[0] if stack else None)


def find_quoted_spans(text: str) -> list[MarkedSpan]:
    """All top-level quoted spans of `text` in order; never raises, linear time."""
    spans: list[MarkedSpan] = []
    carried: MarkedSpan | None = None  # a multi-paragraph quote still waiting for its close
    for start, end in _paragraphs(text):
        first = _first_visible(text, start, end)
        found, unclosed = _scan_paragraph(text, first, end)
        continues = carried is not None and DOUBLE_MARKS.get(text[first]) in ("open", "either")
        if carried is not None and not continues:
            spans.append(carried)
            carried = None
        if carried is not None:
            # the paragraph opens with the repeated mark of the same quote: either it closes
            # here (its first span starts at that mark) or it carries on again
            skip = (*carried.skip, first)
            if found and found[0].start == first:
                spans.append(MarkedSpan(carried.start, found[0].end, True, skip))
                found = found[1:]
                carried = None
            elif unclosed == first:
                carried = MarkedSpan(
                    carried.start, _last_visible_end(text, first, end), False, skip
                )
                unclosed = None
            else:
                spans.append(carried)
                carried = None
        spans.extend(found)
        if unclosed is not None:
            span = MarkedSpan(unclosed, _last_visible_end(text, unclosed, end), False)
            if unclosed == first:
                carried = span  # may continue in the next paragraph
            else:
                spans.append(span)
    if carried is not None:
        spans.append(carried)
    return spans
