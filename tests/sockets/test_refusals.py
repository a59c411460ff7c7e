"""Every refusal of PROTOCOL.md: the right error code (and the field, where
the input is at fault) and, always, nothing changed: the room's version and
its whole state are as before, and nobody received anything.

One app per database back end serves the module. Since a refusal changes
nothing (which every test asserts), tests share one room per phase; a room
that changed anyway is built afresh. The service's clock is frozen so that a
room's state can be compared as a whole."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from calmroom import config as calmroom_config
from calmroom.app import create_app
from helpers.databases import shared_app

from calmroom.protocol.events import CODE_ALPHABET

T0 = 1_700_000_000_000

PHASES = ("lobby", "briefing", "roleplay", "paused", "scoring", "review", "closed")
MEMBER_EVENTS = (
    "sync", "start_round", "begin_roleplay", "pause_round", "resume_round", "call_timeout", "end_roleplay",
    "reveal_results", "mark_step", "correct_mark", "set_temperature", "score_step", "rate_global", "reflect", "kick",
    "lock_room", "set_options", "close_room", "leave_room",
)

# Refusals decided before any database access (the payload's size and shape,
# no room joined yet) cannot differ between back ends: SQLite only.
PRE_DB = pytest.mark.parametrize("app_and_io", ["sqlite"], indirect=True)


# -- fixtures and helpers -------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app_and_io(request, tmp_path_factory):
    """One app per back end for the whole module (see conftest.shared_app)."""
    yield from shared_app(request, tmp_path_factory, "refusals", rate_limit="100000/second")


@pytest.fixture
def frozen_clock(app, monkeypatch):
    """The clock does not move, so a state read twice is the same."""
    monkeypatch.setattr(app.extensions["calmroom"].rooms, "now_ms", lambda: T0)


def sync(member) -> dict:
    return member.ok("sync")["state"]


class Cast:
    """A room with Ann (customer), Bob (agent), Cas and Dee (observers) of a
    round of card `sofa`, brought to a phase; `outsider` is a socket that has
    not joined."""

    def __init__(self, room, phase: str):
        self.room = room
        self.phase = phase
        self.dirty = False
        self.fac = room.facilitator
        self.ann, self.bob, self.cas, self.dee = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee"))
        if phase != "lobby":
            self.fac.ok("start_round", {"card": "sofa", "customer": self.ann.id, "agent": self.bob.id})
        for ev in {
            "lobby": [],
            "briefing": [],
            "roleplay": ["begin_roleplay"],
            "paused": ["begin_roleplay", "pause_round"],
            "scoring": ["begin_roleplay", "end_roleplay"],
            "review": ["begin_roleplay", "end_roleplay", "reveal_results"],
            "closed": ["begin_roleplay", "close_room"],
        }[phase]:
            self.fac.ok(ev)
        assert sync(self.fac)["phase"] == phase
        self.outsider = room.connect("outsider")
        self.baseline = sync(self.fac)

    def who(self, name: str):
        return {"fac": self.fac, "ann": self.ann, "bob": self.bob, "cas": self.cas, "dee": self.dee, "outsider": self.outsider}[name]

    def still_as_built(self) -> bool:
        members = [*self.room.everyone(), self.outsider]
        return (
            not self.dirty
            and all(m.client.is_connected() for m in members)
            and self.outsider.call("sync", {}).get("ok") is False  # the outsider is still nobody
            # every change bumps the version: the same version is the same room
            and self.room.http.get(f"/api/rooms/{self.room.code}").get_json()["version"] == self.baseline["version"]
        )


_casts: dict[tuple[int, str], Cast] = {}


@pytest.fixture
def cast(request, app, frozen_clock):
    """cast(phase) gives a room in that phase. A refused event changes
    nothing (every test asserts it), so tests of refusals share one room per
    phase; a room that did change anyway is dropped and built again.
    cast(phase, fresh=True) is a room of the test's own."""

    def make(phase: str = "lobby", fresh: bool = False) -> Cast:
        key = (id(app), phase)
        if not fresh:
            c = _casts.get(key)
            if c is not None and c.still_as_built():
                return c
        c = Cast(request.getfixturevalue("make_room")(), phase)
        if not fresh:
            _casts[key] = c
        return c

    yield make


def refused(room, member, event: str, payload: Any, code: str, field: str | None = None, *, raw: tuple | None = None) -> dict:
    """Send `event` from `member`; assert it is refused with `code` (and
    `field` named in error.fields) and that nothing changed for anyone."""
    fac = room.facilitator
    before = sync(fac)
    watchers = [*room.everyone(), member]
    for m in watchers:
        m.clear()
    if raw is not None:
        ack = member.call(event, *raw)
    else:
        ack = member.call(event, payload)
    assert isinstance(ack, dict) and ack.get("ok") is False, (event, payload, ack)
    err = ack["error"]
    assert err["code"] == code, (event, payload, ack)
    assert isinstance(err["message"], str) and err["message"], ack
    if field is not None:
        assert field in (err.get("fields") or {}), (event, payload, ack)
    for m in watchers:
        assert m.client.is_connected(), f"{m.name} was disconnected by a refused {event}"
        got = m.pump()
        assert [e["name"] for e in got] == [], f"{m.name} received {got} after a refused {event}"
        assert m.events("state") == []
    after = sync(fac)
    if after != before:
        for c in _casts.values():
            if c.room is room:
                c.dirty = True
    assert after["version"] == before["version"], f"a refused {event} changed the version"
    assert after == before, f"a refused {event} changed the room"
    return ack


def fresh_code(http) -> str:
    """A well-formed room code that no room has."""
    for a in CODE_ALPHABET:
        code = a * 6
        if http.get(f"/api/rooms/{code}").status_code == 404:
            return code
    raise AssertionError("no free code")


# -- wrong phase => conflict -----------------------------------------------------------------
# event -> (who sends it, payload builder, phases where it is allowed)
PHASED: dict[str, tuple[str, Callable[[Cast], dict], set[str]]] = {
    "start_round": ("fac", lambda c: {"card": "parcel", "customer": c.cas.id, "agent": c.dee.id}, {"lobby", "review"}),
    "begin_roleplay": ("fac", lambda c: {}, {"briefing"}),
    "pause_round": ("fac", lambda c: {}, {"roleplay"}),
    "resume_round": ("fac", lambda c: {}, {"paused"}),
    "call_timeout": ("cas", lambda c: {"reason": "please stop"}, {"roleplay"}),
    "end_roleplay": ("fac", lambda c: {}, {"roleplay", "paused"}),
    "reveal_results": ("fac", lambda c: {}, {"scoring"}),
    "mark_step": ("cas", lambda c: {"id": "m1", "step": "listen", "rating": 2}, {"roleplay", "paused"}),
    "correct_mark": ("cas", lambda c: {"id": "c1", "mark": "m1", "undo": True}, {"roleplay", "paused"}),
    "set_temperature": ("ann", lambda c: {"id": "t1", "level": 5}, {"roleplay"}),
    "score_step": ("cas", lambda c: {"step": "listen", "rating": 2}, {"scoring"}),
    "rate_global": ("cas", lambda c: {"rating": 3}, {"scoring"}),
    "reflect": ("ann", lambda c: {"feeling": 3, "felt_heard": 4}, {"scoring", "review"}),
    "lock_room": ("fac", lambda c: {"locked": True}, set(PHASES) - {"closed"}),
    "set_options": ("fac", lambda c: {"anonymous": True}, set(PHASES) - {"closed"}),
    "close_room": ("fac", lambda c: {}, set(PHASES) - {"closed"}),
}

WRONG_PHASE = [
    pytest.param(event, phase, id=f"{event}-in-{phase}")
    for event, (_, _, allowed) in PHASED.items()
    for phase in PHASES
    if phase not in allowed
]


@pytest.mark.parametrize("event,phase", WRONG_PHASE)
def test_wrong_phase_is_conflict(cast, event, phase):
    c = cast(phase)
    who, payload, _ = PHASED[event]
    refused(c.room, c.who(who), event, payload(c), "conflict")


@pytest.mark.parametrize("who", ["fac", "cas"])
def test_mark_step_by_facilitator_or_observer_in_scoring_is_conflict(cast, who):
    c = cast("scoring")
    refused(c.room, c.who(who), "mark_step", {"id": "late", "step": "listen", "rating": 1}, "conflict")


def test_score_step_by_facilitator_in_roleplay_is_conflict(cast):
    c = cast("roleplay")
    refused(c.room, c.fac, "score_step", {"step": "listen", "rating": 1}, "conflict")


def test_join_a_closed_room_is_conflict(cast):
    c = cast("closed")
    refused(c.room, c.outsider, "join_room", {"room": c.room.code, "name": "Eve"}, "conflict")


def test_rejoin_a_closed_room_is_conflict(cast):
    c = cast("closed")
    refused(c.room, c.outsider, "rejoin", {"room": c.room.code, "token": c.ann.token}, "conflict")


def test_start_round_with_one_participant_is_conflict(make_room, frozen_clock):
    room = make_room()
    room.join("Ann")
    refused(room, room.facilitator, "start_round", {}, "conflict")


def test_join_twice_on_one_connection_is_conflict(cast):
    c = cast("lobby")
    refused(c.room, c.ann, "join_room", {"room": c.room.code, "name": "Another Ann"}, "conflict")
    refused(c.room, c.ann, "rejoin", {"room": c.room.code, "token": c.bob.token}, "conflict")
    refused(c.room, c.fac, "join_room", {"room": c.room.code, "name": "Facilitator"}, "conflict")


# -- wrong role => forbidden ----------------------------------------------------------------------
FACILITATOR_ONLY = [
    ("start_round", "lobby", lambda c: {}),
    ("start_round", "review", lambda c: {"card": "parcel"}),
    ("begin_roleplay", "briefing", lambda c: {}),
    ("pause_round", "roleplay", lambda c: {}),
    ("resume_round", "paused", lambda c: {}),
    ("end_roleplay", "roleplay", lambda c: {}),
    ("end_roleplay", "paused", lambda c: {}),
    ("reveal_results", "scoring", lambda c: {}),
    ("kick", "lobby", lambda c: {"participant": c.dee.id}),
    ("kick", "roleplay", lambda c: {"participant": c.bob.id}),
    ("lock_room", "lobby", lambda c: {"locked": True}),
    ("set_options", "lobby", lambda c: {"anonymous": True}),
    ("close_room", "lobby", lambda c: {}),
    ("close_room", "roleplay", lambda c: {}),
]


@pytest.mark.parametrize(
    "who,event,phase,payload",
    [
        pytest.param(who, *row, id=f"{who}-{row[0]}-in-{row[1]}")
        for row in FACILITATOR_ONLY
        # in the lobby nobody has a round role: one participant is enough
        for who in (["cas"] if row[1] == "lobby" else ["cas", "ann", "bob"])
    ],
)
def test_participant_doing_facilitator_things_is_forbidden(cast, who, event, phase, payload):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "forbidden")


@pytest.mark.parametrize("who", ["ann", "bob"])
@pytest.mark.parametrize("phase", ["roleplay", "paused"])
def test_customer_and_agent_cannot_mark(cast, who, phase):
    c = cast(phase)
    refused(c.room, c.who(who), "mark_step", {"id": "m", "step": "listen", "rating": 2}, "forbidden")


@pytest.mark.parametrize("who", ["ann", "bob"])
@pytest.mark.parametrize(
    "event,payload", [("score_step", {"step": "listen", "rating": 2}), ("rate_global", {"rating": 3})]
)
def test_customer_and_agent_cannot_score(cast, who, event, payload):
    c = cast("scoring")
    refused(c.room, c.who(who), event, payload, "forbidden")


@pytest.mark.parametrize("who", ["bob", "cas", "fac"])
def test_only_the_customer_sets_the_temperature(cast, who):
    c = cast("roleplay")
    refused(c.room, c.who(who), "set_temperature", {"id": "t", "level": 2}, "forbidden")


@pytest.mark.parametrize("phase", ["briefing", "scoring"])
def test_the_facilitator_is_refused_the_meter_in_any_phase(cast, phase):
    """Who sends is checked before the phase (domain/permissions.py)."""
    c = cast(phase)
    refused(c.room, c.fac, "set_temperature", {"id": "t", "level": 2}, "forbidden")


@pytest.mark.parametrize("phase", ["scoring", "review"])
@pytest.mark.parametrize("who", ["cas", "dee"])
def test_observers_cannot_reflect(cast, phase, who):
    c = cast(phase)
    refused(c.room, c.who(who), "reflect", {"feeling": 3}, "forbidden")


@pytest.mark.parametrize(
    "event,phase,payload",
    [
        ("call_timeout", "roleplay", {}),
        ("call_timeout", "roleplay", {"reason": "stop"}),
        ("reflect", "scoring", {"feeling": 3}),
        ("reflect", "review", {"feeling": 3}),
        ("leave_room", "lobby", {}),
        ("leave_room", "roleplay", {}),
    ],
)
def test_facilitator_cannot_do_participant_things(cast, event, phase, payload):
    c = cast(phase)
    refused(c.room, c.fac, event, payload, "forbidden")


# -- before joining => unauthorized -----------------------------------------------------------------
UNJOINED_PAYLOADS = {
    "sync": {},
    "start_round": {},
    "begin_roleplay": {},
    "pause_round": {},
    "resume_round": {},
    "call_timeout": {},
    "end_roleplay": {},
    "reveal_results": {},
    "mark_step": {"id": "m", "step": "listen", "rating": 1},
    "correct_mark": {"id": "c", "mark": "m", "undo": True},
    "set_temperature": {"id": "t", "level": 1},
    "score_step": {"step": "listen", "rating": 1},
    "rate_global": {"rating": 1},
    "reflect": {"feeling": 1},
    "kick": {"participant": "0123456789abcdef"},
    "lock_room": {"locked": True},
    "set_options": {"fishbowl": True},
    "close_room": {},
    "leave_room": {},
}
assert set(UNJOINED_PAYLOADS) == set(MEMBER_EVENTS)


@PRE_DB
@pytest.mark.parametrize("event", MEMBER_EVENTS)
def test_before_joining_is_unauthorized(cast, event):
    c = cast("roleplay")
    refused(c.room, c.outsider, event, UNJOINED_PAYLOADS[event], "unauthorized")


def test_after_leaving_is_unauthorized(cast):
    c = cast("roleplay", fresh=True)
    c.dee.ok("leave_room")
    for event in ("sync", "mark_step", "call_timeout"):
        refused(c.room, c.dee, event, UNJOINED_PAYLOADS[event], "unauthorized")


def test_after_being_kicked_is_unauthorized(cast):
    c = cast("roleplay", fresh=True)
    c.fac.ok("kick", {"participant": c.dee.id})
    # the kicked socket is closed a moment later; until then it is refused
    ack = c.dee.call("mark_step", {"id": "k", "step": "listen", "rating": 1})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    other = c.room.connect("Dee again")
    c.room.people.pop("Dee")
    refused(c.room, other, "rejoin", {"room": c.room.code, "token": c.dee.token}, "unauthorized", "token")


# -- tokens and rooms ---------------------------------------------------------------------------------
def test_wrong_facilitator_token_is_unauthorized(cast, make_room):
    c = cast("lobby")
    other = make_room()
    room = c.room
    refused(room, c.outsider, "host_room", {"room": room.code, "facilitator_token": "x" * 43}, "unauthorized", "facilitator_token")
    refused(room, c.outsider, "host_room", {"room": room.code, "facilitator_token": other.token}, "unauthorized")
    refused(room, c.outsider, "host_room", {"room": room.code, "facilitator_token": c.ann.token}, "unauthorized")


def test_wrong_participant_token_is_unauthorized(cast, make_room):
    c = cast("roleplay")
    room = c.room
    other = make_room()
    stranger = other.join("Zed")
    refused(room, c.outsider, "rejoin", {"room": room.code, "token": "y" * 43}, "unauthorized", "token")
    refused(room, c.outsider, "rejoin", {"room": room.code, "token": stranger.token}, "unauthorized", "token")
    refused(room, c.outsider, "rejoin", {"room": room.code, "token": room.token}, "unauthorized", "token")
    # and the outsider is still nobody
    refused(room, c.outsider, "sync", {}, "unauthorized")


@pytest.mark.parametrize("event", ["join_room", "rejoin", "host_room"])
def test_unknown_room_is_not_found(cast, http, event):
    c = cast("lobby")
    code = fresh_code(http)
    payload = {
        "join_room": {"room": code, "name": "Eve"},
        "rejoin": {"room": code, "token": c.ann.token},
        "host_room": {"room": code, "facilitator_token": c.room.token},
    }[event]
    refused(c.room, c.outsider, event, payload, "not_found")


@pytest.mark.parametrize("participant", ["0123456789abcdef", "fac"])
def test_kick_unknown_participant_is_not_found(cast, make_room, participant):
    c = cast("lobby")
    if participant == "fac":
        participant = make_room().join("Zed").id  # someone of another room
    refused(c.room, c.fac, "kick", {"participant": participant}, "not_found")


def test_kick_someone_already_gone_is_not_found(cast):
    c = cast("lobby", fresh=True)
    c.dee.ok("leave_room")
    refused(c.room, c.fac, "kick", {"participant": c.dee.id}, "not_found")


# -- invalid input ------------------------------------------------------------------------------------
VALID = {
    "join_room": ("outsider", "lobby", lambda c: {"room": c.room.code, "name": "Eve"}),
    "rejoin": ("outsider", "lobby", lambda c: {"room": c.room.code, "token": c.ann.token}),
    "host_room": ("outsider", "lobby", lambda c: {"room": c.room.code, "facilitator_token": c.room.token}),
    "sync": ("cas", "lobby", lambda c: {}),
    "start_round": ("fac", "lobby", lambda c: {"card": "sofa", "customer": c.ann.id, "agent": c.bob.id}),
    "begin_roleplay": ("fac", "briefing", lambda c: {}),
    "pause_round": ("fac", "roleplay", lambda c: {}),
    "resume_round": ("fac", "paused", lambda c: {}),
    "call_timeout": ("cas", "roleplay", lambda c: {"reason": "stop"}),
    "end_roleplay": ("fac", "roleplay", lambda c: {}),
    "reveal_results": ("fac", "scoring", lambda c: {}),
    "mark_step": ("cas", "roleplay", lambda c: {"id": "m1", "step": "listen", "rating": 2}),
    "correct_mark": ("cas", "roleplay", lambda c: {"id": "c1", "mark": "m1", "rating": 3}),
    "set_temperature": ("ann", "roleplay", lambda c: {"id": "t1", "level": 5}),
    "score_step": ("cas", "scoring", lambda c: {"step": "listen", "rating": 2}),
    "rate_global": ("cas", "scoring", lambda c: {"rating": 3}),
    "reflect": ("ann", "scoring", lambda c: {"feeling": 3}),
    "kick": ("fac", "lobby", lambda c: {"participant": c.dee.id}),
    "lock_room": ("fac", "lobby", lambda c: {"locked": True}),
    "set_options": ("fac", "lobby", lambda c: {"name_timeouts": True}),
    "close_room": ("fac", "lobby", lambda c: {}),
    "leave_room": ("dee", "lobby", lambda c: {}),
    "knock": ("outsider", "lobby", lambda c: {"room": c.room.code, "name": "Eve"}),
    "claim_request": ("outsider", "lobby", lambda c: {"room": c.room.code, "request": "r0123456789abcdef", "token": "x"}),
    "cancel_request": ("outsider", "lobby", lambda c: {"room": c.room.code, "request": "r0123456789abcdef", "token": "x"}),
    "answer_request": ("fac", "lobby", lambda c: {"request": "r0123456789abcdef", "admit": True}),
    "rejoin_with_code": ("outsider", "lobby", lambda c: {"room": c.room.code, "code": "ABCD-EFGH"}),
    "renew_rejoin_code": ("cas", "lobby", lambda c: {}),
}


def test_every_client_event_is_covered():
    from calmroom.protocol.events import CLIENT_EVENTS

    assert set(VALID) == set(CLIENT_EVENTS)


@PRE_DB
@pytest.mark.parametrize("event", sorted(VALID))
def test_unknown_field_is_invalid(cast, event):
    who, phase, payload = VALID[event]
    c = cast(phase)
    refused(c.room, c.who(who), event, {**payload(c), "colour": "blue"}, "invalid", "colour")


@PRE_DB
@pytest.mark.parametrize("event", sorted(VALID))
def test_payload_that_is_not_an_object_is_invalid(cast, event):
    who, phase, _ = VALID[event]
    c = cast(phase)
    refused(c.room, c.who(who), event, ["not", "an", "object"], "invalid")
    refused(c.room, c.who(who), event, "text", "invalid")


@PRE_DB
def test_two_payloads_are_invalid(cast):
    c = cast("roleplay")
    refused(c.room, c.cas, "mark_step", None, "invalid", raw=({"id": "a", "step": "listen", "rating": 1}, {"id": "b"}))


def _bad(event, phase, who, payload, field, id_=None):
    return pytest.param(event, phase, who, payload, field, id=id_ or f"{event}-{field}")


BAD_INPUT = [
    # missing required fields
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code}, "name", "join_room-missing-name"),
    _bad("join_room", "lobby", "outsider", lambda c: {"name": "Eve"}, "room", "join_room-missing-room"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"step": "listen", "rating": 1}, "id", "mark_step-missing-id"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen"}, "rating", "mark_step-missing-rating"),
    _bad("reflect", "scoring", "ann", lambda c: {"felt_heard": 3}, "feeling", "reflect-missing-feeling"),
    _bad("lock_room", "lobby", "fac", lambda c: {}, "locked", "lock_room-missing-locked"),
    _bad("kick", "lobby", "fac", lambda c: {}, "participant", "kick-missing-participant"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "listen"}, "rating", "score_step-missing-rating"),
    # wrong types
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": 42}, "name", "join_room-name-number"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": 123456, "name": "Eve"}, "room", "join_room-room-number"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": "AB", "name": "Eve"}, "room", "join_room-room-short"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": "ABCDE0", "name": "Eve"}, "room", "join_room-room-ambiguous"),
    _bad("rejoin", "lobby", "outsider", lambda c: {"room": c.room.code, "token": None}, "token", "rejoin-token-null"),
    _bad("host_room", "lobby", "outsider", lambda c: {"room": c.room.code, "facilitator_token": ["x"]}, "facilitator_token", "host_room-token-list"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": "2"}, "rating", "mark_step-rating-string"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": 2.0}, "rating", "mark_step-rating-float"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": True}, "rating", "mark_step-rating-bool"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": 7, "step": "listen", "rating": 1}, "id", "mark_step-id-number"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "no spaces!", "step": "listen", "rating": 1}, "id", "mark_step-id-chars"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": 3, "rating": 1}, "step", "mark_step-step-number"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": 1, "note": 5}, "note", "mark_step-note-number"),
    _bad("set_temperature", "roleplay", "ann", lambda c: {"id": "t", "level": "5"}, "level", "set_temperature-level-string"),
    _bad("set_temperature", "roleplay", "ann", lambda c: {"id": "t", "level": 5.5}, "level", "set_temperature-level-float"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "listen", "rating": "n/a"}, "rating", "score_step-rating-string"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "listen", "rating": 1, "comment": []}, "comment", "score_step-comment-list"),
    _bad("rate_global", "scoring", "cas", lambda c: {"rating": 4.5}, "rating", "rate_global-rating-float"),
    _bad("rate_global", "scoring", "cas", lambda c: {"rating": None}, "rating", "rate_global-rating-null"),
    _bad("reflect", "scoring", "ann", lambda c: {"feeling": "good"}, "feeling", "reflect-feeling-string"),
    _bad("reflect", "scoring", "ann", lambda c: {"feeling": 3, "went_well": 1}, "went_well", "reflect-went_well-number"),
    _bad("lock_room", "lobby", "fac", lambda c: {"locked": "yes"}, "locked", "lock_room-locked-string"),
    _bad("lock_room", "lobby", "fac", lambda c: {"locked": 1}, "locked", "lock_room-locked-number"),
    _bad("kick", "lobby", "fac", lambda c: {"participant": 5}, "participant", "kick-participant-number"),
    _bad("call_timeout", "roleplay", "cas", lambda c: {"reason": 5}, "reason", "call_timeout-reason-number"),
    _bad("start_round", "lobby", "fac", lambda c: {"duration_s": "300"}, "duration_s", "start_round-duration-string"),
    _bad("start_round", "lobby", "fac", lambda c: {"card": 1}, "card", "start_round-card-number"),
    # out of range: the deck's scale is 0-3
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": 4}, "rating", "mark_step-rating-4"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": -1}, "rating", "mark_step-rating--1"),
    _bad("mark_step", "roleplay", "fac", lambda c: {"id": "m", "step": "listen", "rating": 5}, "rating", "mark_step-fac-rating-5"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "listen", "rating": 4}, "rating", "score_step-rating-4"),
    _bad("score_step", "scoring", "fac", lambda c: {"step": "listen", "rating": -1}, "rating", "score_step-rating--1"),
    _bad("set_temperature", "roleplay", "ann", lambda c: {"id": "t", "level": 11}, "level", "set_temperature-level-11"),
    _bad("set_temperature", "roleplay", "ann", lambda c: {"id": "t", "level": -1}, "level", "set_temperature-level--1"),
    _bad("rate_global", "scoring", "cas", lambda c: {"rating": 0}, "rating", "rate_global-rating-0"),
    _bad("rate_global", "scoring", "cas", lambda c: {"rating": 6}, "rating", "rate_global-rating-6"),
    _bad("reflect", "scoring", "ann", lambda c: {"feeling": 0}, "feeling", "reflect-feeling-0"),
    _bad("reflect", "scoring", "ann", lambda c: {"feeling": 6}, "feeling", "reflect-feeling-6"),
    _bad("reflect", "scoring", "ann", lambda c: {"feeling": 3, "felt_heard": 6}, "felt_heard", "reflect-felt_heard-6"),
    _bad("reflect", "scoring", "ann", lambda c: {"feeling": 3, "felt_heard": 0}, "felt_heard", "reflect-felt_heard-0"),
    _bad("start_round", "lobby", "fac", lambda c: {"duration_s": 5}, "duration_s", "start_round-duration-5"),
    _bad("start_round", "lobby", "fac", lambda c: {"duration_s": 99999}, "duration_s", "start_round-duration-99999"),
    # felt_heard is the customer's question
    _bad("reflect", "scoring", "bob", lambda c: {"feeling": 3, "felt_heard": 4}, "felt_heard", "reflect-agent-felt_heard"),
    # steps: unknown, or not on this card (sofa scores listen and empathy only)
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "shout", "rating": 1}, "step", "mark_step-unknown-step"),
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "stay_calm", "rating": 1}, "step", "mark_step-step-not-on-card"),
    _bad("mark_step", "paused", "fac", lambda c: {"id": "m", "step": "stay_calm", "rating": 1}, "step", "mark_step-fac-step-not-on-card"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "shout", "rating": 1}, "step", "score_step-unknown-step"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "stay_calm", "rating": 1}, "step", "score_step-step-not-on-card"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "stay_calm", "rating": None}, "step", "score_step-na-step-not-on-card"),
    # names
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "N" * 41}, "name", "name-too-long"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": ""}, "name", "name-empty"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "   "}, "name", "name-blank"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "Ann"}, "name", "name-duplicate"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "ann"}, "name", "name-duplicate-lower"),
    _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "  BOB "}, "name", "name-duplicate-upper-padded"),
    # notes and comments: at most 500 characters
    _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": 1, "note": "n" * 501}, "note", "note-501"),
    _bad("mark_step", "roleplay", "fac", lambda c: {"id": "m", "step": "listen", "rating": 1, "note": "é" * 501}, "note", "note-501-accents"),
    _bad("score_step", "scoring", "cas", lambda c: {"step": "listen", "rating": 1, "comment": "c" * 501}, "comment", "comment-501"),
    _bad("reflect", "scoring", "ann", lambda c: {"feeling": 3, "went_well": "w" * 501}, "went_well", "went_well-501"),
    _bad("reflect", "review", "bob", lambda c: {"feeling": 3, "do_differently": "d" * 501}, "do_differently", "do_differently-501"),
    # start_round: card and roles must exist
    _bad("start_round", "lobby", "fac", lambda c: {"card": "no-such-card"}, "card", "start_round-unknown-card"),
    _bad("start_round", "lobby", "fac", lambda c: {"customer": "0123456789abcdef"}, "customer", "start_round-unknown-customer"),
    _bad("start_round", "lobby", "fac", lambda c: {"agent": "0123456789abcdef"}, "agent", "start_round-unknown-agent"),
    _bad("start_round", "lobby", "fac", lambda c: {"customer": c.ann.id, "agent": c.ann.id}, "agent", "start_round-same-person"),
]


# refused by the room's rules (the deck, the card, the people in the room)
# rather than by the payload's schema: these run on every back end
BY_THE_RULES = {
    "mark_step-rating-4", "mark_step-rating--1", "mark_step-fac-rating-5", "score_step-rating-4",
    "score_step-rating--1", "reflect-agent-felt_heard", "mark_step-unknown-step", "mark_step-step-not-on-card",
    "mark_step-fac-step-not-on-card", "score_step-unknown-step", "score_step-step-not-on-card",
    "score_step-na-step-not-on-card", "name-duplicate", "name-duplicate-lower", "name-duplicate-upper-padded",
    "start_round-unknown-card", "start_round-unknown-customer", "start_round-unknown-agent", "start_round-same-person",
}
assert BY_THE_RULES <= {p.id for p in BAD_INPUT}


@pytest.mark.parametrize("event,phase,who,payload,field", [p for p in BAD_INPUT if p.id in BY_THE_RULES])
def test_bad_input_is_invalid(cast, event, phase, who, payload, field):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "invalid", field)


@PRE_DB
@pytest.mark.parametrize("event,phase,who,payload,field", [p for p in BAD_INPUT if p.id not in BY_THE_RULES])
def test_malformed_input_is_invalid(cast, event, phase, who, payload, field):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "invalid", field)


@pytest.mark.parametrize("role", ["customer", "agent"])
def test_start_round_with_someone_who_left_is_invalid(cast, role):
    c = cast("review", fresh=True)
    eve = c.room.join("Eve")
    eve.ok("leave_room")
    c.room.people.pop("Eve")
    refused(c.room, c.fac, "start_round", {role: eve.id}, "invalid", role)


def test_a_mark_at_the_note_limit_is_accepted(cast):
    """The other side of `note-501`: 500 characters are fine."""
    c = cast("roleplay", fresh=True)
    ack = c.cas.ok("mark_step", {"id": "m", "step": "listen", "rating": 1, "note": "n" * 500})
    assert len(ack["mark"]["note"]) == 500


# -- too large ----------------------------------------------------------------------------------------
@PRE_DB
@pytest.mark.parametrize(
    "event,phase,who,payload",
    [
        ("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": 1, "note": "x" * 20_000}),
        ("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "x" * 20_000}),
        ("sync", "lobby", "cas", lambda c: {"padding": "x" * 20_000}),
        ("reflect", "scoring", "ann", lambda c: {"feeling": 3, "went_well": "ü" * 9_000}),
    ],
    ids=["mark_step-note", "join_room-name", "sync-padding", "reflect-text"],
)
def test_payload_over_the_size_limit_is_too_large(cast, event, phase, who, payload):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "too_large")


# -- rate limit ----------------------------------------------------------------------------------------
@pytest.fixture
def limited(tmp_path, data_dir):
    cfg = calmroom_config.TestConfig(
        database_url=f"sqlite:///{tmp_path / 'limited.db'}", async_mode="threading", rate_limit="5/minute"
    )
    app, io_ = create_app(cfg)
    http = app.test_client()
    from calmroom.services.trainers import TrainerKeys

    trainer = TrainerKeys(app.extensions["calmroom"].sessions).make_new()
    res = http.post("/api/decks", data=(data_dir / "minimal-deck.yaml").read_bytes(), content_type="application/yaml",
                    headers={"Authorization": f"Bearer {trainer}"})
    assert res.status_code in (200, 201)
    yield app, io_, http
    app.extensions["calmroom"].engine.dispose()


def _ack(client, event, payload):
    return client.emit(event, payload, callback=True)


def test_rate_limit(limited):
    app, io_, http = limited
    made = http.post("/api/rooms", json={"deck": "test-deck"}).get_json()
    code = made["code"]
    fac = io_.test_client(app)
    assert _ack(fac, "host_room", {"room": code, "facilitator_token": made["facilitator_token"]})["ok"]
    ann, bob = io_.test_client(app), io_.test_client(app)
    a = _ack(ann, "join_room", {"room": code, "name": "Ann"})
    b = _ack(bob, "join_room", {"room": code, "name": "Bob"})
    assert a["ok"] and b["ok"]
    for _ in range(4):  # with the join: five events this minute
        assert _ack(ann, "sync", {})["ok"]
    version = _ack(bob, "sync", {})["state"]["version"]
    for cl in (fac, ann, bob):
        cl.get_received()
    ack = _ack(ann, "leave_room", {})
    assert ack["ok"] is False and ack["error"]["code"] == "rate_limited"
    ack = _ack(ann, "sync", {})
    assert ack["ok"] is False and ack["error"]["code"] == "rate_limited"
    # nothing changed, nobody heard anything, the connection stays up
    for cl in (fac, ann, bob):
        assert cl.is_connected()
        assert cl.get_received() == []
    state = _ack(bob, "sync", {})["state"]
    assert state["version"] == version
    assert [p["name"] for p in state["participants"]] == ["Ann", "Bob"]
    # the limit is per connection: Ann's other tab is not limited
    tab = io_.test_client(app)
    again = _ack(tab, "rejoin", {"room": code, "token": a["token"]})
    assert again["ok"] and again["you"]["id"] == a["you"]["id"]


def test_rate_limit_malformed_events_count_too(limited):
    app, io_, http = limited
    made = http.post("/api/rooms", json={"deck": "test-deck"}).get_json()
    cl = io_.test_client(app)
    for _ in range(5):
        ack = _ack(cl, "join_room", {"bogus": True})
        assert ack["error"]["code"] == "invalid"
    ack = _ack(cl, "join_room", {"room": made["code"], "name": "Ann"})
    assert ack["ok"] is False and ack["error"]["code"] == "rate_limited"
    assert http.get(f"/api/rooms/{made['code']}").get_json()["participant_count"] == 0


# -- malformed input never hurts anyone else -----------------------------------------------------------
def test_garbage_does_not_disconnect_anyone(cast):
    c = cast("roleplay", fresh=True)
    room = c.room
    for payload in (None, 0, 1.5, True, "x", [], [{}], {"id": {"nested": ["deep"]}}, {"": 1}):
        for event in ("mark_step", "join_room", "sync", "set_temperature", "start_round"):
            ack = c.cas.call(event, payload)
            assert isinstance(ack, dict)
            if ack["ok"]:  # sync with no payload, or None read as {}
                assert event == "sync"
            else:
                assert ack["error"]["code"] in ("invalid", "conflict", "forbidden"), (event, payload, ack)
    for m in room.everyone():
        assert m.client.is_connected()
    assert sync(c.fac)["phase"] == "roleplay"
    assert c.cas.ok("mark_step", {"id": "after", "step": "listen", "rating": 1})["mark"]["id"] == "after"


def test_unknown_event_is_harmless(cast):
    c = cast("roleplay")
    before = sync(c.fac)
    c.cas.client.emit("make_me_facilitator", {"room": c.room.code})
    c.cas.pump()
    assert c.cas.client.is_connected()
    assert sync(c.fac) == before
