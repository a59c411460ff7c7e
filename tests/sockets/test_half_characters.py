"""A lone UTF-16 surrogate ("\\ud800" in a client's JSON) is half a character:
it cannot be hashed, stored or written as UTF-8. In a token it used to reach
the hash and answer `unavailable` with a traceback in the log; every text
field refuses it as `invalid`, on its field, and nothing changes."""
from __future__ import annotations

import pytest

HALF = "\ud800"


@pytest.mark.parametrize("event, payload, field", [
    ("rejoin", {"token": HALF}, "token"),
    ("host_room", {"facilitator_token": "x" + HALF}, "facilitator_token"),
    ("join_room", {"name": "Ann" + HALF}, "name"),
    ("knock", {"name": HALF + "Bo"}, "name"),
])
def test_half_a_character_at_the_door_is_invalid(make_room, event, payload, field):
    room = make_room()
    before = room.facilitator.ok("sync")["state"]["version"]
    ack = room.connect("x").call(event, {"room": room.code, **payload})
    assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
    assert "half a character" in ack["error"]["fields"][field]
    assert room.facilitator.ok("sync")["state"]["version"] == before


def test_half_a_character_in_a_members_event_is_invalid(make_room):
    room = make_room()
    ann = room.join("Ann")
    before = room.facilitator.ok("sync")["state"]["version"]
    for member, event, payload, field in [
        (room.facilitator, "kick", {"participant": HALF}, "participant"),
        (ann, "call_timeout", {"reason": "too loud" + HALF}, "reason"),
    ]:
        ack = member.call(event, payload)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid", (event, ack)
        assert "half a character" in ack["error"]["fields"][field], (event, ack)
    assert room.facilitator.ok("sync")["state"]["version"] == before
