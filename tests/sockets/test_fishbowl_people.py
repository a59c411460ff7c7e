"""Who a participant sees of the people in a fishbowl or an anonymous room
(domain/headcount.py): the players of the round, itself, and counts; never
another observer's name or id, in any payload. The facilitator still hears of
every observer coming, going and going offline."""
from __future__ import annotations

import json
import time

import pytest

from calmroom.protocol.server_events import SERVER_EVENTS
from helpers.members import Room

PLAYERS = ("Ann", "Bob")
OBSERVERS = ("Zebulon", "Quintessa", "Xaverius", "Wilhelmina")


def _received(member) -> list:
    member.pump()
    return [e["args"][0] if e["args"] else {} for e in member.inbox] + [s for _, s in member.snapshots]


def _all_deltas(fac) -> list[tuple[str, dict]]:
    fac.pump()
    out = []
    for e in fac.inbox:
        if e["name"] == "batch":
            out += [(n, p) for n, p in e["args"][0]["events"]]
        else:
            out.append((e["name"], e["args"][0] if e["args"] else {}))
    return out


@pytest.mark.parametrize("options", [{"fishbowl": True}, {"anonymous": True}, {"fishbowl": True, "name_timeouts": True}])
def test_no_participant_learns_another_observers_name_or_id(make_room, options):
    room = make_room(options=options)
    fac = room.facilitator
    ann, bob, zeb, qui = (room.join(n) for n in (*PLAYERS, *OBSERVERS[:2]))
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    xav = room.join("Xaverius")  # joins during the round
    wil = room.join("Wilhelmina")
    fac.ok("begin_roleplay")
    zeb.ok("mark_step", {"id": "z1", "step": "listen", "rating": 1, "note": "interrupted"})
    xav.ok("mark_step", {"id": "x1", "step": "empathy", "rating": 3})
    qui.ok("call_timeout", {"reason": "air"})
    fac.ok("resume_round")
    fac.ok("end_roleplay")
    zeb.ok("score_step", {"step": "listen", "rating": 1, "comment": "quick"})
    xav.ok("rate_global", {"rating": 4})
    wil.ok("leave_room")
    fac.ok("kick", {"participant": qui.id})
    xav.client.disconnect()
    fac.ok("reveal_results")
    for m in (ann, bob, zeb):
        m.ok("sync")
    watchers = {"Zebulon": zeb, "Quintessa": qui, "Xaverius": xav, "Wilhelmina": wil}
    for member in (ann, bob, zeb):
        received = _received(member)
        assert len(received) > 5
        text = json.dumps(received)
        for name, obs in watchers.items():
            if obs is member:
                continue
            assert name not in text, (options, member.name, name)
            assert obs.id not in text, (options, member.name, name)
        # the players are named, to everyone
        assert "Ann" in text and "Bob" in text
    # what a participant's list shows: the players, itself, and the counts
    view = zeb.view()
    assert sorted(p["name"] for p in view["participants"]) == ["Ann", "Bob", "Zebulon"]
    assert view["headcount"] == {"people": 4, "observers": 2, "online": 1}
    assert ann.view()["headcount"] == {"people": 4, "observers": 2, "online": 1}
    # the facilitator heard of every observer, one delta each
    deltas = _all_deltas(fac)
    joined = {p["participant"]["name"] for n, p in deltas if n == "participant_joined"}
    assert set(OBSERVERS) <= joined
    assert {(p["participant"], p["reason"]) for n, p in deltas if n == "participant_left"} == {(wil.id, "left"), (qui.id, "kicked")}
    assert (xav.id, False) in {(p["participant"], p["connected"]) for n, p in deltas if n == "presence_changed"}
    assert "headcount" not in {n for n, _ in deltas}
    names = {p["name"] for p in fac.ok("sync")["state"]["participants"]}
    assert names == {"Ann", "Bob", "Zebulon", "Xaverius"}


def test_counts_come_batched_and_the_chain_of_versions_stays_whole(batching_room):
    plain = batching_room
    room = Room(plain.app, plain.io, plain.http, "test-deck", {"fishbowl": True})
    ann = room.join("Ann")
    for i in range(6):
        room.join(f"Watcher{i}")
    deadline = time.monotonic() + 3
    while ann.view().get("headcount", {}).get("people") != 7 and time.monotonic() < deadline:
        time.sleep(0.05)
    got = []
    for e in ann.inbox:
        if e["name"] == "batch":
            got += [p for n, p in e["args"][0]["events"] if n == "headcount"]
            assert all(n == "headcount" for n, _ in e["args"][0]["events"])
        elif e["name"] == "headcount":
            got.append(e["args"][0])
    assert got
    # fewer messages than joins, and no gap: each one's prev is the last one's version
    assert len(got) < 6
    last = ann.snapshots[0][1]["version"]
    for p in got:
        # (the first may cover Ann's own join, which her ack had)
        assert p["prev"] <= last and p["version"] > p["prev"] and SERVER_EVENTS["headcount"]().validate(p) == {}
        last = max(last, p["version"])
    assert got[-1]["people"] == 7 and got[-1]["observers"] == 7
    assert ann.view()["headcount"]["people"] == 7
    assert [p["name"] for p in ann.view()["participants"]] == ["Ann"]


def test_a_plain_room_still_lists_everyone(make_room):
    room = make_room()
    ann, cas = room.join("Ann"), room.join("Cas")
    ann.wait_for("participant_joined")
    assert {p["name"] for p in ann.view()["participants"]} == {"Ann", "Cas"}
    assert "headcount" not in ann.view() and not ann.events("headcount")
    assert cas.view()["participants"][0]["name"] == "Ann"


def test_a_fishbowls_live_aggregate_counts_who_has_finished_and_who_is_scoring(make_room):
    room = make_room(options={"fishbowl": True})
    fac = room.facilitator
    ann, bob = room.join("Ann"), room.join("Bob")
    done, busy, idle = (room.join(n) for n in ("Olu", "Oki", "Ona"))
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    done.ok("mark_step", {"id": "d1", "step": "listen", "rating": 2, "note": "calm"})
    fac.ok("end_roleplay")
    done.ok("score_step", {"step": "listen", "rating": 2})
    done.ok("score_step", {"step": "empathy", "rating": None})
    busy.ok("score_step", {"step": "listen", "rating": 1})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(a["scored"] == 1 and a["scoring"] == 1 for a in fac.events("live_aggregate")):
        time.sleep(0.05)
    last = fac.events("live_aggregate")[-1]
    assert (last["observers"], last["scored"], last["scoring"]) == (3, 1, 1)
    assert SERVER_EVENTS["live_aggregate"]().validate(last) == {}
    assert fac.ok("sync")["state"]["round"]["live"]["scoring"] == 1
    fac.ok("reveal_results")
    # after the reveal an observer's own view still has its own marks and scores
    mine = done.ok("sync")["state"]["round"]
    assert [m["id"] for m in mine["marks"]] == ["d1"]
    assert {s["step"] for s in mine["scores"]} == {"listen", "empathy"}
    assert {m["author"] for m in mine["marks"]} | {s["author"] for s in mine["scores"]} == {done.id}
    assert idle.ok("sync")["state"]["round"]["marks"] == []


def test_whoever_calls_a_time_out_knows_it_was_them_and_the_room_does_not(make_room):
    room = make_room(options={"fishbowl": True})
    fac = room.facilitator
    ann, bob, olu, oki = (room.join(n) for n in ("Ann", "Bob", "Olu", "Oki"))
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    olu.ok("call_timeout", {"reason": "too loud"})
    # the caller's own view names it (the client says "you called a time-out"); nobody else's does
    assert olu.ok("sync")["state"]["round"]["timeouts"][0]["by"] == olu.id
    for other in (ann, bob, oki):
        assert other.ok("sync")["state"]["round"]["timeouts"][0]["by"] is None
        assert "Olu" not in json.dumps(other.events("notice"))
    assert fac.events("notice")[-1]["by"] == olu.id
