"""sockets/batcher.py: the first membership delta of a room goes out at once,
the next ones of its window together, anything else only after them; the
window stretches with the room."""
from __future__ import annotations

from calmroom.sockets.batcher import Batcher


class Loop:
    """A fake clock and task runner: `spawn` keeps the task, `run` plays it."""

    def __init__(self):
        self.sent: list[tuple[str, dict, object]] = []
        self.tasks: list = []
        self.slept: list[float] = []

    def send(self, event, payload, rooms):
        self.sent.append((event, payload, rooms))

    def spawn(self, fn, *args):
        self.tasks.append((fn, args))

    def sleep(self, s):
        self.slept.append(s)


def joined(v):
    return {"version": v, "prev": v - 1, "participant": {"id": f"p{v}"}}


def test_first_at_once_then_one_batch_then_the_window_closes():
    loop = Loop()
    b = Batcher(loop.send, loop.sleep, loop.spawn, 0.05)
    rooms = ["fac:ABCDEF", "part:ABCDEF"]
    for v in (2, 3, 4):
        b.emit("ABCDEF", "participant_joined", joined(v), rooms)
    assert [e for e, _, _ in loop.sent] == ["participant_joined"]
    fn, args = loop.tasks.pop()
    fn(*args)  # the window: sends what came, waits one more window with nothing, closes
    assert loop.sent[1] == ("batch", {"version": 4, "events": [["participant_joined", joined(3)], ["participant_joined", joined(4)]]}, rooms)
    assert b.pending == {}
    b.emit("ABCDEF", "participant_joined", joined(5), rooms)
    assert loop.sent[-1] == ("participant_joined", joined(5), rooms)  # a quiet room again: at once


def test_any_other_event_of_the_room_goes_after_what_waits():
    loop = Loop()
    b = Batcher(loop.send, loop.sleep, loop.spawn, 0.05)
    b.emit("ABCDEF", "participant_joined", joined(2), "part:ABCDEF")
    b.emit("ABCDEF", "presence_changed", {"version": 3, "prev": 2, "participant": "p2", "connected": False}, "part:ABCDEF")
    b.emit("ZZZZZZ", "state", {"version": 9}, "part:ZZZZZZ")  # another room: nothing of ABCDEF's goes
    b.emit("ABCDEF", "state", {"version": 4, "prev": 3}, "part:ABCDEF")
    assert [e for e, _, _ in loop.sent] == ["participant_joined", "state", "presence_changed", "state"]


def test_without_a_window_everything_goes_at_once():
    loop = Loop()
    b = Batcher(loop.send, loop.sleep, loop.spawn, 0.0)
    for v in (2, 3):
        b.emit("ABCDEF", "participant_joined", joined(v), "part:ABCDEF")
    assert len(loop.sent) == 2 and loop.tasks == []


def test_the_window_stretches_with_the_room_up_to_ten_times():
    for members, window in ((20, 0.05), (300, 0.15), (5000, 0.5)):
        loop = Loop()
        b = Batcher(loop.send, loop.sleep, loop.spawn, 0.05, members=lambda code, n=members: n)
        b.emit("ABCDEF", "participant_joined", joined(2), "part:ABCDEF")
        fn, args = loop.tasks.pop()
        fn(*args)
        assert abs(loop.slept[0] - window) < 1e-9, members
