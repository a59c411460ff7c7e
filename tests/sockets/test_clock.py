"""The round clock on the server: pauses excluded, and a time-up told once."""
from __future__ import annotations

from calmroom.services.outcome import Outcome


def test_time_up_is_told_once_when_the_role_play_time_has_run(make_room, app):
    rooms = app.extensions["calmroom"].rooms
    gateway = app.extensions["calmroom"].gateway
    now = [1_000_000]
    rooms.now_ms = lambda: now[0]
    room = make_room()
    a, b, c = room.join("A"), room.join("B"), room.join("C")
    room.facilitator.ok("start_round", {"duration_s": 60})
    room.facilitator.ok("begin_roleplay")
    now[0] += 30_000
    room.facilitator.ok("pause_round")
    now[0] += 120_000  # paused time does not count
    assert rooms.time_up_sweep() == []
    room.facilitator.ok("resume_round")
    now[0] += 29_999
    assert rooms.time_up_sweep() == []
    now[0] += 1
    room.clear()
    gateway.perform(Outcome(emits=rooms.time_up_sweep()))
    assert [n["kind"] for n in c.events("notice")] == ["time_up"]
    assert [n["kind"] for n in room.facilitator.events("notice")] == ["time_up"]
    now[0] += 5_000
    assert rooms.time_up_sweep() == []  # once
    state = room.facilitator.ok("sync")["state"]
    assert state["round"]["clock"] == {"running": True, "elapsed_ms": 65_000, "duration_s": 60}
