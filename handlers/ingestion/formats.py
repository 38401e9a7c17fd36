"""Files and HTTP bodies to drafts: which format the input is (MIME type, extension or a
sniff), and the readers for plain text, Markdown, HTML and JSON / JSON Lines.

Everything here is synchronous and CPU-bound, so the ingest pipeline runs it in a worker
thread. Bad input never raises out of `drafts_from_bytes`: it becomes a `Rejection` whose
reason tells the user what was wrong and what to send instead. Every `ArticleDraft` that
exists has passed the length check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from newsbot.handlers.ingestion.decoding import BINARY_REASON, decode_bytes
from newsbot.handlers.ingestion.drafts import (
    EMPTY_REASON,
    ArticleDraft,
    Decoded,
    Rejection,
    SourceError,
    draft_from_text,
    parse_datetime,
)
from newsbot.handlers.ingestion.extract import draft_from_html

SUPPORTED_EXTENSIONS = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson"}
)
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
