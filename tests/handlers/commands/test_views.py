"""Pure rendering of store rows into Telegram HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from newsbot.data.models import ArticleListing, QuoteRow, SearchHit
from newsbot.handlers.commands.views import (
    article_card,
    quote_entry,
    search_hit,
    snippet_html,
    speaker_label,
    summary_view,
)

LISTING = ArticleListing(
    id=7,
    title="Rates & <rents>",
    url="https://news.example/a?x=1&y=2",
    outlet="The Ledger",
    published_at=datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
    added_at=datetime(2026, 11, 4, 9, 0, tzinfo=UTC),
    summary=("First sentence.", "Second sentence.", "Third sentence."),
)


def test_article_card_escapes_and_shows_two_sentences() -> None:
    card = article_card(LISTING, ZoneInfo("UTC"), number=3)
    assert card.startswith("3. <b>Rates &amp; &lt;rents&gt;</b>")
    assert "First sentence. Second sentence." in card and "Third" not in card
    assert 'href="https://news.example/a?x=1&amp;y=2"' in card


def test_search_hit_keeps_the_stores_ellipses_single() -> None:
    hit = SearchHit(LISTING, "…the \x02rent\x03 rose…")
    rendered = search_hit(hit, ZoneInfo("UTC"), 1)
    assert "…the <b>rent</b> rose…" in rendered and "……" not in rendered


def test_snippet_markers_cut_by_truncation_are_balanced() -> None:
    html = snippet_html("x" * 295 + "\x02matchedword\x03 and more")
    assert html.count("<b>") == html.count("</b>") == 1


def test_speaker_labels() -> None:
    assert speaker_label("Ana <Lima>", "Mayor") == "Ana &lt;Lima&gt;, Mayor"
    assert speaker_label(None, None) == "an unnamed speaker"


def _quote(text: str, kind: str = "direct") -> QuoteRow:
    return QuoteRow(
        id=1,
        article_id=7,
        text=text,
        kind=kind,
        speaker_id=3,
        speaker="Ana Lima",
        role="Mayor",
        article_title="Rates & <rents>",
        article_url=None,
        outlet="The Ledger",
        published_at=datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
        added_at=datetime(2026, 11, 4, 9, 0, tzinfo=UTC),
    )


def test_quote_entry_drops_the_comma_that_led_into_the_attribution() -> None:
    # '"We will not raise the fare," she said.' is quoted as "We will not raise the fare,".
    entry = quote_entry(_quote("We will not raise the fare, not this year,"), ZoneInfo("UTC"))
    assert entry.startswith("“We will not raise the fare, not this year”\n— <i>Ana Lima, Mayor</i>")


def test_quote_entry_keeps_a_full_stop_and_shows_the_kind() -> None:
    entry = quote_entry(_quote("Fares stay as they are.", "mixed"), ZoneInfo("UTC"))
    assert entry.startswith("“Fares stay as they are.” <i>(mixed)</i>")
    assert "<b>Rates &amp; &lt;rents&gt;</b>, The Ledger, 3 Nov 2026 · #7" in entry


def test_a_summary_sentence_of_two_megabytes_is_cut_to_a_readable_length() -> None:
    # An article of one 2 MB "sentence" made /summary send 489 messages.
    view = summary_view("T", None, None, "", 1, None, ["word " * 400_000, "Short."], "newsbot")
    assert len(view) < 2_000
    assert "word word…" in view and "• Short." in view
