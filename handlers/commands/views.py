"""Pure rendering: store dataclasses in, Telegram HTML out. Every piece of text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from newsbot.data.models import ArticleListing, QuoteRow, SearchHit, Speaker, Stats
from newsbot.handlers.commands.formatting import esc, format_date, link, truncate

QUOTE_PREVIEW_CHARS = 400
CARD_SUMMARY_CHARS = 600
SUMMARY_SENTENCE_CHARS = 800
"""A summary sentence is cut here: longer is no sentence but a text the splitter could not cut
(one 2 MB "sentence" once made /summary send 489 messages)."""
SNIPPET_CHARS = 300


def byline(outlet: str | None, when: str, article_id: int) -> str:
    """`Outlet · 24 Nov 2026 · #17` with the empty parts left out."""
    parts = [esc(outlet) if outlet else "", when, f"#{article_id}"]
    return " · ".join(p for p in parts if p)


def article_card(
    article: ArticleListing, tz: ZoneInfo, *, number: int | None = None, sentences: int = 2
) -> str:
    """Title, byline, the first summary sentences and the link, as one list entry."""
    prefix = f"{number}. " if number is not None else ""
    when = format_date(article.published_at or article.added_at, tz)
    lines = [
        f"{prefix}<b>{esc(article.title)}</b>",
        f"<i>{byline(article.outlet, when, article.id)}</i>",
    ]
    # Bounded so that even a pathological one-sentence summary leaves room for other cards.
    summary = truncate(" ".join(article.summary[:sentences]), CARD_SUMMARY_CHARS)
    if summary:
        lines.append(esc(summary))
    if article.url:
        lines.append(link(article.url, "Read the article"))
    return "\n".join(lines)


def summary_view(
    title: str,
    outlet: str | None,
    author: str | None,
    when: str,
    article_id: int,
    url: str | None,
    sentences: Sequence[str],
    algorithm: str,
) -> str:
    """The full summary of one article."""
    head = [f"<b>{esc(title)}</b>", f"<i>{byline(outlet, when, article_id)}</i>"]
    if author:
        head.append(f"<i>By {esc(author)}</i>")
    body = (
        "\n\n".join(f"• {esc(truncate(s, SUMMARY_SENTENCE_CHARS))}" for s in sentences)
        or "<i>(no summary available)</i>"
    )
    tail = [link(url, "Read the full article")] if url else []
    tail.append(f"<i>Summary: {esc(algorithm)}, {len(sentences)} sentences</i>")
    return "\n".join(head) + "\n\n" + body + "\n\n" + "\n".join(tail)


def snippet_html(snippet: str) -> str:
    """Escape a store snippet and turn its \\x02…\\x03 match markers into bold."""
    text = truncate(snippet, SNIPPET_CHARS)
    escaped = esc(text.replace("\x02", "\ue000").replace("\x03", "\ue001"))
    # Markers may be cut off by truncation: balance them before they become tags.
    opened = False
    out: list[str] = []
    for ch in escaped:
        if ch == "\ue000" and not opened:
            out.append("<b>")
            opened = True
        elif ch == "\ue001" and opened:
            out.append("</b>")
            opened = False
        elif ch not in "\ue000\ue001":
            out.append(ch)
    if opened:
        out.append("</b>")
    return "".join(out)


def search_hit(hit: SearchHit, tz: ZoneInfo, number: int) -> str:
    """One search result: title, byline and the matching snippet."""
    article = hit.article
    when = format_date(article.published_at or article.added_at, tz)
    lines = [
        f"{number}. <b>{esc(article.title)}</b>",
        f"<i>{byline(article.outlet, when, article.id)}</i>",
    ]
    if hit.snippet:
        lines.append(snippet_html(hit.snippet))  # the store marks cut ends with "…" itself
    if article.url:
        lines.append(link(article.url, "Read the article"))
    return "\n".join(lines)


def speaker_label(name: str | None, role: str | None) -> str:
    """`Vladimir Putin, Russian President` (escaped); unnamed speakers say so."""
    if not name:
        return "an unnamed speaker"
    return esc(f"{name}, {role}") if role else esc(name)


def quote_entry(quote: QuoteRow, tz: ZoneInfo) -> str:
    """A quote with its speaker, role and the article it comes from."""
    # A quote that ran into its attribution ('"We won," she said') ends in a comma in the
    # article; shown on its own line the comma dangles.
    text = truncate(quote.text.rstrip(", "), QUOTE_PREVIEW_CHARS)
    marker = "" if quote.kind == "direct" else f" <i>({esc(quote.kind)})</i>"
    when = format_date(quote.published_at or quote.added_at, tz)
    source_bits = [
        link(quote.article_url, quote.article_title)
        if quote.article_url
        else f"<b>{esc(quote.article_title)}</b>"
    ]
    if quote.outlet:
        source_bits.append(esc(quote.outlet))
    if when:
        source_bits.append(when)
    opening, closing = ("", "") if quote.kind == "indirect" else ("“", "”")
    return (
        f"{opening}{esc(text)}{closing}{marker}\n"
        f"— <i>{speaker_label(quote.speaker, quote.role)}</i>\n"
        f"{', '.join(source_bits)} · #{quote.article_id}"
    )


def speaker_entry(speaker: Speaker, number: int) -> str:
    """A line in the most-quoted list."""
    plural = "quote" if speaker.quote_count == 1 else "quotes"
    label = speaker_label(speaker.name, speaker.role)
    return f"{number}. <b>{label}</b> — {speaker.quote_count} {plural}"


def stats_view(stats: Stats, events: Sequence[tuple[str, str, str]]) -> str:
    """The admin /stats page; `events` are (when, kind, message) triples, newest first."""
    lines = [
        "<b>newsbot statistics</b>",
        f"Articles: {stats.articles}",
        f"Quotes: {stats.quotes}",
        f"Speakers: {stats.speakers}",
        f"Chats: {stats.chats} ({stats.digest_chats} with a digest, {stats.blocked_chats} blocked)",
        f"Feeds: {stats.feeds} ({stats.feeds_failing} failing)",
        f"Database: {stats.db_bytes / 1_048_576:.1f} MB",
    ]
    if events:
        lines.append("\n<b>Recent problems</b>")
        lines.extend(
            f"{esc(when)} · {esc(kind)}: {esc(truncate(message, 200))}"
            for when, kind, message in events
        )
    else:
        lines.append("\nNo recent problems.")
    return "\n".join(lines)
