"""`newsbot summarize` and `newsbot quotes`: text in, summary or quotes out, nothing stored.

The `--jsonl` batch modes read and write the formats of the evaluation data, so the
evaluation scripts score exactly what the command prints. Quote offsets in batch mode point
into the input text as given (no cleaning), because the scorer compares character spans.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from summaries.clean import clean_article
from summaries.language import detect_language
from summaries.quotes import Quote, extract_quotes
from summaries.summarize import summarize

MAX_INPUT_BYTES = 2 * 1024 * 1024


class InputError(ValueError):
    """The input file cannot be used; the message says why."""


def read_text(source: str) -> str:
    """Read FILE or `-` (stdin) as UTF-8, refusing inputs over the 2 MB cap."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_INPUT_BYTES:
                raise InputError(f"{source} is larger than 2 MB")
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {source}: {exc.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{source} is larger than 2 MB")
    return data.decode("utf-8", errors="replace")


def iter_jsonl(source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a JSONL file with their line numbers; bad lines raise InputError."""
    stream: IO[str]
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{source}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise InputError(f"{source}:{number}: expected a JSON object")
            yield number, row
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    finally:
        if stream is not sys.stdin:
            stream.close()


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
) -> None:
    """Print the summary of FILE, or one JSON row per input row in batch mode."""
    if jsonl:
        for _, row in iter_jsonl(source):
            text = _row_text(row, ("article", "text"))
            summary = summarize_text(
                text, sentences=sentences, algorithm=algorithm, max_chars=max_chars
            )
            out.write(
                json.dumps({"id": row.get("id"), "summary": "\n".join(summary)}, ensure_ascii=False)
                + "\n"
            )
        return
    summary = summarize_text(
        read_text(source), sentences=sentences, algorithm=algorithm, max_chars=max_chars
    )
    if as_json:
        out.write(
            json.dumps({"algorithm": algorithm, "summary": summary}, ensure_ascii=False) + "\n"
        )
    else:
        out.write("\n".join(summary) + "\n")


def quote_dict(quote: Quote) -> dict[str, Any]:
    """A quote as the evaluation format wants it (start/end/speaker/role plus details)."""
    return asdict(quote)


def _quotes(text: str, indirect: bool) -> tuple[Quote, ...]:
    """The quotes ingestion would store for `text` (attributed only in English)."""
    return extract_quotes(text, indirect=indirect, language=detect_language(text))


def run_quotes(source: str, *, jsonl: bool, as_json: bool, indirect: bool, out: IO[str]) -> None:
    """Print the attributed quotes of FILE, or one JSON row per input row in batch mode."""
    if jsonl:
        for _, row in iter_jsonl(source):
            text = _row_text(row, ("text", "article"))
            doc_id = row.get("doc_id", row.get("id"))
            rows = [quote_dict(q) for q in _quotes(text, indirect)]
            out.write(json.dumps({"doc_id": doc_id, "quotes": rows}, ensure_ascii=False) + "\n")
        return
    found = _quotes(read_text(source), indirect)
    if as_json:
        out.write(json.dumps([quote_dict(q) for q in found], ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        out.write("No quotes found.\n")
    for q in found:
        who = q.speaker or "unknown speaker"
        if q.role:
            who += f", {q.role}"
        kind = "" if q.kind == "direct" else f" [{q.kind}]"
        out.write(f"“{q.text}”{kind}\n    — {who}\n")
