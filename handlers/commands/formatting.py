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


# Control characters other than line breaks and tabs: never meant to be seen, and a NUL in
# a reply echoes back whatever a user pasted.
_CONTROLS = dict.fromkeys(
    [*(c for c in range(32) if chr(c) not in "\n\t"), *range(0x7F, 0xA0)]  # C0, DEL, C1
)


def esc(text: str | None) -> str:
    """Escape text for Telegram HTML: `<`, `>` and `&` (quotes stay readable in text), and
    drop control characters."""
    return html.escape((text or "").translate(_CONTROLS), quote=False)


def link(url: str, label: str) -> str:
    """An `<a>` tag; only http(s) links are made clickable, anything else stays text."""
    if url.startswith(("http://", "https://")):
        # Inside the attribute the double quote must be escaped too.
        return f'<a href="{html.escape(url, quote=True)}">{esc(label)}</a>'
    return esc(label)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    # Encoded in C; surrogatepass counts a lone surrogate as the one unit it is.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


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
    local = moment.astimezone(tz)
    # strftime has no portable "day without a leading zero" (glibc-only on Linux, not Windows).
    return f"{local.day} {local:%b %Y}"


def format_moment(moment: datetime) -> str:
    """`Wed 2 Dec, 07:00`: a weekday, day and time (in the moment's own zone)."""
    return f"{moment:%a} {moment.day} {moment:%b, %H:%M}"


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
    """Split balanced Telegram HTML into messages whose parsed length is at most `limit`.

    Each cut reads only about `limit` characters of what is left, so splitting is linear in
    the length of the text however long it is.
    """
    text = text.strip()
    chunks: list[str] = []
    rest = text
    while rest:
        if _fits(rest, limit):
            chunks.append(rest)
            break
        head, rest = _cut(rest, limit)
        chunks.append(head)
    return [c for c in (chunk.strip() for chunk in chunks) if c]


def _fits(fragment: str, limit: int) -> bool:
    """plain_length(fragment) <= limit, reading no further than needed to know."""
    used = 0
    window = _window(fragment, limit)
    for match in _TOKEN_RE.finditer(fragment, 0, window):
        token = match.group()
        if len(token) > limit and token[0] not in "<&":
            return False  # a text run is at least as long in UTF-16 as in characters
        used += _token_length(token)
        if used > limit:
            return False
    # past the window there may be only tags left; measure all of it in that rare case
    return window == len(fragment) or plain_length(fragment) <= limit


Stack = tuple[tuple[str, str], ...]  # (name, opening tag) of the tags open at a point


def _cut(text: str, limit: int) -> tuple[str, str]:
    """Cut `text` once: the longest fitting head at the best boundary, and the rest."""
    # Within the window as a rule; the whole text only when the window holds no place to
    # cut at all (a tag longer than the window, such as a link to a 70,000-character URL).
    cut = _cut_within(text, limit, _window(text, limit)) or _cut_within(text, limit, len(text))
    return cut or (text, "")  # only tags, no text: nothing to measure, nothing to cut


def _cut_within(text: str, limit: int, window: int) -> tuple[str, str] | None:
    """`_cut` reading text[:window] only; None when no cut is possible there."""
    # Closing tags add no parsed length, so the head may use the whole limit.
    open_tags: list[tuple[str, str]] = []
    stack: Stack = ()
    # priority -> (offset, open tags there, parsed length there) of the latest such boundary
    best: dict[int, tuple[int, Stack, int]] = {}
    used = 0
    pos = 0
    for match in _TOKEN_RE.finditer(text, 0, window):
        token = match.group()
        if token.startswith("<") and len(token) > 1:
            _track_tag(token, open_tags)
            stack = tuple(open_tags)
            pos += len(token)
            continue
        if token.startswith("&") and len(token) > 1:
            # an entity is one indivisible unit
            size = _token_length(token)
            if used + size > limit and best:
                return _split_at(text, best, limit)
            used += size
            pos += len(token)
            best[0] = (pos, stack, used)
            continue
        # a text run: as much of it as fits, with the last boundary of each kind inside that
        piece = token[: limit - used]
        width = utf16_len(piece)
        if width != len(piece):
            piece = _fitting_prefix(piece, limit - used)  # astral characters count twice
        if not piece and not best:
            piece = token[:1]  # one character over a tiny limit, rather than no progress
        width = utf16_len(piece)
        for priority, end in _boundaries(token, len(piece)):
            best[priority] = (pos + end, stack, used + utf16_len(piece[:end]))
        if len(piece) < len(token) and best:
            return _split_at(text, best, limit)
        used += width
        pos += len(piece)
    return _split_at(text, best, limit) if best else None


def _fitting_prefix(piece: str, room: int) -> str:
    """The longest prefix of `piece` of at most `room` UTF-16 units."""
    used = 0
    for index, ch in enumerate(piece):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > room:
            return piece[:index]
    return piece


_SENTENCE_END = re.compile(r"[.!?…](?=[ \n])")


def _boundaries(run: str, length: int) -> list[tuple[int, int]]:
    """(priority, offset just after it) of the last cut of each kind in run[:length]: 4 between
    paragraphs, 3 after a line, 2 after a sentence, 1 after a space, 0 anywhere."""
    head = run[:length]
    found = [(0, length)] if length else []
    candidates = (
        (4, run.rfind("\n\n", 0, length + 1) + 1),  # the second break may lie past the head
        (3, head.rfind("\n") + 1),
        (1, head.rfind(" ") + 1),
    )
    found += [(priority, end) for priority, end in candidates if end > 0]
    # a sentence end needs the character after it, which may lie just past the head
    ends = [m.end() for m in _SENTENCE_END.finditer(run, 0, min(len(run), length + 1))]
    if ends and ends[-1] <= length:
        found.append((2, ends[-1]))
    return found


def _window(text: str, limit: int) -> int:
    """Where a cut stops reading: far enough for any head of `limit` parsed characters in the
    HTML newsbot writes, never inside a tag or an entity, and a bound on the work per cut."""
    end = limit * 16
    if end >= len(text):
        return len(text)
    for opener, closer in (("<", ">"), ("&", ";")):
        start = text.rfind(opener, 0, end)
        if start > text.rfind(closer, 0, end):
            end = start
    return end


def _split_at(text: str, best: dict[int, tuple[int, Stack, int]], limit: int) -> tuple[str, str]:
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


def html_to_text(fragment: str) -> str:
    """Render Telegram HTML as plain text for the console: links become `label (url)`."""

    def _link(match: re.Match[str]) -> str:
        href, label = html.unescape(match.group(1)), match.group(2)
        return f"{label} ({href})" if href != html.unescape(label) else label

    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', _link, fragment, flags=re.S)
    text = re.sub(r"<[^<>]*>", "", text)
    return html.unescape(text)
