"""Checking user-supplied links and reducing them to one canonical form.

Two links that differ only by tracking parameters, letter case in the host, a default port, a
fragment or a trailing slash name the same article. The store detects duplicates by URL, so
every URL is canonicalised here before it is stored or compared.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SUPPORTED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that only identify a campaign or a click, never the page itself.
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid"})
_TRACKING_PREFIXES = ("utm_",)
# "name:" at the start of a string: how a scheme (http:, ftp:, javascript:, ...) looks.
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class UrlError(ValueError):
    """A link that newsbot cannot use; the message says why, in words for the user."""


def has_scheme(text: str) -> bool:
    """Whether `text` starts with a URL scheme such as "https:" or "ftp:".

    A single letter followed by ":" is a Windows drive ("C:\\news.txt"), not a scheme.
    """
    match = _SCHEME_RE.match(text.strip())
    return match is not None and len(match.group(1)) > 1


def validate_url(url: str) -> str:
    """Return `url` stripped of surrounding whitespace if it is an http(s) link with a host.

    Raises UrlError with a user-facing reason otherwise.
    """
    url = url.strip()
    if not url:
        raise UrlError("the link is empty")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port outside 0-65535 or not a number
    except ValueError:
        raise UrlError("this is not a valid web address") from None
    scheme = parts.scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise UrlError(
            f"only http:// and https:// links are supported (this one has {shown}); "
            "send the full web address"
        )
    if not parts.hostname:
        raise UrlError("the link has no host name; send the full web address")
    if port == 0:
        raise UrlError("this is not a valid web address")
    return url


def canonicalize(url: str) -> str:
    """The canonical form of an http(s) URL, used to recognise the same article twice.

    Lowercases scheme and host, drops credentials, default ports, the fragment and tracking
    parameters (utm_*, fbclid, gclid, ...), sorts the query and removes a trailing slash from
    the path (an empty path becomes "/"). Raises UrlError for links that validate_url refuses.
    """
    parts = urlsplit(validate_url(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # an IPv6 literal needs its brackets back
        host = f"[{host}]"
    netloc = host
    if parts.port is not None and parts.port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{parts.port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(key)
        )
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in _TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)
