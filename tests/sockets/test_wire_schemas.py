"""Every event the server sends, in a whole room's life, matches its schema in
calmroom.protocol.server_events (which refuses undeclared fields)."""
from __future__ import annotations

from calmroom.protocol.server_events import SERVER_EVENTS, StateOut


def test_every_emitted_event_matches_its_schema(make_room):
    room = make_room()
    fac = room.facilitator
    a, b, c, d = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee"))
    fac.ok("start_round", {"card": "sofa", "customer": a.id, "agent": b.id})
    fac.ok("begin_roleplay")
    c.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2, "note": "good"})
    fac.ok("mark_step", {"id": "f1", "step": "empathy", "rating": 1})
    c.ok("mark_step", {"id": "m2", "step": "empathy", "rating": 1})
    c.ok("correct_mark", {"id": "c1", "mark": "m1", "rating": 3, "note": "better"})
    c.ok("correct_mark", {"id": "c2", "mark": "m2", "undo": True})
    a.ok("set_temperature", {"id": "t1", "level": 9})
    b.ok("call_timeout", {"reason": "pause please"})
    fac.ok("resume_round")
    fac.ok("end_roleplay")
    c.ok("score_step", {"step": "listen", "rating": None, "comment": "n/a here"})
    d.ok("rate_global", {"rating": 4})
    a.ok("reflect", {"feeling": 2, "felt_heard": 3})
    b.ok("reflect", {"feeling": 4, "went_well": "calm"})
    fac.ok("reveal_results")
    fac.ok("lock_room", {"locked": True})
    e = room.connect("Eve")  # knocks, is let in, then moves to another device by her code
    asked = e.ok("knock", {"room": room.code, "name": "Eve"})["request"]
    fac.ok("answer_request", {"request": asked["id"], "admit": True})
    code = e.ok("claim_request", {"room": room.code, "request": asked["id"], "token": asked["token"]})["rejoin_code"]
    room.people["Eve"], room.people["Eve's laptop"] = e, room.connect("Eve's laptop")
    room.people["Eve's laptop"].ok("rejoin_with_code", {"room": room.code, "code": code})
    fac.ok("set_options", {"anonymous": True})  # every view again, the participants' with aliases
    d.client.disconnect()  # her last connection: presence_changed
    d2 = room.connect("Dee again")
    d2.ok("rejoin", {"room": room.code, "token": d.token})
    room.people["Dee"] = d2
    fac.ok("kick", {"participant": d.id})
    c.ok("leave_room")
    fac.ok("close_room")

    seen = set()
    for m in room.everyone():
        m.pump()
        for e in m.inbox:
            name, payload = e["name"], e["args"][0]
            assert name in SERVER_EVENTS, name
            errors = SERVER_EVENTS[name]().validate(payload)
            assert errors == {}, (m.name, name, errors)
            seen.add(name)
    # this app sends each delta at once (test_batch_items_match); a fishbowl's
    # aggregates: test_room_options.py checks them against their schema
    assert seen == set(SERVER_EVENTS) - {"batch", "live_aggregate"}


def test_batch_items_match_their_schemas(batching_room):
    room = batching_room
    for name in ("Ann", "Bob", "Cas", "Dee"):
        room.join(name)
    room.people["Dee"].ok("leave_room")
    batches = room.facilitator.wait_for("batch")
    assert batches
    for b in batches:
        assert SERVER_EVENTS["batch"]().validate(b) == {}
        for name, payload in b["events"]:
            assert name in ("participant_joined", "participant_left", "presence_changed")
            assert SERVER_EVENTS[name]().validate(payload) == {}, (name, payload)


def test_ack_states_match_the_state_schema(make_room):
    room = make_room()
    m = room.connect("x")
    ack = m.ok("join_room", {"room": room.code, "name": "X"})
    assert StateOut().validate(ack["state"]) == {}
    assert StateOut().validate(room.facilitator.ok("sync")["state"]) == {}
    # an ack's state is whole; a broadcast one leaves out what the members have
    for whole in (ack["state"], room.facilitator.ok("sync")["state"], m.ok("sync")["state"]):
        assert "deck" in whole and "participants" in whole
    room.facilitator.ok("lock_room", {"locked": True})
    for member in (m, room.facilitator):
        broadcast = member.last_state()
        assert StateOut().validate(broadcast) == {}
        assert "deck" not in broadcast and "participants" not in broadcast and broadcast["locked"] is True
