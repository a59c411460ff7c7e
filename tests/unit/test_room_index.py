"""sockets/roomindex.py: a manager with the index ends every sequence of
enters, leaves, room closes and disconnects exactly where python-socketio's
own manager ends it (rooms, callbacks, pending lists, each sid's rooms),
while a disconnect touches only the closing sid's rooms."""
from __future__ import annotations

import random

from socketio import Manager

from calmroom.sockets.roomindex import index_rooms


def _snapshot(m: Manager) -> dict:
    return {
        "rooms": {ns: {room: dict(members) for room, members in rooms.items()} for ns, rooms in m.rooms.items()},
        "callbacks": dict(m.callbacks),
        "pending_connect": {ns: sorted(v) for ns, v in m.pending_connect.items()},
        "pending_disconnect": {ns: sorted(v) for ns, v in m.pending_disconnect.items()},
    }


def _play(m: Manager, seed: int) -> list:
    rng = random.Random(seed)
    seen, live = [], []
    for step in range(600):
        op = rng.random()
        ns = rng.choice(["/", "/other"])
        if op < 0.3 or not live:
            sid, eio = f"s{step}", f"e{step}"
            m.basic_enter_room(sid, ns, None, eio_sid=eio)
            m.basic_enter_room(sid, ns, sid, eio_sid=eio)
            if rng.random() < 0.3:
                m.pending_connect.setdefault(ns, []).append(sid)
            if rng.random() < 0.3:
                m.callbacks[sid] = {1: print}
            live.append((ns, sid))
        elif op < 0.6:
            ns, sid = rng.choice(live)
            m.basic_enter_room(sid, ns, f"room{rng.randrange(8)}")
        elif op < 0.7:
            ns, sid = rng.choice(live)
            m.basic_leave_room(sid, ns, f"room{rng.randrange(8)}")
        elif op < 0.75:
            m.basic_close_room(f"room{rng.randrange(8)}", ns)
        else:
            ns, sid = live.pop(rng.randrange(len(live)))
            if rng.random() < 0.3:
                m.pending_disconnect.setdefault(ns, []).append(sid)
            m.basic_disconnect(sid, ns)
        seen.append((_snapshot(m), sorted(m.get_rooms(live[0][1], live[0][0])) if live else None))
    return seen


def test_the_index_changes_nothing_the_manager_keeps():
    for seed in range(5):
        assert _play(index_rooms(Manager()), seed) == _play(Manager(), seed)


def test_a_disconnect_looks_only_at_its_own_rooms():
    m = index_rooms(Manager())
    for i in range(2000):
        m.basic_enter_room(f"s{i}", "/", None, eio_sid=f"e{i}")
        m.basic_enter_room(f"s{i}", "/", f"s{i}", eio_sid=f"e{i}")
        m.basic_enter_room(f"s{i}", "/", f"room{i // 7}")

    class NoScan(dict):  # what python-socketio's own disconnect does: look through every room
        def items(self):
            raise AssertionError("every room was looked through")

        def copy(self):
            raise AssertionError("every room was looked through")

    m.rooms["/"] = NoScan(m.rooms["/"])
    m.basic_disconnect("s5", "/")
    assert sorted(m.get_rooms("s6", "/")) == ["room0", "s6"]
    plain = Manager()
    plain.rooms["/"] = NoScan({None: {}})
    try:
        plain.basic_disconnect("s5", "/")
    except AssertionError:
        pass
    else:
        raise AssertionError("the plain manager no longer scans: this test shows nothing")
    assert "s5" not in m.rooms["/"] and "s5" not in m.rooms["/"][None] and "s5" not in m.rooms["/"]["room0"]
    assert m.get_rooms("s6", "/") and sorted(m.get_rooms("s6", "/")) == ["room0", "s6"]
    assert len(m.rooms["/"]) == 2000 - 1 + 286 + 1  # its own room gone, room0 still has others
