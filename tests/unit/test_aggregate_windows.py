"""sockets/aggregates.py: however many marks a fishbowl gets, its live
aggregate is read and sent at most once per window, and only while marks come."""
from __future__ import annotations

from calmroom.sockets.aggregates import AggregateWindows


class Harness:
    """Spawned windows run when the test says so; `sleep` is where marks may
    come in meanwhile."""

    def __init__(self):
        self.tasks = []
        self.computed = []
        self.sent = []
        self.during_sleep = []  # callables run at each sleep, one per sleep

    def spawn(self, fn, *args):
        self.tasks.append((fn, args))

    def sleep(self, _s):
        if self.during_sleep:
            self.during_sleep.pop(0)()

    def compute(self, code):
        self.computed.append(code)
        return [f"aggregate of {code} #{len(self.computed)}"]

    def run(self):
        while self.tasks:
            fn, args = self.tasks.pop(0)
            fn(*args)


def windows(h: Harness) -> AggregateWindows:
    return AggregateWindows(h.compute, h.sent.extend, h.sleep, h.spawn, 0.25)


def test_a_burst_of_marks_makes_one_aggregate():
    h = Harness()
    w = windows(h)
    for _ in range(1000):
        w.touch("ROOM1")
    assert len(h.tasks) == 1  # one window, not one task per mark
    h.run()
    assert h.computed == ["ROOM1"] and h.sent == ["aggregate of ROOM1 #1"]


def test_marks_during_a_window_make_one_more_and_then_it_closes():
    h = Harness()
    w = windows(h)
    w.touch("ROOM1")
    h.during_sleep = [lambda: None, lambda: [w.touch("ROOM1") for _ in range(50)]]
    h.run()
    assert h.computed == ["ROOM1", "ROOM1"]
    assert "ROOM1" not in w.dirty  # closed: the next mark opens a new window
    w.touch("ROOM1")
    assert len(h.tasks) == 1


def test_rooms_have_their_own_windows():
    h = Harness()
    w = windows(h)
    w.touch("ROOM1")
    w.touch("ROOM2")
    w.touch("ROOM1")
    h.run()
    assert sorted(h.computed) == ["ROOM1", "ROOM2"]


def test_a_failing_read_is_logged_and_the_window_still_closes():
    h = Harness()

    def broken(code):
        raise RuntimeError("database away")

    w = AggregateWindows(broken, h.sent.extend, h.sleep, h.spawn, 0.25)
    w.touch("ROOM1")
    h.run()
    assert h.sent == [] and "ROOM1" not in w.dirty
