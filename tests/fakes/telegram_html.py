"""Telegram's HTML parse mode, as the Bot API server applies it to ``parse_mode=HTML`` text.

This is a port of the rules in TDLib's ``parse_html`` (the code behind the Bot API server), so
the fake server accepts and rejects exactly what Telegram does and reports the same reasons:

* Only Telegram's tags: ``b strong i em u ins s strike del tg-spoiler span`` (``span`` only with
  ``class="tg-spoiler"``), ``a href``, ``code`` (``class="language-x"`` inside ``pre``), ``pre``,
  ``blockquote`` (optionally ``expandable``) and ``tg-emoji emoji-id``. Tag names are
  case-insensitive; end tags must close the innermost open tag (``</>`` closes any).
* Entities: the named ``&lt; &gt; &amp; &quot;`` and numeric ``&#NN;`` / ``&#xNN;``. Like
  TDLib, an ``&`` that does not start one of those (``&nbsp;``, ``AT&T``) is kept literally
  rather than rejected; a bare ``<`` is an error ("Unsupported start tag").
* Errors become ``Bad Request: can't parse entities: <reason>`` with the byte offset (in UTF-8)
  of the offending tag, the way Telegram words them.

Entity offsets and lengths are in UTF-16 code units, as in the Bot API. After parsing, Telegram
trims surrounding whitespace (``trim``) before checking emptiness and length (``utf16_len``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # only valid with class="tg-spoiler", checked when the tag opens
}
_TAGS = frozenset({*_SIMPLE_TAGS, "a", "code", "pre", "blockquote", "tg-emoji"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# TDLib's is_space: NUL counts as space because it scans a NUL-terminated buffer.
_SPACES = frozenset(" \t\r\n\v\0")
# What Telegram trims around a message after parsing.
_TRIMMED = " \t\r\n\v\f"
_LINK_SCHEMES = ("http://", "https://", "tg://", "ton://", "tonsite://")


class EntityParseError(ValueError):
    """The HTML is not valid for Telegram; ``description`` is the Bot API error text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def description(self) -> str:
        return f"Bad Request: can't parse entities: {self.reason}"


@dataclass(frozen=True, slots=True)
class ParsedText:
    """Plain text plus Bot API ``MessageEntity`` dicts (offsets in UTF-16 code units)."""

    text: str
    entities: tuple[dict[str, Any], ...]


@dataclass(slots=True)
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    text_index: int  # index into the output pieces, to recover an <a> without href


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: characters outside the BMP (most emoji) count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities or raise ``EntityParseError``."""
    parser = _Parser(source)
    return parser.run()


def plain(text: str) -> ParsedText:
    """Text sent without a parse mode: no entities, nothing to parse."""
    return ParsedText(text, ())


def trim(parsed: ParsedText) -> ParsedText:
    """Strip surrounding whitespace as Telegram does, clipping entities to the kept text."""
    text = parsed.text
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return parsed
    # Trimmed characters are all ASCII, so character counts equal UTF-16 counts here.
    lead = len(text) - len(text.lstrip(_TRIMMED))
    size = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, tuple(entities))


class _Parser:
    """One pass over the source, mirroring TDLib's index-based scanner."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.pieces: list[str] = []
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        self.open: list[_OpenTag] = []

    def at(self, index: int) -> str:
        return self.source[index] if index < len(self.source) else "\0"

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8", "surrogatepass"))

    def emit(self, text: str) -> None:
        self.pieces.append(text)
        self.utf16 += utf16_len(text)

    def run(self) -> ParsedText:
        while self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "&":
                decoded = self.decode_entity()
                if decoded is not None:
                    self.emit(decoded)
                    continue
            if char != "<":
                self.emit(char)
                self.pos += 1
                continue
            if self.at(self.pos + 1) == "/":
                self.close_tag()
            else:
                self.open_tag()
        if self.open:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.open[-1].name}"'
            )
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language only survives inside <pre>
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.pieces), tuple(entities))

    def decode_entity(self) -> str | None:
        """Decode an entity at ``pos`` and advance past it; None (pos unchanged) if not one."""
        src, start = self.source, self.pos
        end = start + 1
        if self.at(end) == "#":
            end += 1
            hexadecimal = self.at(end) == "x"
            if hexadecimal:
                end += 1
            digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
            number_start = end
            while self.at(end) in digits and self.at(end) != "\0":
                end += 1
            number = src[number_start:end]
            code = int(number, 16 if hexadecimal else 10) if number else 0
            # TDLib's limits: no NUL, inside Unicode, and a short reference.
            if code == 0 or code >= 0x10FFFF or end - start >= 10:
                return None
            decoded = chr(code)
        else:
            while self.at(end).isascii() and self.at(end).isalpha():
                end += 1
            named = _NAMED_ENTITIES.get(src[start + 1 : end])
            if named is None:
                return None
            decoded = named
        self.pos = end + 1 if self.at(end) == ";" else end
        return decoded

    def open_tag(self) -> None:
        begin = self.pos
        i = begin + 1
        while self.at(i) not in _SPACES and self.at(i) != ">":
            i += 1
        if i >= len(self.source):
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = self.source[begin + 1 : i].lower()
        if name not in _TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        argument = ""
        while self.at(i) != ">":
            while i < len(self.source) and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == ">":
                break
            attribute_start = i
            while self.at(i) not in _SPACES and self.at(i) not in "=>":
                i += 1
            attribute = self.source[attribute_start:i].lower()
            if not attribute:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            while i < len(self.source) and self.at(i) in _SPACES:
                i += 1
            if self.at(i) != "=":
                # `expandable` is the one attribute Telegram accepts without a value.
                if name == "blockquote" and attribute == "expandable":
                    argument = "1"
                    continue
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i += 1
            while i < len(self.source) and self.at(i) in _SPACES:
                i += 1
            if i >= len(self.source):
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {self.byte_offset(begin)}'
                )
            value, i = self.attribute_value(i)
            if i >= len(self.source):
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {self.byte_offset(begin)}"
                )
            argument = _tag_argument(name, attribute, value, argument)
        if name == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.open.append(_OpenTag(name, argument, self.utf16, len(self.pieces)))
        self.pos = i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        quote = self.at(i)
        if quote not in "'\"":
            # An unquoted name token: letters, digits, '.' and '-', case-insensitive.
            start = i
            while self.at(i).isascii() and (self.at(i).isalnum() or self.at(i) in ".-"):
                i += 1
            if self.at(i) not in _SPACES and self.at(i) != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(start)}"
                )
            return self.source[start:i].lower(), i
        i += 1
        value: list[str] = []
        while i < len(self.source) and self.source[i] != quote:
            if self.source[i] == "&":
                saved, self.pos = self.pos, i
                decoded = self.decode_entity()
                i, self.pos = self.pos, saved
                if decoded is not None:
                    value.append(decoded)
                    continue
            value.append(self.source[i])
            i += 1
        if i < len(self.source):
            i += 1  # the closing quote
        return "".join(value), i

    def close_tag(self) -> None:
        begin = self.pos
        if not self.open:
            raise EntityParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while self.at(i) not in _SPACES and self.at(i) != ">":
            i += 1
        end_name = self.source[begin + 2 : i].lower()
        while i < len(self.source) and self.at(i) in _SPACES:
            i += 1
        if self.at(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        tag = self.open[-1]
        if end_name and end_name != tag.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{tag.name}>", found "</{end_name}>"'
            )
        self.pos = i + 1
        self.open.pop()
        if self.utf16 > tag.utf16_offset:  # empty tags produce no entity
            self.add_entity(tag)

    def add_entity(self, tag: _OpenTag) -> None:
        offset, length = tag.utf16_offset, self.utf16 - tag.utf16_offset
        span: dict[str, Any] = {"offset": offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last["offset"], last["length"]) == (offset, length)
        if tag.name in _SIMPLE_TAGS:
            self.entities.append({"type": _SIMPLE_TAGS[tag.name], **span})
        elif tag.name == "a":
            url = check_link(tag.argument or "".join(self.pieces[tag.text_index :]))
            # Telegram silently drops links it considers invalid instead of failing.
            if url is not None:
                self.entities.append({"type": "text_link", **span, "url": url})
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit() or int(tag.argument) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            self.entities.append({"type": "custom_emoji", **span, "custom_emoji_id": tag.argument})
        elif tag.name == "blockquote":
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.entities.append({"type": kind, **span})
        elif tag.name == "pre":
            # <pre><code class="language-x">…</code></pre> merges into one pre with a language.
            if last is not None and same_span and last["type"] == "code" and "language" in last:
                last["type"] = "pre"
            else:
                self.entities.append({"type": "pre", **span})
        elif last is not None and same_span and last["type"] == "pre" and tag.argument:
            last["language"] = tag.argument  # <code class="language-x"> directly inside <pre>
        else:
            entity = {"type": "code", **span}
            if tag.argument:
                entity["language"] = tag.argument  # kept only if a <pre> wraps it
            self.entities.append(entity)


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The one attribute each tag cares about; everything else is ignored like in TDLib."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def check_link(url: str) -> str | None:
    """A simplified LinkManager::check_link: the normalised URL, or None if Telegram rejects it.

    Known schemes pass as written, a bare domain gets ``http://``; used for ``<a href>`` and
    for URL buttons.
    """
    url = url.strip()
    if url.lower().startswith(_LINK_SCHEMES):
        return url
    if "://" in url or not url or " " in url:
        return None
    host = url.split("/", 1)[0]
    return f"http://{url}" if "." in host and not host.startswith(".") else None
