"""Quote extraction and speaker attribution for news articles, with rules instead of models.

The pipeline is linear in the text: `quote_marks` pairs the quotation marks, `mentions` turns
the text outside quotes into tokens (each quote one QUOTE token) and capitalised name runs, and
this module decides, for each quoted span, whether it is speech and who said it:

* cue patterns around the quote in its sentence: a speech verb with its subject before or
  after the quote ("…,” Smith said / said Smith / Smith, the minister, said / Smith told
  reporters: “…” / according to Smith);
* a quote without a cue inherits the speaker of the previous quote, or the person the
  preceding sentence introduced;
* pronouns resolve to the last gender-compatible person, and a surname or title + surname
  resolves to the most complete name the article gives for that person;
* titles and appositives become the `role`; organisations and unnamed sources ("a senior
  official", "the Kremlin") are kept as written.

Short scare quotes and titles of works are dropped unless a speech verb attributes them.
Indirect speech ("X said that …") is reported as kind "indirect" when asked for.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, count
from typing import Literal

from newsbot.summaries.language import UNKNOWN
from newsbot.summaries.mentions import (
    BREAK,
    FUNCTION_WORDS,
    NON_PERSON_WORDS,
    PRONOUN_GENDER,
    QUOTE,
    Mention,
    Tokens,
    find_mentions,
    strip_possessive,
)
from newsbot.summaries.name_gender import first_name_gender
from newsbot.summaries.quote_marks import MarkedSpan, find_quoted_spans
from newsbot.summaries.speakers import TITLE_WORDS
from newsbot.summaries.speech_verbs import SPEECH_VERBS, WEAK_FORMS

QuoteKind = Literal["direct", "partial", "indirect"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed quote; `start`/`end` index the analysed text (marks included)."""

    start: int
    end: int
    text: str
    speaker: str | None
    role: str | None
    kind: QuoteKind
    verb: str | None


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str
    role: str | None
    person: bool
    gender: str | None


def _word_set(spaced: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(spaced.split())


# Words that may sit between a subject and its verb ("Smith also said", "she later told").
_ADVERBS = _word_set(
    """also later then once previously recently repeatedly often sometimes usually always never
    further simply just quickly
    flatly separately earlier again has have had will would could may might can has
    subsequently initially finally quietly publicly privately openly bluntly angrily
    """
)
# A be-form before a speech verb makes it passive ("was told", "is said"): not attribution.
_PASSIVE = _word_set("is was were are be been being")
# Words that end a noun phrase walked backwards from a verb, or forwards from a quote.
_NP_STOP = _word_set(
    """that which who whom whose when while if because although though as and but or so than
    is was were are be been being has have had do does did will would could should can may
    might must not no yes it its this these those there here where what how why in on at
    to from by with without into about after before since until over under during against
    between through yesterday today tomorrow monday tuesday wednesday thursday friday saturday
    sunday meanwhile however now also then still even only just
    """
)
# Prepositions that may join two nouns inside a speaker's noun phrase ("a spokesperson for the
# ministry", "analysts at Halden Ratings", "Ona Pell with the health authority").
_NP_LINKS = _word_set("of for at in with from")
_HONORIFICS = _word_set("mr mrs ms miss mx dr prof sir dame")
# The attribution rules read English; in another language they would take noun phrases
# ("Milliarden Kronen") for speakers, so there quotes are kept without one.
_RELATIVES = _word_set("which who whose where")
_DETERMINERS = _word_set("a an the one some many several two three four other another")
_PERSON_PRONOUNS = frozenset({"he", "she"})
_PREPOSITIONS = _word_set(
    "in on at to from by with without into about after before of for over under as and or"
)
# Words that open a new clause: a verb after them has its own subject ("While critics say").
_CLAUSE_OPENERS = _word_set("while but when although though because if as and whereas")
_POSSESSIVES = frozenset({"his", "her", "their", "our", "my", "your"})
# What _shown_role trims: a leading possessive, and everything from a relative clause on.
_ROLE_POSSESSIVES = _POSSESSIVES | {"its"}
_ROLE_CLAUSE_OPENERS = _RELATIVES | {"that"}
# Words before a speech verb that make it no cue: "to say", "could add", "may suggest", and
# the prepositions and determiners that make it a noun ("without notes", "her remarks").
# ("will say" and "would say" stay cues: "she would only say that …" reports speech.)
_NOT_BEFORE_CUE = _word_set(
    """to could may might can cannot should must without with of for in on at by from into
    the a an his her their its my our your"""
)
# What a person's words come in: "her statement said", "his letter says".
_DOCUMENT_NOUNS = _word_set("statement letter post tweet email message note memo release")
_POSSESSIVE_PRONOUN = {"his": "he", "her": "she", "their": "they", "its": "it"}
# Prepositions whose object is never the subject of the verb right after it.
_OBJECT_PREPOSITIONS = _word_set(
    "over under on during across through since until by into onto near behind beyond"
)
# Words of a role that only points at people already mentioned ("one of them", "another").
_PLACEHOLDER_ROLE_WORDS = _word_set("one another of them those these us both each all")
_PLURAL_PRONOUNS = frozenset({"they", "we"})
_SELF_PRONOUNS = frozenset({"i"})
_SENTENCE_END = frozenset({".", "!", "?", "…"})
_MAY_END_SENTENCE = _SENTENCE_END | {BREAK, QUOTE}
# Abbreviations whose full stop does not end a sentence.
_NO_BREAK_BEFORE_DOT = _word_set(
    """mr mrs ms dr prof st sen rep gov gen lt col capt sgt rev hon jr sr no vs etc inc corp co
    ltd jan feb mar apr jun jul aug sep sept oct nov dec"""
)
_TIME_WORDS = _word_set(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
    earlier later recently"""
)
_MIN_UNATTRIBUTED_WORDS = 4
_MAX_NP_TOKENS = 10
_MAX_APPOSITIVE_TOKENS = 24
_INHERIT_PARAGRAPHS = 2
# Tokens that end an appositive ("Tessa Galanis, 56, says"); only a comma lets the clause go on.
_APPOSITIVE_ENDS = frozenset({",", ".", ";", ":", "?", "!", QUOTE, BREAK})
# Heads of the definite descriptions that stand for an organisation named earlier
# ("Corvane received … The company noted …").
_ORGANISATION_NOUNS = _word_set(
    """company firm department ministry agency utility union bank commission board
    organization organisation corporation authority council regulator insurer airline"""
)
# Lower-case words that may stand between the initials of an acronym's expansion
# ("Harbour, Fisheries and Coastal Safety Canada" for HFCSC).
_ACRONYM_FILLERS = r"(?:,?\s+(?:(?:and|of|for|on|the|de|du|des|la|&)\s+)*)"
# How far back (in tokens) pronouns and uncued quotes look for a person: a few paragraphs.
# Without it, text without paragraph breaks would make every look-back scan the whole text.
_MAX_LOOKBACK_TOKENS = 400
# Only this much of a text is analysed. The longest news features are a fraction of it; the
# bound keeps hostile input (megabytes of quotation marks) well under a second.
MAX_ANALYSED_CHARS = 100_000


def _runs(starts: list[int], n: int) -> list[int]:
    """For n tokens split into runs beginning at `starts` (sorted, from 0): each one's run."""
    numbers: list[int] = []
    for number, (first, end) in enumerate(zip(starts, [*starts[1:], n], strict=True)):
        numbers += [number] * (end - first)
    return numbers


class _Article:
    """Tokens, mentions and sentence structure of one article, shared by all quotes."""

    def __init__(self, text: str, spans: list[MarkedSpan]) -> None:
        self.text = text
        self.spans = spans
        self.tokens = Tokens(text, spans)
        self.texts = self.tokens.texts
        self.lower = list(map(str.casefold, self.texts))
        self.mentions = find_mentions(text, self.tokens)
        self.mention_firsts = [m.first for m in self.mentions]
        self.mention_at: dict[int, Mention] = {}
        for mention in self.mentions:
            for i in range(mention.first, mention.last + 1):
                self.mention_at[i] = mention
        self.sentence_of, self.sentence_starts = self._sentences()
        self.paragraph_of = self._paragraphs()
        self.registry = _NameRegistry(self.mentions)
        self.quote_token_at = {self.tokens.starts[q]: q for q in self.tokens.quote_at}
        self._expansions: dict[str, str | None] = {}

    def is_cue_verb(self, k: int) -> bool:
        """A speech verb in lower case that is not an infinitive ("what she had to say") nor
        after a modal of possibility ("the plan could add two points" is arithmetic)."""
        return (
            self.lower[k] in SPEECH_VERBS
            and self.texts[k][0].islower()
            and (k == 0 or self.lower[k - 1] not in _NOT_BEFORE_CUE)
        )

    def expansion(self, acronym: str) -> str | None:
        """The words an acronym abbreviates, as the article spells them out, if it does."""
        if acronym not in self._expansions:
            pattern = _ACRONYM_FILLERS.join(re.escape(c) + r"[a-z][\w’'-]*" for c in acronym)
            found = re.search(rf"\b{pattern}\b", self.text)
            self._expansions[acronym] = found.group() if found else None
        return self._expansions[acronym]

    def _sentences(self) -> tuple[list[int], list[int]]:
        """Sentence index of every token, and the first token of every sentence."""
        texts = self.texts
        n = len(texts)
        # Only breaks, full stops and quotes can end a sentence; compress picks them out in C
        # instead of testing every token in Python.
        enders = compress(count(), map(_MAY_END_SENTENCE.__contains__, texts[:-1]))
        starts = [0, *(i + 1 for i in enders if self._ends_sentence(i))]
        return _runs(starts, n), starts

    def _ends_sentence(self, i: int) -> bool:
        token = self.texts[i]
        following = self.texts[i + 1]
        if token == BREAK:
            return True
        if token in _SENTENCE_END:
            if following == QUOTE:
                return True
            previous = self.lower[i - 1] if i > 0 else ""
            if previous in _NO_BREAK_BEFORE_DOT or (len(previous) == 1 and previous.isalpha()):
                return False
            if "." in previous:  # "U.S." ends a sentence only before a capitalised opener
                return following[0].isupper() and following.casefold() in _OPENERS
            # before a paragraph break the BREAK token itself ends the sentence
            return following[0].isupper() or following[0].isdigit()
        if token == QUOTE:
            inner = self.text[self.tokens.starts[i] : self.tokens.ends[i]].rstrip("\"'’”»“ \n")
            ends = inner.endswith((".", "!", "?", "…"))
            # '“We won.” Smith said.' stays one sentence; '“We won.” The crowd cheered.' doesn't
            return ends and following[0].isupper() and not self._attribution_follows(i + 1)
        return False

    def _attribution_follows(self, j: int) -> bool:
        """A speech verb within the next few tokens, before any punctuation."""
        for k in range(j, min(j + 6, len(self.texts))):
            if self.lower[k] in _CLAUSE_OPENERS:
                return False
            if self.lower[k] in SPEECH_VERBS:
                return True
            if not self.texts[k][0].isalnum():
                return self.texts[k] == "." and k > j and "." not in self.texts[k - 1]
        return False

    def _paragraphs(self) -> list[int]:
        """Paragraph index of every token (a BREAK token ends its paragraph)."""
        texts = self.texts
        return _runs([0, *(i + 1 for i, t in enumerate(texts[:-1]) if t == BREAK)], len(texts))

    def mentions_before(self, i: int) -> Iterator[Mention]:
        """Mentions that start before token `i`, nearest first (bisect, not a full scan)."""
        k = bisect_left(self.mention_firsts, i)
        for j in range(k - 1, -1, -1):
            yield self.mentions[j]

    def sentence_range(self, i: int) -> tuple[int, int]:
        """First and one-past-last token index of the sentence holding token `i`."""
        s = self.sentence_of[i]
        first = self.sentence_starts[s]
        end = self.sentence_starts[s + 1] if s + 1 < len(self.sentence_starts) else len(self.texts)
        return first, end


_OPENERS = _word_set(
    """the a an he she it they we i but and in on at this that there his her their its as
    when while after before however meanwhile"""
)


class _NameRegistry:
    """Full person names of the article, to expand "Smith" or "Dr. Smith" to "Jane Smith".

    Each distinct name is stored once (first position, count), so a name repeated thousands
    of times costs no more to resolve than a name given once.
    """

    def __init__(self, mentions: list[Mention]) -> None:
        self._by_token: dict[str, list[str]] = {}
        self._first: dict[str, int] = {}
        self._counts: dict[str, int] = {}
        self.genders: dict[str, str] = {}
        for mention in mentions:
            words = _words(mention.name)
            if not (mention.person and len(words) >= 2):
                continue
            name = mention.name
            self._counts[name] = self._counts.get(name, 0) + 1
            if name in self._first:
                continue
            self._first[name] = mention.first
            for word in set(words):
                self._by_token.setdefault(word, []).append(name)
            gender = mention.gender or first_name_gender(words[0])
            if gender is not None:
                self.genders[name] = gender

    def resolve(self, name: str, at: int) -> str | None:
        """The most complete registered name containing all words of `name`, or None."""
        words = _words(name)
        if not words:
            return None
        best: tuple[int, int, int, int] | None = None
        best_name: str | None = None
        for full in self._by_token.get(words[-1], ()):
            full_words = _words(full)
            if not set(words) <= set(full_words):
                continue
            # prefer a surname match, a real given name, a name introduced before this point,
            # then the more frequent and the longer name
            score = (
                int(full_words[-1] == words[-1]),
                int(first_name_gender(full_words[0]) is not None),
                int(self._first[full] <= at),
                self._counts[full] * 100 + len(full_words),
            )
            if best is None or score > best:
                best, best_name = score, full
        return best_name


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    """The folded words of a name; cached, since an article asks about the same few names."""
    return tuple(w.casefold().rstrip(".") for w in strip_possessive(name).replace("’", "'").split())


class _Attributor:
    """Finds and resolves the speaker of quotes and paraphrases in one article."""

    def __init__(self, article: _Article) -> None:
        self.a = article
        # the people named so far as (token index, speaker), for pronoun resolution
        self.last_speaker: tuple[int, _Speaker] | None = None
        # the last organisation or group that spoke, for "it said" / "they said"
        self.last_group: tuple[int, _Speaker] | None = None

    # -- subjects -----------------------------------------------------------------------

    def subject_before(self, verb: int, floor: int) -> tuple[_Speaker | None, int]:
        """The subject ending just before the verb at `verb` (not before token `floor`)."""
        a = self.a
        k = verb - 1
        while k >= floor and (a.lower[k] in _ADVERBS or _is_adverb(a.texts[k])):
            k -= 1
        if k < floor or a.lower[k] in _PASSIVE:
            return None, k
        if a.lower[k] in ("and", "but") or a.lower[verb].endswith("ing"):
            # "The agency declined …, but said", "Corvane applied …, arguing": the sentence's
            # own subject speaks
            return self.sentence_subject(floor, k), k
        role: str | None = None
        cue_comma = k if a.texts[k] == "," else None
        for _ in range(3):
            if a.texts[k] == "." and k - 1 >= floor and a.texts[k - 1][0].isupper():
                k -= 1  # "Quill, D-Mich., a member …": the full stop of an abbreviation
            if a.texts[k] != ",":
                break
            # "Smith, the minister, said", "Quill, D-Mich., a member of …, said" or
            # "The minister, Jane Smith, said"
            comma = self._previous_comma(k, floor)
            if comma is None:
                return None, k
            if a.lower[comma + 1] in _RELATIVES:
                # "Lindqvist, the chief economist at Corvane Bank, which managed the sale,
                # called …": the relative clause is neither the speaker nor the role
                cue_comma = comma
                k = comma - 1
                continue
            inner = self._np_speaker(comma + 1, k - 1)
            named = a.mention_at.get(k - 1)
            if named is not None and any(
                a.lower[j] in _PREPOSITIONS for j in range(comma + 1, named.first)
            ):
                # "…, the economist at Corvane Bank in Lakeport, said": a place; "…, leader of
                # the opposition Harbour Front, said": whose leader, not who speaks
                inner = None
            if inner is not None and inner.person:
                outer = self._np_backward(comma - 1, floor) if comma > floor else None
                if outer is not None and a.mention_at.get(comma - 1) is None:
                    role = a.text[a.tokens.starts[outer] : a.tokens.ends[comma - 1]]
                return _Speaker(inner.name, role or inner.role, True, inner.gender), comma
            role = a.text[a.tokens.starts[comma + 1] : a.tokens.ends[k - 1]].strip()
            k = comma - 1
            if k < floor:
                return None, k
        token = a.lower[k]
        if token in PRONOUN_GENDER or token in _PLURAL_PRONOUNS or token in _SELF_PRONOUNS:
            if token in ("his", "her", "him", "them", "us", "me"):
                return None, k
            return self.resolve_pronoun(token, k), k
        if token == "it":
            return self.resolve_pronoun(token, k), k
        start = self._np_backward(k, floor)
        if start is None:
            return None, k
        if start > floor and a.lower[start - 1] in _OBJECT_PREPOSITIONS:
            # "Coins found … over the past century suggest", "traders on the north bank say":
            # the phrase is a preposition's object; the subject lies further back, unread
            return None, k
        if cue_comma is not None and start - 2 >= floor and a.texts[start - 1] == ",":
            # "Ravi Sandhu, Minister of Harbours, Fisheries and …, said": the person named
            # before the appositives speaks, and they are the role
            mention = a.mention_at.get(start - 2)
            if mention is not None and mention.last == start - 2:
                person = self._person(mention)
                if person is not None:
                    role = a.text[a.tokens.starts[start] : a.tokens.ends[cue_comma - 1]]
                    return _Speaker(person.name, role, True, person.gender), mention.first
        link = next((j for j in range(start + 1, k) if a.lower[j] in _NP_LINKS), None)
        if link is not None:
            # "Ona Pell with the Halvonian health authority says": the person speaks
            mention = a.mention_at.get(link - 1)
            person = self._person(mention) if mention is not None else None
            if person is not None and mention is not None and mention.last == link - 1:
                return person, mention.first
        speaker = self._np_speaker(start, k)
        if speaker is not None and role is not None:
            speaker = _Speaker(speaker.name, role, speaker.person, speaker.gender)
        return speaker, start

    def sentence_subject(self, first: int, limit: int) -> _Speaker | None:
        """The subject at the start of the sentence: a pronoun or a name in subject position."""
        a = self.a
        for i in range(first, min(first + 6, limit)):
            if a.texts[i] == ",":
                first = i + 1  # past an opening phrase: "In a statement, the agency …"
                break
        for i in range(first, limit):
            token = a.lower[i]
            if token in _PERSON_PRONOUNS or token in _PLURAL_PRONOUNS or token == "it":
                return self.resolve_pronoun(token, i)
            mention = a.mention_at.get(i)
            if mention is not None and self._in_subject_position(mention):
                start = mention.first
                if start > first and a.lower[start - 1] in _DETERMINERS:
                    start -= 1
                return self._np_speaker(start, mention.last)
        return None

    def subject_after(self, j: int, ceiling: int) -> _Speaker | None:
        """The subject of an inverted cue starting at `j` ("said Smith, the minister").

        The noun phrase must end its clause: 'said Smith.' or 'said Smith, the minister',
        not 'says the program changed his life'.
        """
        a = self.a
        if j >= ceiling:
            return None
        token = a.lower[j]
        if token in _PERSON_PRONOUNS or token in _PLURAL_PRONOUNS or token in _SELF_PRONOUNS:
            return self.resolve_pronoun(token, j)
        if token in _NP_STOP or not a.texts[j][0].isalnum():
            return None
        end = j
        while end + 1 < ceiling and end - j < _MAX_NP_TOKENS:
            nxt = a.texts[end + 1]
            low = a.lower[end + 1]
            if low == "and" and end + 2 < ceiling and a.texts[end + 2][0].isupper():
                end += 1  # "Heart and Stroke senior manager Erin Kim"
                continue
            if low in _NP_STOP or low in _POSSESSIVES or low in SPEECH_VERBS:
                break
            if nxt == ".":
                if (
                    end + 2 < ceiling
                    and a.texts[end + 2][0].isupper()
                    and _is_abbreviation(a.lower[end])
                ):
                    end += 1  # the full stop of "Dr." or "U.S."
                    continue
                break
            if not (nxt[0].isalnum() or nxt in ("-", "&")):
                break
            end += 1
        following = a.texts[end + 1] if end + 1 < len(a.texts) else BREAK
        if following not in (",", ".", BREAK, ";", ":", "!", "?", "—", "(", QUOTE):
            # a person's name may still end early: "said Smith in a statement"
            mention = a.mention_at.get(end)
            person_end = self._last_person_token(j, end)
            if person_end is None:
                return None
            end = person_end
            del mention
        speaker = self._np_speaker(j, end)
        if speaker is None:
            return None
        if end + 2 < ceiling and a.texts[end + 1] == ",":
            # "said Smith, the minister, …": the appositive is the role
            stop = end + 2
            while (
                stop < ceiling
                and stop - end < _MAX_APPOSITIVE_TOKENS
                and a.texts[stop] not in (",", ".", QUOTE, BREAK, ";")
                and a.lower[stop] not in ("who", "which", "that")
            ):
                stop += 1
            if stop > end + 2 and speaker.person and speaker.role is None:
                role = a.text[a.tokens.starts[end + 2] : a.tokens.ends[stop - 1]]
                speaker = _Speaker(speaker.name, role, True, speaker.gender)
        return speaker

    def _last_person_token(self, first: int, last: int) -> int | None:
        """The last token of the first person mention within first..last, if any."""
        a = self.a
        for i in range(first, last + 1):
            mention = a.mention_at.get(i)
            if mention is not None and (
                mention.person or a.registry.resolve(mention.name, i) is not None
            ):
                return min(mention.last, last)
        return None

    def subject_forward_then_verb(self, j: int, ceiling: int) -> tuple[_Speaker | None, int]:
        """'…,” SUBJECT [, appositive,] [adverbs] VERB': the subject and the verb's index."""
        a = self.a
        k = j
        while k < ceiling and k - j <= _MAX_NP_TOKENS + _MAX_APPOSITIVE_TOKENS:
            token = a.lower[k]
            if k > j and a.is_cue_verb(k):
                speaker, _ = self.subject_before(k, j)
                return speaker, k
            if token in (".", QUOTE, BREAK, ";", "?", "!", ":") or token in _CLAUSE_OPENERS:
                break
            k += 1
        return None, -1

    def _previous_comma(self, k: int, floor: int) -> int | None:
        a = self.a
        i = k - 1
        while i >= floor and k - i <= _MAX_APPOSITIVE_TOKENS:
            if a.texts[i] == ",":
                return i
            if a.texts[i] in (QUOTE, BREAK, ";", ":"):
                return None
            i -= 1
        return None

    def _links_noun(self, j: int, floor: int) -> bool:
        """Token `j` is a preposition joining a noun before it to the phrase after it."""
        a = self.a
        if j - 1 < floor or a.lower[j] not in _NP_LINKS:
            return False
        before = a.lower[j - 1]
        return a.texts[j - 1][0].isalnum() and before not in _NP_STOP and before not in SPEECH_VERBS

    def _np_backward(self, k: int, floor: int) -> int | None:
        """First token of the noun phrase ending at `k`, or None if `k` ends none."""
        a = self.a
        if not a.texts[k][0].isalnum():
            return None
        i = k
        while i - 1 >= floor and k - (i - 1) < _MAX_NP_TOKENS:
            previous = a.texts[i - 1]
            low = a.lower[i - 1]
            if low in _DETERMINERS:
                i -= 1
                if self._links_noun(i - 1, floor) and k - (i - 2) < _MAX_NP_TOKENS:
                    i -= 1  # "a spokeswoman for the grid operator"
                    continue
                break
            if self._links_noun(i - 1, floor):
                i -= 1  # "Secretary of State", "analysts at Halden Ratings"
                continue
            if previous in ("'", "’") and i - 2 >= floor and a.texts[i - 2].endswith("s"):
                i -= 1  # "the Westmarch Growers' Association"
                continue
            if low in _NP_STOP or low in SPEECH_VERBS:
                break
            if (
                previous == "."
                and i - 2 >= floor
                and "." in a.texts[i - 2] + "."
                and (a.lower[i - 2] in _NO_BREAK_BEFORE_DOT or "." in a.texts[i - 2])
            ):
                i -= 1  # "U.S. Secretary"
                continue
            if not (previous[0].isalnum() or previous in ("-", "&")):
                break
            i -= 1
        while i <= k and a.texts[i][0].isupper() and a.lower[i] in _NP_STOP:
            i += 1  # "However Smith said"
        return i if i <= k else None

    def _np_speaker(self, first: int, last: int) -> _Speaker | None:
        """The speaker designated by tokens first..last: a person, an organisation, a group."""
        a = self.a
        if first > last:
            return None
        if last == first + 1 and a.lower[last] in _DOCUMENT_NOUNS:
            pronoun = _POSSESSIVE_PRONOUN.get(a.lower[first])
            if pronoun is not None:
                return self.resolve_pronoun(pronoun, first)  # "her statement said": she did
        mention = a.mention_at.get(last)
        words = a.text[a.tokens.starts[first] : a.tokens.ends[last]]
        if (
            mention is not None
            and mention.last == last
            and not (mention.first > first and a.lower[mention.first - 1] in _NP_LINKS)
        ):
            # (a name after a preposition is an affiliation: "analysts at Halden Ratings"
            # are the speakers, kept whole below)
            name_start = a.text.find(mention.name, a.tokens.starts[mention.first])
            if name_start < 0:
                name_start = a.tokens.starts[mention.first]
            resolved = a.registry.resolve(mention.name, last)
            if resolved is not None:
                role_text = a.text[a.tokens.starts[first] : name_start].strip(" ,")
                role = role_text if role_text else mention.role
                gender = mention.gender or a.registry.genders.get(resolved)
                return _Speaker(resolved, role, True, gender)
            if mention.person or _lone_surname(mention):
                role_text = a.text[a.tokens.starts[first] : name_start].strip(" ,")
                gender = mention.gender or first_name_gender(_words(mention.name)[0])
                return _Speaker(mention.name, role_text or mention.role, True, gender)
            if first < mention.first and a.lower[mention.first - 1] in TITLE_WORDS:
                # "coach Mulder", "minister Smith": a lone capitalised word after a title
                role_text = a.text[a.tokens.starts[first] : name_start].strip(" ,")
                return _Speaker(mention.name, role_text, True, None)
        if all(low in FUNCTION_WORDS or not low[0].isalpha() for low in a.lower[first : last + 1]):
            return None  # "to", "all of them": no one to name
        return _Speaker(strip_possessive(words), None, False, None)

    def resolve_pronoun(self, pronoun: str, at: int) -> _Speaker | None:
        """The person (he/she) or group (it/they/we) a pronoun at token `at` refers to.

        Candidates are the people named before the pronoun and the last speaker; a name in
        subject position ("Guest said …", "Mulder didn't hesitate") beats one in object
        position, and the most recent compatible candidate wins.
        """
        if pronoun in _SELF_PRONOUNS:
            return None  # a first-person column: the author is not named
        a = self.a
        if pronoun not in _PERSON_PRONOUNS:
            if self.last_group is not None:
                index, group = self.last_group
                if a.paragraph_of[at] - a.paragraph_of[index] <= _INHERIT_PARAGRAPHS:
                    return group
            for mention in a.mentions_before(at):
                if mention.last >= at:
                    continue
                if (
                    a.paragraph_of[at] - a.paragraph_of[mention.last] > _INHERIT_PARAGRAPHS
                    or at - mention.last > _MAX_LOOKBACK_TOKENS
                ):
                    break
                if (
                    not mention.person
                    and self._in_subject_position(mention)
                    and a.registry.resolve(mention.name, mention.last) is None
                ):
                    return _Speaker(strip_possessive(mention.name), None, False, None)
            return None
        gender = PRONOUN_GENDER.get(pronoun)
        speaker_at = -1
        if self.last_speaker is not None:
            index, speaker = self.last_speaker
            recent = a.paragraph_of[at] - a.paragraph_of[index] <= _INHERIT_PARAGRAPHS
            if recent and _compatible(speaker, gender, pronoun):
                speaker_at = index
        # best candidate by rank: 0 subject of known gender, 1 known gender, 2 subject, 3 any
        ranked: list[_Speaker | None] = [None, None, None, None]
        for mention in a.mentions_before(at):
            if mention.last >= at:
                continue
            if (
                mention.last < speaker_at
                or a.paragraph_of[at] - a.paragraph_of[mention.last] > 2
                or at - mention.last > _MAX_LOOKBACK_TOKENS
            ):
                break
            candidate = self._person(mention)
            subject = self._in_subject_position(mention)
            if candidate is None and subject and _may_be_surname(a, mention):
                candidate = _Speaker(mention.name, mention.role, True, mention.gender)
            if candidate is None or not _compatible(candidate, gender, pronoun):
                continue
            rank = (0 if subject else 1) + (0 if candidate.gender is not None else 2)
            if ranked[rank] is None:
                ranked[rank] = candidate
            if rank == 0:
                break
        # a subject beats a name in any other position, known gender or not
        for rank in (0, 2, 1, 3):
            candidate = ranked[rank]
            if candidate is not None and (rank % 2 == 0 or speaker_at < 0):
                return candidate
        if speaker_at >= 0 and self.last_speaker is not None:
            return self.last_speaker[1]
        return ranked[1] or ranked[3]

    def complete_organisation(self, speaker: _Speaker, q: int) -> _Speaker:
        """An organisation by its fullest name: acronyms spelt out, "the company" named.

        "the company" / "the department" stand for the organisation that was last the subject
        of a sentence before the quote at token `q`, in its paragraph or the one before; a
        lone given name ("Braden had travelled") is a person, not an organisation.
        """
        if speaker.person:
            return speaker
        a = self.a
        words = speaker.name.split()
        if (
            len(words) == 2
            and words[0].casefold() == "the"
            and words[1].casefold() in _ORGANISATION_NOUNS
        ):
            for mention in a.mentions_before(q):
                if a.paragraph_of[q] - a.paragraph_of[mention.last] > 1:
                    break
                following = mention.last + 1
                if (
                    not mention.person
                    and following < len(a.texts)
                    and a.texts[following][0].islower()  # "Corvane received", not "Friday,"
                    and self._in_subject_position(mention)
                    and first_name_gender(_words(mention.name)[0]) is None
                ):
                    name = strip_possessive(mention.name)
                    speaker = _Speaker(name, speaker.name, False, None)
                    break
        name = speaker.name
        if name.isupper() and name.isalpha() and 2 <= len(name) <= 6:
            full = a.expansion(name)
            if full is not None:
                return _Speaker(full, speaker.role, False, None)
        return speaker

    def _person(self, mention: Mention) -> _Speaker | None:
        """The mention as a person with their most complete name, or None if not a person."""
        a = self.a
        resolved = a.registry.resolve(mention.name, mention.last)
        if resolved is None and not mention.person:
            return None
        name = resolved or mention.name
        gender = (
            mention.gender or a.registry.genders.get(name) or first_name_gender(_words(name)[0])
        )
        return _Speaker(name, mention.role, True, gender)

    def _object_of_phrase(self, mention: Mention, floor: int) -> bool:
        """A preposition between the mention and the comma (or sentence start) before it."""
        a = self.a
        k = mention.first - 1
        while k >= floor and a.texts[k] != ",":
            if a.lower[k] in _PREPOSITIONS:
                return True
            k -= 1
        return False

    def _in_subject_position(self, mention: Mention) -> bool:
        """Sentence-initial, or followed by a verb-like word and not after a preposition."""
        a = self.a
        if a.texts[mention.last].endswith(("'s", "’s")):
            return False  # "Kim's schedule": a possessor, not a subject
        first, _ = a.sentence_range(mention.first)
        while first < mention.first and a.lower[first] in _NP_STOP:
            first += 1
        if first == mention.first:
            return True
        following = mention.last + 1
        if following >= len(a.texts):
            return False
        before = a.lower[mention.first - 1]
        if before in _PREPOSITIONS or before in _DETERMINERS or before == "whose":
            return False  # "Osei, whose Harbour Alliance holds …": what is his, not who
        if a.texts[following] == "," and following + 1 < len(a.texts):
            after = a.lower[following + 1]
            if a.texts[following + 1][0].islower() and after not in _NP_STOP:
                # "Its leader, Kwame Asante-Bright, accused her"; but in "Adjei, leader of
                # the opposition Harbour Front, said" the name is the preposition's object
                return not self._object_of_phrase(mention, first)
            # "teacher Tessa Galanis, 56, says": the verb follows one appositive
            end = min(len(a.texts) - 1, following + _MAX_APPOSITIVE_TOKENS)
            k = following + 1
            while k < end and a.texts[k] not in _APPOSITIVE_ENDS:
                k += 1
            if k >= end or a.texts[k] != ",":
                return False
            following = k + 1
        nxt = a.texts[following]
        return nxt[0].islower() and a.lower[following] not in _PREPOSITIONS


def _may_be_surname(a: _Article, mention: Mention) -> bool:
    """A lone capitalised word that could be a person's surname ("Mulder didn't hesitate").

    Not at the start of a sentence, where any word is capitalised ("Regular exercise …").
    """
    word = strip_possessive(mention.name)
    first, _ = a.sentence_range(mention.first)
    while first < mention.first and not a.texts[first][0].isalnum():
        first += 1
    return (
        mention.first == mention.last
        and mention.first != first
        and not word.isupper()
        and word.casefold() not in NON_PERSON_WORDS
    )


def _lone_surname(mention: Mention) -> bool:
    """'Peters said': one capitalised word that is not an acronym or a known non-person."""
    word = strip_possessive(mention.name)
    return (
        mention.first == mention.last
        and not word.isupper()
        and word.casefold() not in NON_PERSON_WORDS
        and word.casefold() not in _NP_STOP
    )


def _is_adverb(token: str) -> bool:
    return token.endswith("ly") and token.islower() and len(token) > 4


def _is_abbreviation(token: str) -> bool:
    return token in _NO_BREAK_BEFORE_DOT or "." in token or (len(token) == 1 and token.isalpha())


def _compatible(speaker: _Speaker, gender: str | None, pronoun: str) -> bool:
    if pronoun in _PLURAL_PRONOUNS:
        return not speaker.person
    if not speaker.person:
        return False
    return gender is None or speaker.gender is None or speaker.gender == gender


@dataclass(frozen=True, slots=True)
class _Cue:
    speaker: _Speaker | None
    verb: str | None


def _find_cue(at: _Attributor, q: int) -> _Cue | None:
    """The attribution of the quote token `q` in its sentence, or None."""
    a = at.a
    first, end = a.sentence_range(q)
    # 1. right after the quote: '…,” said Smith' / '…,” Smith said' / '…,” she added'
    j = q + 1
    while j < end and a.texts[j] in (",", "—", "–", "-"):
        j += 1
    if j < end:
        if a.is_cue_verb(j):
            speaker = at.subject_after(j + 1, end)
            if speaker is not None:
                return _Cue(speaker, a.texts[j])
        speaker, verb = at.subject_forward_then_verb(j, end)
        if verb >= 0 and speaker is not None:
            return _Cue(speaker, a.texts[verb])
    # 2. "according to X" anywhere in the sentence
    for k in range(first, end - 2):
        if a.lower[k] == "according" and a.lower[k + 1] == "to":
            speaker = at.subject_after(k + 2, end)
            if speaker is not None:
                return _Cue(speaker, None)
    # 3. a verb before the quote in the same sentence, nearest first: 'Smith said: “…”'
    for k in range(q - 1, first - 1, -1):
        if a.is_cue_verb(k):
            weak = a.lower[k] in WEAK_FORMS
            speaker = None
            if (k == first or a.texts[k - 1] == ",") and not weak and _inverted_ok(a, k, q):
                speaker = at.subject_after(k + 1, q)  # "…, asks editor Jane Doe, “…”"
            if speaker is None:
                speaker, _ = at.subject_before(k, first)
            if speaker is None and not weak and k + 1 < q:
                speaker = at.subject_after(k + 1, q)
                if speaker is not None and not _inverted_ok(a, k, q):
                    speaker = None
            if speaker is not None:
                return _Cue(speaker, a.texts[k])
    # 4. a verb later in the sentence: '… was “unworkable” in its form, Smith said.'
    for k in range(q + 1, end):
        if a.lower[k] in _CLAUSE_OPENERS and a.texts[k - 1] == ",":
            break  # "…, although nobody knows what its people called it": another clause
        if a.is_cue_verb(k):
            speaker = None
            if k + 1 < end and a.texts[k - 1] == ",":
                speaker = at.subject_after(k + 1, end)  # "…, says Kim."
            if speaker is None:
                speaker, _ = at.subject_before(k, q + 1)
            if speaker is not None:
                return _Cue(speaker, a.texts[k])
    return None


def _inverted_ok(a: _Article, verb: int, q: int) -> bool:
    """'said Smith, “…”' but not 'said the plan was “…”'."""
    return any(a.texts[k] == "," or a.texts[k] == ":" for k in range(verb + 1, q))


def _word_count(text: str) -> int:
    return len(text.split())


def _is_title_case(text: str) -> bool:
    """Titles of works and names in quotes: most words capitalised."""
    words = [w for w in text.split() if w[0].isalpha()]
    if not words:
        return True
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised == len(words) or (len(words) >= 3 and capitalised / len(words) >= 0.75)


def _is_partial(a: _Article, q: int, inner: str) -> bool:
    """A fragment embedded in running prose rather than a quoted sentence."""
    first, _ = a.sentence_range(q)
    previous = a.texts[q - 1] if q > first else None
    if previous is None or previous in (":", BREAK):
        return False
    if previous == "," and q - 1 > first and a.lower[q - 2] in SPEECH_VERBS:
        return False
    if previous == "," and inner[:1].isupper():
        return False  # the second half of an interrupted quote, or 'He said, “…”'
    # 'he said “We …”' is a quoted sentence, not a fragment
    return not (a.lower[q - 1] in SPEECH_VERBS and inner[:1].isupper())


def extract_quotes(
    text: str, *, indirect: bool = True, language: str = "english"
) -> tuple[Quote, ...]:
    """All quotes of `text` with their speakers, in text order. Never raises on any text.

    `language` is the text's (summaries.language); in a language other than English the
    quotes come without speakers and no paraphrases are reported.
    """
    if not text:
        return ()
    if len(text) > MAX_ANALYSED_CHARS:
        # cut at a paragraph break when there is one, so no quote is split by the bound
        cut = text.rfind("\n", 0, MAX_ANALYSED_CHARS)
        text = text[: cut if cut > MAX_ANALYSED_CHARS // 2 else MAX_ANALYSED_CHARS]
    spans = find_quoted_spans(text)
    article = _Article(text, spans)
    at = _Attributor(article)
    # "unknown" may be English too short to tell, or a language nobody checks for: Russian
    # text would give "Городской совет" as a speaker. Only Latin script is read as English.
    attribute = language == "english" or (language == UNKNOWN and _mostly_latin(text))
    quotes: list[Quote] = []
    for span, q in zip(spans, article.tokens.quote_at, strict=True):
        inner = span.inner_text(text)
        words = _word_count(inner)
        if words == 0:
            continue
        partial = _is_partial(article, q, inner)
        cue = _find_cue(at, q) if attribute else None
        paragraph = article.paragraph_of[q]
        if cue is None:
            if words < _MIN_UNATTRIBUTED_WORDS or _is_title_case(inner):
                continue  # a scare quote, a title, a nickname
            speaker = _inherit(at, q, paragraph) if attribute else None
            verb = None
        else:
            speaker, verb = cue.speaker, cue.verb
        if speaker is not None:
            speaker = at.complete_organisation(speaker, q)
            if speaker.person:
                at.last_speaker = (q, speaker)
            else:
                at.last_group = (q, speaker)
        quotes.append(
            Quote(
                start=span.start,
                end=span.end,
                text=inner,
                speaker=speaker.name if speaker else None,
                role=_shown_role(speaker.role) if speaker else None,
                kind="partial" if partial else "direct",
                verb=verb,
            )
        )
    merged = _merge_partials(quotes, article)
    if not attribute:
        return tuple(merged)
    # Paraphrases are read even when not wanted: they often carry the role ("X, the city's
    # engineer, said the cables had corroded") that the direct quotes then lack.
    paraphrases = _indirect_quotes(at)
    every = _fill_roles(sorted(merged + paraphrases, key=lambda quote: quote.start))
    return tuple(every if indirect else [q for q in every if q.kind != "indirect"])


def _fill_roles(quotes: list[Quote]) -> list[Quote]:
    """Each speaker's first role in the article, given to their quotes that have none.

    A reporter gives a role once, usually at the first mention, and "Varga said" later
    carries none; within one article a person has one role.
    """
    roles: dict[str, str] = {}
    for quote in quotes:
        if quote.speaker is not None and quote.role is not None:
            roles.setdefault(quote.speaker, quote.role)
    return [
        replace(quote, role=roles[quote.speaker])
        if quote.role is None and quote.speaker in roles
        else quote
        for quote in quotes
    ]


def _mostly_latin(text: str) -> bool:
    """Whether at least 80 % of the letters in the first 5,000 characters are Latin ones."""
    letters = [ch for ch in text[:5000] if ch.isalpha()]
    latin = sum(1 for ch in letters if ch < "\u0250")  # Basic Latin through Latin Extended-B
    return latin >= 0.8 * len(letters)


def _shown_role(role: str | None) -> str | None:
    """A role worth showing beside the name: "His energy minister" → "energy minister".

    An honorific ("Dr", "Mrs") says nothing the name does not, nor does "one of them"; a
    participle ("speaking by video link") describes the moment, not the person: none is a
    role. A relative clause is cut ("an archaeologist at Dravik State University who was …").
    """
    if role is None:
        return None
    words = role.split()
    relative = next((k for k, w in enumerate(words) if w in _ROLE_CLAUSE_OPENERS), None)
    if relative is not None:
        words = words[:relative]
    if words and words[0].casefold() in _ROLE_POSSESSIVES:
        words = words[1:]
    while words and words[-1].casefold().rstrip(".") in _HONORIFICS:
        words = words[:-1]  # "co-author Dr" before "Mira Tennant": the title is the name's
    if not words or all(w.casefold() in _PLACEHOLDER_ROLE_WORDS for w in words):
        return None  # "One of them, Idun Carrow, said": that places, not describes, her
    if words[0].islower() and words[0].endswith("ing"):
        return None
    return " ".join(words)


def _inherit(at: _Attributor, q: int, paragraph: int) -> _Speaker | None:
    """The speaker of an uncued quote (see _inherited), if the sentence's "he"/"she" fits."""
    speaker = _inherited(at, q, paragraph)
    pronoun = at.a.lower[at.a.sentence_range(q)[0]]
    if (
        speaker is not None
        and pronoun in _PERSON_PRONOUNS
        and not _compatible(speaker, PRONOUN_GENDER[pronoun], pronoun)
    ):
        return None  # "She accused the opposition of “…”" right after a man was quoted
    return speaker


def _inherited(at: _Attributor, q: int, paragraph: int) -> _Speaker | None:
    """The speaker an uncued quote takes from what came before.

    The person a speech verb introduced in the sentence just before ('Jeff Fraser says the
    system works.' then the quote) comes first, then the previous quote's speaker, then the
    last person named in the preceding paragraph.
    """
    a = at.a
    first, _ = a.sentence_range(q)
    if first > 0:
        previous_first, previous_end = a.sentence_range(first - 1)
        if paragraph - a.paragraph_of[previous_first] <= 1:
            for k in range(previous_first, previous_end):
                if a.texts[k] == QUOTE:
                    break
                if a.is_cue_verb(k):
                    speaker, _ = at.subject_before(k, previous_first)
                    if speaker is not None:
                        return speaker
    # The previous quote's speaker: a person, or an organisation when it spoke more recently
    # ('“…,” the commission said in a statement. “…”').
    latest = max(
        (x for x in (at.last_speaker, at.last_group) if x is not None),
        key=lambda x: x[0],
        default=None,
    )
    if latest is not None:
        index, speaker = latest
        if paragraph - a.paragraph_of[index] <= _INHERIT_PARAGRAPHS:
            return speaker
    for mention in a.mentions_before(q):
        if mention.last >= q:
            continue
        if paragraph - a.paragraph_of[mention.last] > 1 or q - mention.last > _MAX_LOOKBACK_TOKENS:
            break
        person = at._person(mention)
        if person is not None:
            return person
    return None


def _merge_partials(quotes: list[Quote], a: _Article) -> list[Quote]:
    """Fragments of one mixed sentence with one speaker become one partial quote."""
    out: list[Quote] = []
    for quote in quotes:
        previous = out[-1] if out else None
        if (
            previous is not None
            and quote.kind == "partial"
            and previous.kind == "partial"
            and previous.speaker == quote.speaker
            and _same_sentence(a, previous.start, quote.start)
        ):
            out[-1] = Quote(
                start=previous.start,
                end=quote.end,
                text=f"{previous.text} … {quote.text}",
                speaker=previous.speaker,
                role=previous.role or quote.role,
                kind="partial",
                verb=previous.verb or quote.verb,
            )
            continue
        out.append(quote)
    return out


def _same_sentence(a: _Article, start_a: int, start_b: int) -> bool:
    index = a.quote_token_at
    qa, qb = index.get(start_a), index.get(start_b)
    return qa is not None and qb is not None and a.sentence_of[qa] == a.sentence_of[qb]


def _indirect_quotes(at: _Attributor) -> list[Quote]:
    """Reported speech without marks: 'X said (that) CLAUSE' and 'CLAUSE, X said.'"""
    a = at.a
    out: list[Quote] = []
    starts = a.sentence_starts
    quoted = {a.sentence_of[q] for q in a.tokens.quote_at}
    for s, first in enumerate(starts):
        if s in quoted:
            continue
        end = starts[s + 1] if s + 1 < len(starts) else len(a.texts)
        quote = _indirect_in_sentence(at, first, end)
        if quote is not None:
            out.append(quote)
    return out


def _indirect_in_sentence(at: _Attributor, first: int, end: int) -> Quote | None:
    a = at.a
    last = end - 1
    while last > first and not a.texts[last][0].isalnum():
        last -= 1
    for k in range(first, end):
        low = a.lower[k]
        if low not in SPEECH_VERBS or low in WEAK_FORMS or not a.is_cue_verb(k):
            continue
        speaker, subject_start = at.subject_before(k, first)
        if speaker is None:
            continue
        if k >= last - 1 and subject_start > first + 3 and a.texts[subject_start - 1] == ",":
            # "CLAUSE, X said."
            clause = (first, subject_start - 2)
        else:
            c = k + 1
            while c < end and (a.lower[c] in _TIME_WORDS or a.lower[c] == "that"):
                c += 1
            if a.lower[k] in ("told", "tells", "asked", "urged"):
                return None  # the object and the clause are not told apart without a parser
            clause = (c, last)
        cs, ce = clause
        if ce - cs + 1 < _MIN_UNATTRIBUTED_WORDS:
            return None
        start, stop = a.tokens.starts[cs], a.tokens.ends[ce]
        return Quote(
            start=start,
            end=stop,
            text=a.text[start:stop],
            speaker=speaker.name,
            role=_shown_role(speaker.role),
            kind="indirect",
            verb=a.texts[k],
        )
    return None
