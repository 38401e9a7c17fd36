"""Web pages to drafts: the main text and metadata of an HTML page (trafilatura), with the
page's visible text as the fallback for layouts trafilatura finds no article in."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree
from newsbot.handlers.ingestion.drafts import (
    ArticleDraft,
    SourceError,
    draft_from_text,
    parse_datetime,
)

_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TITLE_SEARCH_CHARS = 100_000  # the <title> sits in the head; never scan a whole huge page
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—-]|::)\s+")
_MAX_SITE_NAME_CHARS = 60
_DROPPED_HTML = "//script|//style|//noscript|//template|//svg|//iframe|//object|//head"
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre",
     "article", "section", "header", "footer", "figcaption", "dd", "dt", "table", "ul", "ol"}
)  # fmt: skip
_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def draft_from_html(html: str, *, source: str, url: str | None = None) -> ArticleDraft:
    """The main text and metadata of a web page (trafilatura), scripts and styles excluded.

    When trafilatura finds no main text (short or unusual pages), the page's visible text is
    used instead, so a valid page is never rejected just for its layout.
    """
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    text = getattr(document, "text", None) or ""
    if text.strip():
        # trafilatura puts each block on its own line; the cleaner expects blank-line paragraphs.
        text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    else:
        document = trafilatura.extract_metadata(html, default_url=url)
        text = html_to_text(html)
    if not text.strip():
        raise SourceError("the page has no readable text — send the article text instead")
    return draft_from_text(
        text,
        source=source,
        title=getattr(document, "title", None),
        url=getattr(document, "url", None) or url,
        outlet=_outlet(document, html, url),
        author=getattr(document, "author", None),
        published_at=parse_datetime(getattr(document, "date", None)),
    )


def _outlet(document: Any, html: str, url: str | None) -> str | None:
    """The page's site name: its metadata, else its <title>, else its host name.

    trafilatura falls back to the host name ("courier.example") when the page names no
    site; a "Headline | Coast Courier" title is the better name then.
    """
    declared = getattr(document, "sitename", None)
    host = getattr(document, "hostname", None) or (urlsplit(url).netloc if url else None)
    if declared and not (host and declared.casefold() in host.casefold()):
        return str(declared)
    return outlet_from_page_title(html, getattr(document, "title", None)) or declared or host


def outlet_from_page_title(html: str, headline: str | None) -> str | None:
    """The site's name from a page title such as "Headline | Outlet" or "Headline - Outlet".

    Used when a page names no site in its metadata, before falling back to the host name.
    """
    found = _TITLE_TAG.search(html, 0, _TITLE_SEARCH_CHARS)
    if found is None:
        return None
    parts = _TITLE_SEPARATOR.split(htmllib.unescape(found.group(1)).strip())
    site = parts[-1].strip() if len(parts) > 1 else ""
    if not site or len(site) > _MAX_SITE_NAME_CHARS:
        return None
    if headline is not None and site.casefold() == headline.strip().casefold():
        return None  # "Outlet | Headline" pages: the last part is the headline
    return site


def html_to_text(html: str) -> str:
    """The visible text of an HTML document or fragment, one paragraph per block element."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html.encode("utf-8"), parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath(_DROPPED_HTML):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n\n".join(line for line in lines if line)
