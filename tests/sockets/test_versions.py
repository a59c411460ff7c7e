"""One version bump (store/versions.py) for both write paths: live events
(marks: store/live.py) and room changes under the row lock (the lock, a
time-out: repository.bump) count on one version, one by one, on SQLite and
PostgreSQL, and what the members hear carries exactly those versions."""
from __future__ import annotations


def version(room) -> int:
    return room.http.get(f"/api/rooms/{room.code}").get_json()["version"]


def test_live_and_locked_changes_count_on_one_version(make_room):
    room = make_room()
    ann, bob, cas = room.join("Ann"), room.join("Bob"), room.join("Cas")
    room.facilitator.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    room.facilitator.ok("begin_roleplay")
    v0 = version(room)
    room.clear()
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 1})  # live path
    room.facilitator.ok("lock_room", {"locked": True})  # row lock
    cas.ok("mark_step", {"id": "m2", "step": "listen", "rating": 2})  # live path
    ann.ok("call_timeout", {})  # row lock
    assert version(room) == v0 + 4
    marked = [e["version"] for e in room.facilitator.events("step_marked")]
    assert marked == [v0 + 1, v0 + 3]
    # the lock's state names its version and the one before it that everyone heard of
    lock_state = next(s for s in cas.events("state") if s["locked"])
    assert lock_state["version"] == v0 + 2
    timeout = next(n for n in bob.events("notice") if n["kind"] == "timeout")
    assert timeout["version"] == v0 + 4 and timeout["prev"] == v0 + 2
    assert room.facilitator.ok("sync")["state"]["version"] == v0 + 4
