"""Tests for summaries.clean: boilerplate removal and normalisation of pasted article text."""

from __future__ import annotations

import pytest
from newsbot.summaries.clean import clean_article
from newsbot.summaries.summarize import ALGORITHMS, summarize

BODY_1 = "The harbour authority approved a plan on Tuesday to rebuild the storm-hit north pier."
BODY_2 = "Work will start in March and the pier should reopen to ferries in the summer of 2027."
BODY_3 = "Fishing crews have used a temporary pontoon since the storms destroyed the old pier."


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_plain_article_is_kept_as_paragraphs() -> None:
    assert clean_article(f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}") == f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}"


def test_whitespace_and_invisible_characters_are_normalised() -> None:
    spaced = BODY_1.replace(" ", "\u00a0", 2)
    raw = f"  {spaced}\u200b\r\n\r\n{BODY_2}\t \ufeff\n\n\n\n{BODY_3}  "
    assert clean_article(raw) == f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}"


def test_hard_wrapped_lines_are_rejoined() -> None:
    raw = (
        "The harbour authority approved a plan\non Tuesday to rebuild the pier.\nWork starts soon."
    )
    assert paragraphs(clean_article(raw)) == [
        "The harbour authority approved a plan on Tuesday to rebuild the pier.",
        "Work starts soon.",
    ]


@pytest.mark.parametrize(
    "junk",
    [
        "Credit: Jane Roe/Harbour Times",
        "Photo: AFP",
        "Photograph: Sam Poe for the Harbour Times",
        "Image copyright Getty Images",
        "Fishing boats moored at the temporary pontoon on Monday (Reuters)",
        "The old pier after the storm. Photo: Jane Roe",
        "By Jane Roe",
        "By JANE ROE and SAM POE | Harbour Times",
        "Published 10:42 GMT, 3 March 2026",
        "Updated: 3 March 2026 11:05",
        "Related Articles",
        "Related: Ferry firm names new routes",
        "Read more: Why the pier matters to the town",
        "Sign up for our free daily newsletter",
        "Get our weekly newsletter in your inbox",
        "Share this article",
        "Share on Facebook",
        "Follow us on Twitter",
        "Advertisement",
        "Click here to see the gallery",
        "© 2026 Harbour Times. All rights reserved.",
        "* * *",
    ],
)
def test_boilerplate_paragraphs_are_dropped(junk: str) -> None:
    cleaned = clean_article(f"{BODY_1}\n\n{junk}\n\n{BODY_2}")
    assert paragraphs(cleaned) == [BODY_1, BODY_2]


def test_by_in_ordinary_text_is_not_a_byline() -> None:
    text = f"{BODY_1}\n\nby the river, crews waited for news."
    assert clean_article(text).endswith("by the river, crews waited for news.")


def test_author_bio_at_the_end_is_dropped() -> None:
    bio = "Jane Roe is a senior reporter at the Harbour Times who covers transport."
    assert paragraphs(clean_article(f"{BODY_1}\n\n{BODY_2}\n\n{bio}")) == [BODY_1, BODY_2]


def test_repeated_headline_is_dropped() -> None:
    title = "Harbour authority backs new north pier"
    assert paragraphs(clean_article(f"{title}\n\n{BODY_1}\n\n{BODY_2}", title=title)) == [
        BODY_1,
        BODY_2,
    ]


def test_headline_glued_to_first_sentence_is_cut() -> None:
    title = "Harbour authority backs new north pier"
    cleaned = clean_article(f"{title} {BODY_1}\n\n{BODY_2}", title=title)
    assert paragraphs(cleaned) == [BODY_1, BODY_2]


def test_headline_words_inside_body_are_kept_without_title() -> None:
    assert clean_article(BODY_1) == BODY_1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HARBOURTON (Wire) - " + BODY_1, "HARBOURTON (Wire) - " + BODY_1),
        ("Harbourton, England (CNN)" + BODY_1, "Harbourton, England (CNN) " + BODY_1),
        ("(CNN) -- " + BODY_1, BODY_1),
        ("(Reuters) - " + BODY_1, BODY_1),
    ],
)
def test_dateline_stays_but_bare_credit_goes(raw: str, expected: str) -> None:
    assert clean_article(raw) == expected


def test_old_tabloid_header_is_dropped() -> None:
    raw = (
        "By . Jane Roe . PUBLISHED: 09:12 EST, 3 March 2026 . | . UPDATED: 10:01 EST, "
        f"3 March 2026 . {BODY_1} {BODY_2}"
    )
    assert clean_article(raw) == f"{BODY_1} {BODY_2}"


def test_inline_video_prompts_are_cut() -> None:
    raw = f"{BODY_1} Scroll down for video {BODY_2}"
    assert clean_article(raw) == f"{BODY_1} {BODY_2}"
    raw = f"{BODY_1} Media playback is not supported on this device {BODY_2}"
    assert clean_article(raw) == f"{BODY_1} {BODY_2}"


def test_html_fragment_becomes_text() -> None:
    raw = (
        f"<article><h1>Pier news</h1><figure><img src='x.jpg'><figcaption>Old pier (Reuters)"
        f"</figcaption></figure><p>{BODY_1}</p><script>var x = 1;</script>"
        f"<p>{BODY_2.replace('and', '&amp;')}</p></article>"
    )
    cleaned = clean_article(raw)
    assert BODY_1 in cleaned
    assert "Work will start in March &" in cleaned
    assert "<" not in cleaned and "var x" not in cleaned and "Old pier" not in cleaned


JUNK_ARTICLE = "\n\n".join(
    [
        "Harbour authority backs new north pier",
        "By Jane Roe",
        "Photo: AFP",
        BODY_1,
        "Read more: Why the pier matters",
        BODY_2,
        "Fishing boats at the pontoon (Reuters)",
        BODY_3,
        "Sign up for our daily newsletter",
        "Jane Roe is a reporter for the Harbour Times.",
    ]
)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_summaries_of_cleaned_text_contain_no_boilerplate(algorithm: str) -> None:
    body = clean_article(JUNK_ARTICLE, title="Harbour authority backs new north pier")
    summary = summarize(body, sentences=3, algorithm=algorithm, language="english")
    assert summary.sentences == (BODY_1, BODY_2, BODY_3)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "\x00\x01\x02",
        "<<<>>> </p> <div",
        "\n" * 10_000,
        "word\n" * 10_000,
        "🎉 مرحبا שלום 你好",
        "\ud800 lone surrogate",
        "By",
        "(CNN)",
    ],
)
def test_never_raises(raw: str) -> None:
    assert isinstance(clean_article(raw, title="Anything"), str)
