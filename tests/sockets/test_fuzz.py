"""Random payloads at every client event: each is refused with a known code
and leaves the room exactly as it was."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calmroom.protocol.base import ERROR_CODES
from calmroom.protocol.events import CLIENT_EVENTS

json_scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False) | st.text(max_size=60)
json_values = st.recursive(
    json_scalars,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
    max_leaves=12,
)


def shaped_like(event: str):
    """Objects with the event's own field names, so validation gets past the
    outer shape and into each field."""
    names = list(CLIENT_EVENTS[event]().fields)
    keys = st.sampled_from(names + ["extra", "__proto__"]) if names else st.sampled_from(["extra", "x"])
    return st.dictionaries(keys, json_values, max_size=len(names) + 1)


def refused_payloads(event: str):
    schema = CLIENT_EVENTS[event]()
    def refused(p) -> bool:
        if p is None:  # no payload at all counts as {}
            p = {}
        return bool(schema.validate(p)) if isinstance(p, dict) else True

    return (json_values | shaped_like(event)).filter(refused)


EVENTS = sorted(CLIENT_EVENTS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_payloads_are_refused_and_change_nothing(make_room_once, data):
    room, members = make_room_once
    event = data.draw(st.sampled_from(EVENTS), label="event")
    who = data.draw(st.sampled_from(sorted(members)), label="who")
    payload = data.draw(refused_payloads(event), label="payload")
    before = room.facilitator.ok("sync")["state"]["version"]
    ack = members[who].call(event, payload)
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] in ERROR_CODES
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]
    after = room.facilitator.ok("sync")["state"]["version"]
    assert after == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=st.sampled_from(EVENTS), args=st.lists(json_values, min_size=2, max_size=3))
def test_several_arguments_are_refused(make_room_once, event, args):
    room, members = make_room_once
    before = room.facilitator.ok("sync")["state"]["version"]
    ack = members["observer"].call(event, *args)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert room.facilitator.ok("sync")["state"]["version"] == before


import pytest  # noqa: E402


@pytest.fixture
def make_room_once(make_room):
    """A room in role-play with a facilitator, customer, agent, observer and a
    socket that has not joined anything."""
    room = make_room()
    cust, agent, obs = room.join("Cust"), room.join("Agent"), room.join("Obs")
    room.facilitator.ok("start_round", {"card": "parcel", "customer": cust.id, "agent": agent.id})
    room.facilitator.ok("begin_roleplay")
    stranger = room.connect("stranger")
    return room, {"facilitator": room.facilitator, "customer": cust, "agent": agent, "observer": obs, "stranger": stranger}
