"""The rate limiter's resend after network errors: outages delay replies instead of losing them."""

from __future__ import annotations

from typing import Any

import pytest
from newsbot.bot.rate_limit import NewsbotRateLimiter
from telegram.error import BadRequest, NetworkError, TimedOut


class FlakyCall:
    """A Bot API call that fails with `errors` in turn, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"message_id": 1}


async def send(limiter: NewsbotRateLimiter, call: FlakyCall, chat_id: int = -100) -> object:
    return await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat_id}, None)


@pytest.mark.parametrize("chat_id", [-100, 42])  # a group and a private chat
async def test_bad_gateway_is_resent_until_it_goes_through(chat_id: int) -> None:
    limiter = NewsbotRateLimiter(network_delays=(0, 0, 0))
    call = FlakyCall(NetworkError("Bad Gateway"), NetworkError("Bad Gateway"))
    assert await send(limiter, call, chat_id) == {"message_id": 1}
    assert call.calls == 3


async def test_a_lasting_outage_gives_up_after_the_last_delay() -> None:
    limiter = NewsbotRateLimiter(network_delays=(0, 0))
    call = FlakyCall(*(NetworkError("Bad Gateway") for _ in range(5)))
    with pytest.raises(NetworkError):
        await send(limiter, call)
    assert call.calls == 3


async def test_a_timeout_is_not_resent_because_it_may_have_arrived() -> None:
    limiter = NewsbotRateLimiter(network_delays=(0, 0))
    call = FlakyCall(TimedOut())
    with pytest.raises(TimedOut):
        await send(limiter, call)
    assert call.calls == 1


async def test_a_bad_request_is_not_resent() -> None:
    limiter = NewsbotRateLimiter(network_delays=(0, 0))
    call = FlakyCall(BadRequest("Chat not found"))
    with pytest.raises(BadRequest):
        await send(limiter, call)
    assert call.calls == 1
