"""protocol/fastload.py against marshmallow itself: for every client event's
schema and thousands of generated payloads (valid ones, and every kind of
wrong one), the shortcut gives exactly the dict `schema.load` gives, or
raises exactly the ValidationError it raises; and it takes the shortcut for
the valid payloads of the live path's events."""
from __future__ import annotations

import random

import pytest
from marshmallow import Schema, ValidationError, fields, post_load

from calmroom.protocol.base import StrictSchema
from calmroom.protocol.events import CLIENT_EVENTS
from calmroom.protocol.fastload import loader

TEXTS = ["", " ", "a", "  padded  ", "Ann", "x" * 39, "x" * 40, "x" * 41, "x" * 64, "x" * 65, "x" * 500, "x" * 2001,
         "héllo wörld", "line\nbreak", "tab\there", "bell\x07", "zero\u200bwidth", "\ud800", "emoji 😠", "ABC234",
         "abc234", "ABCDEF", "AB-CD_12", "bad id!", "listen", "empathy", "sofa", "fr", "nl", "en", "lobby"]
NUMBERS = [0, 1, 2, 3, 5, 6, 9, 10, 11, -1, 100, 10 ** 30, True, False, 1.0, 2.5, float("nan")]
OTHERS = [None, [], [1], {}, {"a": 1}, "3", b"bytes"]


def _value(rng: random.Random, field) -> object:
    roll = rng.random()
    if roll < 0.45 and isinstance(field, fields.String):
        return rng.choice(TEXTS)
    if roll < 0.45 and isinstance(field, (fields.Integer, fields.Number)):
        return rng.choice(NUMBERS)
    if roll < 0.45 and isinstance(field, fields.Boolean):
        return rng.choice([True, False])
    if roll < 0.55 and isinstance(field, fields.List):
        return [rng.choice(TEXTS + NUMBERS) for _ in range(rng.randrange(4))]
    return rng.choice(TEXTS + NUMBERS + OTHERS)


def _payloads(schema: Schema, rng: random.Random, n: int):
    names = list(schema.load_fields)
    for _ in range(n):
        p = {}
        for name in names:
            if rng.random() < 0.85:
                p[name] = _value(rng, schema.load_fields[name])
        if rng.random() < 0.1:
            p[rng.choice(["extra", "id2", "__proto__"])] = 1
        yield p
    yield from ({}, None, [], "x", 3, [{}])


def _outcome(load, payload):
    try:
        return "ok", load(payload)
    except ValidationError as err:
        return "refused", err.messages


@pytest.mark.parametrize("event", sorted(CLIENT_EVENTS))
def test_the_shortcut_agrees_with_marshmallow(event):
    schema = CLIENT_EVENTS[event]()
    fast = loader(schema)
    rng = random.Random(event)
    agreed = 0
    for payload in _payloads(schema, rng, 1500):
        assert _outcome(fast, payload) == _outcome(schema.load, payload), (event, payload)
        agreed += 1
    assert agreed > 1500


def test_the_live_events_take_the_shortcut(monkeypatch):
    valid = {
        "mark_step": {"id": "m1", "step": "listen", "rating": 2, "note": "  ok  "},
        "score_step": {"step": "listen", "rating": None, "comment": "x"},
        "set_temperature": {"id": "t1", "level": 7},
        "rate_global": {"rating": 4},
        "join_room": {"room": "ABC234", "name": "Ann"},
        "sync": {},
    }
    for event, payload in valid.items():
        schema = CLIENT_EVENTS[event]()
        expected = schema.load(payload)
        fast = loader(schema)
        monkeypatch.setattr(schema, "load", lambda *_a, **_k: pytest.fail(f"{event}: marshmallow's load was used"))
        assert fast(payload) == expected


def test_a_schema_with_hooks_is_left_to_marshmallow():
    class Hooked(StrictSchema):
        a = fields.Integer()

        @post_load
        def double(self, data, **_):
            return {"a": data["a"] * 2}

    schema = Hooked()
    assert loader(schema) == schema.load
    assert loader(schema)({"a": 2}) == {"a": 4}
