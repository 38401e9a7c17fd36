"""Turning raw input (text, files, web pages) into article drafts ready for analysis.

Everything here is synchronous and CPU-bound (decoding, HTML extraction, JSON parsing), so
the ingest pipeline runs it in a worker thread. Bad input never raises out of
`drafts_from_bytes`: it becomes a `Rejection` whose reason tells the user what was wrong and
what to send instead. Every `ArticleDraft` that exists has passed the length check.
"""

from __future__ import annotations

import codecs
import html as htmllib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from charset_normalizer import from_bytes
from lxml import etree

MIN_WORDS = 20
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TITLE_SEARCH_CHARS = 100_000  # the <title> sits in the head; never scan a whole huge page
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—-]|::)\s+")
_MAX_SITE_NAME_CHARS = 60
MAX_TITLE_CHARS = 200
SUPPORTED_EXTENSIONS = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson"}
)

BINARY_REASON = (
    "this looks like a binary file (e.g. an image or PDF) — send text, HTML, Markdown or JSON"
)
CONTROL_REASON = (
    "this looks like a binary file, not text: much of it is control characters — send text, "
    "HTML, Markdown or JSON"
)
UTF16_REASON = "this looks like UTF-16 text without a byte-order mark — resend it as UTF-8"
EMPTY_REASON = "there is no text in it — send the article text, a file or a link"
NO_WORDS_REASON = "there are no words in it, only punctuation or symbols — send the article text"
SPACELESS_REASON = (
    "this looks like Chinese, Japanese, Korean or Thai text, which newsbot cannot summarise "
    "yet — it needs a language written with spaces between words"
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# File signatures of formats people are likely to send by mistake, and what they are.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (Word and OpenDocument files are ZIP archives too)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"ID3", "an MP3 file"),
)
_MIN_PRINTABLE_RATIO = 0.95
# Text may carry a few NUL bytes left by a broken editor or export; more is a binary format.
_STRAY_NULS = 4
_STRAY_NULS_PER_BYTE = 1 / 1000
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or a digit
# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar) and
# Hangul: newsbot's word and sentence rules cannot segment them (see summaries.language).
_SPACELESS_SCRIPT = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3130-\u318f"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
_SCRIPT_SAMPLE_CHARS = 20_000
# Non-letter characters common in Western text in cp1252 / Latin-1.
_WESTERN_CHARS = frozenset("\u00a0«»“”‘’„‚‹›–—…•€£¥¢°©®™§¶·×÷±¿¡ºª²³¹¼½¾ŠšŒœŽžŸ")
_KIND_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_KIND_BY_MIME = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}
_TEXT_FIELDS = ("text", "body", "article", "content")
_URL_FIELDS = ("url", "link")
_OUTLET_FIELDS = ("outlet", "source", "site", "site_name")
_DATE_FIELDS = ("published_at", "date", "published")
_DROPPED_HTML = "//script|//style|//noscript|//template|//svg|//iframe|//object|//head"
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre",
     "article", "section", "header", "footer", "figcaption", "dd", "dt", "table", "ul", "ol"}
)  # fmt: skip
_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


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


def drafts_from_bytes(
    data: bytes,
    filename: str,
    *,
    mime_type: str | None = None,
    charset: str | None = None,
    url: str | None = None,
) -> list[Decoded]:
    """Decode a file or HTTP body into drafts; one per article (JSON files may hold many).

    The format comes from a specific `mime_type`, else the file extension, else a sniff of the
    content. `charset` is the declared encoding, if any. Never raises for bad input.
    """
    try:
        kind = _kind(filename, mime_type)
        if kind == "binary":
            raise SourceError(BINARY_REASON)
        text = decode_bytes(data, charset=charset)
        if kind == "unknown":
            kind = "html" if _looks_like_html(text) else "text"
        if kind == "json":
            return drafts_from_json(text, source=filename)
        if kind == "jsonl":
            return drafts_from_jsonl(text, source=filename)
        if kind == "html":
            return [draft_from_html(text, source=filename, url=url)]
        if kind == "markdown":
            return [draft_from_markdown(text, source=filename)]
        return [draft_from_text(text, source=filename, url=url)]
    except SourceError as exc:
        return [Rejection(filename, str(exc))]


def decode_bytes(data: bytes, *, charset: str | None = None) -> str:
    """Decode by byte-order mark, then the declared charset, then UTF-8, then detection.

    Raises SourceError for empty or binary data.
    """
    if not data.strip():
        raise SourceError(EMPTY_REASON)
    text = _decode_with_bom(data)
    if text is None:
        for magic, name in _MAGIC:
            if data.startswith(magic):
                raise SourceError(f"this is {name}, not text — send text, HTML, Markdown or JSON")
        data = _without_stray_nuls(data)
        text = _decode_declared(data, charset) or _decode_guessed(data)
    if not _mostly_printable(text):
        raise SourceError(CONTROL_REASON)
    return text


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


def draft_from_markdown(markdown: str, *, source: str) -> ArticleDraft:
    """A Markdown article: the first heading (or front-matter title) becomes the title."""
    title, markdown = _front_matter_title(markdown)
    lines: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append(line)
            continue
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", stripped)
        if heading:
            if title is None:
                title = _strip_inline_markdown(heading.group(1))
                continue  # the headline belongs in the title, not in the body
            stripped = heading.group(1)
        if re.fullmatch(r"[-*_=](\s*[-*_=]){2,}", stripped):  # rules and setext underlines
            continue
        if re.match(r"^\[[^\]]+\]:\s*\S+", stripped):  # reference-style link targets
            continue
        stripped = re.sub(r"^(>\s*)+", "", stripped)
        stripped = re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped)
        lines.append(_strip_inline_markdown(stripped))
    return draft_from_text("\n".join(lines), source=source, title=title)


def draft_from_html(html: str, *, source: str, url: str | None = None) -> ArticleDraft:
    """The main text and metadata of a web page (trafilatura), scripts and styles excluded.

    When trafilatura finds no main text (short or unusual pages), the page's visible text is
    used instead, so a valid page is never rejected just for its layout.
    """
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    text = getattr(document, "text", None) or ""
    if text.strip():
        # trafilatura puts each block on its own line; the cleaner expects blank-line paragraphs.
        text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    else:
        document = trafilatura.extract_metadata(html, default_url=url)
        text = html_to_text(html)
    if not text.strip():
        raise SourceError("the page has no readable text — send the article text instead")
    return draft_from_text(
        text,
        source=source,
        title=getattr(document, "title", None),
        url=getattr(document, "url", None) or url,
        outlet=_outlet(document, html, url),
        author=getattr(document, "author", None),
        published_at=parse_datetime(getattr(document, "date", None)),
    )


def _outlet(document: Any, html: str, url: str | None) -> str | None:
    """The page's site name: its metadata, else its <title>, else its host name.

    trafilatura falls back to the host name ("courier.example") when the page names no
    site; a "Headline | Coast Courier" title is the better name then.
    """
    declared = getattr(document, "sitename", None)
    host = getattr(document, "hostname", None) or (urlsplit(url).netloc if url else None)
    if declared and not (host and declared.casefold() in host.casefold()):
        return str(declared)
    return outlet_from_page_title(html, getattr(document, "title", None)) or declared or host


def outlet_from_page_title(html: str, headline: str | None) -> str | None:
    """The site's name from a page title such as "Headline | Outlet" or "Headline - Outlet".

    Used when a page names no site in its metadata, before falling back to the host name.
    """
    found = _TITLE_TAG.search(html, 0, _TITLE_SEARCH_CHARS)
    if found is None:
        return None
    parts = _TITLE_SEPARATOR.split(htmllib.unescape(found.group(1)).strip())
    site = parts[-1].strip() if len(parts) > 1 else ""
    if not site or len(site) > _MAX_SITE_NAME_CHARS:
        return None
    if headline is not None and site.casefold() == headline.strip().casefold():
        return None  # "Outlet | Headline" pages: the last part is the headline
    return site


def html_to_text(html: str) -> str:
    """The visible text of an HTML document or fragment, one paragraph per block element."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html.encode("utf-8"), parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath(_DROPPED_HTML):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n\n".join(line for line in lines if line)


def drafts_from_json(text: str, *, source: str) -> list[Decoded]:
    """An article object or a list of article objects; each bad object is its own rejection."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"{_json_problem(exc)} — fix the file and resend it") from None
    if isinstance(value, dict):
        return [_draft_from_object(value, source)]
    if isinstance(value, list) and value:
        return [_draft_from_object(item, f"{source} #{n}") for n, item in enumerate(value, 1)]
    raise SourceError("a JSON file must hold an article object or a list of article objects")


def drafts_from_jsonl(text: str, *, source: str) -> list[Decoded]:
    """One JSON article object per line; blank lines are skipped, bad lines rejected."""
    drafts: list[Decoded] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label = f"{source} line {number}"
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:
            drafts.append(Rejection(label, f"{_json_problem(exc)} — fix this line and resend it"))
            continue
        drafts.append(_draft_from_object(value, label))
    if not drafts:
        raise SourceError(EMPTY_REASON)
    return drafts


def _json_problem(exc: ValueError | RecursionError) -> str:
    """What made json.loads fail, for people: the parser's message or the limit it hit."""
    if isinstance(exc, json.JSONDecodeError):
        return f"this is not valid JSON (line {exc.lineno}: {exc.msg})"
    if isinstance(exc, RecursionError):
        return "this JSON is nested too deeply to read"
    # The only other ValueError json.loads raises: an integer longer than Python converts.
    return "this JSON has a number too long to read"


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


def _kind(filename: str, mime_type: str | None) -> str:
    mime = (mime_type or "").split(";")[0].strip().lower()
    if mime in _KIND_BY_MIME:
        return _KIND_BY_MIME[mime]
    if mime.startswith(("image/", "audio/", "video/", "font/")) or mime in (
        "application/pdf",
        "application/zip",
        "application/gzip",
    ):
        return "binary"
    return _KIND_BY_EXTENSION.get(PurePosixPath(filename).suffix.lower(), "unknown")


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise SourceError(
                    "the file starts like Unicode text but does not decode — resend it as UTF-8"
                ) from None
    return None


def _decode_declared(data: bytes, charset: str | None) -> str | None:
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue  # a wrong or unknown declared charset: fall through to detection
    return None


def _decode_guessed(data: bytes) -> str:
    # Detection cannot tell the Western single-byte code pages apart on short texts (it
    # picks cp1250 for French and cp775 for English with curly quotes), so cp1252, what
    # undeclared Western text almost always is, goes first when its result looks Western.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = data.decode("latin-1")  # the five bytes cp1252 leaves undefined
    if _looks_western(western):
        return western
    best = from_bytes(data).best()
    if best is None:
        raise SourceError(BINARY_REASON)
    return str(best)


def _looks_western(text: str) -> bool:
    # Accented letters are a small minority in Western languages; Cyrillic or Greek text in
    # a single-byte code page, decoded as cp1252, turns almost every letter into one.
    foreign = [ch for ch in text if ord(ch) > 127]
    if any(ch not in _WESTERN_CHARS and not ("\u00c0" <= ch <= "\u00ff") for ch in foreign):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return len([ch for ch in foreign if ch.isalpha()]) <= 0.3 * letters


def _without_stray_nuls(data: bytes) -> bytes:
    """The bytes less a few stray NULs; raises SourceError when NULs are part of the format."""
    nuls = data.count(b"\x00")
    if nuls <= _STRAY_NULS + len(data) * _STRAY_NULS_PER_BYTE:
        return data.replace(b"\x00", b"")
    # UTF-16 puts a NUL in every other byte of Latin text: all at even or all at odd offsets.
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) >= 0.3 * (len(data) // 2) and min(even, odd) <= max(even, odd) / 10:
        raise SourceError(UTF16_REASON)
    raise SourceError(BINARY_REASON)


def _mostly_printable(text: str) -> bool:
    # Format characters (zero-width space and joiners, bidi marks) are invisible but common
    # in Persian, Arabic and Hebrew text and in emoji sequences: they are text, not binary.
    sample = text[:65536]
    printable = sum(
        1
        for ch in sample
        if ch.isprintable() or ch in "\n\r\t\f" or unicodedata.category(ch) == "Cf"
    )
    return printable >= _MIN_PRINTABLE_RATIO * len(sample)


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


def _front_matter_title(markdown: str) -> tuple[str | None, str]:
    match = re.match(r"\A---\s*\n(.*?)\n---\s*\n", markdown, re.DOTALL)
    if not match:
        return None, markdown
    title = re.search(r"^title:\s*(.+?)\s*$", match.group(1), re.MULTILINE)
    value = title.group(1).strip("'\"") if title else None
    return value or None, markdown[match.end() :]


def _strip_inline_markdown(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)  # images carry no article text
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)  # [text][ref] -> text
    text = re.sub(r"<https?://[^>]+>", "", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", text)
    text = re.sub(r"~~(.+?)~~", r"\1", text)
    return re.sub(r"</?[A-Za-z][^>]*>", "", text)  # inline HTML tags


def _draft_from_object(value: object, source: str) -> Decoded:
    if not isinstance(value, Mapping):
        return Rejection(source, "expected an article object with a title and text")
    text = _first_str(value, _TEXT_FIELDS)
    if text is None:
        return Rejection(source, 'this item has no text — add a "text" or "body" field')
    try:
        return draft_from_text(
            text,
            source=source,
            title=_first_str(value, ("title", "headline")),
            url=_first_str(value, _URL_FIELDS),
            outlet=_first_str(value, _OUTLET_FIELDS),
            author=_first_str(value, ("author", "byline")),
            published_at=parse_datetime(_first_value(value, _DATE_FIELDS)),
        )
    except SourceError as exc:
        return Rejection(source, str(exc))


def _first_value(obj: Mapping[str, Any], keys: tuple[str, ...]) -> object:
    for key in keys:
        if obj.get(key) not in (None, ""):
            return obj[key]
    return None


def _first_str(obj: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    value = _first_value(obj, keys)
    if not isinstance(value, str):
        return None
    return value.strip() or None
