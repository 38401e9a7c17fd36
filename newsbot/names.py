"""Person names as keys: folding, normalised names and surname keys — the one home of these.

Both sides use it: summaries (quote attribution, /who_said ranking) compares names with
these keys, and the store (data) files, looks up and migrates speakers by them. It imports
nothing else from newsbot, so either may import it without depending on the other.

Accents and case are folded, leading titles and trailing generational suffixes dropped,
a hyphen read as a space ("Asante-Bright" and "Asante Bright" are written alike), and
transliteration variants of a surname (Zelensky / Zelenskiy / Zelenskyy) fold to one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _word_set(spaced: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(spaced.split())


# Honorifics and office titles that may precede a name ("President Putin", "Dr. Tam"). They
# never belong to the person's name, so they are removed before comparing or storing names.
TITLE_WORDS = _word_set("""
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister
    bishop archbishop cardinal pope rabbi imam sheikh president vice prime minister premier
    mayor deputy senator sen rep representative congressman congresswoman gov governor
    lt gen general col colonel maj major capt captain sgt sergeant cpl corporal const
    constable insp inspector supt superintendent det detective sheriff chief judge justice
    attorney secretary chancellor king queen prince princess emperor ambassador commissioner
    councillor councilor coun cllr alderman mp mpp mla mna mep speaker leader chair chairman
    chairwoman chairperson ceo cfo coach director spokesperson spokesman spokeswoman
    officer minister critic treasurer auditor ombudsman commander admiral marshal
    """)
# Generational suffixes are part of the written name but not of the surname key.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Spelling variants that transliteration from Cyrillic, Arabic, Chinese... produces; applied to
# surname keys only, in order. Word-final -iy/-yy/-ii/-yi all render the same sound.
_TRANSLIT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:iy|yy|ii|yi|ij)$"), "y"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"q(?!u)"), "k"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(.)\1+"), r"\1"),
)
_TOKEN = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?")

# Latin letters that carry their mark in the letter itself, so decomposition leaves them as
# they are; writers drop the mark as often as the accents ("Aydın" / "Aydin"), and FTS5's
# remove_diacritics folds them too.
_UNMARKED = str.maketrans("ıłŁøØđĐ", "ilLoOdD")


def fold(text: str) -> str:
    """Casefold and strip accents; letters of scripts without accents are kept as they are."""
    if text.isascii():
        return text.casefold()  # nothing to strip: the common case, kept cheap
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNMARKED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=4096)
def name_tokens(name: str) -> tuple[str, ...]:
    """Folded name tokens with leading titles, possessives and apostrophes removed; a
    hyphenated token stays one ("asante-bright").

    Cached: a /who_said query is compared with dozens of candidate names, and the store's
    speaker matching meets the same names over and over.
    """
    tokens = [t.replace("’", "'") for t in _TOKEN.findall(fold(name))]
    tokens = [t[:-2] if t.endswith("'s") else t for t in tokens]
    tokens = [t.replace("'", "") for t in tokens if t]
    while len(tokens) > 1 and tokens[0] in TITLE_WORDS:
        tokens.pop(0)
    return tuple(tokens)


def name_words(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Name tokens with hyphenated ones split: writers drop a name's hyphen as often as they
    keep it ("Asante-Bright", "Asante Bright"), so keys must not depend on it."""
    return tuple(word for token in tokens for word in token.split("-") if word)


def normalize_name(name: str) -> str:
    """A name's key: case- and accent-free, without leading titles, hyphens read as spaces:
    "Dr. José Núñez" → "jose nunez", "Asante-Bright" → "asante bright"."""
    return " ".join(name_words(name_tokens(name)))


def last_name(tokens: tuple[str, ...]) -> str:
    """The last of the tokens that is not a generational suffix ("King" of "King Jr")."""
    while len(tokens) > 1 and tokens[-1] in NAME_SUFFIXES:
        tokens = tokens[:-1]
    return tokens[-1] if tokens else ""


@lru_cache(maxsize=4096)
def translit_key(token: str) -> str:
    """A folded surname with its transliteration variants merged ("zelenskiy" → "zelensky")."""
    # Cached like name_tokens: six substitutions per surname, for every candidate compared.
    for pattern, replacement in _TRANSLIT_RULES:
        token = pattern.sub(replacement, token)
    return token


def surname_key(name: str) -> str:
    """The last name as a matching key: folded, and with transliteration variants merged.

    "Volodymyr Zelenskyy", "Zelenskiy" and "President Zelensky" all give "zelensky"; "" when
    the name has no word at all.
    """
    return translit_key(last_name(name_words(name_tokens(name))))
