"""The bundled sample articles are well-formed and cover what the rest of the suite relies on."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from newsbot.data.bundled import SAMPLES_DIR, sample_article_paths

REQUIRED_KEYS = {"title", "outlet", "author", "published_at", "url", "language", "topic", "text"}
TOPICS = {"politics", "business", "sport", "science", "local"}
LANGUAGES = {"english", "german"}
PATHS = sample_article_paths()


def _load(path: Path) -> dict[str, Any]:
    value = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(value, dict), path.name
    return value


def _all() -> list[dict[str, Any]]:
    return [_load(path) for path in PATHS]


def test_paths_are_sorted_json_files_inside_the_samples_dir() -> None:
    assert sorted(PATHS) == PATHS
    assert all(p.suffix == ".json" and p.parent == SAMPLES_DIR and p.is_file() for p in PATHS)


def test_there_are_at_least_25_samples() -> None:
    assert len(PATHS) >= 25


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_sample_has_the_required_keys_and_types(path: Path) -> None:
    article = _load(path)
    assert set(article) == REQUIRED_KEYS
    for key in REQUIRED_KEYS:
        assert isinstance(article[key], str), key
        assert article[key].strip(), key
    assert article["topic"] in TOPICS
    assert article["language"] in LANGUAGES


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_published_at_is_timezone_aware(path: Path) -> None:
    published = datetime.fromisoformat(_load(path)["published_at"])
    assert published.tzinfo is not None
    assert published.utcoffset() is not None


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_text_is_between_300_and_900_words(path: Path) -> None:
    words = len(_load(path)["text"].split())
    assert 300 <= words <= 900, words


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_url_is_https_on_an_example_host(path: Path) -> None:
    # Sample URLs must never point at a real outlet.
    parts = urlsplit(_load(path)["url"])
    assert parts.scheme == "https"
    assert parts.hostname is not None and parts.hostname.endswith(".example")


def test_all_topics_are_present() -> None:
    assert {article["topic"] for article in _all()} == TOPICS


def test_urls_and_titles_are_unique() -> None:
    articles = _all()
    urls = [article["url"] for article in articles]
    titles = [article["title"] for article in articles]
    assert len(set(urls)) == len(urls)
    assert len(set(titles)) == len(titles)


def test_multilingual_and_html_escaping_cases_are_present() -> None:
    # Other tests use these samples for German summaries and for escaping titles in HTML.
    articles = _all()
    assert any(article["language"] == "german" for article in articles)
    assert any("&" in article["title"] or "<" in article["title"] for article in articles)
