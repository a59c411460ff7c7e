"""Each kind of refusal of PROTOCOL.md through real sockets: the right error
code (and the field, where the input is at fault) and, always, nothing
changed: the room's version and its whole state are as before, and nobody
received anything. Which event is refused when, for whom, with which input,
is tested without sockets (see "The matrices" below).

One app per database back end serves the module. Since a refusal changes
nothing (which every test asserts), tests share one room per phase; a room
that changed anyway is built afresh. The service's clock is frozen so that a
room's state can be compared as a whole."""
from __future__ import annotations

from typing import Any

import pytest

from calmroom import config as calmroom_config
from calmroom.app import create_app
from helpers.databases import shared_app

from calmroom.protocol.events import CODE_ALPHABET

T0 = 1_700_000_000_000

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


# The matrices this file once ran over real clients (every event in every
# wrong phase, every participant sending every facilitator command, every
# event with an unknown field, ...) are pure tests now, against the rules
# that decide them: tests/unit/test_domain_permissions.py (sender, phase and
# round role together), test_domain_phases.py, test_domain_entries.py,
# test_domain_membership.py, test_domain_planning.py, and
# tests/unit/test_protocol_events.py (every client event's schema). Here each
# kind of refusal keeps a row for each way through the code that decides it:
# the gateway, a schema, a service, a domain rule on one service or another.

def _row(*values):
    """A row named by its words (event, phase, who, field)."""
    return pytest.param(*values, id="-".join(v for v in values if isinstance(v, str)))


# -- wrong phase => conflict -----------------------------------------------------------------
@pytest.mark.parametrize(
    "event,phase,who,payload,field",
    [
        # a clock command of the facilitator (services/rounds.py, phases.next_phase) before planning the round
        _row("start_round", "briefing", "fac", lambda c: {"card": "parcel", "customer": c.cas.id, "agent": c.dee.id}, None),
        # a participant's clock command
        _row("call_timeout", "paused", "cas", lambda c: {"reason": "please stop"}, None),
        # the live path (services/scoring.py, phases.require_phase): before a round, and after the role-play
        _row("mark_step", "lobby", "cas", lambda c: {"id": "m1", "step": "listen", "rating": 2}, None),
        _row("mark_step", "scoring", "fac", lambda c: {"id": "late", "step": "listen", "rating": 1}, None),
        # a correction names its field (services/corrections.py)
        _row("correct_mark", "scoring", "cas", lambda c: {"id": "c1", "mark": "m1", "undo": True}, "mark"),
        # a closed room (membership.lock in services/rooms.py, phases.require_open in services/options.py)
        _row("lock_room", "closed", "fac", lambda c: {"locked": True}, None),
        _row("set_options", "closed", "fac", lambda c: {"anonymous": True}, None),
    ],
)
def test_wrong_phase_is_conflict(cast, event, phase, who, payload, field):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "conflict", field)


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
    """The gateway's own refusal (sockets/handlers.py): no rule behind it."""
    c = cast("lobby")
    refused(c.room, c.ann, "join_room", {"room": c.room.code, "name": "Another Ann"}, "conflict")
    refused(c.room, c.ann, "rejoin", {"room": c.room.code, "token": c.bob.token}, "conflict")
    refused(c.room, c.fac, "join_room", {"room": c.room.code, "name": "Facilitator"}, "conflict")


# -- wrong role => forbidden ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "who,event,phase,payload",
    [
        # the sender alone (permissions.require_sender), on each service
        _row("cas", "start_round", "lobby", lambda c: {}),
        _row("bob", "kick", "roleplay", lambda c: {"participant": c.dee.id}),
        _row("cas", "set_options", "lobby", lambda c: {"anonymous": True}),
        _row("fac", "call_timeout", "roleplay", lambda c: {"reason": "stop"}),
        # ... before the phase: the facilitator and the meter after the role-play
        _row("fac", "set_temperature", "scoring", lambda c: {"id": "t", "level": 2}),
        # the round role, on the live path (entries.py)
        _row("bob", "mark_step", "roleplay", lambda c: {"id": "m", "step": "listen", "rating": 2}),
        _row("cas", "set_temperature", "roleplay", lambda c: {"id": "t", "level": 2}),
        _row("dee", "reflect", "review", lambda c: {"feeling": 3}),
    ],
)
def test_wrong_sender_is_forbidden(cast, who, event, phase, payload):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "forbidden")


# -- before joining => unauthorized -----------------------------------------------------------------
UNJOINED_PAYLOADS = {
    "sync": {},
    "mark_step": {"id": "m", "step": "listen", "rating": 1},
    "call_timeout": {},
    "kick": {"participant": "0123456789abcdef"},
}


@PRE_DB
@pytest.mark.parametrize("event", ["sync", "mark_step", "kick"])
def test_before_joining_is_unauthorized(cast, event):
    """The gateway's refusal of every member event (sockets/handlers.py);
    which events those are: test_domain_permissions.py."""
    c = cast("roleplay")
    refused(c.room, c.outsider, event, UNJOINED_PAYLOADS[event], "unauthorized")


def test_after_leaving_is_unauthorized(cast):
    c = cast("roleplay", fresh=True)
    c.dee.ok("leave_room")
    # the socket that left is nobody to the gateway any more; a removed
    # member's socket still open is refused by the services (the kick below)
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


@pytest.mark.parametrize("event", ["join_room", "rejoin"])  # store/seating.py; ServiceBase._locked
def test_unknown_room_is_not_found(cast, http, event):
    c = cast("lobby")
    code = fresh_code(http)
    payload = {
        "join_room": {"room": code, "name": "Eve"},
        "rejoin": {"room": code, "token": c.ann.token},
    }[event]
    refused(c.room, c.outsider, event, payload, "not_found")


def test_kick_someone_of_another_room_is_not_found(cast, make_room):
    c = cast("lobby")
    refused(c.room, c.fac, "kick", {"participant": make_room().join("Zed").id}, "not_found")


# -- invalid input ------------------------------------------------------------------------------------
@PRE_DB
@pytest.mark.parametrize(
    "event,phase,who,payload",
    [
        ("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "Eve"}),
        ("mark_step", "roleplay", "cas", lambda c: {"id": "m1", "step": "listen", "rating": 2}),
    ],
    ids=["join_room", "mark_step"],
)
def test_unknown_field_is_invalid(cast, event, phase, who, payload):
    c = cast(phase)
    refused(c.room, c.who(who), event, {**payload(c), "colour": "blue"}, "invalid", "colour")


@PRE_DB
@pytest.mark.parametrize("event,phase,who", [("rejoin", "lobby", "outsider"), ("sync", "lobby", "cas")])
def test_payload_that_is_not_an_object_is_invalid(cast, event, phase, who):
    c = cast(phase)
    refused(c.room, c.who(who), event, ["not", "an", "object"], "invalid")
    refused(c.room, c.who(who), event, "text", "invalid")


@PRE_DB
def test_two_payloads_are_invalid(cast):
    c = cast("roleplay")
    refused(c.room, c.cas, "mark_step", None, "invalid", raw=({"id": "a", "step": "listen", "rating": 1}, {"id": "b"}))


def _bad(event, phase, who, payload, field, id_):
    return pytest.param(event, phase, who, payload, field, id=id_)


# refused by the room's rules (the deck, the card, the people in the room),
# each on the way through its service: these run on every back end
@pytest.mark.parametrize(
    "event,phase,who,payload,field",
    [
        _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": 4}, "rating", "mark_step-rating-4"),
        _bad("score_step", "scoring", "cas", lambda c: {"step": "stay_calm", "rating": 1}, "step", "score_step-step-not-on-card"),
        _bad("reflect", "scoring", "bob", lambda c: {"feeling": 3, "felt_heard": 4}, "felt_heard", "reflect-agent-felt_heard"),
        _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "  BOB "}, "name", "name-duplicate-upper-padded"),
        _bad("start_round", "lobby", "fac", lambda c: {"customer": "0123456789abcdef"}, "customer", "start_round-unknown-customer"),
    ],
)
def test_bad_input_is_invalid(cast, event, phase, who, payload, field):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "invalid", field)


# refused by the event's schema, before the room is read
@PRE_DB
@pytest.mark.parametrize(
    "event,phase,who,payload,field",
    [
        _bad("join_room", "lobby", "outsider", lambda c: {"room": c.room.code}, "name", "join_room-missing-name"),
        _bad("mark_step", "roleplay", "cas", lambda c: {"id": "m", "step": "listen", "rating": "2"}, "rating", "mark_step-rating-string"),
        _bad("reflect", "scoring", "ann", lambda c: {"feeling": 3, "went_well": "w" * 501}, "went_well", "went_well-501"),
    ],
)
def test_malformed_input_is_invalid(cast, event, phase, who, payload, field):
    c = cast(phase)
    refused(c.room, c.who(who), event, payload(c), "invalid", field)


def test_start_round_with_someone_who_left_is_invalid(cast):
    """Who may be given a role is who the store counts as in the room."""
    c = cast("review", fresh=True)
    eve = c.room.join("Eve")
    eve.ok("leave_room")
    c.room.people.pop("Eve")
    refused(c.room, c.fac, "start_round", {"customer": eve.id}, "invalid", "customer")


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
        ("join_room", "lobby", "outsider", lambda c: {"room": c.room.code, "name": "x" * 20_000}),
        ("reflect", "scoring", "ann", lambda c: {"feeling": 3, "went_well": "ü" * 9_000}),
    ],
    ids=["join_room-name", "reflect-text"],
)
def test_payload_over_the_size_limit_is_too_large(cast, event, phase, who, payload):
    """The gateway's size check (sockets/handlers.py), before the schema."""
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
