"""Turning raw user text into safe FTS5 MATCH expressions.

User input reaches MATCH only through these builders: every word becomes a double-quoted FTS5
string (inner quotes doubled), so AND/OR/NEAR, `*`, `^`, column filters, parentheses,
unbalanced quotes and SQL text are all plain words and can never make MATCH raise. Builders
return None when nothing searchable is left, and callers then answer "no results" without
querying.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from itertools import islice

from newsbot.names import fold

MAX_TOKENS = 16
"""Words and phrases kept from a query: bounds the cost of one search, whatever was pasted."""

MAX_TRIGRAMS = 32
"""Trigrams kept from a fuzzy name query (a long name has ~20)."""

MAX_NAME_CHARS = 80
"""Characters of a typed name used for fuzzy lookups; names are shorter, pastes are not."""

# A quoted span is a phrase: straight quotes, English/German curly quotes and guillemets.
# An opening mark without its closing mark is no phrase; it stays part of a plain word.
_TERM = re.compile(r'"([^"]*)"|“([^”]*)”|„([^“]*)“|«([^»]*)»|(\S+)')


# Control characters separate words, as FTS5's tokenizer reads them; and a NUL must never reach
# MATCH, because FTS5 reads its query as a C string that the NUL would end inside a quoted
# word ("unterminated string").
_SEPARATORS = dict.fromkeys([*range(0x20), 0x7F], " ")


def _searchable(chunk: str) -> bool:
    # Mirrors what FTS5's unicode61 tokenizer indexes: letters and digits. A chunk of pure
    # punctuation would become an empty phrase, which matches nothing.
    return any(ch.isalnum() for ch in chunk)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _terms(query: str) -> list[str]:
    """The words and "quoted phrases" of `query` that FTS5 can match, at most MAX_TOKENS."""
    terms: list[str] = []
    text = unicodedata.normalize("NFKC", query).translate(_SEPARATORS)
    for match in _TERM.finditer(text):
        word = match.group(5)
        if word is not None:
            if _searchable(word):
                terms.append(word)
        else:
            phrase = next(group for group in match.groups()[:4] if group is not None)
            words = [chunk for chunk in phrase.split() if _searchable(chunk)][:MAX_TOKENS]
            if words:
                terms.append(" ".join(words))
        if len(terms) == MAX_TOKENS:
            break
    return terms


def match_expression(query: str) -> str | None:
    """MATCH expression requiring every word and "quoted phrase" of `query`, or None.

    `budget "green bond"` becomes `"budget" "green bond"`: the word budget and the phrase
    green bond, both required (FTS5's implicit AND).
    """
    terms = _terms(query)
    return " ".join(map(_quote, terms)) if terms else None


SNIPPET_SCAN_CHARS = 50_000
"""Characters of a text that snippet() reads: far beyond a news story, and a bound on the cost.

FTS5's own snippet() weighs every match position of a document, which is quadratic: on one
480 KB article of a repeated word it held the store for 26 s.
"""

# The tokens unicode61 indexes: runs of letters and digits. names.fold compares them as
# unicode61 with remove_diacritics does: no case, no accents, ı ł ø đ as i l o d.
_WORD = re.compile(r"[^\W_]+")


def snippet(text: str, query: str, *, words: int = 16) -> str:
    """About `words` words of `text` around the densest cluster of `query`'s words, each
    match between "\x02" and "\x03", with "…" where text was cut; the start of `text` when
    none of the words occurs in its first SNIPPET_SCAN_CHARS characters.
    """
    # The words to mark; a one-letter piece of a longer word ("harbour's" → "s") would mark
    # every "s" of the text.
    parts = [(w, term) for term in _terms(query) for w in _WORD.findall(term)]
    wanted = {fold(w) for w, term in parts if len(w) > 1 or len(term) == 1}
    prefix = text[:SNIPPET_SCAN_CHARS]
    # findall and a set look-up per word, in C where the text allows: a search page makes
    # several snippets, and most articles are plain ASCII, where lower() is the whole fold.
    if prefix.isascii():
        folded = _WORD.findall(prefix.lower())
    else:
        folded = [fold(word) for word in _WORD.findall(prefix)]
    if not folded:
        return ""
    hits = [i for i, word in enumerate(folded) if word in wanted]
    start, best = 0, 0
    # Each of the first hits opens a candidate window (two words of context before it); the
    # window holding the most different query words wins, the earliest on a tie.
    for hit in hits[: words * 8]:
        first = max(0, hit - 2)
        inside = hits[bisect_left(hits, first) : bisect_left(hits, first + words)]
        found = {folded[i] for i in inside}
        if len(found) > best:
            start, best = first, len(found)
    end = min(len(folded), start + words)
    marked = set(hits)
    tokens = islice(_WORD.finditer(prefix), start, end)
    pieces = ["…" if start > 0 else ""]
    position: int | None = None
    for i, token in enumerate(tokens, start):
        if position is not None:
            pieces.append(prefix[position : token.start()])  # the spaces and marks between
        pieces.append(f"\x02{token.group()}\x03" if i in marked else token.group())
        position = token.end()
    cut = end < len(folded) or len(text) > SNIPPET_SCAN_CHARS
    pieces.append("…" if cut else text[position:])
    return "".join(pieces)


def best_snippet(title: str, body: str, query: str) -> str:
    """The body's snippet, or the title's when only the title holds the words."""
    made = snippet(body, query)
    if "\x02" in made:
        return made
    titled = snippet(title, query)
    return titled if "\x02" in titled else made


def trigram_any(key: str) -> str | None:
    """MATCH expression for a trigram table matching any trigram of `key`, or None.

    Ranking by bm25 then puts aliases sharing most (and the rarest) trigrams first, which is
    what makes a one-letter typo in a long name still find it.
    """
    trigrams: dict[str, None] = {}  # insertion-ordered set
    for i in range(len(key) - 2):
        gram = key[i : i + 3]
        if gram.strip():
            trigrams[gram] = None
            if len(trigrams) == MAX_TRIGRAMS:
                break
    if not trigrams:
        return None
    return " OR ".join(_quote(gram) for gram in trigrams)


MIN_SPLIT_CHARS = 8
"""Name keys at least this long are looked up as two halves; shorter ones by any trigram."""


def fuzzy_name(key: str) -> list[str]:
    """MATCH expressions for the trigram alias index that together survive one typo in `key`.

    A trigram-table phrase matches a substring. One typo (a wrong, missing, extra or swapped
    letter) spoils at most one half of a name, so looking up each half still reaches the
    intended alias; a half is also far more selective than any single trigram. Keys too short
    to halve are looked up by any of their trigrams.
    """
    key = key[:MAX_NAME_CHARS]
    if len(key) < MIN_SPLIT_CHARS:
        expression = trigram_any(key)
        return [] if expression is None else [expression]
    middle = len(key) // 2
    return [_quote(key[:middle]), _quote(key[middle:])]


def _trigram_set(text: str) -> set[str]:
    padded = f"  {text} "  # padding lets first and last letters count as much as the rest
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two strings' trigram sets: 1.0 identical, 0.0 nothing shared."""
    grams_a, grams_b = _trigram_set(a), _trigram_set(b)
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
