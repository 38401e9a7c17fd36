"""Per-user flood protection."""

from newsbot.handlers.commands.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_warning_then_silence_then_recovery() -> None:
    clock = Clock()
    throttle = Throttle(burst=3, per_second=1.0, clock=clock)
    verdicts = [throttle.check(1) for _ in range(6)]
    assert verdicts == ["allow", "allow", "allow", "warn", "drop", "drop"]
    assert throttle.check(2) == "allow"  # other users are unaffected
    clock.now = 1.0
    assert throttle.check(1) == "allow"


def test_memory_is_bounded() -> None:
    clock = Clock()
    throttle = Throttle(burst=2, per_second=1.0, clock=clock, max_users=100)
    for user in range(1000):
        throttle.check(user)
        clock.now += 5
    assert len(throttle._buckets) <= 100
