"""Fixtures for the handler tests: a fresh store, the worker pool, and a loopback HTTP server
for ingestion tests (pages, feeds and misbehaving endpoints).

Every HTTP test talks to this server on 127.0.0.1, never to the internet. Fetching from it
needs allow_private=True, exactly like the operator's local CLI.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.typedefs import Handler
from newsbot.data.store import Store

STORM_TEXT = (
    "A powerful storm swept across the northern coast of Elmshore on Tuesday, flooding "
    "streets near the harbour and cutting power to more than twelve thousand homes.\n\n"
    '"We have never seen the water come up this quickly," said Mayor Anna Berg, who toured '
    "the harbour district in the afternoon with emergency crews.\n\n"
    "The regional weather service had warned of gusts above one hundred kilometres an hour, "
    "and ferries to the outer islands were cancelled for the second day in a row.\n\n"
    "Officials expect the clean-up to take several weeks. Schools in the three worst-hit "
    "districts will stay closed until Friday at the earliest, the council said."
)

MARKET_TEXT = (
    "Traders at the Lindenport grain exchange reported the busiest morning of the year on "
    "Monday as wheat prices rose for a fifth consecutive session.\n\n"
    '"Buyers are nervous about the harvest and they are locking in supplies early," said '
    "Jonas Petrov, a broker who has worked on the exchange floor for twenty years.\n\n"
    "Analysts at the Lindenport Farmers Union blamed the dry spring, which left fields in "
    "the south of the province with barely half of their usual rainfall.\n\n"
    "The exchange said it would extend trading hours on Wednesday to cope with demand."
)

LIBRARY_TEXT = (
    "The city library in Harrowgate reopened its doors on Saturday after an eighteen-month "
    "renovation that doubled the size of its children's section.\n\n"
    '"A library is the living room of a town," said head librarian Clara Mendes, as '
    "hundreds of families queued outside before the ribbon was cut.\n\n"
    "The project was paid for largely by local donations, and volunteers spent the final "
    "weeks moving more than forty thousand books back onto the new shelves.\n\n"
    "Opening hours will be extended to nine in the evening on weekdays from next month."
)


def page_html(title: str, text: str, *, canonical: str | None = None) -> str:
    """A news page with navigation, scripts, styles and metadata around `text`."""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{title} | Coast Courier</title>{link}"
        '<meta property="og:site_name" content="Coast Courier">'
        '<meta name="author" content="Ines Holm">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        "<style>body { color: SECRETSTYLE; }</style>"
        "<script>var tracker = 'SECRETSCRIPT';</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}"
        "<script>document.write('SECRETSCRIPT')</script></article>"
        "<footer>Copyright Coast Courier</footer></body></html>"
    )


def rss_feed(base: str) -> str:
    """An RSS feed: one entry with full content, two teasers linking to pages, one dead link."""
    full_text = "".join(f"<p>{p}</p>" for p in LIBRARY_TEXT.split("\n\n"))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Coast Courier</title><link>{base}/</link>
<item><title>Library reopens</title><link>{base}/library</link><guid>lib-1</guid>
<pubDate>Sat, 02 Mar 2024 09:00:00 GMT</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[{full_text}]]></content:encoded>
</item>
<item><title>Storm hits coast</title><link>{base}/article</link><guid>storm-1</guid>
<description>A storm swept the coast.</description></item>
<item><title>Grain prices rise</title><link>{base}/market</link><guid>market-1</guid>
<description>Wheat up again.</description></item>
<item><title>Gone</title><link>{base}/missing</link><guid>gone-1</guid>
<description>This page was removed.</description></item>
</channel></rss>"""


@dataclass
class LoopbackServer:
    """The running test server; `agents` and `paths` record every request in order."""

    base: str
    agents: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    agents: list[str] = []
    paths: list[str] = []
    state: dict[str, str] = {}

    @web.middleware
    async def record_agent(request: web.Request, handler: Handler) -> web.StreamResponse:
        agents.append(request.headers.get("User-Agent", ""))
        paths.append(request.path)
        return await handler(request)

    def html(body: str, charset: str = "utf-8") -> web.Response:
        return web.Response(body=body.encode(charset), content_type="text/html", charset=charset)

    async def article(_: web.Request) -> web.Response:
        canonical = f"{state['base']}/news/storm/?utm_source=feed#top"
        return html(page_html("Storm hits coast", STORM_TEXT, canonical=canonical))

    async def market(_: web.Request) -> web.Response:
        return html(page_html("Grain prices rise", MARKET_TEXT))

    async def library(_: web.Request) -> web.Response:
        return html(page_html("Library reopens", LIBRARY_TEXT))

    async def latin1(_: web.Request) -> web.Response:
        text = MARKET_TEXT.replace("Petrov", "Pétrov").replace("year", "année")
        return html(page_html("Marché des céréales", text), charset="iso-8859-1")

    async def plain(_: web.Request) -> web.Response:
        return web.Response(text=f"Library reopens\n\n{LIBRARY_TEXT}", content_type="text/plain")

    async def feed(_: web.Request) -> web.Response:
        return web.Response(text=rss_feed(state["base"]), content_type="application/rss+xml")

    async def broken_feed(_: web.Request) -> web.Response:
        body = '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Oops</item>'
        return web.Response(text=body, content_type="application/rss+xml")

    async def atom(_: web.Request) -> web.Response:
        # Entries without links: one carries a whole article, the other only a line.
        body = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Market Notes</title>"
            "<entry><title>Grain prices rise</title><id>tag:notes,1</id>"
            f'<content type="text">{MARKET_TEXT}</content></entry>'
            "<entry><title>Brief</title><id>tag:notes,2</id>"
            '<content type="text">Markets closed early.</content></entry></feed>'
        )
        return web.Response(text=body, content_type="application/atom+xml")

    async def slow_entry_feed(_: web.Request) -> web.Response:
        # One teaser whose page never loads in time: a failure the next poll should retry.
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Times</title>'
            f"<item><title>Too late</title><link>{state['base']}/slow</link><guid>slow-1</guid>"
            "<description>Teaser.</description></item></channel></rss>"
        )
        return web.Response(text=body, content_type="application/rss+xml")

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(30)  # far beyond any test's fetch timeout
        return html(page_html("Too late", STORM_TEXT))

    async def flaky(_: web.Request) -> web.Response:
        return web.Response(status=503, text="try later")  # a failure a later poll may get past

    async def growing_feed(_: web.Request) -> web.Response:
        # First a teaser whose page always fails; from the second request on, a new entry
        # after it as well.
        state["growing"] = str(int(state.get("growing", "0")) + 1)
        items = [("Flaky", "/flaky", "flaky-1")]
        if state["growing"] != "1":
            items.append(("Grain prices rise", "/market", "market-1"))
        body = "".join(
            f"<item><title>{title}</title><link>{state['base']}{path}</link><guid>{guid}</guid>"
            "<description>Teaser.</description></item>"
            for title, path, guid in items
        )
        return web.Response(
            text=f'<?xml version="1.0"?><rss version="2.0"><channel><title>G</title>{body}'
            "</channel></rss>",
            content_type="application/rss+xml",
        )

    async def huge(request: web.Request) -> web.StreamResponse:
        # 50 MB without a Content-Length: only a streaming cap can stop it.
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        await response.prepare(request)
        chunk = b"news " * 13_107  # ~64 KB
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            await response.write(chunk)
        return response

    async def huge_declared(_: web.Request) -> web.Response:
        body = b"x" * (3 * 1024 * 1024)
        return web.Response(body=body, content_type="text/plain")

    async def pdf(_: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 10,
                            content_type="application/pdf")  # fmt: skip

    def redirect(target: str) -> Handler:
        async def handler(_: web.Request) -> web.Response:
            raise web.HTTPFound(target)

        return handler

    async def chain(request: web.Request) -> web.Response:
        hops = int(request.match_info["hops"])
        raise web.HTTPFound("/article" if hops == 0 else f"/chain/{hops - 1}")

    app = web.Application(middlewares=[record_agent])
    app.router.add_get("/article", article)
    app.router.add_get("/market", market)
    app.router.add_get("/library", library)
    app.router.add_get("/latin1", latin1)
    app.router.add_get("/plain", plain)
    app.router.add_get("/feed.xml", feed)
    app.router.add_get("/broken-feed", broken_feed)
    app.router.add_get("/atom.xml", atom)
    app.router.add_get("/slow-entry-feed", slow_entry_feed)
    app.router.add_get("/slow", slow)
    app.router.add_get("/flaky", flaky)
    app.router.add_get("/growing-feed.xml", growing_feed)
    app.router.add_get("/huge", huge)
    app.router.add_get("/huge-declared", huge_declared)
    app.router.add_get("/report.pdf", pdf)
    app.router.add_get("/loop-a", redirect("/loop-b"))
    app.router.add_get("/loop-b", redirect("/loop-a"))
    app.router.add_get("/chain/{hops}", chain)
    app.router.add_get("/to-ftp", redirect("ftp://files.example/article.txt"))
    # handler_cancellation: a client that gave up (timeout, size cap) ends its handler.
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    state["base"] = f"http://{host}:{port}"
    yield LoopbackServer(state["base"], agents, paths)
    await runner.cleanup()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """An empty store in a fresh file."""
    opened = Store(tmp_path / "newsbot.db")
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    """The worker pool the ingestor analyses in."""
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="test-text")
    yield pool
    pool.shutdown(wait=True)
