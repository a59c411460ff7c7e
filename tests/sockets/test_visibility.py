"""Who sees what (PROTOCOL.md): every payload a member receives, events and
acks alike, is scanned recursively for what that member must not see.

- the agent never gets the customer's brief, the customer never the agent's;
- blind scoring: until reveal an observer sees only its own marks and scores,
  the facilitator sees everything live, the players see none;
- temperature_changed goes to the facilitator and the observers only;
- reflections reach the facilitator only;
- tokens reach nobody but their owner, in the ack of the join, and are
  stored hashed."""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest
from sqlalchemy import select

from helpers.databases import shared_app

from calmroom.protocol.server_events import StateOut
from calmroom.store import models


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app_and_io(request, tmp_path_factory):
    """One app per back end for the whole module (see conftest.shared_app)."""
    yield from shared_app(request, tmp_path_factory, "visibility")


# -- the scanner -------------------------------------------------------------------------------
def walk(obj: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (path, value) in a payload, depth first; keys and list indexes
    make the path."""
    yield path, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk(v, (*path, k))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from walk(v, (*path, i))


def leaks(obj: Any, *, key_paths: tuple[tuple, ...] = (), values: tuple[str, ...] | set[str] = ()) -> list:
    """Where `obj` holds a forbidden key path (matched at the end of a path,
    e.g. ('card', 'customer')), or a string containing a forbidden value (also
    as a dict key)."""
    found = []
    for path, v in walk(obj):
        for kp in key_paths:
            if len(path) >= len(kp) and tuple(path[-len(kp):]) == kp:
                found.append(("key", path))
        texts = [v] if isinstance(v, str) else []
        if path and isinstance(path[-1], str):
            texts.append(path[-1])
        for text in texts:
            for bad in values:
                if bad and bad in text:
                    found.append(("value", path, bad))
    return found


def strings(obj: Any) -> set[str]:
    return {v for _, v in walk(obj) if isinstance(v, str)}


# -- recording what each member receives ---------------------------------------------------------
def act(member, event: str, payload: Any = None) -> dict:
    """member.ok, keeping the ack among what the member received."""
    ack = member.ok(event, payload if payload is not None else {})
    acks(member).append((event, ack))
    return ack


def acks(member) -> list:
    if not hasattr(member, "acks"):
        member.acks = []
    return member.acks


def received(member) -> list[tuple[str, Any]]:
    """(event name, payload) of every event and ack this member got so far."""
    try:
        member.pump()
    except RuntimeError:  # the socket is closed: keep what it had received
        pass
    return [(e["name"], e["args"][0] if e["args"] else None) for e in member.inbox] + [
        (f"ack:{name}", ack) for name, ack in acks(member)
    ]


def forget(member) -> None:
    member.clear()
    acks(member).clear()


def assert_no_leak(member, **forbidden) -> None:
    for name, payload in received(member):
        found = leaks(payload, **forbidden)
        assert not found, f"{member.name} received {found} in {name}: {json.dumps(payload)[:400]}"


def states_of(member) -> list[dict]:
    """Every state the member got: events, and the state in acks."""
    out = []
    for name, payload in received(member):
        if name == "state":
            out.append(payload)
        elif name.startswith("ack:") and isinstance(payload, dict) and "state" in payload:
            out.append(payload["state"])
    return out


def is_mark(d: Any) -> bool:
    return isinstance(d, dict) and {"step", "rating", "t_ms"} <= set(d)


def is_score(d: Any) -> bool:
    return isinstance(d, dict) and {"step", "rating", "comment"} <= set(d) and "t_ms" not in d


def marks_in(member) -> list[dict]:
    return [v for _, p in received(member) for _, v in walk(p) if is_mark(v)]


def scores_in(member) -> list[dict]:
    return [v for _, p in received(member) for _, v in walk(p) if is_score(v)]


# -- the deck's briefs ------------------------------------------------------------------------------
@pytest.fixture
def briefs(http, make_room, trainer_token):
    """For each card: the strings only the customer's brief holds, and those
    only the agent's brief holds."""
    make_room()  # stores the test deck
    deck = http.get("/api/decks/test-deck", headers={"Authorization": f"Bearer {trainer_token}"}).get_json()
    out = {}
    for card in deck["cards"]:
        shared = strings({k: v for k, v in card.items() if k not in ("customer", "agent")})
        customer = strings(card["customer"]) - strings(card["agent"]) - shared
        agent = strings(card["agent"]) - strings(card["customer"]) - shared
        assert customer and agent
        out[card["id"]] = {"customer": customer, "agent": agent}
    return out


CUSTOMER_BRIEF = (("card", "customer"),)
AGENT_BRIEF = (("card", "agent"),)


def cast(room):
    return [room.join(n) for n in ("Ann", "Bob", "Cas", "Dee")]


def everyone_forgets(room):
    for m in room.everyone():
        forget(m)


# -- the briefs ------------------------------------------------------------------------------------------
def _play_with_everything(room, ann, bob, cas, dee, card="sofa"):
    """One round with every kind of event, Ann customer and Bob agent; ends
    in review."""
    fac = room.facilitator
    act(fac, "start_round", {"card": card, "customer": ann.id, "agent": bob.id})
    for m in (ann, bob, cas, dee):
        act(m, "sync")
    act(fac, "begin_roleplay")
    act(ann, "set_temperature", {"id": "t1", "level": 9})
    act(cas, "mark_step", {"id": "c1", "step": "listen", "rating": 2, "note": "cas note"})
    act(dee, "mark_step", {"id": "d1", "step": "listen", "rating": 0, "note": "dee note"})
    act(fac, "mark_step", {"id": "f1", "step": "listen", "rating": 1, "note": "facilitator note"})
    act(bob, "call_timeout", {"reason": "a moment"})
    act(fac, "resume_round")
    act(fac, "pause_round")
    act(fac, "resume_round")
    act(ann, "set_temperature", {"id": "t2", "level": 3})
    act(fac, "end_roleplay")
    act(cas, "score_step", {"step": "listen", "rating": 3, "comment": "cas comment"})
    act(dee, "score_step", {"step": "listen", "rating": None, "comment": "dee comment"})
    act(fac, "score_step", {"step": "listen", "rating": 2, "comment": "facilitator comment"})
    act(cas, "rate_global", {"rating": 4})
    act(dee, "rate_global", {"rating": 2})
    act(ann, "reflect", {"feeling": 4, "felt_heard": 2, "went_well": "ann went well", "do_differently": "ann differently"})
    act(bob, "reflect", {"feeling": 2, "went_well": "bob went well", "do_differently": "bob differently"})
    for m in (ann, bob, cas, dee, fac):
        act(m, "sync")
    act(fac, "reveal_results")
    for m in (ann, bob, cas, dee, fac):
        act(m, "sync")


def _reconnect(room, member):
    """Drop a member's socket and come back with a rejoin; the new socket
    takes the member's place (and keeps what the old one had received)."""
    member.pump()
    old_inbox, old_acks = list(member.inbox), list(acks(member))
    member.client.disconnect()
    member.client = room.io.test_client(room.app)
    member.inbox = old_inbox
    member.acks = old_acks
    act(member, "rejoin", {"room": room.code, "token": member.token})


ENDINGS = ["review", "next-round", "closed-in-briefing", "closed-in-roleplay", "closed-in-scoring", "closed-after-review"]


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_players_never_get_each_others_brief(make_room, briefs, ending):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    everyone_forgets(room)
    if ending.startswith("closed-in-"):
        act(fac, "start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
        phase = ending.removeprefix("closed-in-")
        if phase in ("roleplay", "scoring"):
            act(fac, "begin_roleplay")
            act(ann, "set_temperature", {"id": "t1", "level": 8})
        if phase == "scoring":
            act(fac, "end_roleplay")
        _reconnect(room, bob)
        act(fac, "close_room")
    else:
        _play_with_everything(room, ann, bob, cas, dee)
        _reconnect(room, bob)
        _reconnect(room, ann)
        if ending == "closed-after-review":
            act(fac, "close_room")
    for m in (ann, bob, cas, dee, fac):
        act(m, "sync")
    assert_no_leak(bob, key_paths=CUSTOMER_BRIEF, values=briefs["sofa"]["customer"])
    assert_no_leak(ann, key_paths=AGENT_BRIEF, values=briefs["sofa"]["agent"])
    # while the round was on, each player did get its own brief
    in_round = [s for s in states_of(bob) if s.get("round") and s["phase"] != "closed"]
    assert in_round and all("agent" in s["round"]["card"] for s in in_round)
    in_round = [s for s in states_of(ann) if s.get("round") and s["phase"] != "closed"]
    assert in_round and all("customer" in s["round"]["card"] for s in in_round)
    # observers and the facilitator get both
    for m in (cas, dee, fac):
        card = states_of(m)[-1]["round"]["card"]
        assert "customer" in card and "agent" in card, m.name
        assert card["customer"]["opening_line"] == "Where is my sofa?"
        assert card["agent"]["briefing"] == "The truck broke down."
    if ending == "next-round":
        # roles swap on the next card: the new agent (Ann) gets no customer brief
        for m in room.everyone():
            forget(m)
        act(fac, "start_round", {"card": "parcel", "customer": bob.id, "agent": ann.id})
        act(fac, "begin_roleplay")
        act(bob, "set_temperature", {"id": "p1", "level": 6})
        act(fac, "end_roleplay")
        act(fac, "reveal_results")
        act(fac, "close_room")
        for m in (ann, bob):
            act(m, "sync")
        assert_no_leak(ann, key_paths=CUSTOMER_BRIEF, values=briefs["parcel"]["customer"])
        assert_no_leak(bob, key_paths=AGENT_BRIEF, values=briefs["parcel"]["agent"])


def test_the_observers_shared_view_never_reaches_a_player(make_room, briefs):
    """The observers' state is rendered once for all of them (both briefs):
    it goes to the observers' person rooms, so a player's socket never gets
    it, also an observer of the last round who plays now, on a new socket."""
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    act(fac, "start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    for command in ("begin_roleplay", "end_roleplay", "reveal_results"):
        act(fac, command)
    everyone_forgets(room)
    act(fac, "start_round", {"card": "parcel", "customer": bob.id, "agent": cas.id})  # Cas observed the sofa
    _reconnect(room, cas)
    eve = room.join("Eve")  # joins mid-round: an observer
    for command in ("begin_roleplay", "pause_round", "resume_round", "end_roleplay"):
        act(fac, command)
    for player in (bob, cas):
        assert [s for s in states_of(player) if "you" not in s] == [], player.name
    assert_no_leak(cas, key_paths=CUSTOMER_BRIEF, values=briefs["parcel"]["customer"])
    assert_no_leak(bob, key_paths=AGENT_BRIEF, values=briefs["parcel"]["agent"])
    for m in (ann, dee, eve):
        views = m.events("state")
        assert views, m.name
        assert all("you" not in v and {"customer", "agent"} <= set(v["round"]["card"]) for v in views), m.name


def test_a_late_joiner_is_an_observer_and_gets_both_briefs(make_room):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    room.facilitator.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    eve = room.connect("Eve")
    ack = act(eve, "join_room", {"room": room.code, "name": "Eve"})
    card = ack["state"]["round"]["card"]
    assert "customer" in card and "agent" in card


# -- blind scoring ----------------------------------------------------------------------------------------
def test_blind_scoring_before_reveal(make_room):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    everyone_forgets(room)
    act(fac, "start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    act(fac, "begin_roleplay")
    marks = {
        "c1": act(cas, "mark_step", {"id": "c1", "step": "listen", "rating": 2, "note": "cas saw listening"})["mark"],
        "d1": act(dee, "mark_step", {"id": "d1", "step": "empathy", "rating": 0, "note": "dee saw no empathy"})["mark"],
        "d2": act(dee, "mark_step", {"id": "d2", "step": "listen", "rating": 3})["mark"],
        "f1": act(fac, "mark_step", {"id": "f1", "step": "listen", "rating": 1, "note": "facilitator saw"})["mark"],
    }
    act(fac, "pause_round")
    marks["c2"] = act(cas, "mark_step", {"id": "c2", "step": "empathy", "rating": 1})["mark"]
    act(fac, "resume_round")
    act(fac, "end_roleplay")
    act(cas, "score_step", {"step": "listen", "rating": 3, "comment": "cas final"})
    act(dee, "score_step", {"step": "listen", "rating": 0, "comment": "dee final"})
    act(dee, "score_step", {"step": "empathy", "rating": None})
    act(fac, "score_step", {"step": "empathy", "rating": 2, "comment": "facilitator final"})
    act(cas, "rate_global", {"rating": 5})
    act(dee, "rate_global", {"rating": 1})
    act(fac, "rate_global", {"rating": 3})
    for m in room.everyone():
        act(m, "sync")

    # the facilitator got every mark live, once, and sees all of them in its state
    live = fac.events("step_marked")
    assert sorted(e["mark"]["id"] for e in live) == sorted(marks)
    assert all(isinstance(e["version"], int) for e in live)
    st = states_of(fac)[-1]["round"]
    assert sorted(m["id"] for m in st["marks"]) == sorted(marks)
    assert len(st["scores"]) == 4
    assert st["global_ratings"] == {cas.id: 5, dee.id: 1, "facilitator": 3}
    assert len(fac.events("step_scored")) == 4
    assert len(fac.events("global_rated")) == 3

    # an observer sees its own marks, scores and rating only
    for me, other, own_marks in ((cas, dee, {"c1", "c2"}), (dee, cas, {"d1", "d2"})):
        assert {m["author"] for m in marks_in(me)} == {me.id}, me.name
        assert {m["id"] for m in marks_in(me)} == own_marks
        assert {s["author"] for s in scores_in(me)} == {me.id}
        for name in ("step_marked", "step_scored", "global_rated"):
            assert me.events(name) == [], (me.name, name)
        for s in states_of(me):
            if s.get("round"):
                assert set(s["round"]["global_ratings"]) <= {me.id}
        foreign = {"cas saw listening", "dee saw no empathy", "facilitator saw", "cas final", "dee final", "facilitator final"}
        mine = {"cas saw listening", "cas final"} if me is cas else {"dee saw no empathy", "dee final"}
        assert_no_leak(me, values=foreign - mine)
        assert_no_leak(me, key_paths=(("global_ratings", other.id), ("global_ratings", "facilitator")))

    # the players see no marks, no scores, no ratings at all
    for player in (ann, bob):
        assert marks_in(player) == [], player.name
        assert scores_in(player) == [], player.name
        for name in ("step_marked", "step_scored", "global_rated"):
            assert player.events(name) == [], (player.name, name)
        for s in states_of(player):
            if s.get("round"):
                assert s["round"]["marks"] == [] and s["round"]["scores"] == []
                assert s["round"]["global_ratings"] == {}
        assert_no_leak(player, values={"cas saw listening", "dee saw no empathy", "facilitator saw", "cas final", "dee final"})

    # the blind facts are not announced to any participant, not even as a version
    for m in (ann, bob, cas, dee):
        assert m.events("room_changed") == [], m.name


def test_after_reveal_everyone_sees_all_marks_and_scores(make_room):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    cas.ok("mark_step", {"id": "c1", "step": "listen", "rating": 2})
    dee.ok("mark_step", {"id": "d1", "step": "empathy", "rating": 0})
    fac.ok("mark_step", {"id": "f1", "step": "listen", "rating": 1})
    fac.ok("end_roleplay")
    cas.ok("score_step", {"step": "listen", "rating": 3})
    dee.ok("score_step", {"step": "listen", "rating": 1})
    cas.ok("rate_global", {"rating": 4})
    dee.ok("rate_global", {"rating": 2})
    room.clear()
    fac.ok("reveal_results")
    expected = {(cas.id, "c1"), (dee.id, "d1"), ("facilitator", "f1")}
    for m in room.everyone():
        for st in (m.last_state(), m.ok("sync")["state"]):
            rnd = st["round"]
            assert rnd["revealed"] is True
            assert {(x["author"], x["id"]) for x in rnd["marks"]} == expected, m.name
            assert {(s["author"], s["rating"]) for s in rnd["scores"]} == {(cas.id, 3), (dee.id, 1)}, m.name
            assert rnd["global_ratings"] == {cas.id: 4, dee.id: 2}, m.name


# -- the anger meter ---------------------------------------------------------------------------------------
def test_temperature_changed_goes_to_facilitator_and_observers_only(make_room):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    everyone_forgets(room)
    act(ann, "set_temperature", {"id": "t1", "level": 9})
    act(ann, "set_temperature", {"id": "t2", "level": 4})
    for m in (fac, cas, dee):
        got = m.events("temperature_changed")
        assert [e["level"] for e in got] == [9, 4], m.name
        assert all(isinstance(e["version"], int) and isinstance(e["t_ms"], int) for e in got)
    for player in (ann, bob):
        assert player.events("temperature_changed") == [], player.name


def test_the_players_receive_nothing_at_all_when_the_meter_moves(make_room):
    """Not even a room_changed or a version step: the agent would learn the meter moved."""
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    everyone_forgets(room)
    before = bob.ok("sync")["state"]["version"]
    act(ann, "set_temperature", {"id": "t1", "level": 9})
    act(ann, "set_temperature", {"id": "t2", "level": 4})
    for player in (ann, bob):
        player.pump()
        assert player.inbox == [], player.name
    assert [e["version"] for e in fac.events("temperature_changed")] == [before, before]
    assert bob.ok("sync")["state"]["version"] == before
    act(cas, "mark_step", {"id": "m1", "step": cas.ok("sync")["state"]["round"]["card"]["steps"][0], "rating": 2})
    fac.ok("pause_round")
    # the next change bob hears of names the last one he saw: no gap to sync over
    assert (bob.last_state()["version"], bob.last_state()["prev"]) == (before + 2, before)


def test_the_agent_does_not_see_the_anger_meter_before_reveal(make_room):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    everyone_forgets(room)
    act(fac, "start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    act(fac, "begin_roleplay")
    act(ann, "set_temperature", {"id": "t1", "level": 9})
    act(bob, "sync")
    act(fac, "end_roleplay")
    act(bob, "sync")
    act(fac, "close_room")
    act(bob, "sync")
    assert_no_leak(bob, key_paths=(("round", "temperature"), ("round", "temperatures"), ("level",)))
    # the customer and the observers do see it
    for m in (ann, cas):
        assert [t["level"] for t in m.ok("sync")["state"]["round"]["temperatures"]] == [9], m.name


# -- reflections ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("then", ["review", "closed", "next-round"])
def test_reflections_reach_only_the_facilitator(make_room, then):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    fac.ok("end_roleplay")
    everyone_forgets(room)
    act(ann, "reflect", {"feeling": 5, "felt_heard": 1, "went_well": "ANN-WELL", "do_differently": "ANN-DIFF"})
    act(bob, "reflect", {"feeling": 1, "went_well": "BOB-WELL", "do_differently": "BOB-DIFF"})
    act(fac, "reveal_results")
    act(bob, "reflect", {"feeling": 2, "went_well": "BOB-WELL-2"})  # in review
    if then == "closed":
        act(fac, "close_room")
    elif then == "next-round":
        act(fac, "start_round", {"card": "parcel", "customer": cas.id, "agent": dee.id})
    for m in room.everyone():
        act(m, "sync")
    texts = {"Ann": {"ANN-WELL", "ANN-DIFF"}, "Bob": {"BOB-WELL", "BOB-DIFF", "BOB-WELL-2"}}
    everything = set().union(*texts.values())
    # the facilitator: live events and the state
    live = fac.events("reflected")
    assert [(e["reflection"]["author"], e["reflection"]["went_well"]) for e in live] == [
        (ann.id, "ANN-WELL"), (bob.id, "BOB-WELL"), (bob.id, "BOB-WELL-2"),
    ]
    if then != "next-round":
        refl = {r["author"]: r for r in fac.ok("sync")["state"]["round"]["reflections"]}
        assert refl[ann.id]["felt_heard"] == 1 and refl[ann.id]["went_well"] == "ANN-WELL"
        assert refl[bob.id]["went_well"] == "BOB-WELL-2"
    # nobody else: no event, no `reflections`, not one word of what the others wrote
    for m in (ann, bob, cas, dee):
        assert m.events("reflected") == [], m.name
        own = texts.get(m.name, set())
        assert_no_leak(m, key_paths=(("reflections",),), values=everything - own)
    for m in (cas, dee):
        assert_no_leak(m, key_paths=(("my_reflection",), ("felt_heard",), ("feeling",)))
    # the players do not see each other's reflection, numbers included
    for me, other in ((ann, bob), (bob, ann)):
        foreign = [v for _, p in received(me) for _, v in walk(p)
                   if isinstance(v, dict) and "feeling" in v and v.get("author") != me.id]
        assert foreign == [], (me.name, foreign)


# -- tokens ---------------------------------------------------------------------------------------------------
def test_no_token_reaches_anyone_but_its_owner(make_room, http, app):
    room = make_room()
    other = make_room()  # another room of the same facilitator app
    fac = room.facilitator
    everyone_forgets(room)
    members = []
    for name in ("Ann", "Bob", "Cas", "Dee", "Eve"):
        m = room.connect(name)
        ack = act(m, "join_room", {"room": room.code, "name": name})
        m.id, m.token = ack["you"]["id"], ack["token"]
        room.people[name] = m
        members.append(m)
    ann, bob, cas, dee, eve = members
    zed = other.join("Zed")
    tokens = {room.token: "facilitator", other.token: "other facilitator", zed.token: "Zed"}
    tokens.update({m.token: m.name for m in members})
    assert len(tokens) == 8 and all(len(t) >= 20 for t in tokens)
    # a second facilitator socket, a whole round, a time-out, a reconnect, a kick, a leave, a lock, a close
    fac2 = room.connect("facilitator 2")
    act(fac2, "host_room", {"room": room.code, "facilitator_token": room.token})
    room.people["fac2"] = fac2
    act(fac, "start_round", {})
    act(fac, "begin_roleplay")
    rnd = fac.ok("sync")["state"]["round"]
    customer = next(m for m in members if m.id == rnd["customer"])
    observer = next(m for m in members if m.id not in (rnd["customer"], rnd["agent"]))
    act(customer, "set_temperature", {"id": "t", "level": 5})
    act(observer, "mark_step", {"id": "m", "step": "listen", "rating": 2})
    act(observer, "call_timeout", {"reason": "pause please"})
    act(fac, "end_roleplay")
    act(observer, "score_step", {"step": "listen", "rating": 2})
    act(fac, "reveal_results")
    for m in members:
        act(m, "sync")
    _reconnect(room, cas)
    act(fac, "kick", {"participant": eve.id})
    act(dee, "leave_room")
    act(fac, "lock_room", {"locked": True})
    act(fac, "close_room")
    for m in (ann, bob, cas, fac, fac2):
        act(m, "sync")
    for m in room.everyone():
        for name, payload in received(m):
            found = leaks(payload, values=set(tokens))
            if name == "ack:join_room":
                assert [f[2] for f in found] == [m.token], (m.name, found)
                assert payload["token"] == m.token
            else:
                assert not found, f"{m.name} received a token in {name}: {found}"
    # and none over HTTP, neither the public summary nor the facilitator's results
    for path, headers in (
        (f"/api/rooms/{room.code}", {}),
        (f"/api/rooms/{room.code}/results", {"Authorization": f"Bearer {room.token}"}),
        (f"/api/rooms/{room.code}/results.csv", {"Authorization": f"Bearer {room.token}"}),
    ):
        body = http.get(path, headers=headers).get_data(as_text=True)
        assert not [t for t in tokens if t in body], path


def test_tokens_are_stored_hashed(make_room, app):
    room = make_room()
    ann, bob = room.join("Ann"), room.join("Bob")
    tokens = [room.token, ann.token, bob.token]
    engine = app.extensions["calmroom"].engine
    with engine.connect() as conn:
        for table in models.Base.metadata.sorted_tables:
            for row in conn.execute(select(table)).all():
                text = json.dumps([str(v) for v in row])
                assert not [t for t in tokens if t in text], f"a token is stored in the clear in {table.name}"
        hashes = conn.execute(
            select(models.ParticipantRow.token_hash).where(models.ParticipantRow.id.in_([ann.id, bob.id]))
        ).scalars().all()
        assert len(hashes) == 2 and all(len(h) >= 32 for h in hashes)


def test_the_rejoin_and_host_acks_carry_no_token(make_room):
    room = make_room()
    ann = room.join("Ann")
    tab = room.connect("Ann tab")
    ack = tab.ok("rejoin", {"room": room.code, "token": ann.token})
    assert not leaks(ack, values={ann.token, room.token}, key_paths=(("token",), ("facilitator_token",)))
    fac2 = room.connect("facilitator 2")
    ack = fac2.ok("host_room", {"room": room.code, "facilitator_token": room.token})
    assert not leaks(ack, values={ann.token, room.token}, key_paths=(("token",), ("facilitator_token",)))


# -- facilitator notes (deck format, second edition) -------------------------------------------------------
NOTES = {
    "learning_goal": "NOTE-goal: name the second delay",
    "turning_point": "NOTE-turn: the parent mentions the day off",
    "model_phrases": ["NOTE-phrase: I can see this costs you a Saturday"],
    "meter": "NOTE-meter: +1 per excuse",
    "scene_ends": "NOTE-end: a date is agreed",
}
VARIANT = {"id": "no-date", "title": "NOTE-variant: no date will do", "customer": "NOTE-variant-play: refuses every date"}
NARROWED = ["NARROWED: lets the parent finish", "NARROWED: repeats the Saturday"]
CHECK_IN = ["CHECKIN: how are you now?", "CHECKIN: anything to say to the other player?"]
# the check-in questions are the one part of the deck's facilitator page the players get (below)
DECK_NOTES = {
    "introduction": "NOTE-intro: we are all customers",
    "aftercare": {"check_in": CHECK_IN, "guidance": ["NOTE-guidance: ask how they are first"], "when_shaken": "NOTE-shaken: sit with them"},
}


@pytest.fixture
def noted_room(http, make_room, data_dir, trainer_token):
    """A room on the test deck with every facilitator-only field filled in."""
    import yaml

    deck = yaml.safe_load((data_dir / "minimal-deck.yaml").read_text(encoding="utf-8"))
    deck["id"] = "noted-deck"
    deck["facilitator"] = DECK_NOTES
    deck["cards"][0].update(channel="phone", play_minutes=5, facilitator=NOTES, variants=[VARIANT], look_fors={"listen": NARROWED})
    make_room()
    res = http.post("/api/decks", data=yaml.safe_dump(deck, allow_unicode=True).encode(), content_type="application/yaml",
                    headers={"Authorization": f"Bearer {trainer_token}"})
    assert res.status_code in (200, 201), res.get_json()
    return make_room("noted-deck")


def test_facilitator_notes_never_reach_a_participant(noted_room):
    room = noted_room
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    everyone_forgets(room)
    _play_with_everything(room, ann, bob, cas, dee)
    _reconnect(room, cas)
    act(fac, "close_room")
    for m in (ann, bob, cas, dee, fac):
        act(m, "sync")
    notes = {"NOTE-"}
    for m in (ann, bob, cas, dee):
        assert_no_leak(m, key_paths=(("card", "facilitator"), ("card", "variants"), ("deck", "facilitator")), values=notes)
    for m in (ann, bob):
        assert_no_leak(m, key_paths=(("card", "look_fors"),), values={"NARROWED"})
    # observers score with the card's narrowed look-fors; everyone sees channel and play time
    for m in (cas, dee):
        card = [s for s in states_of(m) if s.get("round")][0]["round"]["card"]
        assert card["look_fors"] == {"listen": NARROWED}, m.name
    for m in (ann, bob, cas, dee, fac):
        card = [s for s in states_of(m) if s.get("round")][0]["round"]["card"]
        assert (card["channel"], card["play_minutes"]) == ("phone", 5), m.name
    # the facilitator does get the notes, while the round is on and after
    fac_cards = [s["round"]["card"] for s in states_of(fac) if s.get("round")]
    assert fac_cards and all(c["facilitator"] == NOTES and c["variants"] == [VARIANT] for c in fac_cards)


def test_check_in_questions_reach_the_two_players_while_they_reflect(noted_room):
    """After-care: the players step out of their roles before the reveal, so
    they (and the facilitator) get the deck's check-in questions in scoring
    and review; observers never, and nobody before the role-play ends."""
    room = noted_room
    ann, bob, cas, dee = cast(room)
    fac = room.facilitator
    everyone_forgets(room)
    _play_with_everything(room, ann, bob, cas, dee)
    for m in (ann, bob, fac):
        by_phase = {}
        for s in states_of(m):
            if s.get("round"):
                by_phase.setdefault(s["phase"], []).append(s["round"].get("check_in"))
        assert set(by_phase) >= {"briefing", "roleplay", "scoring", "review"}, m.name
        for phase, seen in by_phase.items():
            expected = CHECK_IN if phase in ("scoring", "review") else None
            assert all(c == expected for c in seen), (m.name, phase, seen)
        # and the state with them still passes the wire schema
        assert all(StateOut().validate(s) == {} for s in states_of(m)), m.name
    for m in (cas, dee):
        assert_no_leak(m, key_paths=(("check_in",),), values={"CHECKIN:"})
    # the rest of the after-care page stays with the facilitator's deck
    for m in (ann, bob, cas, dee, fac):
        assert_no_leak(m, values={"NOTE-guidance", "NOTE-shaken", "NOTE-intro"})


def test_a_deck_without_check_in_questions_sends_none(make_room):
    room = make_room()
    ann, bob, cas, dee = cast(room)
    everyone_forgets(room)
    _play_with_everything(room, ann, bob, cas, dee)
    for m in (ann, bob, cas, dee, room.facilitator):
        assert_no_leak(m, key_paths=(("check_in",),))
