"""Every client event of PROTOCOL.md succeeding, with the effects a user
notices: phase, version, roles, clock, what lands in everyone's state; and the
HTTP routes.

One app per database back end serves the whole module; every test makes its own
room, so tests stay independent and the module stays fast."""
from __future__ import annotations

import csv
import io
import json
import time

import pytest
from sqlalchemy import select

from helpers.databases import shared_app

from calmroom.store import models

T0 = 1_700_000_000_000  # fake wall clock, in ms


# -- fixtures and helpers ------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app_and_io(request, tmp_path_factory):
    """One app per back end for the whole module (see conftest.shared_app)."""
    yield from shared_app(request, tmp_path_factory, "events")


class FakeClock:
    def __init__(self, t: int = T0):
        self.t = t

    def __call__(self) -> int:
        return self.t

    def advance(self, ms: int) -> None:
        self.t += ms


@pytest.fixture
def clock(app, monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(app.extensions["calmroom"].rooms, "now_ms", fake)
    return fake


def sync(member) -> dict:
    return member.ok("sync")["state"]


def version(member) -> int:
    return sync(member)["version"]


def hang_up(room, member):
    """Close a member's socket (a closed tab, a lost network) and stop
    listening on it."""
    member.client.disconnect()
    for name, m in list(room.people.items()):
        if m is member:
            del room.people[name]


def people(room, *names):
    return [room.join(n) for n in names]


def four(room):
    """Ann, Bob, Cas, Dee in the lobby."""
    return people(room, "Ann", "Bob", "Cas", "Dee")


def start(room, customer, agent, card="sofa", **extra):
    return room.facilitator.ok("start_round", {"card": card, "customer": customer.id, "agent": agent.id, **extra})


def round_in(room, phase: str):
    """Four people, a round of `sofa` with Ann as customer and Bob as agent,
    brought to `phase`."""
    ann, bob, cas, dee = four(room)
    fac = room.facilitator
    start(room, ann, bob)
    steps = {
        "briefing": [],
        "roleplay": ["begin_roleplay"],
        "paused": ["begin_roleplay", "pause_round"],
        "scoring": ["begin_roleplay", "end_roleplay"],
        "review": ["begin_roleplay", "end_roleplay", "reveal_results"],
    }[phase]
    for ev in steps:
        fac.ok(ev)
    room.clear()
    return ann, bob, cas, dee


def play_round(fac, payload=None):
    """Start a round and run it to review; returns the facilitator's state in review."""
    ack = fac.ok("start_round", payload or {})
    fac.ok("begin_roleplay")
    fac.ok("end_roleplay")
    fac.ok("reveal_results")
    state = sync(fac)
    assert state["round"]["id"] == ack["round"]["id"]
    return state


def by_id(state, pid):
    return next((p for p in state["participants"] if p["id"] == pid), None)


def assert_everyone_got_state(room, version_: int, phase: str | None = None):
    for m in room.everyone():
        states = m.events("state")
        assert states, f"{m.name} got no state"
        assert states[-1]["version"] == version_, (m.name, states[-1]["version"], version_)
        if phase is not None:
            assert states[-1]["phase"] == phase, m.name


# -- join_room -------------------------------------------------------------------
def test_join_room_gives_token_identity_and_state(make_room):
    room = make_room()
    fac = room.facilitator
    v0 = version(fac)
    ann = room.connect("Ann")
    ack = ann.ok("join_room", {"room": room.code, "name": "Ann"})
    assert isinstance(ack["token"], str) and len(ack["token"]) >= 20
    assert ack["you"]["name"] == "Ann" and ack["you"]["id"]
    state = ack["state"]
    assert state["phase"] == "lobby"
    assert state["code"] == room.code
    assert state["title"] == "Workshop"
    assert state["deck"]["id"] == "test-deck"
    assert state["deck"]["scale"]["min"] == 0 and state["deck"]["scale"]["max"] == 3
    assert [s["key"] for s in state["deck"]["steps"]] == ["listen", "empathy", "stay_calm"]
    assert state["version"] == v0 + 1
    me = by_id(state, ack["you"]["id"])
    assert me == {"id": ack["you"]["id"], "name": "Ann", "connected": True, "role": None}
    # the facilitator sees Ann arrive: a delta, not a whole state
    assert fac.events("participant_joined")[-1]["participant"] == me
    assert fac.events("state") == []
    fac_state = fac.view()
    assert fac_state["version"] == v0 + 1
    assert by_id(fac_state, ack["you"]["id"])["name"] == "Ann"


def test_join_room_others_see_the_newcomer(make_room):
    room = make_room()
    ann = room.join("Ann")
    room.clear()
    bob = room.join("Bob")
    v = version(room.facilitator)
    for m in (room.facilitator, ann):
        assert m.events("state") == [], m.name  # no whole state to everyone for one join
        st = m.view()
        assert st["version"] == v
        assert [p["name"] for p in st["participants"]] == ["Ann", "Bob"]
        assert by_id(st, bob.id)["connected"] is True


def test_join_room_trims_the_name_and_accepts_lower_case_code(make_room):
    room = make_room()
    m = room.connect("x")
    ack = m.ok("join_room", {"room": room.code.lower(), "name": "   Eve  "})
    assert ack["you"]["name"] == "Eve"
    assert ack["state"]["code"] == room.code


def test_join_room_accepts_a_forty_character_name(make_room):
    room = make_room()
    m = room.connect("long")
    name = "N" * 40
    ack = m.ok("join_room", {"room": room.code, "name": name})
    assert ack["you"]["name"] == name


def test_join_room_during_a_round_makes_an_observer(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    eve = room.connect("Eve")
    ack = eve.ok("join_room", {"room": room.code, "name": "Eve"})
    assert ack["state"]["phase"] == "roleplay"
    assert ack["state"]["you"]["role"] == "observer"
    assert by_id(ack["state"], ack["you"]["id"])["role"] == "observer"


# -- rejoin ------------------------------------------------------------------------
def test_rejoin_after_reconnect_keeps_identity_and_presence(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    hang_up(room, ann)
    assert by_id(bob.view(), ann.id)["connected"] is False
    room.clear()
    v0 = version(room.facilitator)
    again = room.connect("Ann again")
    ack = again.ok("rejoin", {"room": room.code, "token": ann.token})
    assert ack["you"] == {"id": ann.id, "name": "Ann"}
    assert "token" not in ack
    assert ack["state"]["version"] == v0 + 1
    assert by_id(ack["state"], ann.id)["connected"] is True
    # the others see Ann back
    assert bob.events("presence_changed")[-1] == {"version": v0 + 1, "prev": v0, "participant": ann.id, "connected": True}
    assert by_id(bob.view(), ann.id)["connected"] is True
    assert by_id(room.facilitator.view(), ann.id)["connected"] is True
    # still one Ann in the room
    assert [p["name"] for p in sync(room.facilitator)["participants"]] == ["Ann", "Bob"]


def test_rejoin_keeps_the_role_in_the_round(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    hang_up(room, ann)
    hang_up(room, bob)
    ann2, bob2 = room.connect("Ann2"), room.connect("Bob2")
    a = ann2.ok("rejoin", {"room": room.code, "token": ann.token})
    b = bob2.ok("rejoin", {"room": room.code, "token": bob.token})
    assert a["state"]["you"]["role"] == "customer"
    assert b["state"]["you"]["role"] == "agent"
    assert a["state"]["round"]["customer"] == ann.id
    assert a["state"]["round"]["agent"] == bob.id
    # the customer still holds the customer's brief, and can still act as one
    assert "customer" in a["state"]["round"]["card"]
    assert "agent" in b["state"]["round"]["card"]
    ack = ann2.ok("set_temperature", {"id": "after-rejoin", "level": 3})
    assert ack["level"] == 3


def test_rejoin_in_a_second_tab_keeps_the_same_person(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    tab = room.connect("Ann tab")
    ack = tab.ok("rejoin", {"room": room.code, "token": ann.token})
    assert ack["you"]["id"] == ann.id
    # closing one tab leaves Ann connected through the other
    hang_up(room, tab)
    assert by_id(sync(bob), ann.id)["connected"] is True
    hang_up(room, ann)
    assert by_id(sync(bob), ann.id)["connected"] is False


def test_rejoin_works_in_a_locked_room(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    room.facilitator.ok("lock_room", {"locked": True})
    hang_up(room, ann)
    again = room.connect("Ann again")
    ack = again.ok("rejoin", {"room": room.code, "token": ann.token})
    assert ack["you"]["id"] == ann.id


# -- host_room and sync ----------------------------------------------------------------
def test_host_room_gives_the_facilitator_state_without_a_version_change(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    v0 = version(room.facilitator)
    second = room.connect("facilitator tab 2")
    ack = second.ok("host_room", {"room": room.code, "facilitator_token": room.token})
    assert ack["state"]["version"] == v0
    assert ack["state"]["phase"] == "lobby"
    assert "you" not in ack["state"]
    assert [p["name"] for p in ack["state"]["participants"]] == ["Ann", "Bob"]
    # the second facilitator socket now gets the room's states and can act
    start(room, ann, bob)
    assert second.last_state()["phase"] == "briefing"
    second.ok("begin_roleplay")
    assert room.facilitator.last_state()["phase"] == "roleplay"


def test_sync_returns_the_current_state_and_changes_nothing(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    v0 = version(room.facilitator)
    for m in room.everyone():
        st = sync(m)
        assert st["version"] == v0
        assert st["phase"] == "roleplay"
    assert sync(ann)["you"] == {"id": ann.id, "name": "Ann", "role": "customer"}
    assert sync(cas)["you"]["role"] == "observer"
    for m in room.everyone():
        assert m.events("state") == []
    assert version(room.facilitator) == v0


# -- start_round ----------------------------------------------------------------------
def test_start_round_with_card_and_roles(make_room):
    room = make_room()
    ann, bob, cas, dee = four(room)
    fac = room.facilitator
    v0 = version(fac)
    room.clear()
    ack = fac.ok("start_round", {"card": "parcel", "customer": cas.id, "agent": dee.id, "duration_s": 300})
    assert ack["round"]["number"] == 1 and ack["round"]["id"]
    assert_everyone_got_state(room, v0 + 1, "briefing")
    st = fac.last_state()
    rnd = st["round"]
    assert rnd["id"] == ack["round"]["id"]
    assert rnd["number"] == 1
    assert rnd["card"]["id"] == "parcel"
    assert rnd["card"]["title"] == "Lost parcel"
    assert rnd["card"]["setting"] == "Counter, post office"
    assert rnd["customer"] == cas.id and rnd["agent"] == dee.id
    assert rnd["clock"] == {"running": False, "elapsed_ms": 0, "duration_s": 300}
    assert "participants" not in st  # the members have them; the roles follow from the round
    roles = {p["name"]: p["role"] for p in fac.view()["participants"]}
    assert roles == {"Ann": "observer", "Bob": "observer", "Cas": "customer", "Dee": "agent"}
    assert roles == {p["name"]: p["role"] for p in sync(fac)["participants"]}
    assert cas.last_state()["you"]["role"] == "customer"
    assert dee.last_state()["you"]["role"] == "agent"
    assert "you" not in ann.last_state()  # the observers' one shared view
    assert ann.view()["you"]["role"] == "observer"


def test_start_round_card_lists_its_steps(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    start(room, ann, bob, card="sofa")
    assert sync(room.facilitator)["round"]["card"]["steps"] == ["listen", "empathy"]


def test_start_round_without_duration_has_no_time_limit(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    start(room, ann, bob)
    assert sync(room.facilitator)["round"]["clock"]["duration_s"] is None


def test_start_round_fixing_only_the_customer_picks_another_agent(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    room.facilitator.ok("start_round", {"customer": ann.id})
    rnd = sync(room.facilitator)["round"]
    assert rnd["customer"] == ann.id
    assert rnd["agent"] in (bob.id, cas.id)


def test_start_round_fixing_only_the_agent_picks_another_customer(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    room.facilitator.ok("start_round", {"agent": cas.id})
    rnd = sync(room.facilitator)["round"]
    assert rnd["agent"] == cas.id
    assert rnd["customer"] in (ann.id, bob.id)


def _agents_of(fac, rounds: int) -> list[tuple[str, str]]:
    out = []
    for _ in range(rounds):
        st = play_round(fac)
        out.append((st["round"]["customer"], st["round"]["agent"]))
    return out


def test_rotation_everyone_plays_agent_once_before_anyone_twice(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    pairs = _agents_of(room.facilitator, 6)
    agents = [a for _, a in pairs]
    assert sorted(agents[:3]) == sorted([ann.id, bob.id, cas.id])
    assert sorted(agents[3:]) == sorted([ann.id, bob.id, cas.id])
    for customer, agent in pairs:
        assert customer != agent
        assert customer in (ann.id, bob.id, cas.id)


def test_rotation_round_numbers_count_up(make_room):
    room = make_room()
    people(room, "Ann", "Bob")
    fac = room.facilitator
    numbers = []
    for _ in range(3):
        numbers.append(play_round(fac)["round"]["number"])
    assert numbers == [1, 2, 3]


def test_rotation_with_a_late_joiner(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    fac = room.facilitator
    first = [a for _, a in _agents_of(fac, 2)]
    dee = room.join("Dee")
    later = [a for _, a in _agents_of(fac, 2)]
    agents = first + later
    # four rounds, four different agents: the late joiner gets a turn before anyone's second
    assert sorted(agents) == sorted([ann.id, bob.id, cas.id, dee.id])
    fifth = _agents_of(fac, 1)[0][1]
    assert fifth in (ann.id, bob.id, cas.id, dee.id)


def test_rotation_skips_someone_who_left(make_room):
    room = make_room()
    ann, bob, cas, dee = four(room)
    fac = room.facilitator
    first = _agents_of(fac, 1)[0][1]
    leaver = next(m for m in (ann, bob, cas, dee) if m.id != first)
    leaver.ok("leave_room")
    stayers = [m.id for m in (ann, bob, cas, dee) if m is not leaver]
    pairs = _agents_of(fac, 5)
    agents = [first] + [a for _, a in pairs]
    assert leaver.id not in agents
    assert all(leaver.id not in pair for pair in pairs)
    # with the leaver gone, the three who stay each play agent once per three rounds
    assert sorted(agents[:3]) == sorted(stayers)
    assert sorted(agents[3:6]) == sorted(stayers)


def test_rotation_left_person_who_had_not_played_does_not_delay_the_others(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    fac = room.facilitator
    cas.ok("leave_room")
    agents = [a for _, a in _agents_of(fac, 4)]
    assert cas.id not in agents
    assert sorted(agents[:2]) == sorted([ann.id, bob.id])
    assert sorted(agents[2:]) == sorted([ann.id, bob.id])


def test_start_round_without_card_takes_the_next_unplayed_card(make_room):
    room = make_room()
    people(room, "Ann", "Bob")
    fac = room.facilitator
    cards = [play_round(fac)["round"]["card"]["id"] for _ in range(4)]
    assert cards[:2] == ["sofa", "parcel"]
    # when all have been played: the one played least, longest ago
    assert cards[2:] == ["sofa", "parcel"]


def test_start_round_without_card_after_a_named_card(make_room):
    room = make_room()
    people(room, "Ann", "Bob")
    fac = room.facilitator
    assert play_round(fac, {"card": "parcel"})["round"]["card"]["id"] == "parcel"
    assert play_round(fac)["round"]["card"]["id"] == "sofa"


def test_start_round_from_review_starts_a_fresh_round(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    fac = room.facilitator
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2})
    fac.ok("end_roleplay")
    fac.ok("reveal_results")
    room.clear()
    ack = fac.ok("start_round", {"card": "parcel", "customer": cas.id, "agent": dee.id})
    assert ack["round"]["number"] == 2
    st = fac.last_state()
    assert st["phase"] == "briefing"
    assert st["round"]["number"] == 2
    assert st["round"]["marks"] == []
    assert st["round"]["revealed"] is False
    assert cas.last_state()["you"]["role"] == "customer"
    assert ann.view()["you"]["role"] == "observer"


# -- the phases and the clock -------------------------------------------------------------
def test_begin_roleplay_starts_the_clock(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    v0 = version(fac)
    fac.ok("begin_roleplay")
    assert_everyone_got_state(room, v0 + 1, "roleplay")
    st = fac.last_state()
    assert st["round"]["clock"]["running"] is True
    assert st["round"]["clock"]["elapsed_ms"] == 0
    clock.advance(4_000)
    assert sync(fac)["round"]["clock"]["elapsed_ms"] == 4_000
    assert sync(cas)["round"]["clock"]["elapsed_ms"] == 4_000


def test_pause_and_resume_freeze_the_clock(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(5_000)
    v0 = version(fac)
    room.clear()
    fac.ok("pause_round")
    assert_everyone_got_state(room, v0 + 1, "paused")
    assert fac.last_state()["round"]["clock"] == {"running": False, "elapsed_ms": 5_000, "duration_s": None}
    clock.advance(60_000)  # a long pause
    assert sync(fac)["round"]["clock"]["elapsed_ms"] == 5_000
    assert sync(ann)["round"]["clock"]["elapsed_ms"] == 5_000
    room.clear()
    fac.ok("resume_round")
    assert_everyone_got_state(room, v0 + 2, "roleplay")
    assert fac.last_state()["round"]["clock"]["running"] is True
    assert fac.last_state()["round"]["clock"]["elapsed_ms"] == 5_000
    clock.advance(2_000)
    assert sync(fac)["round"]["clock"]["elapsed_ms"] == 7_000
    # a mark now is stamped with role-play time, the pause left out
    ack = cas.ok("mark_step", {"id": "after-pause", "step": "listen", "rating": 1})
    assert ack["mark"]["t_ms"] == 7_000


def test_several_pauses_add_up(make_room, clock):
    room = make_room()
    round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    for _ in range(3):
        clock.advance(1_000)
        fac.ok("pause_round")
        clock.advance(30_000)
        fac.ok("resume_round")
    clock.advance(500)
    assert sync(fac)["round"]["clock"]["elapsed_ms"] == 3_500


@pytest.mark.parametrize("who", ["customer", "agent", "observer"])
def test_call_timeout_by_any_participant_pauses_at_once(make_room, clock, who):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(3_000)
    caller = {"customer": ann, "agent": bob, "observer": cas}[who]
    v0 = version(fac)
    room.clear()
    caller.ok("call_timeout", {"reason": "I need a moment"})
    assert_everyone_got_state(room, v0 + 1, "paused")
    assert fac.last_state()["round"]["clock"]["running"] is False
    assert fac.last_state()["round"]["clock"]["elapsed_ms"] == 3_000
    # the whole room hears of it, facilitator included
    for m in room.everyone():
        notices = [n for n in m.events("notice") if n["kind"] == "timeout"]
        assert len(notices) == 1, m.name
        assert notices[0]["version"] == v0 + 1
        assert "I need a moment" in notices[0]["message"]
    assert caller.name in fac.events("notice")[-1]["message"]
    # the clock stays frozen; the facilitator can resume
    clock.advance(20_000)
    assert sync(fac)["round"]["clock"]["elapsed_ms"] == 3_000
    fac.ok("resume_round")
    assert sync(fac)["phase"] == "roleplay"


def test_call_timeout_needs_no_reason(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    bob.ok("call_timeout", {})
    st = sync(room.facilitator)
    assert st["phase"] == "paused"
    assert [n["kind"] for n in dee.events("notice")] == ["timeout"]
    assert st["round"]["timeouts"][0]["by"] == bob.id
    # and with no payload at all
    room2 = make_room()
    a2, b2, c2, d2 = round_in(room2, "roleplay")
    c2.ok("call_timeout")
    assert sync(room2.facilitator)["phase"] == "paused"


@pytest.mark.parametrize("from_phase", ["roleplay", "paused"])
def test_end_roleplay_moves_to_scoring_and_stops_the_clock(make_room, clock, from_phase):
    room = make_room()
    round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(8_000)
    if from_phase == "paused":
        fac.ok("pause_round")
        clock.advance(1_000)
    v0 = version(fac)
    room.clear()
    fac.ok("end_roleplay")
    assert_everyone_got_state(room, v0 + 1, "scoring")
    assert fac.last_state()["round"]["clock"] == {"running": False, "elapsed_ms": 8_000, "duration_s": None}
    clock.advance(10_000)
    assert sync(fac)["round"]["clock"]["elapsed_ms"] == 8_000


def test_reveal_results_moves_to_review(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "scoring")
    fac = room.facilitator
    v0 = version(fac)
    fac.ok("reveal_results")
    assert_everyone_got_state(room, v0 + 1, "review")
    for m in room.everyone():
        assert m.last_state()["round"]["revealed"] is True


def test_version_only_grows_through_a_round(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    fac = room.facilitator
    seen = [version(fac)]
    for ev, payload in [
        ("start_round", {"customer": ann.id, "agent": bob.id}),
        ("begin_roleplay", {}),
        ("pause_round", {}),
        ("resume_round", {}),
        ("end_roleplay", {}),
        ("reveal_results", {}),
        ("lock_room", {"locked": True}),
        ("close_room", {}),
    ]:
        fac.ok(ev, payload)
        seen.append(version(fac))
    assert seen == sorted(set(seen)), seen
    states = [s["version"] for s in ann.events("state")]
    assert states == sorted(states)


# -- mark_step ---------------------------------------------------------------------------
def test_mark_step_by_observer(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(12_345)
    v0 = version(fac)
    room.clear()
    ack = cas.ok("mark_step", {"id": "7b0c9a2e-1d2f-4c55-9a7e-3f1a2b3c4d5e", "step": "empathy", "rating": 3, "note": "named the anger"})
    mark = ack["mark"]
    assert {k: mark[k] for k in ("id", "step", "rating", "note", "t_ms")} == {
        "id": "7b0c9a2e-1d2f-4c55-9a7e-3f1a2b3c4d5e", "step": "empathy", "rating": 3, "note": "named the anger", "t_ms": 12_345,
    }
    assert version(fac) == v0 + 1
    live = fac.events("step_marked")
    assert len(live) == 1
    assert live[0]["version"] == v0 + 1
    assert live[0]["mark"]["id"] == ack["mark"]["id"]
    assert live[0]["mark"]["t_ms"] == 12_345
    # the facilitator's state holds it; the author sees it in its own state
    assert [m["id"] for m in sync(fac)["round"]["marks"]] == [ack["mark"]["id"]]
    assert [m["id"] for m in sync(cas)["round"]["marks"]] == [ack["mark"]["id"]]


def test_mark_step_t_ms_comes_from_the_server_clock(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    room.facilitator.ok("begin_roleplay")
    clock.advance(1_500)
    assert cas.ok("mark_step", {"id": "a", "step": "listen", "rating": 1})["mark"]["t_ms"] == 1_500
    clock.advance(2_000)
    assert dee.ok("mark_step", {"id": "b", "step": "listen", "rating": 2})["mark"]["t_ms"] == 3_500


def test_mark_step_same_id_twice_is_one_mark(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(1_000)
    payload = {"id": "retry-me", "step": "listen", "rating": 2, "note": "good"}
    first = cas.ok("mark_step", payload)
    v1 = version(fac)
    clock.advance(5_000)  # the retry arrives later; it is still the first mark
    room.clear()
    second = cas.ok("mark_step", payload)
    assert second == first
    assert version(fac) == v1
    assert fac.events("step_marked") == []
    assert len(sync(fac)["round"]["marks"]) == 1
    for m in room.everyone():
        assert m.events("state") == []


def test_mark_step_ids_are_per_author(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2})
    dee.ok("mark_step", {"id": "m1", "step": "listen", "rating": 1})
    cas.ok("mark_step", {"id": "m2", "step": "listen", "rating": 3})
    marks = sync(room.facilitator)["round"]["marks"]
    assert sorted((m["author"], m["id"]) for m in marks) == sorted([(cas.id, "m1"), (dee.id, "m1"), (cas.id, "m2")])


def test_mark_step_by_facilitator_and_while_paused(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(2_000)
    fac.ok("pause_round")
    clock.advance(9_000)
    ack = fac.ok("mark_step", {"id": "fm", "step": "empathy", "rating": 0})
    assert ack["mark"]["t_ms"] == 2_000
    assert ack["mark"]["rating"] == 0
    m = cas.ok("mark_step", {"id": "cm", "step": "listen", "rating": 3, "note": ""})
    assert m["mark"]["t_ms"] == 2_000
    assert m["mark"]["note"] in (None, "")
    assert len(fac.events("step_marked")) == 2


def test_a_mark_is_not_announced_to_the_participants_and_is_no_gap(make_room):
    """A blind fact bumps the version for the facilitator only; the next
    shared change names the last one the participants saw as its `prev`."""
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    v0 = version(room.facilitator)
    room.clear()
    cas.ok("mark_step", {"id": "x", "step": "listen", "rating": 2})
    cas.ok("mark_step", {"id": "y", "step": "listen", "rating": 3})
    for m in (ann, bob, cas, dee):
        assert m.events("room_changed") == [] and m.events("step_marked") == [], m.name
        m.pump()
        assert m.inbox == [], m.name
    assert [e["version"] for e in room.facilitator.events("step_marked")] == [v0 + 1, v0 + 2]
    room.facilitator.ok("pause_round")
    for m in (ann, bob, cas, dee):
        st = m.last_state()
        assert (st["version"], st["prev"]) == (v0 + 3, v0), m.name


# -- set_temperature ---------------------------------------------------------------------
def test_set_temperature_by_the_customer(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    assert sync(fac)["round"]["temperature"] == 7  # the card's start temperature
    fac.ok("begin_roleplay")
    clock.advance(4_200)
    v0 = version(fac)
    room.clear()
    ack = ann.ok("set_temperature", {"id": "t1", "level": 9})
    assert ack["t_ms"] == 4_200
    assert version(fac) == v0  # not a version step: the agent must not see one
    got = fac.events("temperature_changed")
    assert got == [{"version": v0, "level": 9, "t_ms": 4_200}]
    assert cas.events("temperature_changed") == got
    st = sync(fac)["round"]
    assert st["temperature"] == 9
    assert st["temperatures"] == [{"level": 9, "t_ms": 4_200}]
    assert sync(ann)["round"]["temperature"] == 9


def test_set_temperature_is_idempotent_by_id(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(1_000)
    first = ann.ok("set_temperature", {"id": "same", "level": 4})
    v1 = version(fac)
    clock.advance(3_000)
    room.clear()
    second = ann.ok("set_temperature", {"id": "same", "level": 4})
    assert second["t_ms"] == first["t_ms"] == 1_000
    assert version(fac) == v1
    assert fac.events("temperature_changed") == []
    assert sync(fac)["round"]["temperatures"] == [{"level": 4, "t_ms": 1_000}]
    # a new id is a new reading
    ann.ok("set_temperature", {"id": "next", "level": 2})
    st = sync(fac)["round"]
    assert st["temperature"] == 2
    assert [t["level"] for t in st["temperatures"]] == [4, 2]


@pytest.mark.parametrize("level", [0, 10])
def test_set_temperature_accepts_the_ends_of_the_range(make_room, level):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    assert ann.ok("set_temperature", {"id": f"edge{level}", "level": level})["level"] == level
    assert sync(room.facilitator)["round"]["temperature"] == level


# -- score_step and rate_global ---------------------------------------------------------
def test_score_step_last_one_counts(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "scoring")
    fac = room.facilitator
    v0 = version(fac)
    cas.ok("score_step", {"step": "listen", "rating": 1})
    ack = cas.ok("score_step", {"step": "listen", "rating": 3, "comment": "on second thought"})
    assert ack["score"]["rating"] == 3
    assert version(fac) == v0 + 2
    scores = sync(fac)["round"]["scores"]
    assert scores == [{"author": cas.id, "step": "listen", "rating": 3, "comment": "on second thought"}]
    live = fac.events("step_scored")
    assert [s["score"]["rating"] for s in live] == [1, 3]
    assert sync(cas)["round"]["scores"] == scores


def test_score_step_null_means_not_applicable(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "scoring")
    fac = room.facilitator
    cas.ok("score_step", {"step": "listen", "rating": 2})
    cas.ok("score_step", {"step": "listen", "rating": None})
    dee.ok("score_step", {"step": "listen", "rating": 1})
    fac.ok("score_step", {"step": "empathy", "rating": 0})
    scores = {(s["author"], s["step"]): s["rating"] for s in sync(fac)["round"]["scores"]}
    assert scores == {(cas.id, "listen"): None, (dee.id, "listen"): 1, ("facilitator", "empathy"): 0}
    res = room.http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"}).get_json()
    listen = next(s for s in res["rounds"][0]["steps"] if s["step"] == "listen")
    assert listen["n"] == 1 and listen["na"] == 1


def test_rate_global_last_one_counts(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "scoring")
    fac = room.facilitator
    v0 = version(fac)
    assert cas.ok("rate_global", {"rating": 2})["rating"] == 2
    cas.ok("rate_global", {"rating": 5})
    fac.ok("rate_global", {"rating": 1})
    assert version(fac) == v0 + 3
    assert sync(fac)["round"]["global_ratings"] == {cas.id: 5, "facilitator": 1}
    assert sync(cas)["round"]["global_ratings"] == {cas.id: 5}
    assert [g["rating"] for g in fac.events("global_rated")] == [2, 5, 1]


# -- reflect ------------------------------------------------------------------------------
def test_reflect_by_customer_and_agent(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "scoring")
    fac = room.facilitator
    v0 = version(fac)
    a = ann.ok("reflect", {"feeling": 4, "felt_heard": 5, "went_well": "was listened to", "do_differently": "less shouting"})
    b = bob.ok("reflect", {"feeling": 2, "went_well": "stayed calm"})
    assert a["reflection"]["felt_heard"] == 5
    assert b["reflection"]["felt_heard"] is None
    assert version(fac) == v0 + 2
    refl = {r["author"]: r for r in sync(fac)["round"]["reflections"]}
    assert refl[ann.id]["feeling"] == 4 and refl[ann.id]["felt_heard"] == 5
    assert refl[ann.id]["went_well"] == "was listened to"
    assert refl[ann.id]["do_differently"] == "less shouting"
    assert refl[bob.id]["feeling"] == 2 and refl[bob.id]["felt_heard"] is None
    live = fac.events("reflected")
    assert [r["reflection"]["author"] for r in live] == [ann.id, bob.id]
    assert live[0]["version"] == v0 + 1


def test_reflect_in_review_and_again_replaces(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "review")
    fac = room.facilitator
    ann.ok("reflect", {"feeling": 1})
    ann.ok("reflect", {"feeling": 5, "felt_heard": 3})
    refl = sync(fac)["round"]["reflections"]
    assert len(refl) == 1
    assert refl[0]["feeling"] == 5 and refl[0]["felt_heard"] == 3


# -- kick, lock, close, leave, presence ------------------------------------------------------
def _wait_disconnected(member, timeout=3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not member.client.is_connected():
            return True
        time.sleep(0.05)
    return not member.client.is_connected()


def test_kick_removes_the_participant_and_their_token(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    fac = room.facilitator
    v0 = version(fac)
    room.clear()
    fac.ok("kick", {"participant": bob.id})
    notices = bob.events("notice")
    assert [n["kind"] for n in notices] == ["kicked"]
    assert notices[0]["version"] == v0 + 1
    for m in (fac, ann, cas):
        assert m.events("participant_left") == [{"version": v0 + 1, "prev": v0, "participant": bob.id, "reason": "kicked"}]
        st = m.view()
        assert st["version"] == v0 + 1
        assert by_id(st, bob.id) is None, m.name
        assert m.events("notice") == [], m.name
    assert _wait_disconnected(bob), "the kicked socket stays connected"
    again = room.connect("Bob again")
    ack = again.call("rejoin", {"room": room.code, "token": bob.token})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    assert [p["name"] for p in sync(fac)["participants"]] == ["Ann", "Cas"]


def test_a_plain_kick_lets_the_name_join_again(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    room.facilitator.ok("kick", {"participant": bob.id})
    assert "ban" not in bob.events("notice")[0]
    assert room.connect("Bob back").call("join_room", {"room": room.code, "name": "Bob"})["ok"] is True


def test_kick_with_ban_keeps_that_name_and_that_token_out(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    fac = room.facilitator
    fac.ok("kick", {"participant": bob.id, "ban": True})
    notice = bob.events("notice")[0]
    assert notice["kind"] == "kicked" and notice["ban"] is True
    assert _wait_disconnected(bob)
    v = version(fac)
    # the same name, however it is written, is refused with the reason, on the name field
    for name in ("Bob", "bob", "Ｂｏｂ", "Bob\u200b"):
        ack = room.connect("again").call("join_room", {"room": room.code, "name": name})
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", name
        assert "name" in ack["error"]["fields"]
    ack = room.connect("token").call("rejoin", {"room": room.code, "token": bob.token})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    assert version(fac) == v  # refusals change nothing
    assert [p["name"] for p in sync(fac)["participants"]] == ["Ann"]
    # someone else may still join
    assert room.connect("Cas").call("join_room", {"room": room.code, "name": "Cas"})["ok"] is True


def test_kick_ban_must_be_a_boolean(make_room):
    room = make_room()
    (bob,) = people(room, "Bob")
    ack = room.facilitator.call("kick", {"participant": bob.id, "ban": "yes"})
    assert ack["ok"] is False and ack["error"]["code"] == "invalid" and "ban" in ack["error"]["fields"]
    assert sync(room.facilitator)["participants"][0]["name"] == "Bob"


def test_kick_the_agent_of_a_running_round_still_lets_the_room_continue(make_room):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "roleplay")
    fac = room.facilitator
    fac.ok("kick", {"participant": dee.id})
    cas.ok("mark_step", {"id": "k", "step": "listen", "rating": 1})
    fac.ok("end_roleplay")
    assert sync(fac)["phase"] == "scoring"


def test_lock_room_refuses_joins_until_unlocked(make_room):
    room = make_room()
    ann = room.join("Ann")
    fac = room.facilitator
    v0 = version(fac)
    room.clear()
    fac.ok("lock_room", {"locked": True})
    for m in (fac, ann):
        st = m.last_state()
        assert st["locked"] is True and st["version"] == v0 + 1
    late = room.connect("Late")
    ack = late.call("join_room", {"room": room.code, "name": "Late"})
    assert ack["ok"] is False and ack["error"]["code"] == "room_locked"
    summary = room.http.get(f"/api/rooms/{room.code}").get_json()
    assert summary["locked"] is True
    fac.ok("lock_room", {"locked": False})
    assert sync(fac)["locked"] is False
    ok = late.ok("join_room", {"room": room.code, "name": "Late"})
    assert ok["you"]["name"] == "Late"


def test_lock_room_twice_changes_nothing_the_second_time(make_room):
    room = make_room()
    fac = room.facilitator
    fac.ok("lock_room", {"locked": True})
    v1 = version(fac)
    fac.ok("lock_room", {"locked": True})
    assert version(fac) == v1
    assert sync(fac)["locked"] is True


@pytest.mark.parametrize("phase", ["lobby", "roleplay", "review"])
def test_close_room(make_room, clock, phase):
    room = make_room()
    if phase == "lobby":
        people(room, "Ann", "Bob")
        room.clear()
    else:
        round_in(room, "briefing")
        room.facilitator.ok("begin_roleplay")
        clock.advance(2_000)
        if phase == "review":
            for ev in ("end_roleplay", "reveal_results"):
                room.facilitator.ok(ev)
        room.clear()
    fac = room.facilitator
    v0 = version(fac)
    fac.ok("close_room")
    assert_everyone_got_state(room, v0 + 1, "closed")
    for m in room.everyone():
        notices = [n for n in m.events("notice") if n["kind"] == "closed"]
        assert len(notices) == 1 and notices[0]["version"] == v0 + 1, m.name
    st = sync(fac)
    if phase != "lobby":
        assert st["round"]["clock"]["running"] is False
        clock.advance(5_000)
        assert sync(fac)["round"]["clock"]["elapsed_ms"] == 2_000
    summary = room.http.get(f"/api/rooms/{room.code}").get_json()
    assert summary["phase"] == "closed"


def test_leave_room(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    fac = room.facilitator
    v0 = version(fac)
    room.clear()
    bob.ok("leave_room")
    for m in (fac, ann, cas):
        assert [e["reason"] for e in m.events("participant_left")] == ["left"]
        st = m.view()
        assert st["version"] == v0 + 1
        assert by_id(st, bob.id) is None
    # Bob's socket is no longer a member; his token no longer works
    ack = bob.call("sync", {})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    tab = room.connect("Bob tab")
    ack = tab.call("rejoin", {"room": room.code, "token": bob.token})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    # he may come back under the same name, as a new person
    again = room.connect("Bob again")
    ack = again.ok("join_room", {"room": room.code, "name": "Bob"})
    assert ack["you"]["id"] != bob.id
    assert room.http.get(f"/api/rooms/{room.code}").get_json()["participant_count"] == 3


def test_leave_room_gets_no_more_room_events(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    bob.ok("leave_room")
    bob.clear()
    room.join("Cas")
    room.facilitator.ok("lock_room", {"locked": True})
    assert bob.events("state") == [] and bob.events("participant_joined") == []


def test_disconnect_shows_not_connected_to_the_others(make_room):
    room = make_room()
    ann, bob, cas = people(room, "Ann", "Bob", "Cas")
    fac = room.facilitator
    v0 = version(fac)
    room.clear()
    hang_up(room, ann)
    for m in (fac, bob, cas):
        assert m.events("state") == [], m.name
        assert m.events("presence_changed") == [{"version": v0 + 1, "prev": v0, "participant": ann.id, "connected": False}]
        st = m.view()
        assert st["version"] == v0 + 1, m.name
        assert by_id(st, ann.id)["connected"] is False, m.name
        assert by_id(st, bob.id)["connected"] is True
    # Ann is still a participant (she may come back), only offline
    assert [p["name"] for p in sync(fac)["participants"]] == ["Ann", "Bob", "Cas"]
    assert room.http.get(f"/api/rooms/{room.code}").get_json()["participant_count"] == 3


def test_facilitator_disconnect_changes_nothing_for_participants(make_room):
    room = make_room()
    ann, bob = people(room, "Ann", "Bob")
    v0 = version(ann)
    room.facilitator.client.disconnect()
    assert version(ann) == v0
    back = room.connect("facilitator again")
    assert back.ok("host_room", {"room": room.code, "facilitator_token": room.token})["state"]["version"] == v0


# -- HTTP -----------------------------------------------------------------------------------------
def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_http_room_summary(make_room, http):
    room = make_room()
    people(room, "Ann", "Bob")
    res = http.get(f"/api/rooms/{room.code}")
    assert res.status_code == 200
    body = res.get_json()
    assert body["title"] == "Workshop"
    assert body["phase"] == "lobby"
    assert body["deck"]["title"] == "Test deck"
    assert body["participant_count"] == 2
    assert http.get(f"/api/rooms/{room.code.lower()}").get_json()["title"] == "Workshop"
    assert "facilitator_token" not in json.dumps(body)
    assert room.token not in json.dumps(body)


def test_http_room_summary_unknown_room(make_room, http):
    make_room()
    res = http.get("/api/rooms/ZZZZZZ")
    assert res.status_code == 404
    assert res.get_json()["error"]["code"] == "not_found"


def _played_room(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = round_in(room, "briefing")
    fac = room.facilitator
    fac.ok("begin_roleplay")
    clock.advance(1_000)
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2, "note": "nodded, said \"go on\""})
    dee.ok("mark_step", {"id": "m2", "step": "empathy", "rating": 1})
    dee.ok("mark_step", {"id": "m3", "step": "listen", "rating": 0})
    dee.ok("correct_mark", {"id": "c1", "mark": "m3", "undo": True})  # a slip of the finger, taken back
    clock.advance(1_000)
    ann.ok("set_temperature", {"id": "t1", "level": 5})
    bob.ok("call_timeout", {"reason": "too loud"})
    fac.ok("end_roleplay")
    cas.ok("score_step", {"step": "listen", "rating": 3, "comment": "good"})
    dee.ok("score_step", {"step": "listen", "rating": 0})
    dee.ok("score_step", {"step": "empathy", "rating": None})
    cas.ok("rate_global", {"rating": 4})
    ann.ok("reflect", {"feeling": 3, "felt_heard": 4})
    bob.ok("reflect", {"feeling": 2})
    fac.ok("reveal_results")
    return room, (ann, bob, cas, dee)


def test_http_results_with_the_facilitator_token(make_room, http, clock):
    room, (ann, bob, cas, dee) = _played_room(make_room, clock)
    res = http.get(f"/api/rooms/{room.code}/results", headers=bearer(room.token))
    assert res.status_code == 200
    body = res.get_json()
    assert body["room"]["code"] == room.code
    (rnd,) = body["rounds"]
    assert rnd["card"]["id"] == "sofa"
    assert rnd["customer"] == {"id": ann.id, "name": "Ann"}
    assert rnd["agent"] == {"id": bob.id, "name": "Bob"}
    assert sorted((m["id"], m["author_name"], m["t_ms"]) for m in rnd["marks"]) == [("m1", "Cas", 1_000), ("m2", "Dee", 1_000)]
    assert rnd["temperatures"] == [{"level": 5, "t_ms": 2_000, "time": "0:02"}]
    assert len(rnd["scores"]) == 3
    assert rnd["global_ratings"] == [{"author": cas.id, "author_name": "Cas", "author_role": "observer", "rating": 4}]
    assert {r["author"]: r["role"] for r in rnd["reflections"]} == {ann.id: "customer", bob.id: "agent"}
    listen = next(s for s in rnd["steps"] if s["step"] == "listen")
    assert listen["n"] == 2 and listen["mean"] == 1.5 and listen["disagreement"] is True
    assert rnd["disagreements"] == ["listen"]
    stay = next(s for s in rnd["steps"] if s["step"] == "stay_calm")
    assert stay["applies"] is False


@pytest.mark.parametrize("path", ["results", "results.csv"])
def test_http_results_need_the_facilitator_token(make_room, http, path):
    room = make_room()
    ann = room.join("Ann")
    url = f"/api/rooms/{room.code}/{path}"
    for headers in ({}, bearer("nope"), bearer(ann.token), {"Authorization": room.token}):
        res = http.get(url, headers=headers)
        assert res.status_code == 401, headers
        assert res.get_json()["error"]["code"] == "unauthorized"
    assert http.get(url, headers=bearer(room.token)).status_code == 200


def test_http_results_csv_one_row_per_mark_and_score(make_room, http, clock):
    room, (ann, bob, cas, dee) = _played_room(make_room, clock)
    res = http.get(f"/api/rooms/{room.code}/results.csv", headers=bearer(room.token))
    assert res.status_code == 200
    assert res.mimetype == "text/csv"
    text = res.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    kinds = sorted(r["what"] for r in rows)
    assert kinds == ["anger meter", "final score", "final score", "final score", "live mark", "live mark",
                     "live mark (withdrawn)", "overall rating (1-5)", "reflection", "reflection", "reflection", "time-out"]
    m1 = next(r for r in rows if r["what"] == "live mark" and r["who"] == "Cas")
    assert (m1["step or question"], m1["score"], m1["text"], m1["time"]) == ("Let them vent", "2", 'nodded, said "go on"', "0:01")
    na = next(r for r in rows if r["what"] == "final score" and r["step or question"] == "Show understanding")
    assert na["score"] == "n/a"
    assert all(r["room"] == room.code and r["round"] == "1" and r["card"] == "The sofa that never came" for r in rows)


def test_http_delete_room_removes_every_row(make_room, http, clock, app):
    room, members = _played_room(make_room, clock)
    hang_up(room, members[0])
    # a new device asks to take her place: a pending join request of the room
    assert "request" in room.connect("laptop").ok("join_room", {"room": room.code, "name": members[0].name})
    engine = app.extensions["calmroom"].engine
    with engine.connect() as conn:
        room_id = conn.execute(select(models.RoomRow.id).where(models.RoomRow.code == room.code)).scalar_one()
        # every table of the room has something to delete
        for table in models.ROOM_TABLES:
            if table is models.ConnectionRow:
                continue
            n = conn.execute(select(table).where(table.room_id == room_id)).all()
            assert n, f"{table.__tablename__} had no rows before the delete"
    other = make_room()
    other_ann = other.join("Ann")
    res = http.delete(f"/api/rooms/{room.code}")
    assert res.status_code == 401
    res = http.delete(f"/api/rooms/{room.code}", headers=bearer(other.token))
    assert res.status_code == 401
    rosters = app.extensions["calmroom"].rooms.rosters
    assert (room_id, room.code) in rosters._rooms  # this worker remembers who is in the room
    res = http.delete(f"/api/rooms/{room.code}", headers=bearer(room.token))
    assert res.status_code == 204
    assert res.get_data() == b""
    assert (room_id, room.code) not in rosters._rooms  # and forgets them with the room
    with engine.connect() as conn:
        for table in models.Base.metadata.sorted_tables:
            if "room_id" in table.c:
                left = conn.execute(select(table).where(table.c.room_id == room_id)).all()
                assert left == [], f"{table.name} still holds rows of the deleted room"
            if table.name == "rooms":
                assert conn.execute(select(table).where(table.c.id == room_id)).all() == []
                assert conn.execute(select(table).where(table.c.code == room.code)).all() == []
            if table.name == "participants":
                ids = [m.id for m in members]
                assert conn.execute(select(table).where(table.c.id.in_(ids))).all() == []
        # the other room is untouched
        assert conn.execute(select(models.ParticipantRow).where(models.ParticipantRow.id == other_ann.id)).all()
    assert http.get(f"/api/rooms/{room.code}").status_code == 404
    assert http.get(f"/api/rooms/{room.code}/results", headers=bearer(room.token)).status_code == 404
    # a participant of the deleted room cannot come back
    back = other.connect("Ann of the deleted room")
    ack = back.call("rejoin", {"room": room.code, "token": members[1].token})
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    assert sync(other.facilitator)["participants"][0]["name"] == "Ann"


def test_http_decks_list_and_one(make_room, http):
    make_room()
    res = http.get("/api/decks")
    assert res.status_code == 200
    decks = {d["id"]: d for d in res.get_json()["decks"]}
    assert "test-deck" in decks
    assert decks["test-deck"]["title"] == "Test deck"
    assert decks["test-deck"]["cards"] == 2 and decks["test-deck"]["steps"] == 3
    assert len(decks) >= 2  # the built-in decks are there too
    one = http.get("/api/decks/test-deck")
    assert one.status_code == 200
    body = one.get_json()
    assert body["id"] == "test-deck"
    assert [c["id"] for c in body["cards"]] == ["sofa", "parcel"]
    assert [s["key"] for s in body["steps"]] == ["listen", "empathy", "stay_calm"]
    assert body["version"] >= 1
    missing = http.get("/api/decks/no-such-deck")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"


def test_http_validate_deck_ok(http, minimal_deck_text):
    res = http.post("/api/decks/validate", data=minimal_deck_text.encode(), content_type="application/yaml")
    assert res.status_code == 200
    body = res.get_json()
    assert body["id"] == "test-deck" and body["title"] == "Test deck"
    assert body["steps"] == 3 and body["cards"] == 2


def test_http_validate_deck_json_ok(http, minimal_deck_text):
    import yaml

    data = yaml.safe_load(minimal_deck_text)
    res = http.post("/api/decks/validate", data=json.dumps(data), content_type="application/json")
    assert res.status_code == 200
    assert res.get_json()["id"] == "test-deck"


def test_http_validate_deck_lists_every_error_with_its_path(http, minimal_deck_text, trainer_token):
    bad = minimal_deck_text.replace("start_temperature: 7", "start_temperature: 11").replace(
        "title: Lost parcel", "title: Lost parcel\n    difficulty_typo: 9"
    )
    assert bad != minimal_deck_text
    res = http.post("/api/decks/validate", data=bad.encode(), content_type="application/yaml")
    assert res.status_code == 422
    body = res.get_json()
    errors = body["errors"]
    # every problem has its path, its English message, and a code with its parameters (docs/studio-api.md)
    assert all(set(e) == {"path", "message", "code", "params"} for e in errors)
    paths = [e["path"] for e in errors]
    assert "cards[0].customer.start_temperature" in paths
    msg = next(e["message"] for e in errors if e["path"] == "cards[0].customer.start_temperature")
    assert "0" in msg and "10" in msg
    coded = next(e for e in errors if e["path"] == "cards[0].customer.start_temperature")
    assert (coded["code"], coded["params"]) == ("number_range", {"min": 0, "max": 10})
    assert any(p.startswith("cards[1]") for p in paths), paths
    # nothing was stored
    stored = http.get("/api/decks/test-deck", headers=bearer(trainer_token)).get_json()
    assert stored["cards"][0]["customer"]["start_temperature"] == 7


def test_http_validate_deck_not_a_deck(http):
    res = http.post("/api/decks/validate", data=b"- just\n- a list\n", content_type="application/yaml")
    assert res.status_code == 422
    assert res.get_json()["errors"]


def test_http_upload_deck_and_rooms_keep_their_version(make_room, http, minimal_deck_text, trainer_token):
    text = minimal_deck_text.replace("id: test-deck", "id: upload-deck").replace("title: Test deck", "title: Uploaded v1")
    res = http.post("/api/decks", data=text.encode(), content_type="application/yaml", headers=bearer(trainer_token))
    assert res.status_code == 201
    body = res.get_json()
    assert body["id"] == "upload-deck" and body["version"] == 1
    assert http.get("/api/decks/upload-deck").get_json()["title"] == "Uploaded v1"
    room = make_room("upload-deck")
    ann, bob = people(room, "Ann", "Bob")
    v2 = text.replace("title: Uploaded v1", "title: Uploaded v2").replace("title: Lost parcel", "title: Lost box")
    res = http.post("/api/decks", data=v2.encode(), content_type="application/yaml", headers=bearer(trainer_token))
    assert res.status_code == 201
    assert res.get_json()["version"] == 2
    assert http.get("/api/decks/upload-deck").get_json()["title"] == "Uploaded v2"
    # the room keeps the version it started with
    start(room, ann, bob, card="parcel")
    st = sync(room.facilitator)
    assert st["deck"]["title"] == "Uploaded v1"
    assert st["round"]["card"]["title"] == "Lost parcel"
    # a new room gets the new version
    room2 = make_room("upload-deck")
    assert sync(room2.facilitator)["deck"]["title"] == "Uploaded v2"


def test_http_upload_invalid_deck_is_422_and_stores_nothing(http, minimal_deck_text, trainer_token):
    text = minimal_deck_text.replace("id: test-deck", "id: never-stored").replace("start_temperature: 4", "start_temperature: -3")
    res = http.post("/api/decks", data=text.encode(), content_type="application/yaml", headers=bearer(trainer_token))
    assert res.status_code == 422
    assert any(e["path"] == "cards[1].customer.start_temperature" for e in res.get_json()["errors"])
    assert http.get("/api/decks/never-stored").status_code == 404


def test_http_create_room_gives_a_readable_code(http, make_room):
    make_room()
    res = http.post("/api/rooms", json={"deck": "test-deck", "duration_s": 600})
    assert res.status_code == 201
    body = res.get_json()
    code = body["code"]
    assert len(code) == 6 and not set(code) & set("0O1IL")
    assert body["join_url"].endswith(code)
    assert http.get(f"/api/rooms/{code}").get_json()["title"] == "Test deck"


def test_http_healthz(http):
    res = http.get("/healthz")
    assert res.status_code == 200
    assert res.get_json() == {"ok": True, "database": "ok", "message_queue": "not configured"}


# -- versions on every event ------------------------------------------------------------------------
def test_every_server_event_carries_the_version_and_it_never_goes_back(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = four(room)
    fac = room.facilitator
    start(room, ann, bob, duration_s=60)
    fac.ok("begin_roleplay")
    ann.ok("set_temperature", {"id": "t", "level": 6})
    cas.ok("mark_step", {"id": "m", "step": "listen", "rating": 2})
    bob.ok("call_timeout", {"reason": "breathe"})
    fac.ok("resume_round")
    fac.ok("end_roleplay")
    cas.ok("score_step", {"step": "listen", "rating": 2})
    cas.ok("rate_global", {"rating": 3})
    ann.ok("reflect", {"feeling": 3})
    fac.ok("reveal_results")
    fac.ok("kick", {"participant": dee.id})
    fac.ok("lock_room", {"locked": True})
    fac.ok("close_room")
    final = version(fac)
    seen_names = set()
    for m in (fac, ann, bob, cas):
        versions = []
        m.pump()
        for e in m.inbox:
            payload = e["args"][0]
            seen_names.add(e["name"])
            assert isinstance(payload.get("version"), int) and not isinstance(payload["version"], bool), (m.name, e)
            versions.append(payload["version"])
        assert versions == sorted(versions), (m.name, versions)
        assert versions[-1] == final, m.name
    assert {"state", "notice", "step_marked", "temperature_changed", "step_scored",
            "global_rated", "reflected", "participant_left"} <= seen_names


# -- membership deltas in batches (the default server) --------------------------------------------
def test_joins_close_together_reach_the_others_as_one_batch_in_order(batching_room):
    room = batching_room
    fac = room.facilitator
    ann = room.join("Ann")
    first = fac.events("participant_joined")
    assert [e["participant"]["name"] for e in first] == ["Ann"]  # the first one at once
    for name in ("Bob", "Cas", "Dee"):
        room.join(name)
    batches = fac.wait_for("batch")
    items = [item for b in batches for item in b["events"]]
    assert [(n, p["participant"]["name"]) for n, p in items] == [("participant_joined", n) for n in ("Bob", "Cas", "Dee")]
    # each item keeps its place in the chain: no gap for anyone
    chain = [first[0]] + [p for _, p in items]
    assert all(b["prev"] == a["version"] for a, b in zip(chain, chain[1:]))
    assert [p["name"] for p in ann.view()["participants"]] == ["Ann", "Bob", "Cas", "Dee"]
    assert [p["name"] for p in fac.view()["participants"]] == ["Ann", "Bob", "Cas", "Dee"]


def test_a_phase_change_sends_the_waiting_deltas_first(batching_room):
    room = batching_room
    fac = room.facilitator
    ann, bob = room.join("Ann"), room.join("Bob")
    cas = room.join("Cas")  # waits in bob's window
    fac.ok("start_round", {"customer": ann.id, "agent": bob.id})
    for m in (fac, ann):
        m.pump()
        order = [e["name"] for e in m.inbox if e["name"] in ("batch", "participant_joined", "state")]
        assert order.index("state") > max(i for i, n in enumerate(order) if n != "state"), (m.name, order)
        assert [p["name"] for p in m.view()["participants"]] == ["Ann", "Bob", "Cas"]


def _chain(member) -> list[dict]:
    """The events of the participants' chain this member got, in order (batch items unpacked)."""
    out = []
    member.pump()
    for e in member.inbox:
        payload = e["args"][0]
        items = payload["events"] if e["name"] == "batch" else [[e["name"], payload]]
        out += [p for _, p in items if "prev" in p]
    return out


def _first_loss(start: int, chain: list[dict]) -> int | None:
    """The gap rule of docs/protocol.md for a participant: the index of the
    first event whose `prev` is above the last version seen, or None."""
    last = start
    for i, p in enumerate(chain):
        if p["prev"] > last:
            return i
        last = max(last, p["version"])
    return None


def test_the_prev_chain_shows_no_gap_over_blind_facts_and_every_real_loss(make_room, clock):
    room = make_room()
    ann, bob, cas, dee = four(room)
    fac = room.facilitator
    start_version = {m.name: m.ok("sync")["state"]["version"] for m in (ann, bob, cas)}
    room.clear()
    eve = room.join("Eve")
    start(room, ann, bob, duration_s=60)
    fac.ok("begin_roleplay")
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2})  # blind
    cas.ok("mark_step", {"id": "m2", "step": "empathy", "rating": 1})  # blind
    ann.ok("set_temperature", {"id": "t", "level": 6})
    dee.client.disconnect()  # presence
    fac.ok("pause_round")
    fac.ok("resume_round")
    fac.ok("end_roleplay")
    cas.ok("score_step", {"step": "listen", "rating": 2})  # blind
    cas.ok("rate_global", {"rating": 3})  # blind
    ann.ok("reflect", {"feeling": 3})  # blind
    fac.ok("reveal_results")
    eve.ok("leave_room")
    fac.ok("lock_room", {"locked": True})
    for m in (ann, bob, cas):
        chain = _chain(m)
        assert len(chain) >= 8, m.name
        assert _first_loss(start_version[m.name], chain) is None, (m.name, chain)
        # the versions jump over the blind facts, and that is no loss
        assert any(b["version"] > a["version"] + 1 for a, b in zip(chain, chain[1:])), m.name
        for lost in range(len(chain) - 1):
            rest = chain[:lost] + chain[lost + 1:]
            assert _first_loss(start_version[m.name], rest) == lost, (m.name, lost)
