"""Tokens and name mentions of an article, with the quoted words masked out.

Attribution reasons about the words *around* quotes, so every quoted span becomes one QUOTE
token: a name inside a quote is not a speaker, and a full stop inside a
quote does not end the surrounding sentence. Name mentions are capitalised runs of words
("U.S. President Donald Trump"), split into a role ("U.S. President") and a name ("Donald
Trump"). Whether a mention is a person, a place or an organisation is guessed from its words;
the guess only has to be good enough to pick pronoun antecedents and expand surnames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import accumulate, compress, count
from operator import itemgetter

from newsbot.summaries.quote_marks import MarkedSpan
from newsbot.summaries.speakers import TITLE_WORDS

QUOTE = "\ue000"  # a private-use character: never a word, never punctuation of real text
BREAK = "\n"
# A token is a line break (with the whitespace after it), a word or one other character; the
# group makes `split` return the tokens interleaved with the skipped spaces between them.
_TOKENS = re.compile(r"(\n\s*|\w+(?:['’\-.&]\w+)*|[^\w\s])")


def _word_set(spaced: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(spaced.split())


# Capitalised words that start sentences or clauses but never belong to a name.
FUNCTION_WORDS = _word_set("""
    a an the this that these those it its he she they we i you his her their our my your him
    them us me and but or nor so yet for if when while as because although though since after
    before until unless where whereas whether then there here also still meanwhile however
    instead in on at by of to from with without about into over under between among through
    during against despite according asked said says told added what who whom whose which why
    how not no yes all some many most more much several both each every other another such one
    two three four five six seven eight nine ten last next first second third new
    """)
# Words that make a capitalised run an organisation, a place or a thing rather than a person.
NON_PERSON_WORDS = _word_set("""
    ministry department agency office service services police force forces council government
    university college school institute centre center hospital health foundation association
    union party committee commission board court bank company corp corporation inc ltd group
    network news press times post globe star journal herald sun tribune cbc ctv bbc cnn reuters
    radio television tv club league team fund trust society church city county province state
    states republic kingdom nation nations united north south east west northern southern
    eastern western new street avenue road river lake mount island islands park airport
    station canada ontario quebec alberta manitoba saskatchewan columbia america american
    canadian british china chinese russia russian korea korean japan india europe european
    washington ottawa toronto montreal vancouver calgary edmonton london paris beijing moscow
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday day week year house senate
    parliament congress white kremlin pentagon nato un eu world international national federal
    royal general hall square tower building act law report award cup games olympic
    olympics festival day christmas easter twitter facebook instagram youtube google amazon
    studio studios llp llc resorts resort open championship tournament hydro energy media
    press agency airlines motors foods inc development science innovation affairs defence
    defense finance economic economy security environment front alliance movement coalition
    caucus federation confederation
    """)
PRONOUN_GENDER: dict[str, str] = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
HONORIFIC_GENDER: dict[str, str] = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "father": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "queen": "f",
    "princess": "f",
    "sister": "f",
}
# Lower-case words that may join a name ("Ludwig van Beethoven", "Charles de Gaulle").
NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "del", "la", "le"})
_MAX_NAME_TOKENS = 8
# Titles written with a full stop that belongs to the name run ("Dr. Theresa Tam").
_ABBREVIATED_TITLES = _word_set(
    "mr mrs ms dr prof st sen rep gov gen lt col capt sgt rev hon jr sr supt insp det"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A capitalised run of words naming someone or something.

    `first`/`last` are token indices (inclusive); `name` excludes the role words in front.
    """

    first: int
    last: int
    name: str
    role: str | None
    person: bool
    gender: str | None


class Tokens:
    """The article as parallel arrays of token texts and offsets, each quote one QUOTE token.

    Quotes are tokenised span by span rather than by masking and re-matching, so two quotes
    with nothing between them ("“A”“B”") stay two tokens and `quote_at` stays aligned.
    """

    __slots__ = ("ends", "quote_at", "starts", "texts")

    def __init__(self, text: str, spans: list[MarkedSpan]) -> None:
        self.texts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        # token index of each quoted span, in span order
        self.quote_at: list[int] = []
        cursor = 0
        for span in spans:
            self._add_plain(text, cursor, span.start)
            self.quote_at.append(len(self.texts))
            self.texts.append(QUOTE)
            self.starts.append(span.start)
            self.ends.append(span.end)
            cursor = span.end
        self._add_plain(text, cursor, len(text))

    def _add_plain(self, text: str, start: int, end: int) -> None:
        # The hot loop of attribution: `split` cuts text[start:end] into [gap, token, gap,
        # token, …, gap] in C, and the running sum of part lengths gives every token's start
        # and end, so no Python code runs per token except the line-break check.
        plain = text[start:end]
        parts = _TOKENS.split(plain)
        offsets = list(accumulate(map(len, parts), initial=start))
        tokens = parts[1::2]
        if "\n" in plain:
            tokens = [BREAK if token[0] == "\n" else token for token in tokens]
        self.texts += tokens
        self.starts += offsets[1:-1:2]
        self.ends += offsets[2::2]

    def __len__(self) -> int:
        return len(self.texts)

    def span_text(self, text: str, first: int, last: int) -> str:
        """The original text covered by tokens first..last (inclusive)."""
        return text[self.starts[first] : self.ends[last]]


def is_capitalised(token: str) -> bool:
    return token[0].isupper() and token.casefold() not in FUNCTION_WORDS


def _is_abbreviation(token: str) -> bool:
    return "." in token or token.casefold() in _ABBREVIATED_TITLES


def name_run_end(tokens: Tokens, first: int) -> int:
    """The last token index of the capitalised run starting at `first` (inclusive)."""
    texts = tokens.texts
    count = len(texts)
    stop = min(count, first + _MAX_NAME_TOKENS)
    i = last = first
    while i < stop:
        token = texts[i]
        if token[0].isupper():
            if len(token) == 1 and i + 1 < count and texts[i + 1] == ".":
                last = i + 1  # "J." – an initial, its full stop included
                i += 2
            else:
                last = i
                i += 1
            continue
        if token[0].isalpha() and not token.isascii() and token.isalpha():
            last = i
            i += 1
            continue
        if (
            token == "."
            and i > first
            and _is_abbreviation(texts[i - 1])
            and i + 1 < count
            and texts[i + 1][0].isupper()
        ):
            i += 1  # "U.S. President", "Dr. Tam": the full stop of an abbreviation
            continue
        if token in NAME_PARTICLES and i + 1 < count and texts[i + 1][0].isupper():
            i += 1
            continue
        break
    return last


def split_role(words: list[str]) -> tuple[list[str], list[str]]:
    """Split "U.S. President Donald Trump" into (["U.S.", "President"], ["Donald", "Trump"])."""
    cut = 0
    for k, word in enumerate(words[:-1]):
        if word.casefold().rstrip(".") in TITLE_WORDS:
            cut = k + 1
    return words[:cut], words[cut:]


def strip_possessive(name: str) -> str:
    return name[:-2] if name.endswith(("'s", "’s")) else name


def make_mention(text: str, tokens: Tokens, first: int, last: int) -> Mention | None:
    """Build a mention for tokens first..last, or None when nothing name-like is left."""
    texts = tokens.texts
    while first <= last and texts[first].casefold() in FUNCTION_WORDS:
        first += 1
    if first > last:
        return None
    if first == last:
        # Most runs are one word ("Police", "Smith"): no role, and too little to call a person.
        if texts[first] == ".":
            return None
        name = strip_possessive(text[tokens.starts[first] : tokens.ends[first]])
        return Mention(first, last, name, None, False, None)
    words: list[str] = []
    word_first: list[int] = []
    i = first
    while i <= last:
        token = texts[i]
        if len(token) == 1 and token.isupper() and i + 1 < len(texts) and texts[i + 1] == ".":
            words.append(token + ".")  # an initial
            word_first.append(i)
            i += 2
            continue
        if token != ".":
            words.append(token)
            word_first.append(i)
        i += 1
    if not words:
        return None
    if len(words) >= 3 and words[0].endswith(("'s", "’s")):
        # "Halvonia's Irina Bonder", "Acme's Chief Executive Jo Hart": the possessor is neither
        # the name nor the role
        words, word_first = words[1:], word_first[1:]
        first = word_first[0]
    role_words, name_words = split_role(words)
    name_first = word_first[len(role_words)]
    name = strip_possessive(tokens.span_text(text, name_first, last))
    role = tokens.span_text(text, first, word_first[len(role_words) - 1]) if role_words else None
    folded = [w.casefold().rstrip(".") for w in name_words]
    # Two or more tokens read as a person unless one of the name's words says otherwise.
    person = not any(w in NON_PERSON_WORDS for w in folded)
    if role_words and folded[0] in NON_PERSON_WORDS:
        person = False
    gender = None
    for word in role_words:
        gender = HONORIFIC_GENDER.get(word.casefold().rstrip("."), gender)
    return Mention(first, last, name, role, person, gender)


def find_mentions(text: str, tokens: Tokens) -> list[Mention]:
    """Every capitalised run of the masked article, in order."""
    mentions: list[Mention] = []
    texts = tokens.texts
    # Only a capitalised token can open a run: compress picks them out in C, more cheaply
    # than looking at every token in the loop below.
    candidates = compress(count(), map(str.isupper, map(itemgetter(0), texts)))
    free = 0  # the first token not yet part of a run
    for i in candidates:
        token = texts[i]
        if i < free or not token[0].isalpha() or token.casefold() in FUNCTION_WORDS:
            continue
        last = name_run_end(tokens, i)
        mention = _titled_name(text, tokens, i, last) or make_mention(text, tokens, i, last)
        if mention is not None:
            if mention.person and mention.role is None and _names_part_of(mentions, texts, i):
                mention = replace(mention, person=False)
            mentions.append(mention)
            last = max(last, mention.last)
        free = last + 1
    return mentions


def _names_part_of(mentions: list[Mention], texts: list[str], first: int) -> bool:
    """Whether the run at `first` ends an organisation's or place's name: "Institute of
    Marine Research", "University of Kent" (the run breaks at "of", so it comes apart).

    The run before "of" must end in a word such as "Institute": in "Part of Ian Poulter's
    punishment" the sentence's first word makes a run of its own, and Poulter is a person.
    """
    if first < 2 or texts[first - 1] != "of" or not mentions:
        return False
    previous = mentions[-1]
    return previous.last == first - 2 and texts[first - 2].casefold() in NON_PERSON_WORDS


def _titled_name(text: str, tokens: Tokens, first: int, last: int) -> Mention | None:
    """ "Secretary of State Antony Blinken": a title, "of", a portfolio, then a two-word name.

    The capitalised run breaks at "of", so without this the portfolio would open the name
    ("State Antony Blinken"). The last two words are taken as the name: portfolios run to
    several words ("Minister of Innovation, Science …"), given names and surnames rarely do.
    """
    texts = tokens.texts
    start = last + 2
    if first != last or texts[first].casefold() not in TITLE_WORDS or start >= len(texts):
        return None
    if texts[last + 1] != "of" or not texts[start][0].isupper():
        return None
    end = name_run_end(tokens, start)
    if end - start < 2 or "." in texts[end - 1 : end + 1]:
        return None
    name = strip_possessive(tokens.span_text(text, end - 1, end))
    role = tokens.span_text(text, first, end - 2)
    return Mention(first, end, name, role, True, None)
