"""Article drafts: the text and metadata of one article before analysis, and the checks
every draft passes (enough words, in a script newsbot can read, a title of sane length).

Bad input raises `SourceError`, whose message is the user-facing reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MIN_WORDS = 20
MAX_TITLE_CHARS = 200
EMPTY_REASON = "there is no text in it — send the article text, a file or a link"
NO_WORDS_REASON = "there are no words in it, only punctuation or symbols — send the article text"
SPACELESS_REASON = (
    "this looks like Chinese, Japanese, Korean or Thai text, which newsbot cannot summarise "
    "yet — it needs a language written with spaces between words"
)
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or a digit
# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar) and
# Hangul: newsbot's word and sentence rules cannot segment them (see summaries.language).
_SPACELESS_SCRIPT = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3130-\u318f"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
_SCRIPT_SAMPLE_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """Text and metadata of one article before analysis; `source` labels it for the user."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input (or one item of it) that cannot become an article, and why."""

    source: str
    reason: str


Decoded = ArticleDraft | Rejection


class SourceError(ValueError):
    """Input that cannot become an article; str(error) is the user-facing reason."""


def draft_from_text(
    text: str,
    *,
    source: str,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    published_at: datetime | None = None,
) -> ArticleDraft:
    """A plain-text article; without a title, a short first line above the text is the title.

    A one-paragraph paste (or one whose first line is too long for a headline) keeps all its
    text and no title: the ingest pipeline names it by its first words once cleaned. Taking
    its first line as the title would make the cleaner drop that line as a repeated headline.
    """
    text = text.strip()
    if not text:
        raise SourceError(EMPTY_REASON)
    if title is None or not title.strip():
        first, _, rest = text.partition("\n")
        title = None
        if rest.strip() and len(first.strip()) <= MAX_TITLE_CHARS:
            title, text = first.strip(), rest.strip()
    else:
        title = _shorten(title.strip())
    _require_article_length(text)
    return ArticleDraft(source, text, title, url, outlet, author, published_at)


def count_words(text: str) -> int:
    """Whitespace-separated tokens that hold a letter or a digit ("!!!" is no word)."""
    return sum(1 for token in text.split() if _WORD_CHAR.search(token))


def require_words(text: str) -> int:
    """The number of words of `text`; SourceError when it has none or is in a script written
    without spaces, which newsbot cannot read."""
    sample = text[:_SCRIPT_SAMPLE_CHARS]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters and len(_SPACELESS_SCRIPT.findall(sample)) >= letters / 2:
        raise SourceError(SPACELESS_REASON)  # its "word" count would be meaningless
    words = count_words(text)
    if words == 0:
        raise SourceError(NO_WORDS_REASON)
    return words


def _require_article_length(text: str) -> None:
    words = require_words(text)
    if words < MIN_WORDS:
        raise SourceError(
            f"this is too short for an article ({words} words; at least {MIN_WORDS} are "
            "needed) — send the whole article"
        )


def _shorten(title: str) -> str:
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601, RFC 2822 or epoch seconds; else None.

    A date nobody can read is not worth rejecting an article for, so failures give None.
    """
    parsed: datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parsed = datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            try:
                parsed = parsedate_to_datetime(value.strip())
            except (TypeError, ValueError, IndexError):
                return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # "9999-12-31T23:59:59-12:00" is past the last datetime in UTC
        return None
