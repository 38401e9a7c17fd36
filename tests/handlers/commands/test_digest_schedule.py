"""The digest schedule rule: wall-clock time in the chat's zone, DST-correct, 12-hour grace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from newsbot.data.models import Chat
from newsbot.handlers.commands.args import UsageError
from newsbot.handlers.commands.digest import (
    due_slot,
    next_run,
    parse_time,
    resolve_timezone,
    scheduled_at,
)

UTC_ZONE = ZoneInfo("UTC")


def chat(time: str = "08:00", zone: str | None = "Europe/Berlin", enabled: bool = True) -> Chat:
    return Chat(
        id=-100,
        type="group",
        title="g",
        digest_enabled=enabled,
        digest_time=time,
        timezone=zone,
        last_digest_at=None,
        digest_watermark=0,
        blocked=False,
        blocked_reason=None,
    )


@pytest.mark.parametrize("text", ["25:00", "7pm", "-1", "8", "08:60", "", "08:00:00", "٠٨:٠٠"])
def test_invalid_times_are_explained(text: str) -> None:
    with pytest.raises(UsageError, match="24-hour"):
        parse_time(text)


def test_valid_times_are_normalised() -> None:
    assert parse_time("7:05") == "07:05"
    assert parse_time("23:59") == "23:59"


def test_time_zones_resolve_case_insensitively() -> None:
    assert resolve_timezone("europe/berlin").key == "Europe/Berlin"
    with pytest.raises(UsageError, match="not a time zone"):
        resolve_timezone("Mars/Olympus")


def test_due_at_local_wall_time_in_winter_and_summer() -> None:
    berlin = chat()
    winter = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)  # 08:00 CET
    summer = datetime(2026, 7, 15, 6, 0, tzinfo=UTC)  # 08:00 CEST
    assert due_slot(berlin, winter - timedelta(minutes=1), UTC_ZONE) is None
    assert due_slot(berlin, winter, UTC_ZONE) == ("2026-01-15", winter)
    assert due_slot(berlin, summer, UTC_ZONE) == ("2026-07-15", summer)


def test_dst_gap_fires_an_hour_later_and_fold_fires_once() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 29 Mar 2026: clocks jump 02:00 -> 03:00; 02:30 does not exist.
    gap = scheduled_at(datetime(2026, 3, 29).date(), "02:30", berlin)
    assert gap.astimezone(berlin).hour == 3
    # 25 Oct 2026: 02:30 happens twice; the first one (CEST, 00:30 UTC) is used.
    fold = scheduled_at(datetime(2026, 10, 25).date(), "02:30", berlin)
    assert fold == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_missed_digest_goes_out_within_twelve_hours_only() -> None:
    berlin = chat()
    at = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
    assert due_slot(berlin, at + timedelta(hours=11, minutes=59), UTC_ZONE) == ("2026-01-15", at)
    assert due_slot(berlin, at + timedelta(hours=12), UTC_ZONE) is None


def test_late_evening_digest_is_still_due_after_midnight() -> None:
    late = chat("23:30", "UTC")
    now = datetime(2026, 1, 16, 1, 0, tzinfo=UTC)
    expected = ("2026-01-15", datetime(2026, 1, 15, 23, 30, tzinfo=UTC))
    assert due_slot(late, now, UTC_ZONE) == expected


def test_disabled_or_unzoned_chats() -> None:
    assert due_slot(chat(enabled=False), datetime(2026, 1, 15, 9, tzinfo=UTC), UTC_ZONE) is None
    unzoned = chat(zone=None)
    assert due_slot(unzoned, datetime(2026, 1, 15, 8, tzinfo=UTC), UTC_ZONE) == (
        "2026-01-15",
        datetime(2026, 1, 15, 8, tzinfo=UTC),
    )


def test_next_run_is_in_the_chat_zone() -> None:
    upcoming = next_run(chat(), datetime(2026, 1, 15, 9, tzinfo=UTC), UTC_ZONE)
    assert upcoming is not None
    assert upcoming.isoformat() == "2026-01-16T08:00:00+01:00"
