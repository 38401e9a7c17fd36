"""Speaker names across articles: variant matching and /who_said ranking.

Quote extraction resolves a speaker inside one article; this module decides whether two names
from different articles denote the same person, so the store can merge "Putin", "President
Putin" and "Vladimir Putin" into one speaker while keeping Joe Biden apart from Hunter Biden.
Everything is pure string logic over the keys of newsbot.names (folded, titles dropped,
transliteration variants of a surname merged), with a typo tolerated in long names.
"""

from __future__ import annotations

from newsbot.names import (
    NAME_SUFFIXES,
    TITLE_WORDS,
    fold,
    last_name,
    name_tokens,
    name_words,
    normalize_name,
    surname_key,
    translit_key,
)

# The name keys themselves (folding, titles, surnames, transliteration) live in newsbot.names,
# which the store uses too; they stay importable from here for the summaries that use them.
__all__ = [
    "NAME_SUFFIXES",
    "NICKNAMES",
    "TITLE_WORDS",
    "fold",
    "name_match_score",
    "normalize_name",
    "same_person",
    "surname_key",
]

# Common given-name short forms, so "Joe Biden" and "Joseph Biden" stay one person.
NICKNAMES: dict[str, str] = {
    "joe": "joseph",
    "bill": "william",
    "will": "william",
    "bob": "robert",
    "rob": "robert",
    "mike": "michael",
    "jim": "james",
    "jimmy": "james",
    "tom": "thomas",
    "dick": "richard",
    "rick": "richard",
    "dave": "david",
    "dan": "daniel",
    "chris": "christopher",
    "steve": "stephen",
    "tony": "anthony",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "kate": "katherine",
    "cathy": "catherine",
    "sam": "samuel",
    "ben": "benjamin",
    "alex": "alexander",
    "andy": "andrew",
    "nick": "nicholas",
    "matt": "matthew",
    "pat": "patrick",
    "ed": "edward",
    "ted": "edward",
    "jen": "jennifer",
    "vlad": "vladimir",
}


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or `limit + 1` as soon as it must exceed `limit` (names are short).

    Only the diagonal band |i - j| <= limit of the table is filled: a cell outside it already
    costs more than `limit`, so a tight limit makes the comparison nearly linear.
    """
    # A shared prefix and suffix do not change the distance; names that share a surname or a
    # given name leave only a few letters for the table.
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    if not a or not b:
        return len(a) or len(b)
    width = len(b)
    previous = [j if j <= limit else over for j in range(width + 1)]
    for i, ca in enumerate(a, 1):
        low, high = max(1, i - limit), min(width, i + limit)
        current = [over] * (width + 1)
        current[0] = i if i <= limit else over
        best = current[0]
        for j in range(low, high + 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != b[j - 1]))
            current[j] = cost if cost < over else over
            best = min(best, current[j])
        if best > limit:
            return over
        previous = current
    return previous[width]


def _surnames_match(a: str, b: str) -> bool:
    if a == b:
        return True
    ka, kb = translit_key(a), translit_key(b)
    if ka == kb:
        return True
    # a typo or an unlisted spelling variant, tolerated only in long names where it cannot
    # turn one common surname into another (Lee/Li, Kim/Kin stay apart)
    shorter = min(len(ka), len(kb))
    allowed = 2 if shorter >= 10 else 1 if shorter >= 6 else 0
    return allowed > 0 and _edit_distance(ka, kb, allowed) <= allowed


def _given_names_compatible(a: str, b: str) -> bool:
    """ "J" ~ "Joe", "Joe" ~ "Joseph", "Vladimir" ~ "Vladimir"; "Joe" ≁ "Hunter"."""
    a, b = NICKNAMES.get(a, a), NICKNAMES.get(b, b)
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return min(len(a), len(b)) >= 6 and _edit_distance(a, b, 1) <= 1


def same_person(a: str, b: str) -> bool:
    """Whether two names (from any articles) plausibly denote the same person.

    The surnames must match (case, accents, transliteration and a small typo tolerated);
    given names, when both names have one, must be compatible. A bare surname matches any
    full name with that surname: within a news archive "Putin" is Vladimir Putin.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    sa, sb = last_name(ta), last_name(tb)
    if not _surnames_match(sa, sb):
        # the hyphen of a double surname dropped on one side: "Asante Bright" and "Kwame
        # Asante-Bright", word for word the same
        words_a, words_b = name_words(ta), name_words(tb)
        if (words_a, words_b) == (ta, tb):
            return False  # no hyphen on either side: different surnames
        shorter, longer = sorted((words_a, words_b), key=len)
        return len(shorter) >= 2 and longer[-len(shorter) :] == shorter
    if len(ta) == 1 or len(tb) == 1:
        return True
    shorter, longer = sorted((ta, tb), key=len)
    if len(shorter) < len(longer) and longer[-len(shorter) :] == shorter:
        return True  # a compound surname on its own: "Le Drian" ~ "Jean-Yves Le Drian"
    return _given_names_compatible(ta[0], tb[0])


def _similarity(a: str, b: str, floor: float) -> float:
    """1 - normalised edit distance, in 0..1; 0.0 for anything below `floor`."""
    if not a or not b:
        return 0.0
    longest = max(len(a), len(b))
    limit = int(longest * (1.0 - floor))  # the largest distance that still reaches `floor`
    distance = _edit_distance(a, b, limit)
    return 0.0 if distance > limit else 1.0 - distance / longest


_FUZZY_WEIGHT = 0.85


def name_match_score(query: str, name: str, *, floor: float = 0.0) -> float:
    """How well a /who_said query designates a speaker name, from 0 (unrelated) to 1 (same).

    Exact normalised equality scores 1.0; the same person written differently (surname only,
    a title, a transliteration variant) 0.9; otherwise the edit similarity of the whole name or
    of the surname, scaled to stay below those, so a one-letter typo in a long name still ranks
    high (about 0.8) while a different first name with the same surname stays low. A score
    below `floor` may come back as 0.0: the edit distances are then cut off early, which keeps
    scoring dozens of candidates cheap.
    """
    tq, tn = name_tokens(query), name_tokens(name)
    if not tq or not tn:
        return 0.0
    if tq == tn:
        return 1.0
    if same_person(query, name):
        return 0.9
    least = floor / _FUZZY_WEIGHT
    fuzzy = max(
        _similarity(" ".join(tq), " ".join(tn), least),
        _similarity(tq[-1], last_name(tn), least),
    )
    score = _FUZZY_WEIGHT * fuzzy
    if len(tq) > 1 and len(tn) > 1 and not _given_names_compatible(tq[0], tn[0]):
        score = min(score, 0.5)  # Hunter Biden is not a typo of Joe Biden
    return round(score, 3)
