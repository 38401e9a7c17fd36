"""Settings: read once at start-up from the environment and an optional `.env` file.

Every value is validated here, so that a mistake stops start-up with one line naming the
variable (`SettingsError`) instead of a traceback deep inside the bot later on. The
environment wins over `.env`, as with docker and systemd.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsbot.summaries.summarize import ALGORITHMS, DEFAULT_ALGORITHM

DEFAULT_DATABASE_PATH = "newsbot.db"
DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_WEBHOOK_LISTEN = "0.0.0.0:8443"

# Telegram tokens look like "123456789:AAH…"; checking the shape catches a pasted placeholder.
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
# Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and - in a webhook secret token.
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """A setting has a bad value; the message names the variable and says what to do."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated configuration of one newsbot process."""

    bot_token: str | None = field(default=None, repr=False)
    admin_ids: frozenset[int] = frozenset()
    database_path: Path = Path(DEFAULT_DATABASE_PATH)
    telegram_api_url: str = DEFAULT_API_URL
    default_timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: tuple[str, int] = ("0.0.0.0", 8443)
    summary_algorithm: str = DEFAULT_ALGORITHM

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line."""
        return tuple(s for s in (self.bot_token, self.webhook_secret) if s)


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a `.env` file: KEY=VALUE lines, `#` comments, optional quotes, `export ` prefix."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return values
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(str(path), f"cannot read the .env file ({exc})") from None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise SettingsError(f"{path}:{number}", "expected a KEY=VALUE line")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            # An unquoted value may carry a trailing comment, as in most .env dialects.
            value = value.split(" #", 1)[0].strip()
        values[key] = value
    return values


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Build `Settings` from `.env` overlaid with the environment; raise `SettingsError`."""
    merged: dict[str, str] = read_env_file(env_file) if env_file is not None else {}
    merged.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = merged.get(name, "").strip()
        return value or None

    webhook_secret = _parse_webhook_secret(get("WEBHOOK_SECRET"))
    webhook_url = _parse_url("WEBHOOK_URL", get("WEBHOOK_URL"), https_only=True)
    if webhook_url and not webhook_secret:
        raise SettingsError(
            "WEBHOOK_SECRET", "is required with WEBHOOK_URL, so that only Telegram can post"
        )
    return Settings(
        bot_token=_parse_token(get("BOT_TOKEN")),
        admin_ids=_parse_admin_ids(get("ADMIN_IDS")),
        database_path=_parse_database_path(get("DATABASE_PATH") or DEFAULT_DATABASE_PATH),
        telegram_api_url=_parse_url("TELEGRAM_API_URL", get("TELEGRAM_API_URL")) or DEFAULT_API_URL,
        default_timezone=parse_timezone("DEFAULT_TIMEZONE", get("DEFAULT_TIMEZONE") or "UTC"),
        log_level=_parse_log_level(get("LOG_LEVEL") or "INFO"),
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_listen=_parse_listen(get("WEBHOOK_LISTEN") or DEFAULT_WEBHOOK_LISTEN),
        summary_algorithm=_parse_algorithm(get("SUMMARY_ALGORITHM") or DEFAULT_ALGORITHM),
    )


def _parse_token(value: str | None) -> str | None:
    if value is not None and not _TOKEN_RE.match(value):
        raise SettingsError(
            "BOT_TOKEN", "does not look like a token from @BotFather (digits:letters)"
        )
    return value


def _parse_admin_ids(value: str | None) -> frozenset[int]:
    ids: set[int] = set()
    for part in (value or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise SettingsError(
                "ADMIN_IDS", f"{part[:40]!r} is not a numeric Telegram user id (e.g. 12345678)"
            )
        ids.add(int(part))
    return frozenset(ids)


def _parse_database_path(value: str) -> Path:
    path = Path(value).expanduser()
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise SettingsError("DATABASE_PATH", f"{value} is a directory; name a file in it")
    if not parent.exists():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SettingsError(
                "DATABASE_PATH", f"cannot create {parent} ({exc.strerror})"
            ) from None
    writable = os.access(path, os.W_OK) if path.exists() else os.access(parent, os.W_OK)
    if not writable:
        raise SettingsError("DATABASE_PATH", f"{value} is not writable by this user")
    return path


def _parse_url(name: str, value: str | None, *, https_only: bool = False) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    schemes = ("https",) if https_only else ("http", "https")
    if parts.scheme not in schemes or not parts.netloc:
        wanted = "an https:// URL" if https_only else "an http:// or https:// URL"
        raise SettingsError(name, f"{value[:80]!r} is not {wanted}")
    return value.rstrip("/")


def parse_timezone(name: str, value: str) -> ZoneInfo:
    """Return the IANA zone `value`; `name` labels the error (a variable or an argument)."""
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            name, f"{value[:60]!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)"
        ) from None


def _parse_log_level(value: str) -> str:
    level = value.upper()
    if level not in _LOG_LEVELS:
        raise SettingsError("LOG_LEVEL", f"{value!r} is not one of {', '.join(_LOG_LEVELS)}")
    return level


def _parse_webhook_secret(value: str | None) -> str | None:
    if value is not None and not _SECRET_RE.match(value):
        raise SettingsError("WEBHOOK_SECRET", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return value


def _parse_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError("WEBHOOK_LISTEN", f"{value!r} is not HOST:PORT (e.g. 0.0.0.0:8443)")
    return host.strip("[]"), int(port)


def _parse_algorithm(value: str) -> str:
    name = value.lower()
    if name not in ALGORITHMS:
        raise SettingsError("SUMMARY_ALGORITHM", f"{value!r} is not one of {', '.join(ALGORITHMS)}")
    return name


class RedactingFilter(logging.Filter):
    """Replaces secrets (the bot token) in every log record before any handler formats it.

    httpx logs each request URL, and the Bot API puts the token in the URL path, so redacting
    at the record level is the only reliable place.
    """

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            for secret in self._secrets:
                message = message.replace(secret, "<redacted>")
            record.msg, record.args = message, None
        return True


def configure_logging(settings: Settings) -> None:
    """Log to stderr at LOG_LEVEL with secrets redacted; quiet the chatty HTTP libraries."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(settings.secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
