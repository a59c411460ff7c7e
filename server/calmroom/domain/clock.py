"""The round clock: role-play time with pauses left out. `now_ms` is always
passed in, so the rules never read a clock themselves."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Clock:
    accumulated_ms: int = 0          # time run before the current stretch
    running_since_ms: int | None = None  # wall time the current stretch began
    duration_s: int | None = None

    @property
    def running(self) -> bool:
        return self.running_since_ms is not None

    def elapsed_ms(self, now_ms: int) -> int:
        if self.running_since_ms is None:
            return self.accumulated_ms
        return self.accumulated_ms + max(0, now_ms - self.running_since_ms)

    def start(self, now_ms: int) -> None:
        if self.running_since_ms is None:
            self.running_since_ms = now_ms

    def stop(self, now_ms: int) -> None:
        if self.running_since_ms is not None:
            self.accumulated_ms = self.elapsed_ms(now_ms)
            self.running_since_ms = None

    def remaining_ms(self, now_ms: int) -> int | None:
        if self.duration_s is None:
            return None
        return self.duration_s * 1000 - self.elapsed_ms(now_ms)

    def view(self, now_ms: int) -> dict:
        return {"running": self.running, "elapsed_ms": self.elapsed_ms(now_ms), "duration_s": self.duration_s}


def time_up(clock: Clock, already_told: bool, now_ms: int) -> bool:
    """Whether the room is to hear now that its round's time is up: once,
    when a round with a duration has run for all of it."""
    if already_told:
        return False
    remaining = clock.remaining_ms(now_ms)
    return remaining is not None and remaining <= 0
