"""Page arithmetic and the More button."""

from __future__ import annotations

from newsbot.handlers.commands.paging import Page, more_button


def test_range_labels() -> None:
    assert Page(1, 5).range_label(5, 23) == "1–5 of 23"
    assert Page(5, 5).range_label(3, 23) == "21–23 of 23"
    assert Page(2, 5).range_label(5, 1000, at_least=True) == "6–10 of 1000+"
    assert Page(1, 5).range_label(0, 0) == "0–0 of 0"


def test_more_button_only_when_there_is_a_next_page() -> None:
    assert more_button("search", Page(1, 5), 5, "x") == ()
    ((button,),) = more_button("search", Page(1, 5), 6, "harbour bridge")
    assert button.action == "search 2 harbour bridge"


def test_more_button_left_out_when_its_data_would_not_fit_telegram() -> None:
    assert more_button("search", Page(1, 5), 50, "ü" * 40) == ()
