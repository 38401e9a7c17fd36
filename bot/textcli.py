"""`newsbot summarize` and `newsbot quotes`: text in, summary or quotes out, nothing stored.

A FILE is decoded and refused (empty, binary) exactly as ingestion does it. The `--jsonl`
batch modes read and write the formats of the evaluation data, so the evaluation scripts
score exactly what the command prints; like ingest, they report a bad line and go on. Quote
offsets in batch mode point into the input text as given (no cleaning), because the scorer
compares character spans.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from newsbot.handlers.ingestion.decoding import decode_bytes
from newsbot.handlers.ingestion.drafts import SourceError, require_words
from newsbot.summaries.clean import clean_article
from newsbot.summaries.language import detect_language
from newsbot.summaries.quotes import Quote, extract_quotes
from newsbot.summaries.summarize import summarize

MAX_INPUT_BYTES = 2 * 1024 * 1024


class InputError(ValueError):
    """The input file cannot be used; the message says why."""


def _label(source: str) -> str:
    return "stdin" if source == "-" else source


def _read_bytes(source: str, *, capped: bool) -> bytes:
    """FILE or `-` (stdin) as bytes; InputError if unreadable or, when `capped`, over 2 MB."""
    try:
        if source == "-":
            # One byte past the cap is enough to tell that the input is too big.
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1 if capped else -1)
        else:
            path = Path(source)
            if capped and path.stat().st_size > MAX_INPUT_BYTES:
                raise InputError(f"{source} is larger than 2 MB")
            data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {_label(source)}: {exc.strerror}") from None
    if capped and len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{_label(source)} is larger than 2 MB")
    return data


def _decode(source: str, data: bytes) -> str:
    """The text of `data` as ingestion decodes it; InputError for empty or binary data."""
    try:
        return decode_bytes(data)
    except SourceError as exc:
        raise InputError(f"{_label(source)}: {exc}") from None


def read_text(source: str) -> str:
    """Read FILE or `-` (stdin) as ingestion would: refusing inputs over the 2 MB cap, and
    text with no words or in a script newsbot cannot read (short texts are fine here)."""
    text = _decode(source, _read_bytes(source, capped=True))
    try:
        require_words(text)
    except SourceError as exc:
        raise InputError(f"{_label(source)}: {exc}") from None
    return text


def iter_jsonl(source: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Each non-blank line of a JSONL file: its number and its object, or why it is bad.

    A file that cannot be read, or is empty or binary, raises InputError instead.
    """
    data = _read_bytes(source, capped=False)
    # Only the verdict matters: rows are parsed from the bytes as given, so quote offsets
    # point into exactly the strings the file holds, whatever decoding would normalise.
    _decode(source, data)
    for number, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).splitlines(), start=1):
        if raw.strip():
            yield number, _parse_row(raw)


def _parse_row(raw: bytes) -> dict[str, Any] | str:
    """One JSONL line as an object, or the reason it is not one."""
    try:
        row = json.loads(raw.decode("utf-8"))  # JSON text is UTF-8 (RFC 8259)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except json.JSONDecodeError as exc:
        return f"not JSON ({exc.msg})"
    except RecursionError:
        return "not JSON (nested too deeply)"
    except ValueError:
        # The other ValueError json raises: an integer past Python's 4300-digit limit.
        return "not JSON (a number has too many digits)"
    return row if isinstance(row, dict) else "expected a JSON object"


def _run_batch(
    source: str, out: IO[str], answer: Callable[[dict[str, Any]], dict[str, Any]]
) -> int:
    """Write `answer(row)` for each row; report bad lines on stderr and go on, like ingest.

    Returns the exit status: 1 if any line was bad, else 0.
    """
    status = 0
    for number, row in iter_jsonl(source):
        if isinstance(row, str):
            print(f"newsbot: {_label(source)}:{number}: {row}", file=sys.stderr)
            status = 1
        else:
            out.write(_json_line(answer(row)))
    return status


def _json_line(value: object) -> str:
    """`value` as one line of JSON, non-ASCII kept readable where UTF-8 can carry it."""
    line = json.dumps(value, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (valid in JSON as `\\ud800`) cannot be written as UTF-8;
        # escaped, the row still reads back as the same string.
        line = json.dumps(value)
    return line + "\n"


def _row_text(row: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = row.get(key)
        if isinstance(value, str):
            return value
    return ""


def summarize_text(
    text: str, *, sentences: int, algorithm: str, max_chars: int | None
) -> list[str]:
    """Clean and summarise one text; the summary's sentences in article order."""
    body = clean_article(text)
    result = summarize(
        body,
        sentences=sentences,
        algorithm=algorithm,
        max_chars=max_chars,
        language=detect_language(body),
    )
    return list(result.sentences)


def run_summarize(
    source: str,
    *,
    jsonl: bool,
    as_json: bool,
    sentences: int,
    algorithm: str,
    max_chars: int | None,
    out: IO[str],
) -> int:
    """Print the summary of FILE, or one JSON row per input row in batch mode.

    Returns the exit status; unusable input raises InputError.
    """

    def summary(text: str) -> list[str]:
        return summarize_text(text, sentences=sentences, algorithm=algorithm, max_chars=max_chars)

    def answer(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": row.get("id"),
            "summary": "\n".join(summary(_row_text(row, ("article", "text")))),
        }

    if jsonl:
        return _run_batch(source, out, answer)
    found = summary(read_text(source))
    if as_json:
        out.write(_json_line({"algorithm": algorithm, "summary": found}))
    else:
        out.write("\n".join(found) + "\n")
    return 0


def quote_dict(quote: Quote) -> dict[str, Any]:
    """A quote as the evaluation format wants it (start/end/speaker/role plus details)."""
    return asdict(quote)


def _quotes(text: str, indirect: bool) -> tuple[Quote, ...]:
    """The quotes ingestion would store for `text` (attributed only in English)."""
    return extract_quotes(text, indirect=indirect, language=detect_language(text))


def run_quotes(source: str, *, jsonl: bool, as_json: bool, indirect: bool, out: IO[str]) -> int:
    """Print the attributed quotes of FILE, or one JSON row per input row in batch mode.

    Returns the exit status; unusable input raises InputError.
    """

    def answer(row: dict[str, Any]) -> dict[str, Any]:
        found = _quotes(_row_text(row, ("text", "article")), indirect)
        return {
            "doc_id": row.get("doc_id", row.get("id")),
            "quotes": [quote_dict(q) for q in found],
        }

    if jsonl:
        return _run_batch(source, out, answer)
    found = _quotes(read_text(source), indirect)
    if as_json:
        out.write(json.dumps([quote_dict(q) for q in found], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not found:
        out.write("No quotes found.\n")
    for q in found:
        who = q.speaker or "unknown speaker"
        if q.role:
            who += f", {q.role}"
        kind = "" if q.kind == "direct" else f" [{q.kind}]"
        out.write(f"“{q.text}”{kind}\n    — {who}\n")
    return 0
