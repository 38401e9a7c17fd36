"""/who_said: what a person said, who said a phrase, and who is quoted most.

A name is looked up among the stored speakers (aliases, surname, trigram candidates) and
ranked with `summaries.speakers.name_match_score`; a quoted phrase, or words that name
nobody, go to full-text search over the quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newsbot.data.models import Speaker
from newsbot.handlers.commands import views
from newsbot.handlers.commands.args import check_query
from newsbot.handlers.commands.formatting import esc, truncate
from newsbot.handlers.commands.paging import Page, more_button
from newsbot.handlers.replies import Button, Reply
from newsbot.handlers.requests import Request
from newsbot.handlers.runtime import Runtime
from newsbot.summaries.speakers import name_match_score

QUOTES_PAGE = 5
TOP_SPEAKERS = 10
RECENT_DAYS = 30
# Below this score a speaker is not what the user typed; tuned with
# summaries.speakers.name_match_score, where a one-letter typo in a long name stays above it.
MATCH_THRESHOLD = 0.8
INDIRECT_FLAGS = ("+indirect", "--all", "+all")
QUOTE_MARKS = "\"“”„«»‘’'"

USAGE = (
    "Use /who_said NAME for what someone said (e.g. /who_said Okonjo-Reyes), "
    '/who_said "a phrase" to find who said it, or /who_said alone for the most quoted people. '
    "Add +indirect to include paraphrases."
)


@dataclass(frozen=True, slots=True)
class WhoSaidArgs:
    """A name or phrase query, whether it was quoted, and whether to show paraphrases."""

    query: str
    phrase: bool
    include_indirect: bool


def parse_who_said_args(args: str) -> WhoSaidArgs:
    """Split off the +indirect flag and detect a quoted phrase."""
    tokens = args.split()
    include_indirect = any(t.lower() in INDIRECT_FLAGS for t in tokens)
    text = " ".join(t for t in tokens if t.lower() not in INDIRECT_FLAGS)
    if not text:
        return WhoSaidArgs("", False, include_indirect)
    phrase = text[0] in QUOTE_MARKS
    query = (
        check_query(text.strip(QUOTE_MARKS + " "), USAGE) if phrase else check_query(text, USAGE)
    )
    return WhoSaidArgs(query, phrase, include_indirect)


async def who_said(rt: Runtime, request: Request) -> Reply:
    """Dispatch on the argument: nothing, a quoted phrase, or a name."""
    parsed = parse_who_said_args(request.args)
    if not parsed.query:
        return await _top_speakers(rt)
    if not parsed.phrase:
        speakers = await _matching_speakers(rt, parsed.query)
        if speakers:
            return await _speaker_quotes(rt, request, parsed, speakers)
    return await _phrase_search(rt, request, parsed)


async def _matching_speakers(rt: Runtime, query: str) -> list[Speaker]:
    candidates = await rt.store.speaker_candidates(query)
    scored = [
        (
            max(
                name_match_score(query, alias, floor=MATCH_THRESHOLD)
                # A speaker's name is usually one of its aliases too: score it once.
                for alias in dict.fromkeys((s.name, *s.aliases))
            ),
            s,
        )
        for s in candidates
    ]
    return [s for score, s in sorted(scored, key=lambda p: -p[0]) if score >= MATCH_THRESHOLD]


async def _speaker_quotes(
    rt: Runtime, request: Request, parsed: WhoSaidArgs, speakers: list[Speaker]
) -> Reply:
    ids = [s.id for s in speakers]
    page = Page(request.page, QUOTES_PAGE)
    total = await rt.store.count_quotes_by_speakers(ids, include_indirect=parsed.include_indirect)
    quotes = await rt.store.quotes_by_speakers(
        ids, include_indirect=parsed.include_indirect, limit=page.size, offset=page.offset
    )
    names = ", ".join(views.speaker_label(s.name, s.role) for s in speakers[:3])
    if not quotes:
        hint = "" if parsed.include_indirect else " Add +indirect to include paraphrases."
        return Reply(f"No {'more ' if total else ''}quotes from {names}.{hint}")
    header = f"💬 <b>{names}</b> — {page.range_label(len(quotes), total)} quotes, newest first"
    body = "\n\n".join(views.quote_entry(q, rt.timezone) for q in quotes)
    return Reply(header + "\n\n" + body, buttons=more_button("who_said", page, total, request.args))


async def _phrase_search(rt: Runtime, request: Request, parsed: WhoSaidArgs) -> Reply:
    page = Page(request.page, QUOTES_PAGE)
    quotes = await rt.store.search_quotes(
        f'"{parsed.query}"' if parsed.phrase else parsed.query,
        include_indirect=parsed.include_indirect,
        limit=page.size + 1,
        offset=page.offset,
    )
    shown = quotes[: page.size]
    label = esc(truncate(parsed.query, 60))
    if not shown:
        if page.number > 1:
            return Reply("No more quotes.")
        return Reply(
            f"Nobody in the stored articles is quoted saying “{label}”, and no speaker "
            "has that name. Check the spelling, or try /search."
        )
    header = f"💬 Who said “{label}”:"
    body = "\n\n".join(views.quote_entry(q, rt.timezone) for q in shown)
    # The store does not count phrase hits; one extra row tells whether a next page exists.
    total = page.offset + len(quotes)
    return Reply(header + "\n\n" + body, buttons=more_button("who_said", page, total, request.args))


async def _top_speakers(rt: Runtime) -> Reply:
    since = datetime.now().astimezone() - timedelta(days=RECENT_DAYS)
    speakers = await rt.store.top_speakers(since, TOP_SPEAKERS)
    scope = f"in the last {RECENT_DAYS} days"
    if not speakers:
        speakers = await rt.store.top_speakers(
            datetime.min.replace(tzinfo=since.tzinfo), TOP_SPEAKERS
        )
        scope = "overall"
    if not speakers:
        return Reply("No quotes stored yet. " + USAGE)
    lines = [f"🗣 <b>Most quoted {scope}</b>"]
    lines += [views.speaker_entry(s, i) for i, s in enumerate(speakers, start=1)]
    lines.append("\n" + esc(USAGE))
    buttons = tuple(
        (Button(truncate(s.name, 40), action),)
        for s in speakers[:5]
        if Button.fits(action := f"who_said 1 {s.name}")
    )
    return Reply("\n".join(lines), buttons=buttons)
