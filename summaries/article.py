"""One call that turns raw article text into everything newsbot stores about it.

The ingest pipeline runs `analyze_article` in a worker thread, so it must stay pure and
synchronous: clean the text once, then summarise and extract quotes from the same cleaned
body, so that quote offsets point into exactly the text the store keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsbot.summaries.clean import clean_article
from newsbot.summaries.language import detect_language
from newsbot.summaries.quotes import Quote, extract_quotes
from newsbot.summaries.summarize import DEFAULT_ALGORITHM, Summary, summarize


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """The cleaned body of an article with its summary and attributed quotes."""

    body: str
    language: str
    summary: Summary
    quotes: tuple[Quote, ...]


def analyze_article(
    text: str,
    *,
    title: str | None = None,
    sentences: int = 3,
    algorithm: str = DEFAULT_ALGORITHM,
) -> ArticleAnalysis:
    """Clean `text`, detect its language, summarise it and attribute its quotes."""
    body = clean_article(text, title=title)
    language = detect_language(body)
    summary = summarize(
        body, sentences=sentences, algorithm=algorithm, language=language, title=title
    )
    return ArticleAnalysis(
        body=body,
        language=language,
        summary=summary,
        quotes=extract_quotes(body, language=language),
    )
