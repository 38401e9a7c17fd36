"""`newsbot chat`: the console loads the samples and runs the same commands as Telegram."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from newsbot.bot.console import run_console
from newsbot.bot.services import Services
from newsbot.data.bundled import sample_article_paths

from tests.conftest import make_settings


def typed(*lines: str) -> Callable[[], AsyncIterator[str]]:
    async def source() -> AsyncIterator[str]:
        for line in lines:
            yield line

    return source


async def test_console_loads_samples_and_answers(tmp_path: Path) -> None:
    out = io.StringIO()
    services = await Services.open(make_settings(tmp_path / "console.db"))
    try:
        await run_console(
            services,
            out,
            typed(
                "/latest 2",
                "1",
                "/summary 1",
                "/who_said",
                "/search budget",
                "hello",
                "/digest on 07:00",
                "42",
                "/help",
                "quit",
                "/never-reached",
            ),
        )
        assert await services.store.count_articles() == len(sample_article_paths())
    finally:
        await services.close()
    text = out.getvalue()
    assert f"{len(sample_article_paths())} added" in text
    assert "Latest articles" in text and "[1] More ▸" in text
    assert "3–4 of" in text  # pressing button 1 showed the next page
    assert "Most quoted" in text
    assert "Commands start with /" in text
    assert "/digest now" in text  # the console explains scheduled digests are for chats
    assert "No button with that number" in text
    assert "<b>" not in text  # HTML is rendered as plain text
    assert text.rstrip().endswith("Bye.")


async def test_console_does_not_reload_a_filled_database(services: Services) -> None:
    out = io.StringIO()
    await run_console(services, out, typed("/latest 1"))
    assert "Loading" not in out.getvalue()
