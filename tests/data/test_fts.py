"""The FTS query builders: raw user text in, safe MATCH expressions out."""

from __future__ import annotations

import pytest
from newsbot.data import fts


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("harbour bridge", '"harbour" "bridge"'),
        ('say "hi"', '"say" "hi"'),
        ('budget "green bond"', '"budget" "green bond"'),
        ("„grüne Anleihe“", '"grüne Anleihe"'),
        ("«ça va»", '"ça va"'),
        ('open "quote', '"open" """quote"'),
        ("NEAR(a b)", '"NEAR(a" "b)"'),
        ("a* OR b", '"a*" "OR" "b"'),
        ("", None),
        ("!!! ... ---", None),
        ('""', None),
        ("harbour\x00bridge", '"harbour" "bridge"'),
        ('"green\x00bond"', '"green bond"'),
        ("\x00", None),
    ],
)
def test_match_expression(query: str, expected: str | None) -> None:
    assert fts.match_expression(query) == expected


def test_match_expression_is_bounded() -> None:
    expression = fts.match_expression("word " * 2000)
    assert expression is not None and expression.count('"word"') == fts.MAX_TOKENS


def test_trigram_any() -> None:
    assert fts.trigram_any("putin") == '"put" OR "uti" OR "tin"'
    assert fts.trigram_any("ab") is None
    long = fts.trigram_any("abcdefghijklmnopqrstuvwxyz zyxwvutsrqponmlkjihgfedcba" * 80)
    assert long is not None and long.count(" OR ") == fts.MAX_TRIGRAMS - 1


def test_fuzzy_name_halves_long_keys() -> None:
    assert fts.fuzzy_name("volodymyr zelenskyy") == ['"volodymyr"', '" zelenskyy"']
    assert fts.fuzzy_name("putin") == ['"put" OR "uti" OR "tin"']
    assert fts.fuzzy_name("xy") == []
    assert all(len(e) < 200 for e in fts.fuzzy_name("a" * 4000))


def test_similarity_prefers_the_one_typo_spelling() -> None:
    key = "volodymyr zelenksyy"
    assert fts.similarity(key, key) == 1.0
    assert fts.similarity(key, "volodymyr zelenskyy") > fts.similarity(key, "volodymyr groysman")
    assert fts.similarity("abc", "xyz") == 0.0


def test_snippet_marks_the_query_words_in_the_best_window() -> None:
    body = (
        "The council met on Monday. Nothing was decided about parking. Later the harbour "
        "bridge plan came up, and the Harbour Board said the bridge would open in May."
    )
    snippet = fts.snippet(body, "harbour bridge", words=12)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "\x02harbour\x03 \x02bridge\x03" in snippet
    assert "\x02Harbour\x03 Board" in snippet  # case and accents do not matter


def test_snippet_folds_accents_and_keeps_short_texts_whole() -> None:
    assert fts.snippet("Café prices rose.", "cafe", words=12) == "\x02Café\x03 prices rose."


def test_snippet_without_a_match_is_the_start() -> None:
    assert fts.snippet("One two three four five", "zebra", words=3) == "One two three…"
    assert fts.snippet("", "zebra", words=3) == ""


def test_snippet_cost_is_bounded_by_the_scan_limit() -> None:
    # 480 KB of one word: FTS5's own snippet() took 26 s on this; only a prefix is read here.
    body = "harbour " * 60_000
    snippet = fts.snippet(body, "harbour", words=5)
    assert snippet.count("\x02harbour\x03") == 5


def test_snippet_does_not_mark_the_s_of_a_possessive_everywhere() -> None:
    snippet = fts.snippet("The harbour's pier is as old as the town.", "harbour's", words=12)
    assert snippet == "The \x02harbour\x03's pier is as old as the town."
