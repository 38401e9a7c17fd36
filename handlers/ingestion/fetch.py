"""Fetching one web page or feed safely: bounded in size, time and redirects.

Links come from chat users, so a fetch must not let them make the bot download endless
bodies, wait forever, bounce between redirects, or reach services on the bot's own machine
or network. Redirects are followed by hand so that every hop is checked again.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from newsbot.handlers.ingestion.urls import UrlError, validate_url

PROJECT_URL = "https://github.com/newsbot/newsbot"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK_SIZE = 64 * 1024


def _package_version() -> str:
    try:
        return version("newsbot")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


USER_AGENT = f"newsbot/{_package_version()} (+{PROJECT_URL})"


class FetchLimits(Protocol):
    """The limits a fetch obeys (IngestLimits in handlers.ingestion.limits provides them)."""

    @property
    def max_bytes(self) -> int: ...
    @property
    def fetch_timeout(self) -> float: ...
    @property
    def max_redirects(self) -> int: ...


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful response: the final URL after redirects and the complete body."""

    url: str
    status: int
    content_type: str  # the media type alone, lowercased: "text/html", "" when not given
    charset: str | None
    body: bytes


class FetchError(Exception):
    """A link could not be fetched; str(error) is a user-facing reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedUrlError(FetchError):
    """Not an http(s) link, or not a link at all."""


class BlockedAddressError(FetchError):
    """The host resolves to a loopback, private, link-local or reserved address."""


class HostNotFoundError(FetchError):
    """The host name does not resolve."""


class ConnectionFailedError(FetchError):
    """The server could not be reached or broke the connection."""


class FetchTimeoutError(FetchError):
    """The whole fetch took longer than the limit."""


class TooManyRedirectsError(FetchError):
    """The link redirects in a loop or more often than allowed."""


class BrokenRedirectError(FetchError):
    """A redirect without a target, or to one that is no usable address."""


class HttpStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


class TooLargeError(FetchError):
    """The body is larger than the size limit."""


def format_size(size: int) -> str:
    """A byte count for people: "2 MB", "512 KB", "300 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} bytes"


async def fetch(
    url: str,
    *,
    client: httpx.AsyncClient,
    limits: FetchLimits,
    allow_private: bool,
    user_agent: str = USER_AGENT,
) -> FetchResult:
    """GET `url` within `limits`, following at most `limits.max_redirects` redirects.

    With allow_private False, every hop's host must resolve only to public addresses.
    Raises a FetchError subclass with a user-facing reason on any failure.
    """
    try:
        async with asyncio.timeout(limits.fetch_timeout):
            return await _follow(url, client, limits, allow_private, user_agent)
    except TimeoutError:
        raise FetchTimeoutError(
            f"the page did not load within {limits.fetch_timeout:g} seconds; "
            "try again later or send the text instead"
        ) from None


async def _follow(
    url: str, client: httpx.AsyncClient, limits: FetchLimits, allow_private: bool, agent: str
) -> FetchResult:
    visited: set[str] = set()
    for _ in range(limits.max_redirects + 1):
        url = _checked_url(url)
        visited.add(url)
        host = urlsplit(url).hostname or ""
        if not allow_private:
            await _refuse_private(host)
        try:
            async with client.stream(
                "GET", url, headers={"User-Agent": agent}, follow_redirects=False
            ) as response:
                if response.status_code in _REDIRECT_STATUSES:
                    location = response.headers.get("location", "").strip()
                    if not location:
                        raise BrokenRedirectError(
                            f"the server answered {response.status_code} "
                            f"{response.reason_phrase or 'redirect'} without saying where the "
                            "page moved; open the link in a browser and send the address it shows"
                        )
                    url = urljoin(url, location)
                    if url in visited:
                        raise TooManyRedirectsError(
                            "the link redirects in a loop; open it in a browser and send "
                            "the address it finally shows"
                        )
                    continue
                if response.status_code >= 400:
                    phrase = response.reason_phrase or "error"
                    raise HttpStatusError(
                        f"the server answered {response.status_code} {phrase}; check the link",
                        response.status_code,
                    )
                body = await _read_capped(response, limits.max_bytes)
                media_type = response.headers.get("content-type", "").split(";")[0]
                return FetchResult(
                    url=str(response.url),
                    status=response.status_code,
                    content_type=media_type.strip().lower(),
                    charset=response.charset_encoding,
                    body=body,
                )
        except httpx.InvalidURL:
            # The request's own URL passed _checked_url, so this is the Location header,
            # which httpx parses even when it is not following redirects ("javascript:…").
            raise BrokenRedirectError(
                "the link redirects to an address newsbot cannot use; open it in a browser "
                "and send the address it finally shows"
            ) from None
        except httpx.TimeoutException:
            raise FetchTimeoutError(
                f"{host} did not answer in time; try again later or send the text instead"
            ) from None
        except httpx.HTTPError as exc:
            raise ConnectionFailedError(
                f"could not download from {host} ({type(exc).__name__}); check the link"
            ) from None
    raise TooManyRedirectsError(
        f"the link redirects more than {limits.max_redirects} times; open it in a browser "
        "and send the address it finally shows"
    )


def _checked_url(url: str) -> str:
    try:
        checked = validate_url(url)
        httpx.URL(checked)  # refuses hosts with control or zero-width characters
    except UrlError as exc:
        raise UnsupportedUrlError(str(exc)) from None
    except httpx.InvalidURL:
        raise UnsupportedUrlError("this is not a valid web address; check the link") from None
    return checked


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    too_large = TooLargeError(
        f"the page is larger than {format_size(max_bytes)}, the most newsbot reads; "
        "send the article text instead"
    )
    declared = response.headers.get("content-length", "")
    # Refuse before reading when the server admits the size up front.
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes(_CHUNK_SIZE):
        received += len(chunk)
        if received > max_bytes:
            raise too_large  # leaving the stream context closes the connection mid-body
        chunks.append(chunk)
    return b"".join(chunks)


async def _refuse_private(host: str) -> None:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise HostNotFoundError(f"could not find the server {host}; check the link") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses or any(not is_public_address(a) for a in addresses):
        raise BlockedAddressError(
            f"{host} is on a local or private network; newsbot only fetches public web pages"
        )


def is_public_address(address: str) -> bool:
    """Whether an IP address is globally routable (not loopback/private/link-local/reserved)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # "::ffff:127.0.0.1" is loopback in disguise
    return ip.is_global and not ip.is_multicast
