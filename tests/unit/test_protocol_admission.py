"""Schemas of the commands and events of join requests and rejoin codes."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from calmroom.protocol.events import CLIENT_EVENTS
from calmroom.protocol.server_events import SERVER_EVENTS


def load(event: str, payload):
    return CLIENT_EVENTS[event]().load(payload)


def test_a_rejoin_code_is_read_as_people_type_it():
    assert load("rejoin_with_code", {"room": "abcdef", "code": " abcd-efgh "}) == {"room": "ABCDEF", "code": "ABCDEFGH"}
    assert load("rejoin_with_code", {"room": "ABCDEF", "code": "ABCD EFGH"})["code"] == "ABCDEFGH"


@pytest.mark.parametrize("code", ["ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGI", "", "x" * 21, 12345678, None])
def test_a_code_that_cannot_be_one_is_invalid(code):
    with pytest.raises(ValidationError) as err:
        load("rejoin_with_code", {"room": "ABCDEF", "code": code})
    assert "code" in err.value.messages


def test_requests_need_their_fields_and_no_others():
    ok = {"room": "ABCDEF", "request": "r0123456789abcdef", "token": "secret"}
    for event in ("claim_request", "cancel_request"):
        assert load(event, ok) == ok
        for missing in ok:
            with pytest.raises(ValidationError):
                load(event, {k: v for k, v in ok.items() if k != missing})
        with pytest.raises(ValidationError):
            load(event, {**ok, "request": "r" * 33})
    assert load("answer_request", {"request": "r1", "admit": False}) == {"request": "r1", "admit": False}
    for bad in ({"request": "r1", "admit": "yes"}, {"request": "r1"}, {"request": "r1", "admit": True, "ban": True}):
        with pytest.raises(ValidationError):
            load("answer_request", bad)
    with pytest.raises(ValidationError):
        load("renew_rejoin_code", {"code": "ABCDEFGH"})
    assert load("knock", {"room": "ABCDEF", "name": " Eve "}) == {"room": "ABCDEF", "name": "Eve"}


def test_server_events_of_requests():
    request = {"id": "r1", "kind": "takeover", "name": "Bram", "participant": "0123456789abcdef", "expires_in_ms": 5}
    assert SERVER_EVENTS["join_requested"]().validate({"version": 3, "request": request}) == {}
    assert SERVER_EVENTS["join_requested"]().validate({"version": 3, "request": {**request, "kind": "walk-in"}})
    assert SERVER_EVENTS["join_requested"]().validate({"version": 3, "request": {**request, "token": "x"}})  # never the secret
    assert SERVER_EVENTS["join_request_closed"]().validate({"version": 4, "request": "r1", "outcome": "withdrawn"}) == {}
    assert SERVER_EVENTS["join_answered"]().validate({"version": 4, "request": "r1", "outcome": "withdrawn"})
    assert SERVER_EVENTS["notice"]().validate({"version": 5, "kind": "moved", "message": "m", "by": "p"}) == {}
    assert SERVER_EVENTS["state"]().validate(
        {"version": 1, "code": "ABCDEF", "title": "t", "phase": "lobby", "locked": True, "requests": [request],
             "options": {"anonymous": False, "name_timeouts": False, "fishbowl": False, "projector_live": False}}
    ) == {}
