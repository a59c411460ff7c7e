"""Room options (issue 14 "Anonymity option per room", issue 13 item 5): set
at creation and by the facilitator; an anonymous room never lets a
participant learn which observer did what; time-outs name nobody unless the
room says so; a fishbowl's marks reach the facilitator as batched aggregates."""
from __future__ import annotations

import json
import time

from calmroom.protocol.server_events import SERVER_EVENTS

# names no other text of a room contains, so a scan finds only what leaked
OBSERVERS = ("Zebulon", "Quintessa")
PLAYERS = ("Ann", "Bob")


def _strip_roster(payload):
    """A payload without the room's list of people (who is in the room is no
    secret: they sit in it together); everything else is scanned."""
    if isinstance(payload, dict):
        out = {}
        for k, v in payload.items():
            if k in ("participants", "participant", "you"):
                continue
            out[k] = _strip_roster(v)
        return out
    if isinstance(payload, list):
        return [_strip_roster(v) for v in payload]
    return payload


def _play_a_round(room, fac, ann, bob, zeb, qui):
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    zeb.ok("mark_step", {"id": "z1", "step": "listen", "rating": 1, "note": "he interrupted"})
    qui.ok("mark_step", {"id": "q1", "step": "empathy", "rating": 3, "note": "named it"})
    zeb.ok("call_timeout", {"reason": "I need air"})
    fac.ok("resume_round")
    fac.ok("end_roleplay")
    zeb.ok("score_step", {"step": "listen", "rating": 1, "comment": "too quick"})
    qui.ok("score_step", {"step": "listen", "rating": 3})
    qui.ok("score_step", {"step": "empathy", "rating": None, "comment": "n/a for me"})
    fac.ok("score_step", {"step": "listen", "rating": 0})
    zeb.ok("rate_global", {"rating": 2})
    qui.ok("rate_global", {"rating": 5})
    ann.ok("reflect", {"feeling": 3, "felt_heard": 4})
    fac.ok("reveal_results")


def _everything_received(member) -> list:
    member.pump()
    return [e["args"][0] if e["args"] else {} for e in member.inbox] + [s for _, s in member.snapshots]


def test_an_anonymous_room_never_tells_a_participant_which_observer_did_what(make_room):
    room = make_room(options={"anonymous": True})
    fac = room.facilitator
    ann, bob, zeb, qui = (room.join(n) for n in (*PLAYERS, *OBSERVERS))
    _play_a_round(room, fac, ann, bob, zeb, qui)
    for m in (ann, bob, zeb, qui):
        m.ok("sync")
    observers = {"Zebulon": zeb, "Quintessa": qui}
    for member in (ann, bob, zeb, qui):
        received = _everything_received(member)
        assert received
        text = json.dumps([_strip_roster(p) for p in received])
        for name, obs in observers.items():
            if obs is member:
                continue  # its own marks it knows
            assert name not in text, (member.name, name)
            assert obs.id not in text, (member.name, name)
    # what the players see instead: aliases, the same on every screen
    review = ann.view()["round"]
    assert sorted({m["author"] for m in review["marks"]}) == ["observer-1", "observer-2"]
    assert review["timeouts"][0]["by"] is None
    # the facilitator still knows who
    fac_round = fac.ok("sync")["state"]["round"]
    assert {m["author"] for m in fac_round["marks"]} == {zeb.id, qui.id}
    assert fac_round["timeouts"][0]["by"] == zeb.id


def test_an_anonymous_room_hides_observers_in_what_a_player_takes_home(make_room):
    room = make_room(options={"anonymous": True})
    fac = room.facilitator
    ann, bob, zeb, qui = (room.join(n) for n in (*PLAYERS, *OBSERVERS))
    _play_a_round(room, fac, ann, bob, zeb, qui)
    for player in (ann, bob):
        res = room.http.get(f"/api/rooms/{room.code}/me", headers={"Authorization": f"Bearer {player.token}"})
        assert res.status_code == 200
        text = res.get_data(as_text=True)
        for obs in (zeb, qui):
            assert obs.name not in text and obs.id not in text
        played = res.get_json()["played"][0]
        assert {m["author"] for m in played["marks"]} == {"observer-1", "observer-2"}
        assert all(m["author_name"] is None for m in played["marks"])
        assert played["timeouts"][0]["name"] is None
    # the facilitator's results name everyone
    res = room.http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"})
    assert "Zebulon" in res.get_data(as_text=True)


def test_a_time_out_names_its_caller_to_the_facilitator_only_unless_the_room_names_them(make_room):
    for options, named in (({}, False), ({"name_timeouts": True}, True), ({"name_timeouts": True, "anonymous": True}, False)):
        room = make_room(options=options or None)
        fac = room.facilitator
        ann, bob, cas = (room.join(n) for n in ("Ann", "Bob", "Cas"))
        fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
        fac.ok("begin_roleplay")
        bob.ok("call_timeout", {})
        to_cas = cas.events("notice")[-1]
        assert to_cas["kind"] == "timeout"
        assert ("by" in to_cas) is named and ("Bob" in to_cas["message"]) is named, options
        assert (cas.last_state()["round"]["timeouts"][0]["by"] == bob.id) is named
        to_fac = fac.events("notice")[-1]
        assert to_fac["by"] == bob.id and "Bob" in to_fac["message"]
        for payload in (to_cas, to_fac):
            assert SERVER_EVENTS["notice"]().validate(payload) == {}


def test_options_at_creation_and_refused_ones(make_room, http):
    room = make_room(options={"fishbowl": True})
    assert room.facilitator.ok("sync")["state"]["options"] == {
        "anonymous": False, "name_timeouts": False, "fishbowl": True, "projector_live": False,
    }
    res = http.post("/api/rooms", json={"deck": "test-deck", "options": {"anonymous": "yes", "loud": True}})
    assert res.status_code == 400
    assert res.get_json()["error"]["fields"] == {"options.anonymous": "must be true or false", "options.loud": "unknown field"}


def test_the_facilitator_changes_options_and_everyone_gets_their_view_again(make_room):
    room = make_room()
    fac = room.facilitator
    ann, bob, cas = (room.join(n) for n in ("Ann", "Bob", "Cas"))
    before = fac.ok("sync")["state"]["version"]
    ack = fac.ok("set_options", {"anonymous": True})
    assert ack["options"]["anonymous"] is True
    for m in (fac, ann, bob, cas):
        state = m.last_state()
        assert state["options"]["anonymous"] is True and state["version"] == before + 1
    # the same again changes nothing
    room.clear()
    fac.ok("set_options", {"anonymous": True})
    assert fac.events("state") == [] and fac.ok("sync")["state"]["version"] == before + 1


def test_set_options_refusals_change_nothing(make_room):
    room = make_room()
    ann = room.join("Ann")
    version = room.facilitator.ok("sync")["state"]["version"]
    assert ann.call("set_options", {"anonymous": True})["error"]["code"] == "forbidden"
    assert room.facilitator.call("set_options", {})["error"]["code"] == "invalid"
    bad = room.facilitator.call("set_options", {"anonymous": 1, "shy": True})
    assert bad["error"]["code"] == "invalid" and set(bad["error"]["fields"]) == {"anonymous", "shy"}
    state = room.facilitator.ok("sync")["state"]
    assert state["version"] == version and state["options"]["anonymous"] is False


def _wait_aggregates(member, marks: int, timeout: float = 5.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = member.events("live_aggregate")
        if got and got[-1]["marks"] >= marks:
            return got
        time.sleep(0.05)
    return member.events("live_aggregate")


def test_fishbowl_marks_reach_the_facilitator_as_batched_aggregates_and_nobody_else(make_room):
    room = make_room(options={"fishbowl": True})
    fac = room.facilitator
    ann, bob = room.join("Ann"), room.join("Bob")
    audience = [room.join(f"Obs{i}") for i in range(6)]
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    room.clear()
    sent = 0
    began = time.monotonic()
    for i in range(5):
        for j, obs in enumerate(audience):
            obs.ok("mark_step", {"id": f"m{i}", "step": "listen" if j % 2 else "empathy", "rating": (i + j) % 4})
            sent += 1
    took = time.monotonic() - began
    aggregates = _wait_aggregates(fac, sent)
    assert aggregates and aggregates[-1]["marks"] == sent
    # batched: at most one aggregate per window (250 ms) while marks came, and
    # one more for the last window; not one event per mark
    assert len(aggregates) <= took / 0.25 + 2 and len(aggregates) < sent, (len(aggregates), took)
    assert fac.events("step_marked") == []
    last = aggregates[-1]
    assert SERVER_EVENTS["live_aggregate"]().validate(last) == {}
    assert last["observers"] == 6 and sum(s["marks"] for s in last["steps"]) == sent
    assert [s["step"] for s in last["steps"]] == ["listen", "empathy"]
    assert "Obs" not in json.dumps(aggregates)
    # the observers and the players got nothing for all these marks
    for m in (ann, bob, *audience):
        assert m.events("live_aggregate") == [] and m.inbox == [], m.name
    # scores too, and the facilitator's whole state carries the same picture
    fac.ok("end_roleplay")
    audience[0].ok("score_step", {"step": "listen", "rating": 2})
    audience[1].ok("score_step", {"step": "listen", "rating": None})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(a["steps"][0]["na"] for a in fac.events("live_aggregate")):
        time.sleep(0.05)
    listen = fac.events("live_aggregate")[-1]["steps"][0]
    assert listen["score_counts"] == [0, 0, 1, 0] and listen["na"] == 1
    assert fac.events("step_scored") == []
    assert fac.ok("sync")["state"]["round"]["live"]["steps"][0] == listen


def test_a_fishbowls_aggregate_counts_corrected_marks_as_corrected(make_room):
    """Marks are counted by the database (store/aggregate.py); once a mark is
    corrected the round is read whole. Either way the aggregate is the one
    the facilitator's whole state carries."""
    room = make_room(options={"fishbowl": True})
    fac = room.facilitator
    ann, bob, cas, dee = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee"))
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    cas.ok("mark_step", {"id": "c1", "step": "listen", "rating": 1})
    cas.ok("mark_step", {"id": "c2", "step": "listen", "rating": 3})
    dee.ok("mark_step", {"id": "d1", "step": "empathy", "rating": 2})
    counted = _wait_aggregates(fac, 3)[-1]
    assert [s["mark_counts"] for s in counted["steps"]] == [[0, 1, 0, 1], [0, 0, 1, 0]]
    assert [s["markers"] for s in counted["steps"]] == [1, 1]
    assert fac.ok("sync")["state"]["round"]["live"] == {k: v for k, v in counted.items() if k not in ("version", "prev")}
    cas.ok("correct_mark", {"id": "x1", "mark": "c1", "undo": True})
    cas.ok("correct_mark", {"id": "x2", "mark": "c2", "step": "empathy", "rating": 0})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and fac.events("live_aggregate")[-1]["marks"] != 2:
        time.sleep(0.05)
    corrected = fac.events("live_aggregate")[-1]
    assert corrected["marks"] == 2
    assert [s["mark_counts"] for s in corrected["steps"]] == [[0, 0, 0, 0], [1, 0, 1, 0]]
    assert [s["markers"] for s in corrected["steps"]] == [0, 2]
    assert fac.ok("sync")["state"]["round"]["live"] == {k: v for k, v in corrected.items() if k not in ("version", "prev")}


def test_a_room_that_is_no_fishbowl_keeps_the_live_feed(make_room):
    room = make_room()
    fac = room.facilitator
    ann, bob, cas = (room.join(n) for n in ("Ann", "Bob", "Cas"))
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2})
    time.sleep(0.4)
    assert len(fac.events("step_marked")) == 1 and fac.events("live_aggregate") == []
    assert "live" not in fac.ok("sync")["state"]["round"]


def test_the_review_state_carries_the_debriefs_step_results(make_room):
    """Bug 4: the review panel renders the server's aggregates, the same as
    the debrief's (GET /results): facilitator and n/a scores left out of the means."""
    room = make_room()
    fac = room.facilitator
    ann, bob, zeb, qui = (room.join(n) for n in (*PLAYERS, *OBSERVERS))
    _play_a_round(room, fac, ann, bob, zeb, qui)
    debrief = room.http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"}).get_json()
    rnd = debrief["rounds"][0]
    expected = {"steps": rnd["steps"], "overall": rnd["overall"], "capped_by": rnd["capped_by"], "disagreements": rnd["disagreements"]}
    as_agent = next(p for p in debrief["participants"] if p["id"] == bob.id)["as_agent"][0]
    expected.update(global_rating=as_agent["global_rating"], global_count=2)
    assert expected["global_rating"] == 3.5  # (2 + 5) / 2
    for m in (fac, ann, bob, zeb, qui):
        assert m.last_state()["round"]["results"] == expected, m.name
    listen = rnd["steps"][0]
    assert (listen["mean"], listen["n"], listen["facilitator"]) == (2, 2, 0)  # (1 + 3) / 2, the facilitator's 0 apart
    assert rnd["steps"][1]["na"] == 1 and rnd["steps"][1]["mean"] is None


def test_after_the_reveal_a_fishbowls_audience_gets_the_results_not_every_mark(make_room):
    """The reveal in a room of a thousand: the observers' one view holds the
    aggregates, not every mark and score of everyone; the players still get all."""
    room = make_room(options={"fishbowl": True})
    fac = room.facilitator
    ann, bob, zeb, qui = (room.join(n) for n in (*PLAYERS, *OBSERVERS))
    _play_a_round(room, fac, ann, bob, zeb, qui)
    seen = zeb.last_state()["round"]
    assert seen["marks"] == [] and seen["scores"] == [] and seen["global_ratings"] == {}
    assert seen["results"]["steps"][0]["n"] == 2 and seen["results"]["global_count"] == 2
    mine = zeb.ok("sync")["state"]["round"]
    assert {m["author"] for m in mine["marks"]} == {zeb.id}  # its own, as before the reveal
    for player in (ann, bob):
        assert len(player.last_state()["round"]["marks"]) == 2
