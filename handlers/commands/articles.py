"""/latest, /summary and /search: reading the stored articles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbot.data.models import Article
from newsbot.data.store import SEARCH_WINDOW
from newsbot.handlers.commands import views
from newsbot.handlers.commands.args import UsageError, check_query, whole_number
from newsbot.handlers.commands.formatting import esc, format_date, truncate
from newsbot.handlers.commands.paging import Page, more_button
from newsbot.handlers.replies import Button, Reply
from newsbot.handlers.requests import Request
from newsbot.handlers.runtime import Runtime
from newsbot.summaries.summarize import ALGORITHMS, summarize

LATEST_DEFAULT = 5
LATEST_MAX = 10
SEARCH_PAGE = 5
SUMMARY_DEFAULT = 3
SUMMARY_MAX = 10
MATCH_CHOICES = 5


async def latest(rt: Runtime, request: Request) -> Reply:
    """The newest articles with a two-sentence summary each, paged with a More button."""
    args = request.args.split()
    size = LATEST_DEFAULT
    if args:
        count = whole_number(args[0]) if len(args) == 1 else None
        if count is None or not 1 <= count <= LATEST_MAX:
            raise UsageError(f"Use /latest or /latest N with N from 1 to {LATEST_MAX}.")
        size = count
    page = Page(request.page, size)
    total = await rt.store.count_articles()
    articles = await rt.store.latest(page.size, page.offset)
    if not articles:
        if total == 0:
            return Reply("No articles yet. Admins can add some with /add.")
        return Reply("No more articles — that was all of them.")
    header = f"📰 <b>Latest articles</b> ({page.range_label(len(articles), total)})"
    cards = [
        views.article_card(a, rt.timezone, number=page.offset + i)
        for i, a in enumerate(articles, start=1)
    ]
    return Reply(
        header + "\n\n" + "\n\n".join(cards),
        buttons=more_button("latest", page, total, " ".join(args)),
    )


@dataclass(frozen=True, slots=True)
class SummaryArgs:
    """Parsed /summary arguments: an article id or search words, a length, an algorithm.

    For an id, `words` is the id as typed, and `article_id` is 0 when no article can have it
    ("-1", thirteen digits).
    """

    article_id: int | None
    words: str
    sentences: int
    algorithm: str | None


SUMMARY_USAGE = (
    "Use /summary ID or /summary words from the title, optionally with a length and an "
    f"algorithm: /summary 12 5 lexrank. Lengths go from 1 to {SUMMARY_MAX}; algorithms: "
    + ", ".join(ALGORITHMS)
    + "."
)


# An article id as typed, even one no article can have ("-1", thirteen digits).
_ID = re.compile(r"#?-?\d+")


def parse_summary_args(args: str) -> SummaryArgs:
    """`12`, `#12 5`, `rent strike 2`, `12 lexrank` → `SummaryArgs`."""
    tokens = args.split()
    algorithm = None
    if tokens and tokens[-1].lower() in ALGORITHMS:
        algorithm = tokens.pop().lower()
    sentences = SUMMARY_DEFAULT
    length = whole_number(tokens[-1]) if len(tokens) >= 2 else None
    if length is not None:
        after_id = len(tokens) == 2 and _ID.fullmatch(tokens[0]) is not None
        if 1 <= length <= SUMMARY_MAX:
            tokens.pop()
            sentences = length
        elif after_id:
            raise UsageError(f"Summaries have 1 to {SUMMARY_MAX} sentences.")
        # else a number among words ("covid 19") is one of the words searched
    if len(tokens) == 1 and _ID.fullmatch(tokens[0]):
        # an id, even one no article can have: say there is none, do not search
        typed = tokens[0].lstrip("#")
        return SummaryArgs(whole_number(typed) or 0, typed, sentences, algorithm)
    return SummaryArgs(None, check_query(" ".join(tokens), SUMMARY_USAGE), sentences, algorithm)


async def summary(rt: Runtime, request: Request) -> Reply:
    """The summary of one article, found by id or by words (several matches → buttons)."""
    parsed = parse_summary_args(request.args)
    if parsed.article_id is not None:
        article = await rt.store.get_article(parsed.article_id) if parsed.article_id else None
        if article is None:
            return Reply(
                f"There is no article #{esc(truncate(parsed.words, 20))}. "
                "Try /latest or /search to find one."
            )
        return await _summary_reply(rt, article, parsed)
    found = await rt.store.search_articles(parsed.words, MATCH_CHOICES + 1, snippets=False)
    hits = found.hits
    if not hits:
        return Reply(
            f"No article matches “{esc(truncate(parsed.words, 60))}”. "
            "Try fewer or different words, or /latest."
        )
    clear = _clear_match(parsed.words, [h.article.title for h in hits])
    if clear is not None:
        article = await rt.store.get_article(hits[clear].article.id)
        if article is not None:
            return await _summary_reply(rt, article, parsed)
    suffix = _summary_suffix(parsed)
    buttons = tuple(
        (
            Button(
                truncate(f"#{h.article.id} {h.article.title}", 60),
                f"summary 1 {h.article.id}{suffix}",
            ),
        )
        for h in hits[:MATCH_CHOICES]
    )
    lines = [f"Several articles match “{esc(truncate(parsed.words, 60))}” — which one?"]
    lines += [f"#{h.article.id} <b>{esc(h.article.title)}</b>" for h in hits[:MATCH_CHOICES]]
    return Reply("\n".join(lines), buttons=buttons)


def _summary_suffix(parsed: SummaryArgs) -> str:
    suffix = f" {parsed.sentences}" if parsed.sentences != SUMMARY_DEFAULT else ""
    return suffix + (f" {parsed.algorithm}" if parsed.algorithm else "")


def _clear_match(words: str, titles: list[str]) -> int | None:
    """Index of the one result that is clearly meant, or None when the user should choose.

    Clear means: the only result, or the only title containing every query word.
    """
    if len(titles) == 1:
        return 0
    wanted = [w.casefold() for w in re.findall(r"\w+", words)]
    containing = [
        i
        for i, title in enumerate(titles)
        if wanted and all(w in re.findall(r"\w+", title.casefold()) for w in wanted)
    ]
    return containing[0] if len(containing) == 1 else None


async def _summary_reply(rt: Runtime, article: Article, parsed: SummaryArgs) -> Reply:
    algorithm = parsed.algorithm or rt.summary_algorithm
    sentences = await rt.store.get_summary(article.id, algorithm, parsed.sentences)
    if sentences is None:
        result = await rt.off_loop(
            summarize,
            article.body,
            sentences=parsed.sentences,
            algorithm=algorithm,
            language=article.language,
            title=article.title,
        )
        sentences = result.sentences
        await rt.store.put_summary(article.id, algorithm, parsed.sentences, sentences)
    when = format_date(article.published_at or article.added_at, rt.timezone)
    return Reply(
        views.summary_view(
            article.title,
            article.outlet,
            article.author,
            when,
            article.id,
            article.url,
            sentences,
            algorithm,
        )
    )


SEARCH_USAGE = "Use /search followed by some words, e.g. /search harbour bridge."


async def search(rt: Runtime, request: Request) -> Reply:
    """Full-text search over titles and bodies, with snippets, paged."""
    words = check_query(request.args, SEARCH_USAGE)
    page = Page(request.page, SEARCH_PAGE)
    found = await rt.store.search_articles(words, page.size, page.offset)
    total, hits = found.total, found.hits
    if not hits:
        if total:
            return Reply("No more results.")
        return Reply(
            f"Nothing found for “{esc(truncate(words, 60))}”. Try other words, or fewer of them."
        )
    # The store counts at most SEARCH_WINDOW matches; reaching it means "at least that many".
    count = f"{total}+" if total >= SEARCH_WINDOW else str(total)
    header = (
        f"🔎 <b>{count} result{'s' if total != 1 else ''}</b> for “{esc(truncate(words, 60))}” "
        f"({page.range_label(len(hits), total, at_least=total >= SEARCH_WINDOW)})"
    )
    body = "\n\n".join(
        views.search_hit(h, rt.timezone, page.offset + i) for i, h in enumerate(hits, start=1)
    )
    return Reply(header + "\n\n" + body, buttons=more_button("search", page, total, words))
