"""The hand-made quote gold for the bundled samples (scripts/sample_quotes_gold.json) is sound.

Every listed sample exists, every quote occurs verbatim in that sample's text (at its
"occurrence", 0-based, when the span text occurs more than once), holds a quotation mark and
names a speaker, and the spans of one article do not overlap. `scripts/eval_quotes.py
--samples` relies on this to turn the file into scorer rows; nothing here needs ../shared/eval.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "scripts" / "sample_quotes_gold.json"
SAMPLES = ROOT / "data" / "samples"
QUOTE_MARKS = '"“”„«»‘’‹›'


def load_gold() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as handle:
        gold: list[dict[str, Any]] = json.load(handle)
    return gold


def find_span(text: str, quote: str, occurrence: int) -> int:
    """Start offset of the occurrence-th (0-based) appearance of quote in text, or -1."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(quote, start + 1)
        if start < 0:
            return -1
    return start


def test_gold_lists_each_sample_once_and_exists() -> None:
    gold = load_gold()
    names = [entry["file"] for entry in gold]
    assert names, "the gold file is empty"
    assert len(names) == len(set(names)), "a sample is listed twice"
    for name in names:
        assert (SAMPLES / name).is_file(), f"{name} is not in data/samples"


@pytest.mark.parametrize("entry", load_gold(), ids=lambda entry: entry["file"])
def test_quotes_occur_in_text_and_do_not_overlap(entry: dict[str, Any]) -> None:
    text = json.loads((SAMPLES / entry["file"]).read_text(encoding="utf-8"))["text"]
    spans: list[tuple[int, int]] = []
    for quote in entry["quotes"]:
        span_text = quote["quote"]
        occurrence = quote.get("occurrence", 0)
        assert isinstance(occurrence, int) and occurrence >= 0
        assert any(mark in span_text for mark in QUOTE_MARKS), f"no quotation mark: {span_text!r}"
        assert quote["reference"].strip(), f"empty reference for {span_text!r}"
        start = find_span(text, span_text, occurrence)
        assert start >= 0, f"not in text (occurrence {occurrence}): {span_text!r}"
        if "occurrence" in quote:
            assert text.count(span_text) > 1, f"needless occurrence field: {span_text!r}"
        else:
            assert find_span(text, span_text, 1) < 0, f"ambiguous, add occurrence: {span_text!r}"
        spans.append((start, start + len(span_text)))
    ordered = sorted(spans)
    assert ordered == spans, "quotes are not in text order"
    for (_, end), (next_start, _) in pairwise(ordered):
        assert end <= next_start, f"overlapping spans in {entry['file']}"
