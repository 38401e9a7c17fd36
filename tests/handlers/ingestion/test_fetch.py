"""The bounded fetch against the loopback server: size, time, redirects, schemes, addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer
from aiohttp.typedefs import Handler
from newsbot.handlers.ingestion.fetch import (
    USER_AGENT,
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    HostNotFoundError,
    HttpStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedUrlError,
    fetch,
    is_public_address,
)

from tests.handlers.conftest import LoopbackServer


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 2 * 1024 * 1024
    fetch_timeout: float = 5.0
    max_redirects: int = 5


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
async def bad_redirects() -> AsyncIterator[BaseTestServer]:
    """A loopback server whose redirects point nowhere usable."""

    def redirect(location: str) -> Handler:
        async def handler(_: web.Request) -> web.Response:
            return web.Response(status=302, headers={"Location": location})

        return handler

    app = web.Application()
    app.router.add_get("/to-javascript", redirect("javascript:alert(1)"))
    app.router.add_get("/to-bad-port", redirect("http://127.0.0.1:99999/page"))
    app.router.add_get("/to-nowhere", redirect(""))
    async with TestServer(app, host="127.0.0.1") as running:
        yield running


async def test_fetches_a_page_with_the_newsbot_user_agent(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    result = await fetch(server.url("/article"), client=client, limits=Limits(), allow_private=True)
    assert result.status == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert b"Elmshore" in result.body
    assert server.agents == [USER_AGENT]
    assert USER_AGENT.startswith("newsbot/") and "(+https://" in USER_AGENT


async def test_follows_redirects_and_reports_the_final_url(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    result = await fetch(server.url("/chain/3"), client=client, limits=Limits(), allow_private=True)
    assert result.url == server.url("/article")


async def test_too_many_redirects(server: LoopbackServer, client: httpx.AsyncClient) -> None:
    with pytest.raises(TooManyRedirectsError, match="more than 5 times"):
        await fetch(server.url("/chain/6"), client=client, limits=Limits(), allow_private=True)


async def test_redirect_loop(server: LoopbackServer, client: httpx.AsyncClient) -> None:
    with pytest.raises(TooManyRedirectsError, match="in a loop"):
        await fetch(server.url("/loop-a"), client=client, limits=Limits(), allow_private=True)


async def test_redirect_to_another_scheme_is_refused(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    with pytest.raises(UnsupportedUrlError, match="ftp:"):
        await fetch(server.url("/to-ftp"), client=client, limits=Limits(), allow_private=True)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-javascript", "the link redirects to an address newsbot cannot use"),
        ("/to-bad-port", "this is not a valid web address"),
        ("/to-nowhere", "the server answered 302 Found without saying where the page moved"),
    ],
)
async def test_redirects_to_no_usable_address_are_refused_with_a_reason(
    bad_redirects: BaseTestServer, client: httpx.AsyncClient, path: str, reason: str
) -> None:
    url = str(bad_redirects.make_url(path))
    with pytest.raises(FetchError) as caught:
        await fetch(url, client=client, limits=Limits(), allow_private=True)
    assert caught.value.reason.startswith(reason), caught.value.reason


@pytest.mark.parametrize("host", ["exa\u200bmple.com", "ex\x01ample.com"])
async def test_a_host_with_invisible_characters_is_refused(
    host: str, client: httpx.AsyncClient
) -> None:
    with pytest.raises(UnsupportedUrlError, match="this is not a valid web address"):
        await fetch(f"http://{host}/", client=client, limits=Limits(), allow_private=True)


async def test_not_found(server: LoopbackServer, client: httpx.AsyncClient) -> None:
    with pytest.raises(HttpStatusError, match="404 Not Found") as caught:
        await fetch(server.url("/missing"), client=client, limits=Limits(), allow_private=True)
    assert caught.value.status == 404


async def test_timeout_covers_the_whole_fetch(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    limits = Limits(fetch_timeout=0.3)
    with pytest.raises(FetchTimeoutError, match=r"did not load within 0\.3 seconds"):
        await fetch(server.url("/slow"), client=client, limits=limits, allow_private=True)


async def test_streamed_body_is_cut_at_the_cap(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    with pytest.raises(TooLargeError, match="larger than 2 MB"):
        await fetch(server.url("/huge"), client=client, limits=Limits(), allow_private=True)


async def test_declared_length_above_the_cap_is_refused(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    with pytest.raises(TooLargeError, match="larger than 2 MB"):
        await fetch(
            server.url("/huge-declared"), client=client, limits=Limits(), allow_private=True
        )


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a.txt", "file:///etc/passwd", "javascript:alert(1)"]
)
async def test_non_http_schemes(url: str, client: httpx.AsyncClient) -> None:
    with pytest.raises(UnsupportedUrlError, match="only http:// and https://"):
        await fetch(url, client=client, limits=Limits(), allow_private=False)


async def test_loopback_is_refused_without_allow_private(
    server: LoopbackServer, client: httpx.AsyncClient
) -> None:
    with pytest.raises(BlockedAddressError, match="local or private network"):
        await fetch(server.url("/article"), client=client, limits=Limits(), allow_private=False)
    assert server.agents == []  # refused before any request was made


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
async def test_private_addresses_are_refused(url: str, client: httpx.AsyncClient) -> None:
    with pytest.raises(BlockedAddressError):
        await fetch(url, client=client, limits=Limits(), allow_private=False)


async def test_unknown_host(client: httpx.AsyncClient) -> None:
    with pytest.raises(HostNotFoundError, match="could not find the server"):
        await fetch("http://no-such-host.invalid/", client=client, limits=Limits(),
                    allow_private=False)  # fmt: skip


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:85e5", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("100.64.0.1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("not an address", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public
