"""The name keys both summaries and the store use."""

from __future__ import annotations

from newsbot import names


def test_fold_strips_case_accents_and_letter_marks() -> None:
    assert names.fold("José NÚÑEZ") == "jose nunez"
    assert (
        names.fold("Mehmet Aydın Łukasz Ødegaard Đoković") == "mehmet aydin lukasz odegaard dokovic"
    )
    assert names.fold("Иван") == "иван"  # no accents to strip in Cyrillic


def test_normalize_name_drops_titles_possessives_and_hyphens() -> None:
    assert names.normalize_name("  Volodymyr  ZELENSKYY ") == "volodymyr zelenskyy"
    assert names.normalize_name("Dr. José-María O'Neill") == "jose maria oneill"
    assert names.normalize_name("President Putin's") == "putin"
    assert names.normalize_name("President") == "president"  # a lone title is the name
    assert names.normalize_name("...") == ""


def test_surname_key_merges_variants_and_skips_suffixes() -> None:
    assert names.surname_key("Volodymyr Zelenskiy") == names.surname_key("Zelenskyy") == "zelensky"
    assert names.surname_key("Martin Luther King Jr.") == "king"
    assert names.surname_key("Kwame Asante-Bright") == "bright"
    assert names.surname_key("Mikhail Khodorkovsky") == "hodorkovsky"
    assert names.surname_key("") == ""


def test_name_tokens_keep_hyphenated_tokens_whole() -> None:
    assert names.name_tokens("Sen. Kwame Asante-Bright") == ("kwame", "asante-bright")
    assert names.name_words(("kwame", "asante-bright")) == ("kwame", "asante", "bright")
    assert names.last_name(("martin", "king", "jr")) == "king"
