"""PTB's AIORateLimiter plus the per-private-chat limit Telegram applies (about 1 msg/s).

AIORateLimiter paces the overall rate (28/s, evenly spaced, under Telegram's 30/s) and each
group (20/min) and retries 429s; it leaves private chats unpaced, so this class adds that. A
short burst is allowed there so a reply split into two or three messages is not slowed down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

PRIVATE_BURST = 3
PRIVATE_PERIOD = 3.0  # seconds: 3 per 3 s = 1 per second sustained
MAX_PRIVATE_LIMITERS = 4096
# Waits before resending after a network error or a 5xx (about a minute in all): a short
# Bot API outage costs a delay, not a lost reply. getUpdates has its own backoff in PTB.
NETWORK_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
# getMe is only sent at start-up, where an unreachable Bot API is more often a wrong
# TELEGRAM_API_URL than an outage: a few seconds, then the one-line error, not a minute.
START_RETRY_DELAYS = (0.5, 1.0, 2.0)


class NewsbotRateLimiter(AIORateLimiter):
    """Overall, per-group and per-private-chat pacing, with 429 retries."""

    def __init__(
        self,
        *,
        max_retries: int = 8,
        overall_per_second: float = 28,
        network_delays: tuple[float, ...] | None = None,
    ) -> None:
        # Paced evenly (one request every 1/28 s, no burst) rather than as a bucket of 29 per
        # second: a bucket lets a full burst out at once and then the steady rate, so Telegram,
        # which counts arrivals, can see more than 30 in one second and answer 429 — each of
        # which pauses every send for over a second. Even spacing just under the limit keeps
        # the fan-out of 1,000 digests close to the 30/s ideal with no 429s (bench_digest).
        super().__init__(
            overall_max_rate=1,
            overall_time_period=1 / overall_per_second,
            max_retries=max_retries,
        )
        self._private: dict[int, AsyncLimiter] = {}
        self._network_delays = network_delays

    def _private_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._private.get(chat_id)
        if limiter is None:
            if len(self._private) >= MAX_PRIVATE_LIMITERS:
                # Idle limiters (full capacity) hold no state worth keeping.
                self._private = {
                    k: v for k, v in self._private.items() if not v.has_capacity(v.max_rate)
                }
            limiter = self._private[chat_id] = AsyncLimiter(PRIVATE_BURST, PRIVATE_PERIOD)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        private = None
        with contextlib.suppress(TypeError, ValueError):
            if endpoint.startswith("send") and int(chat_id) > 0:  # type: ignore[arg-type]
                private = self._private_limiter(int(chat_id))  # type: ignore[arg-type]
        delays = self._network_delays
        if delays is None:
            delays = START_RETRY_DELAYS if endpoint == "getMe" else NETWORK_RETRY_DELAYS
        for delay in (*delays, None):
            try:
                if private is None:
                    return await super().process_request(
                        callback, args, kwargs, endpoint, data, rate_limit_args
                    )
                async with private:
                    return await super().process_request(
                        callback, args, kwargs, endpoint, data, rate_limit_args
                    )
            except (TimedOut, BadRequest):
                # A timeout may have reached Telegram, and sending it again could duplicate
                # a message; a 400 would fail again. PTB derives both from NetworkError.
                raise
            except NetworkError as exc:
                # 5xx answers and refused connections: Telegram did not take the request, so
                # it is safe to send again once the outage is over.
                if delay is None or endpoint == "getUpdates":
                    raise
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, exc.message, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
