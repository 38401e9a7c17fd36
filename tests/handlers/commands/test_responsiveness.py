"""The event loop stays free: commands are answered while a big article is being analysed.

No timings are asserted; the test only checks the order of events. /latest must come back
while the ingestion of an article near the 2 MB cap is still running in the worker pool.
"""

from __future__ import annotations

import asyncio

from newsbot.bot.services import Services
from newsbot.handlers.requests import Caller, Request

READER = Caller(user_id=5, chat_id=5, chat_type="private")

PARAGRAPH = (
    "The council of Lakeport met again on {n} to discuss the harbour works, and members said "
    "the budget for the new quay would be reviewed in the spring. “We will publish every "
    "figure before the vote,” said councillor Edda Marsh after the session. Residents asked "
    "for more buses to the harbour district and for longer opening hours at the library.\n\n"
)


async def test_latest_is_answered_while_a_2_mb_article_is_ingested(services: Services) -> None:
    paragraphs = []
    size = 0
    n = 0
    while size < 1_900_000:  # just under the 2 MB cap, so the article is really analysed
        n += 1
        paragraphs.append(PARAGRAPH.format(n=f"day {n}"))
        size += len(paragraphs[-1].encode())
    text = "Harbour works: the council's long record\n\n" + "".join(paragraphs)

    ingest = asyncio.create_task(services.ingestor.ingest_text(text, added_by=None))
    await asyncio.sleep(0)  # let the ingestion start and hand its work to the pool
    reply = await services.newsbot.handle(Request("latest", "3", READER))

    assert reply is not None and "Latest articles" in reply.html
    assert not ingest.done(), "the big article finished before /latest was answered"
    item = await ingest
    assert item.status in ("added", "rejected")  # rejected only if the analysis time limit hit
