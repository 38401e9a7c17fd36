"""Tests for summaries.language: offline detection over sumy's languages."""

from __future__ import annotations

import pytest
from newsbot.summaries.language import (
    UNKNOWN,
    detect_language,
    stemmer,
    stop_words,
    supported_languages,
)

SAMPLES = {
    "english": (
        "The town council said on Monday that it would build a new bridge over the river, "
        "and that the work should be finished before the end of next year."
    ),
    "german": (
        "Der Stadtrat hat am Montag beschlossen, dass eine neue Brücke über den Fluss gebaut "
        "wird, und die Arbeiten sollen bis zum Ende des nächsten Jahres fertig sein."
    ),
    "french": (
        "Le conseil municipal a décidé lundi de construire un nouveau pont sur la rivière. "
        "Les travaux commenceront au printemps et dureront deux ans, selon le maire."
    ),
    "spanish": (
        "El ayuntamiento decidió el lunes construir un nuevo puente sobre el río, y las obras "
        "deberían terminar antes del final del próximo año, según el alcalde."
    ),
    "italian": (
        "Il consiglio comunale ha deciso lunedì di costruire un nuovo ponte sul fiume, e i "
        "lavori dovrebbero finire prima della fine del prossimo anno."
    ),
    "portuguese": (
        "O conselho decidiu na segunda-feira construir uma nova ponte sobre o rio, e as obras "
        "devem terminar antes do fim do próximo ano, segundo o prefeito."
    ),
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detects_sumy_languages(language: str) -> None:
    assert detect_language(SAMPLES[language]) == language


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12 34 56 78 90",
        "https://example.org/a https://example.org/b",
        "市议会周一决定在河上建一座新桥。工程将在春天开始。",
        "Городской совет решил в понедельник построить новый мост через реку.",
        "🎉🎉🎉 🎶",
    ],
)
def test_unknown_when_no_sumy_language_fits(text: str) -> None:
    assert detect_language(text) == UNKNOWN


def test_english_is_supported_with_stemmer_and_stop_words() -> None:
    assert "english" in supported_languages()
    assert "the" in stop_words("english")
    assert stemmer("english")("bridges") == "bridg"


def test_unsupported_language_has_no_stop_words_and_identity_stemmer() -> None:
    assert stop_words("klingon") == frozenset()
    assert stemmer("klingon")("Qapla") == "Qapla"


def test_huge_input_is_sampled() -> None:
    assert detect_language(SAMPLES["english"] * 5000) == "english"
