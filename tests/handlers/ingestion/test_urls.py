"""URL validation and canonicalisation: equal articles get equal URLs."""

from __future__ import annotations

import pytest
from newsbot.handlers.ingestion.urls import UrlError, canonicalize, has_scheme, validate_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example.COM/World/Story", "https://news.example.com/World/Story"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a/#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com/news/", "https://example.com/news"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/a?utm_source=x&id=7&UTM_Medium=y&fbclid=z&gclid=q",
            "https://example.com/a?id=7",
        ),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


def test_canonical_forms_of_one_article_are_equal() -> None:
    variants = [
        "https://news.example.com/2024/storm/?utm_campaign=rss",
        "HTTPS://NEWS.EXAMPLE.COM/2024/storm#top",
        "https://news.example.com:443/2024/storm?fbclid=abc",
    ]
    assert len({canonicalize(v) for v in variants}) == 1


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/a", "file:///etc/passwd", "javascript:alert(1)", "mailto:a@b.example"],
)
def test_non_http_schemes_are_refused_by_name(url: str) -> None:
    with pytest.raises(UrlError, match=r"only http:// and https://.*" + url.split(":")[0]):
        validate_url(url)


@pytest.mark.parametrize("url", ["", "   ", "example.com/a", "https://", "http://host:99999/"])
def test_unusable_links_are_refused(url: str) -> None:
    with pytest.raises(UrlError):
        validate_url(url)


def test_has_scheme_tells_links_from_paths() -> None:
    assert has_scheme("https://example.com")
    assert has_scheme("ftp:x")
    assert not has_scheme("C:\\news\\a.txt")
    assert not has_scheme("articles/today.md")
