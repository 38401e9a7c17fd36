"""Tests for summaries.summarize: algorithms, lengths, languages and bad input."""

from __future__ import annotations

import pytest
from newsbot.summaries.summarize import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    Summary,
    UnknownAlgorithmError,
    summarize,
)

STORY = (
    "HARBOURTON (Wire) - The harbour authority approved a plan on Tuesday to rebuild the old "
    "north pier, which storms destroyed last winter. "
    "The pier will cost 12 million pounds and reopen to ferries in the summer of 2027. "
    "Fishing crews have used a temporary pontoon since the storms. "
    '"It is about time," said one skipper. '
    "The authority said the new pier would be higher to cope with rising seas. "
    "Engineers will start driving piles in March. "
    "Local shops hope the ferries will bring back summer visitors. "
    "The old pier was built in 1889 and rebuilt once before, after a fire in 1921."
)

GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss abzureißen. "
    "Die neue Brücke soll im Jahr 2028 fertig sein und wird breiter als die alte. "
    "Viele Bürger hatten sich gegen den Abriss ausgesprochen, weil die Brücke sehr alt ist. "
    "Die Kosten für den Neubau liegen nach Angaben der Stadt bei zwanzig Millionen Euro. "
    "Während der Bauzeit wird es eine Fähre für Fußgänger und Radfahrer geben."
)


def test_contract_constants() -> None:
    assert ALGORITHMS == (
        "newsbot", "lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic", "edmundson", "kl",
    )  # fmt: skip
    assert DEFAULT_ALGORITHM == "newsbot"
    assert issubclass(UnknownAlgorithmError, ValueError)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_gives_three_sentences_in_article_order(algorithm: str) -> None:
    summary = summarize(STORY, algorithm=algorithm, language="english")
    assert isinstance(summary, Summary)
    assert summary.algorithm == algorithm
    assert summary.language == "english"
    assert len(summary.sentences) == 3
    positions = [STORY.index(s) for s in summary.sentences]
    assert positions == sorted(positions)


def test_lead_takes_the_first_sentences_with_the_dateline() -> None:
    summary = summarize(STORY, sentences=2, algorithm="lead")
    assert summary.sentences[0].startswith("HARBOURTON (Wire) - The harbour authority")
    assert summary.sentences[1].startswith("The pier will cost")


def test_default_keeps_the_lead_and_skips_the_bare_quote() -> None:
    summary = summarize(STORY, sentences=3)
    assert summary.sentences[0].startswith("HARBOURTON")
    assert not any(s.startswith('"It is about time') for s in summary.sentences)


def test_char_budget_is_respected() -> None:
    for budget in (60, 150, 300):
        summary = summarize(STORY, max_chars=budget)
        assert summary.sentences
        assert len(" ".join(summary.sentences)) <= budget


def test_tiny_budget_shortens_the_best_sentence() -> None:
    summary = summarize(STORY, max_chars=40)
    assert len(summary.sentences) == 1
    assert len(summary.sentences[0]) <= 40
    assert summary.sentences[0].endswith("…")


def test_article_shorter_than_summary_comes_back_whole() -> None:
    text = "The bakery on Mill Lane closed on Friday. Its owner is retiring."
    for algorithm in ALGORITHMS:
        summary = summarize(text, sentences=5, algorithm=algorithm)
        assert summary.sentences == (
            "The bakery on Mill Lane closed on Friday.",
            "Its owner is retiring.",
        )
    assert summarize(text, max_chars=500).sentences == summary.sentences


def test_german_is_summarised_in_german() -> None:
    summary = summarize(GERMAN, sentences=2)
    assert summary.language == "german"
    assert summary.algorithm == "newsbot"
    assert len(summary.sentences) == 2


def test_declared_language_wins_over_detection() -> None:
    assert summarize(GERMAN, sentences=2, language="german").language == "german"
    assert summarize(GERMAN, sentences=2, language=" German ").language == "german"
    declared = summarize(STORY, sentences=2, language="german", algorithm="lexrank")
    assert declared.language == "german"
    assert declared.algorithm == "lexrank"


def test_unsupported_language_gets_the_lead() -> None:
    text = (
        "Baraza la mji limeidhinisha mpango mpya wa barabara. Kazi itaanza mwezi ujao. "
        "Wakazi wengi wamefurahi. Gharama ni kubwa sana kwa mji mdogo."
    )
    summary = summarize(text, sentences=2, algorithm="lexrank")
    assert summary.algorithm == "lead"
    assert summary.language == "unknown"
    assert summary.sentences == ("Baraza la mji limeidhinisha mpango mpya wa barabara.",
                                 "Kazi itaanza mwezi ujao.")  # fmt: skip


def test_title_is_accepted() -> None:
    summary = summarize(STORY, sentences=1, title="Harbour authority approves new north pier")
    assert summary.sentences[0].startswith("HARBOURTON")


def test_bad_arguments_raise() -> None:
    with pytest.raises(UnknownAlgorithmError):
        summarize(STORY, algorithm="magic")
    with pytest.raises(ValueError):
        summarize(STORY, sentences=0)
    with pytest.raises(ValueError):
        summarize(STORY, max_chars=0)


BAD_INPUTS = {
    "empty": "",
    "blank": "   \n\n  \t ",
    "no punctuation": " ".join(["the council met again and talked about roads"] * 40),
    "one giant sentence": "The council "
    + ", and then the council ".join(f"voted on item {i}" for i in range(3000))
    + ".",
    "one-word lines": "\n".join(["word", "harbour", "pier", "ferry"] * 2500),
    "only quotes": " ".join(f'"Quote number {i} is here."' for i in range(20)),
    "only numbers": "\n".join(f"{i} {i * 7}. {i * 3.5}" for i in range(200)),
    "only urls": " ".join(f"https://example.org/news/{i}?a=b&c=d" for i in range(300)),
    "mixed scripts": (
        "The mayor spoke. Мэр выступил в понедельник. 市长周一发表讲话。 "
        "Ο δήμαρχος μίλησε. The crowd cheered loudly at the square."
    ),
    "html fragment": "<p>The <b>ferry</b> returns.</p><div><p>Crews cheered & waved.</p>",
    "emoji and rtl": (
        "🎉🎉 The festival opened 🎶. قال رئيس البلدية إن المهرجان ناجح. "
        "הקהל שמח מאוד. Crowds danced until midnight 💃."
    ),
    "control chars": "The pier\x00 reopened.\x07 Ferries\u200b return \ufeffsoon.",
    "lone surrogates": "The pier reopened \ud800 today. Ferries return soon.",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_bad_input_never_raises(name: str, algorithm: str) -> None:
    text = BAD_INPUTS[name]
    summary = summarize(text, sentences=3, algorithm=algorithm)
    assert len(summary.sentences) <= 3
    assert all(s.strip() for s in summary.sentences)
    budgeted = summarize(text, max_chars=200, algorithm=algorithm)
    assert len(" ".join(budgeted.sentences)) <= 200


def test_empty_text_gives_empty_summary() -> None:
    assert summarize("").sentences == ()


def test_default_skips_a_sentence_that_repeats_the_lead() -> None:
    text = (
        "The harbour authority approved a plan on Tuesday to rebuild the storm-hit north pier. "
        "On Tuesday the harbour authority approved the plan to rebuild the north pier. "
        "The new pier will cost 12 million pounds and should reopen to ferries in 2027. "
        "Fishing crews have used a temporary pontoon since the storms last winter. "
        "Engineers will begin driving piles into the harbour bed in March."
    )
    summary = summarize(text, sentences=2)
    assert summary.sentences == (
        "The harbour authority approved a plan on Tuesday to rebuild the storm-hit north pier.",
        "The new pier will cost 12 million pounds and should reopen to ferries in 2027.",
    )


def test_default_skips_an_inline_photo_caption() -> None:
    caption = (
        "Big change: Mara Quill, 22, first ran in August 2024, left; as of April 2026, right, "
        "she runs the harbour loop every morning."
    )
    text = STORY.replace("Fishing crews have used", caption + " Fishing crews have used")
    picked = summarize(text, sentences=3, algorithm="newsbot").sentences
    assert caption not in picked
    assert len(picked) == 3
