"""Pure formatting for Telegram's HTML parse mode: escaping, measuring and splitting.

Telegram limits a message to 4096 characters *after* entity parsing, counted in UTF-16 code
units. Replies are built from escaped text and a few balanced tags, then `split_html` cuts
them into messages that fit by construction: cuts fall at paragraph, line, sentence or word
boundaries, never inside a tag or an entity, and tags open at a cut are closed before it and
reopened after it.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

MESSAGE_LIMIT = 4096

_TOKEN_RE = re.compile(r"<[^<>]*>|&#?\w+;|[^<&]+|[<&]")
_TAG_NAME_RE = re.compile(r"</?\s*([a-zA-Z-]+)")


def esc(text: str | None) -> str:
    """Escape text for Telegram HTML: `<`, `>` and `&` (quotes stay readable in text)."""
    return html.escape(text or "", quote=False)


def link(url: str, label: str) -> str:
    """An `<a>` tag; only http(s) links are made clickable, anything else stays text."""
    if url.startswith(("http://", "https://")):
        # Inside the attribute the double quote must be escaped too.
        return f'<a href="{html.escape(url, quote=True)}">{esc(label)}</a>'
    return esc(label)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def truncate(text: str, limit: int) -> str:
    """Cut plain text to `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def format_date(moment: datetime | None, tz: ZoneInfo) -> str:
    """`24 Nov 2026` in the reader's time zone; empty for unknown dates."""
    if moment is None:
        return ""
    return moment.astimezone(tz).strftime("%-d %b %Y")


def plain_length(fragment: str) -> int:
    """UTF-16 length of an HTML fragment after Telegram's entity parsing."""
    return sum(_token_length(tok) for tok in _TOKEN_RE.findall(fragment))


def _token_length(token: str) -> int:
    if token.startswith("<") and len(token) > 1:
        return 0
    if token.startswith("&") and len(token) > 1:
        return utf16_len(html.unescape(token))
    return utf16_len(token)


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split balanced Telegram HTML into messages whose parsed length is at most `limit`."""
    text = text.strip()
    if plain_length(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    rest = text
    while rest:
        if plain_length(rest) <= limit:
            chunks.append(rest)
            break
        head, rest = _cut(rest, limit)
        chunks.append(head)
    return [c for c in (chunk.strip() for chunk in chunks) if c]


def _cut(text: str, limit: int) -> tuple[str, str]:
    """Cut `text` once: the longest fitting head at the best boundary, and the rest."""
    # Closing tags add no parsed length, so the head may use the whole limit.
    open_tags: list[tuple[str, str]] = []  # (name, opening tag) currently open
    # priority -> (offset, open tags there, parsed length there) of the latest such boundary
    best: dict[int, tuple[int, list[tuple[str, str]], int]] = {}
    used = 0
    pos = 0
    for token in _TOKEN_RE.findall(text):
        if token.startswith("<") and len(token) > 1:
            _track_tag(token, open_tags)
            pos += len(token)
            continue
        # An entity is one indivisible unit; a text run is walked character by character.
        units = [token] if token.startswith("&") and len(token) > 1 else list(token)
        run = token if len(units) > 1 else ""
        for index, unit in enumerate(units):
            size = _token_length(unit)
            if used + size > limit and best:
                return _split_at(text, best, limit)
            used += size
            pos += len(unit)
            priority = _boundary_priority(run, index) if run else 0
            best[priority] = best[0] = (pos, list(open_tags), used)
    return _split_at(text, best, limit)


def _split_at(
    text: str, best: dict[int, tuple[int, list[tuple[str, str]], int]], limit: int
) -> tuple[str, str]:
    """Cut at the strongest boundary in the second half of the head (else the strongest),
    closing the tags open there and reopening them after."""
    late = [p for p, (_, _, used) in best.items() if used >= limit // 2]
    offset, stack, _ = best[max(late or best)]
    closing = "".join(f"</{name}>" for name, _ in reversed(stack))
    reopening = "".join(tag for _, tag in stack)
    return text[:offset].rstrip() + closing, reopening + text[offset:].lstrip()


def _track_tag(tag: str, stack: list[tuple[str, str]]) -> None:
    match = _TAG_NAME_RE.match(tag)
    if not match:
        return
    name = match.group(1).lower()
    if tag.startswith("</"):
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                del stack[i:]
                break
    elif not tag.endswith("/>"):
        stack.append((name, tag))


def _boundary_priority(run: str, index: int) -> int:
    """How good a cut after run[index] is: 4 paragraph, 3 line, 2 sentence, 1 word, 0 none."""
    ch = run[index]
    nxt = run[index + 1] if index + 1 < len(run) else ""
    if ch == "\n" and nxt == "\n":
        return 4
    if ch == "\n":
        return 3
    if ch in ".!?…" and nxt in (" ", "\n"):
        return 2
    if ch == " ":
        return 1
    return 0


def html_to_text(fragment: str) -> str:
    """Render Telegram HTML as plain text for the console: links become `label (url)`."""

    def _link(match: re.Match[str]) -> str:
        href, label = html.unescape(match.group(1)), match.group(2)
        return f"{label} ({href})" if href != html.unescape(label) else label

    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', _link, fragment, flags=re.S)
    text = re.sub(r"<[^<>]*>", "", text)
    return html.unescape(text)
