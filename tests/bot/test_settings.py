"""Settings: valid values load; each bad value stops start-up naming its variable."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from newsbot.bot.settings import RedactingFilter, SettingsError, load_settings, read_env_file

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc-def"


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"DATABASE_PATH": str(tmp_path / "db" / "newsbot.db"), **values}


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(env(tmp_path), env_file=None)
    assert settings.bot_token is None
    assert settings.admin_ids == frozenset()
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.default_timezone.key == "UTC"
    assert settings.log_level == "INFO"
    assert settings.summary_algorithm == "newsbot"
    assert (tmp_path / "db").is_dir()


def test_full_configuration(tmp_path: Path) -> None:
    settings = load_settings(
        env(
            tmp_path,
            BOT_TOKEN=TOKEN,
            ADMIN_IDS="12, 34,",
            TELEGRAM_API_URL="http://127.0.0.1:8081/",
            DEFAULT_TIMEZONE="Europe/Berlin",
            LOG_LEVEL="debug",
            WEBHOOK_URL="https://bot.example/hook",
            WEBHOOK_SECRET="s3cret_-x",
            WEBHOOK_LISTEN="127.0.0.1:9000",
        ),
        env_file=None,
    )
    assert settings.admin_ids == {12, 34}
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.webhook_listen == ("127.0.0.1", 9000)
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ADMIN_IDS", "12,abc"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("BOT_TOKEN", "paste-your-token-here"),
        ("TELEGRAM_API_URL", "ftp://api"),
        ("LOG_LEVEL", "LOUD"),
        ("WEBHOOK_LISTEN", "8443"),
        ("WEBHOOK_SECRET", "has spaces"),
        ("SUMMARY_ALGORITHM", "gpt"),
    ],
)
def test_bad_values_name_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env(tmp_path, **{variable: value}), env_file=None)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ")
    assert "\n" not in str(caught.value)


def test_webhook_url_requires_a_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings(env(tmp_path, WEBHOOK_URL="https://bot.example/hook"), env_file=None)


def test_unwritable_database_path(tmp_path: Path) -> None:
    # A folder that cannot be created (its "parent" is a file) is refused even for root,
    # for whom permission bits would not stop anything.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(SettingsError, match="DATABASE_PATH"):
        load_settings({"DATABASE_PATH": str(blocker / "sub" / "x.db")}, env_file=None)


def test_database_path_that_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="DATABASE_PATH"):
        load_settings({"DATABASE_PATH": str(tmp_path)}, env_file=None)


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nexport ADMIN_IDS=1,2\nLOG_LEVEL='WARNING'\nDEFAULT_TIMEZONE=Asia/Tokyo # note\n"
    )
    assert read_env_file(dotenv)["LOG_LEVEL"] == "WARNING"
    settings = load_settings(env(tmp_path, ADMIN_IDS="9"), env_file=dotenv)
    assert settings.admin_ids == {9}
    assert settings.log_level == "WARNING"
    assert settings.default_timezone.key == "Asia/Tokyo"


def test_malformed_env_file_line(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("this is not a setting\n")
    with pytest.raises(SettingsError, match=r"\.env:1"):
        load_settings(env(tmp_path), env_file=dotenv)


def test_token_is_redacted_from_log_records() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://api/bot{TOKEN}/getMe",), None
    )
    RedactingFilter((TOKEN,)).filter(record)
    assert TOKEN not in record.getMessage()
    assert "<redacted>" in record.getMessage()
