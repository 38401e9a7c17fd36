"""Bytes to text: byte-order marks, the declared charset, UTF-8, then detection; binary
files and control-character soup are refused with a reason the sender can act on."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes
from newsbot.handlers.ingestion.drafts import EMPTY_REASON, SourceError

BINARY_REASON = (
    "this looks like a binary file (e.g. an image or PDF) — send text, HTML, Markdown or JSON"
)
CONTROL_REASON = (
    "this looks like a binary file, not text: much of it is control characters — send text, "
    "HTML, Markdown or JSON"
)
UTF16_REASON = "this looks like UTF-16 text without a byte-order mark — resend it as UTF-8"

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
# Non-letter characters common in Western text in cp1252 / Latin-1.
_WESTERN_CHARS = frozenset("\u00a0«»“”‘’„‚‹›–—…•€£¥¢°©®™§¶·×÷±¿¡ºª²³¹¼½¾ŠšŒœŽžŸ")


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
