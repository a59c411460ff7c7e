"""Every client event's schema (protocol/events.py CLIENT_EVENTS) against the
inputs the socket gateway refuses before a room is read: an unknown field, a
payload that is not an object, a field missing, of the wrong type or out of
the schema's bounds, each with the field named. The gateway turns the
schema's ValidationError into the error it acks (validation_error_body);
here that body is built the same way, without a socket or a database.

What the schema cannot know (the deck's scale and steps, the names in the
room, the people a round may be given) is the domain's:
test_domain_entries.py, test_domain_membership.py, test_domain_planning.py.
The socket suite (tests/sockets/test_refusals.py) keeps one row per kind."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from calmroom.protocol.base import validation_error_body
from calmroom.protocol.events import CLIENT_EVENTS, NOTE_MAX

ROOM = "ABCDEF"
PID = "0123456789abcdef"

# a payload each event accepts; every refusal below is one change of it
VALID: dict[str, dict] = {
    "join_room": {"room": ROOM, "name": "Eve"},
    "rejoin": {"room": ROOM, "token": "t" * 43},
    "host_room": {"room": ROOM, "facilitator_token": "f" * 43},
    "sync": {},
    "start_round": {"card": "sofa", "customer": PID, "agent": "fedcba9876543210"},
    "begin_roleplay": {},
    "pause_round": {},
    "resume_round": {},
    "call_timeout": {"reason": "stop"},
    "end_roleplay": {},
    "reveal_results": {},
    "mark_step": {"id": "m1", "step": "listen", "rating": 2},
    "correct_mark": {"id": "c1", "mark": "m1", "rating": 3},
    "set_temperature": {"id": "t1", "level": 5},
    "score_step": {"step": "listen", "rating": 2},
    "rate_global": {"rating": 3},
    "reflect": {"feeling": 3},
    "kick": {"participant": PID},
    "lock_room": {"locked": True},
    "set_options": {"name_timeouts": True},
    "close_room": {},
    "leave_room": {},
    "knock": {"room": ROOM, "name": "Eve"},
    "claim_request": {"room": ROOM, "request": "r0123456789abcdef", "token": "x"},
    "cancel_request": {"room": ROOM, "request": "r0123456789abcdef", "token": "x"},
    "answer_request": {"request": "r0123456789abcdef", "admit": True},
    "rejoin_with_code": {"room": ROOM, "code": "ABCD-EFGH"},
    "renew_rejoin_code": {},
}


def load(event: str, payload):
    return CLIENT_EVENTS[event]().load(payload)


def refusal(event: str, payload) -> dict:
    """The error the gateway acks for `payload` (sockets/handlers.py)."""
    with pytest.raises(ValidationError) as err:
        load(event, payload)
    body = validation_error_body(err.value)
    assert body["code"] == "invalid" and isinstance(body["message"], str) and body["message"], body
    return body


def test_every_client_event_is_covered():
    assert set(VALID) == set(CLIENT_EVENTS)


@pytest.mark.parametrize("event", sorted(VALID))
def test_the_valid_payload_is_accepted(event):
    load(event, VALID[event])


@pytest.mark.parametrize("event", sorted(VALID))
def test_unknown_field_is_invalid(event):
    body = refusal(event, {**VALID[event], "colour": "blue"})
    assert "colour" in body["fields"]


@pytest.mark.parametrize("payload", [["not", "an", "object"], "text", 0, 1.5, True], ids=repr)
@pytest.mark.parametrize("event", sorted(VALID))
def test_payload_that_is_not_an_object_is_invalid(event, payload):
    refusal(event, payload)


def _bad(event, payload, field, id_):
    return pytest.param(event, payload, field, id=id_)


# As the socket suite sent them (tests/sockets/test_refusals.py keeps a few).
MALFORMED = [
    # missing required fields
    _bad("join_room", {"room": ROOM}, "name", "join_room-missing-name"),
    _bad("join_room", {"name": "Eve"}, "room", "join_room-missing-room"),
    _bad("mark_step", {"step": "listen", "rating": 1}, "id", "mark_step-missing-id"),
    _bad("mark_step", {"id": "m", "step": "listen"}, "rating", "mark_step-missing-rating"),
    _bad("reflect", {"felt_heard": 3}, "feeling", "reflect-missing-feeling"),
    _bad("lock_room", {}, "locked", "lock_room-missing-locked"),
    _bad("kick", {}, "participant", "kick-missing-participant"),
    _bad("score_step", {"step": "listen"}, "rating", "score_step-missing-rating"),
    # wrong types
    _bad("join_room", {"room": ROOM, "name": 42}, "name", "join_room-name-number"),
    _bad("join_room", {"room": 123456, "name": "Eve"}, "room", "join_room-room-number"),
    _bad("join_room", {"room": "AB", "name": "Eve"}, "room", "join_room-room-short"),
    _bad("join_room", {"room": "ABCDE0", "name": "Eve"}, "room", "join_room-room-ambiguous"),
    _bad("rejoin", {"room": ROOM, "token": None}, "token", "rejoin-token-null"),
    _bad("host_room", {"room": ROOM, "facilitator_token": ["x"]}, "facilitator_token", "host_room-token-list"),
    _bad("mark_step", {"id": "m", "step": "listen", "rating": "2"}, "rating", "mark_step-rating-string"),
    _bad("mark_step", {"id": "m", "step": "listen", "rating": 2.0}, "rating", "mark_step-rating-float"),
    _bad("mark_step", {"id": "m", "step": "listen", "rating": True}, "rating", "mark_step-rating-bool"),
    _bad("mark_step", {"id": 7, "step": "listen", "rating": 1}, "id", "mark_step-id-number"),
    _bad("mark_step", {"id": "no spaces!", "step": "listen", "rating": 1}, "id", "mark_step-id-chars"),
    _bad("mark_step", {"id": "m", "step": 3, "rating": 1}, "step", "mark_step-step-number"),
    _bad("mark_step", {"id": "m", "step": "listen", "rating": 1, "note": 5}, "note", "mark_step-note-number"),
    _bad("set_temperature", {"id": "t", "level": "5"}, "level", "set_temperature-level-string"),
    _bad("set_temperature", {"id": "t", "level": 5.5}, "level", "set_temperature-level-float"),
    _bad("score_step", {"step": "listen", "rating": "n/a"}, "rating", "score_step-rating-string"),
    _bad("score_step", {"step": "listen", "rating": 1, "comment": []}, "comment", "score_step-comment-list"),
    _bad("rate_global", {"rating": 4.5}, "rating", "rate_global-rating-float"),
    _bad("rate_global", {"rating": None}, "rating", "rate_global-rating-null"),
    _bad("reflect", {"feeling": "good"}, "feeling", "reflect-feeling-string"),
    _bad("reflect", {"feeling": 3, "went_well": 1}, "went_well", "reflect-went_well-number"),
    _bad("lock_room", {"locked": "yes"}, "locked", "lock_room-locked-string"),
    _bad("lock_room", {"locked": 1}, "locked", "lock_room-locked-number"),
    _bad("kick", {"participant": 5}, "participant", "kick-participant-number"),
    _bad("call_timeout", {"reason": 5}, "reason", "call_timeout-reason-number"),
    _bad("start_round", {"duration_s": "300"}, "duration_s", "start_round-duration-string"),
    _bad("start_round", {"card": 1}, "card", "start_round-card-number"),
    # out of the schema's range (a deck's scale is the domain's: test_domain_entries.py)
    _bad("set_temperature", {"id": "t", "level": 11}, "level", "set_temperature-level-11"),
    _bad("set_temperature", {"id": "t", "level": -1}, "level", "set_temperature-level--1"),
    _bad("rate_global", {"rating": 0}, "rating", "rate_global-rating-0"),
    _bad("rate_global", {"rating": 6}, "rating", "rate_global-rating-6"),
    _bad("reflect", {"feeling": 0}, "feeling", "reflect-feeling-0"),
    _bad("reflect", {"feeling": 6}, "feeling", "reflect-feeling-6"),
    _bad("reflect", {"feeling": 3, "felt_heard": 6}, "felt_heard", "reflect-felt_heard-6"),
    _bad("reflect", {"feeling": 3, "felt_heard": 0}, "felt_heard", "reflect-felt_heard-0"),
    _bad("start_round", {"duration_s": 5}, "duration_s", "start_round-duration-5"),
    _bad("start_round", {"duration_s": 99999}, "duration_s", "start_round-duration-99999"),
    # names
    _bad("join_room", {"room": ROOM, "name": "N" * 41}, "name", "name-too-long"),
    _bad("join_room", {"room": ROOM, "name": ""}, "name", "name-empty"),
    _bad("join_room", {"room": ROOM, "name": "   "}, "name", "name-blank"),
    # notes and comments: at most 500 characters
    _bad("mark_step", {"id": "m", "step": "listen", "rating": 1, "note": "n" * 501}, "note", "note-501"),
    _bad("mark_step", {"id": "m", "step": "listen", "rating": 1, "note": "é" * 501}, "note", "note-501-accents"),
    _bad("score_step", {"step": "listen", "rating": 1, "comment": "c" * 501}, "comment", "comment-501"),
    _bad("reflect", {"feeling": 3, "went_well": "w" * 501}, "went_well", "went_well-501"),
    _bad("reflect", {"feeling": 3, "do_differently": "d" * 501}, "do_differently", "do_differently-501"),
]


@pytest.mark.parametrize("event,payload,field", MALFORMED)
def test_malformed_input_is_invalid_and_names_the_field(event, payload, field):
    assert field in refusal(event, payload)["fields"]


@pytest.mark.parametrize("event,payload,field", MALFORMED)
def test_the_named_field_is_the_only_fault(event, payload, field):
    """With the field set right (as the valid payload has it) or left out,
    the rest of the row's payload loads."""
    fixed = {k: v for k, v in payload.items() if k != field}
    if field in VALID[event]:
        fixed[field] = VALID[event][field]
    load(event, fixed)


@pytest.mark.parametrize(
    "event,payload",
    [
        ("mark_step", {"id": "m", "step": "listen", "rating": 1, "note": "n" * NOTE_MAX}),
        ("score_step", {"step": "listen", "rating": None, "comment": "c" * NOTE_MAX}),
        ("reflect", {"feeling": 1, "felt_heard": 5, "went_well": "w" * 500, "do_differently": ""}),
        ("set_temperature", {"id": "t", "level": 0}),
        ("set_temperature", {"id": "t", "level": 10}),
        ("start_round", {"duration_s": 30}),
        ("start_round", {"duration_s": 3600}),
        ("join_room", {"room": "abcdef", "name": "N" * 40}),
    ],
    ids=["note-500", "comment-500-na", "reflect-edges", "level-0", "level-10", "duration-30", "duration-3600", "name-40"],
)
def test_the_other_side_of_each_limit_is_accepted(event, payload):
    load(event, payload)


def test_a_padded_name_is_read_as_typed_without_its_spaces():
    """What the room then compares with the names it has (a duplicate is the
    domain's refusal: test_domain_membership.py)."""
    assert load("join_room", {"room": ROOM, "name": "  BOB "})["name"] == "BOB"
