"""Coming back from another device and knocking on a locked room
(services/admission.py): by a personal rejoin code, by the facilitator's
approval of a join under an offline participant's name, and by a knock the
facilitator answers. Identity, role, marks and scores stay one person's."""
from __future__ import annotations

import re
import time

import pytest

from calmroom.app import create_app
from calmroom.config import TestConfig
from calmroom.domain import admission as rules
from helpers.members import Member, Room


class Clock:
    def __init__(self, t: int = 1_800_000_000_000):
        self.t = t

    def __call__(self) -> int:
        return self.t


@pytest.fixture
def clock(app, monkeypatch):
    fake = Clock()
    monkeypatch.setattr(app.extensions["calmroom"].rooms, "now_ms", fake)
    return fake


def gone(member: Member, timeout: float = 3.0) -> bool:
    """The server let go of this socket (after telling it why)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        member.pump()
        if not member.client.is_connected():
            return True
        time.sleep(0.05)
    return False


def played(make_room):
    """Ann (customer), Bram (agent), Cas and Dee observing, in the role-play; Cas has marked."""
    room = make_room()
    ann, bram, cas, dee = (room.join(n) for n in ("Ann", "Bram", "Cas", "Dee"))
    room.facilitator.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bram.id})
    room.facilitator.ok("begin_roleplay")
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2})
    return room, ann, bram, cas, dee


def code_of(member: Member) -> str:
    return member.ok("renew_rejoin_code")["rejoin_code"]


def everything_sent(room: Room, *more: Member) -> str:
    return repr([m.inbox for m in [*room.everyone(), *more]]) + repr([m.snapshots for m in [*room.everyone(), *more]])


# -- the rejoin code --------------------------------------------------------------
def test_a_join_gives_a_rejoin_code_to_the_joiner_alone(make_room):
    room = make_room()
    m = room.connect("Ann")
    ack = m.ok("join_room", {"room": room.code, "name": "Ann"})
    code = ack["rejoin_code"]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code) and not set(code) & set("01OIL")
    room.people["Ann"] = m
    room.join("Bob")
    state = room.facilitator.ok("sync")["state"]
    bare = code.replace("-", "")
    for m in room.everyone():
        m.pump()
    # nobody else got it, in no event and no state (the joiner has it in its ack only)
    others = repr([x.inbox for x in room.everyone()]) + repr(state) + repr(room.people["Bob"].snapshots)
    assert code not in others and bare not in others
    assert bare not in room.http.get(f"/api/rooms/{room.code}").get_data(as_text=True)


def test_a_new_device_takes_over_by_code_mid_round(make_room):
    room, ann, bram, cas, dee = played(make_room)
    fac = room.facilitator
    code = code_of(bram)
    laptop = room.connect("Bram's laptop")
    for m in room.everyone():
        m.clear()
    ack = laptop.ok("rejoin_with_code", {"room": room.code, "code": code.lower().replace("-", " ")})
    assert ack["you"] == {"id": bram.id, "name": "Bram"}
    assert ack["state"]["you"]["role"] == "agent" and ack["state"]["round"]["agent"] == bram.id
    assert ack["token"] != bram.token and ack["rejoin_code"] != code
    # the phone is told it moved and is let go; the facilitator hears of it too
    moved = [n for n in bram.events("notice") if n["kind"] == "moved"]
    assert moved and "another device" in moved[0]["message"]
    assert gone(bram)
    assert [n["kind"] for n in fac.events("notice")] == ["moved"]
    # nobody else sees a change: Bram was online and still is, one person
    assert cas.events("participant_joined") == cas.events("participant_left") == []
    state = fac.ok("sync")["state"]
    assert [p["name"] for p in state["participants"]] == ["Ann", "Bram", "Cas", "Dee"]
    assert next(p for p in state["participants"] if p["name"] == "Bram")["connected"] is True
    # the phone's token and the used code no longer work; the phone hears why
    phone = room.connect("Bram's phone again")
    err = phone.call("rejoin", {"room": room.code, "token": bram.token})["error"]
    assert err["code"] == "conflict" and "token" in err["fields"] and "another device" in err["message"]
    assert room.connect("x").call("rejoin_with_code", {"room": room.code, "code": code})["error"]["code"] == "unauthorized"
    # the laptop plays on as Bram: the agent reflects as himself
    laptop.id = bram.id
    fac.ok("end_roleplay")
    assert laptop.ok("reflect", {"feeling": 4})["reflection"]["role"] == "agent"


def test_an_observer_on_a_new_device_keeps_her_marks(make_room):
    room, ann, bram, cas, dee = played(make_room)
    laptop = room.connect("Cas's laptop")
    state = laptop.ok("rejoin_with_code", {"room": room.code, "code": code_of(cas)})["state"]
    assert [(m["id"], m["author"]) for m in state["round"]["marks"]] == [("m1", cas.id)]
    assert state["you"]["role"] == "observer"
    mark = laptop.ok("mark_step", {"id": "m2", "step": "empathy", "rating": 3})["mark"]
    assert mark["author"] == cas.id


def test_an_offline_participant_comes_back_by_code_and_everyone_sees_him_online(make_room):
    room, ann, bram, cas, dee = played(make_room)
    code = code_of(bram)
    bram.client.disconnect()
    assert cas.wait_for("presence_changed")[-1] == {**cas.events("presence_changed")[-1], "connected": False}
    cas.clear()
    laptop = room.connect("laptop")
    laptop.ok("rejoin_with_code", {"room": room.code, "code": code})
    (back,) = cas.events("presence_changed")
    assert back["participant"] == bram.id and back["connected"] is True


def test_wrong_codes_are_refused_and_change_nothing(make_room, clock):
    room, ann, bram, cas, dee = played(make_room)
    before = room.facilitator.ok("sync")["state"]
    guesser = room.connect("guesser")
    for code in ("ABCD-EFGH", "abcdefgh", "2345 6789"):
        err = guesser.call("rejoin_with_code", {"room": room.code, "code": code})["error"]
        assert err["code"] == "unauthorized" and "code" in err["fields"]
    for bad in ("ABC", "ABCDEFG0", "ABCDEFGHJ", "", 12345678):
        err = guesser.call("rejoin_with_code", {"room": room.code, "code": bad})["error"]
        assert err["code"] == "invalid" and "code" in err["fields"]
    assert guesser.call("sync")["ok"] is False  # still nobody
    assert room.facilitator.ok("sync")["state"] == before


def test_a_code_works_only_in_its_own_room_and_not_for_someone_removed(make_room):
    room, ann, bram, cas, dee = played(make_room)
    other = make_room()
    code = code_of(dee)
    assert other.connect("x").call("rejoin_with_code", {"room": other.code, "code": code})["error"]["code"] == "unauthorized"
    room.facilitator.ok("kick", {"participant": dee.id})
    assert room.connect("y").call("rejoin_with_code", {"room": room.code, "code": code})["error"]["code"] == "unauthorized"


def test_renew_gives_a_new_code_and_the_old_one_stops(make_room):
    room, ann, bram, cas, dee = played(make_room)
    first, second = code_of(cas), code_of(cas)
    assert first != second
    assert room.connect("a").call("rejoin_with_code", {"room": room.code, "code": first})["error"]["code"] == "unauthorized"
    assert room.connect("b").ok("rejoin_with_code", {"room": room.code, "code": second})["you"]["id"] == cas.id
    err = room.facilitator.call("renew_rejoin_code", {})["error"]
    assert err["code"] == "forbidden"


@pytest.fixture
def guarded_room(database_url, data_dir):
    cfg = TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second",
                     guess_limit="5/minute", admin_token="trainer-secret")
    app, io = create_app(cfg)
    http = app.test_client()
    res = http.post("/api/decks", data=(data_dir / "minimal-deck.yaml").read_bytes(), content_type="application/yaml",
                    headers={"Authorization": "Bearer trainer-secret"})
    assert res.status_code in (200, 201)
    yield Room(app, io, http, "test-deck")
    app.extensions["calmroom"].engine.dispose()


def test_guessing_codes_is_slowed_per_address(guarded_room):
    room = guarded_room
    bram = room.join("Bram")
    code = code_of(bram)
    answers = []
    for i in range(8):
        guesser = room.connect(f"g{i}")  # a fresh connection each time does not reset it
        answers.append(guesser.call("rejoin_with_code", {"room": room.code, "code": f"ABCD{i + 2}XYZ"})["error"]["code"])
    assert answers == ["unauthorized"] * 5 + ["rate_limited"] * 3
    # then even the right code waits: the limit refuses before looking
    assert room.connect("late").call("rejoin_with_code", {"room": room.code, "code": code})["error"]["code"] == "rate_limited"


# -- a new device asks to take an offline participant's place -----------------------
def test_the_facilitator_lets_a_new_device_take_an_offline_participants_place(make_room, http):
    room, ann, bram, cas, dee = played(make_room)
    fac = room.facilitator
    bram.client.disconnect()
    fac.wait_for("presence_changed")
    fac.clear()
    laptop = room.connect("laptop")
    ack = laptop.ok("join_room", {"room": room.code, "name": "bram"})  # case does not matter
    assert "token" not in ack and "state" not in ack
    asked = ack["request"]
    assert asked["kind"] == "takeover" and asked["status"] == "pending" and asked["token"]
    (req,) = fac.events("join_requested")
    assert req["request"]["kind"] == "takeover" and req["request"]["participant"] == bram.id
    assert req["request"]["name"] == "bram" and asked["token"] not in repr(req)
    assert cas.events("join_requested") == []  # the facilitator's alone
    # a reload of the console still shows it
    again = room.connect("console after reload")
    state = again.ok("host_room", {"room": room.code, "facilitator_token": room.token})["state"]
    assert [r["id"] for r in state["requests"]] == [asked["id"]]
    assert "requests" not in cas.ok("sync")["state"]

    answered = fac.ok("answer_request", {"request": asked["id"], "admit": True})
    assert answered["outcome"] == "admitted"
    assert [e["outcome"] for e in laptop.events("join_answered")] == ["admitted"]
    assert [e["outcome"] for e in again.events("join_request_closed")] == ["admitted"]  # the other tab forgets it
    came = laptop.ok("claim_request", {"room": room.code, "request": asked["id"], "token": asked["token"]})
    assert came["you"] == {"id": bram.id, "name": "Bram"} and came["state"]["you"]["role"] == "agent"
    assert came["rejoin_code"]
    assert "requests" not in fac.ok("sync")["state"]
    # the old token is dead; one Bram in the results, with his turn as the agent
    assert room.connect("phone").call("rejoin", {"room": room.code, "token": bram.token})["error"]["code"] == "conflict"
    fac.ok("end_roleplay")
    fac.ok("reveal_results")
    body = http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"}).get_json()
    assert sorted(p["name"] for p in body["participants"]) == ["Ann", "Bram", "Cas", "Dee"]
    assert body["rounds"][0]["agent"] == {"id": bram.id, "name": "Bram"}


def test_a_declined_device_is_told_and_cannot_come_in(make_room):
    room, ann, bram, cas, dee = played(make_room)
    bram.client.disconnect()
    room.facilitator.wait_for("presence_changed")
    laptop = room.connect("laptop")
    asked = laptop.ok("join_room", {"room": room.code, "name": "Bram"})["request"]
    room.facilitator.ok("answer_request", {"request": asked["id"], "admit": False})
    assert [e["outcome"] for e in laptop.events("join_answered")] == ["declined"]
    ack = laptop.ok("claim_request", {"room": room.code, "request": asked["id"], "token": asked["token"]})
    assert ack["request"]["status"] == "declined" and "token" not in ack
    assert laptop.call("sync")["ok"] is False
    err = room.facilitator.call("answer_request", {"request": asked["id"], "admit": True})["error"]
    assert err["code"] == "conflict"  # answered already


def test_the_name_of_someone_online_is_still_refused(make_room):
    room, ann, bram, cas, dee = played(make_room)
    err = room.connect("x").call("join_room", {"room": room.code, "name": "Bram"})["error"]
    assert err["code"] == "invalid" and "already uses that name" in err["fields"]["name"]
    assert room.facilitator.events("join_requested") == []


def test_only_the_facilitator_answers_and_only_the_asker_claims(make_room):
    room = make_room()
    cas = room.join("Cas")
    room.facilitator.ok("lock_room", {"locked": True})
    asked = room.connect("Eve").ok("knock", {"room": room.code, "name": "Eve"})["request"]
    assert cas.call("answer_request", {"request": asked["id"], "admit": True})["error"]["code"] == "forbidden"
    nobody = room.connect("nobody")
    assert nobody.call("answer_request", {"request": asked["id"], "admit": True})["error"]["code"] == "unauthorized"
    for token in ("wrong", cas.token):
        err = nobody.call("claim_request", {"room": room.code, "request": asked["id"], "token": token})["error"]
        assert err["code"] == "unauthorized"
    err = room.facilitator.call("answer_request", {"request": "r0000000000000000", "admit": True})["error"]
    assert err["code"] == "not_found"


# -- knocking on a locked room ----------------------------------------------------------
def test_a_knocker_is_let_in_and_another_declined(make_room):
    room = make_room()
    fac = room.facilitator
    cas = room.join("Cas")
    fac.ok("lock_room", {"locked": True})
    eve, zed = room.connect("Eve"), room.connect("Zed")
    assert eve.call("join_room", {"room": room.code, "name": "Eve"})["error"]["code"] == "room_locked"
    e = eve.ok("knock", {"room": room.code, "name": "Eve"})["request"]
    z = zed.ok("knock", {"room": room.code, "name": "Zed"})["request"]
    assert e["kind"] == z["kind"] == "knock"
    assert [r["request"]["name"] for r in fac.events("join_requested")] == ["Eve", "Zed"]
    cas.clear()
    fac.ok("answer_request", {"request": e["id"], "admit": True})
    (joined,) = cas.events("participant_joined")
    assert joined["participant"]["name"] == "Eve" and joined["participant"]["connected"] is False
    came = eve.ok("claim_request", {"room": room.code, "request": e["id"], "token": e["token"]})
    assert came["you"]["name"] == "Eve" and came["token"] and came["rejoin_code"]
    assert cas.events("presence_changed")[-1]["connected"] is True
    fac.ok("answer_request", {"request": z["id"], "admit": False})
    assert [x["outcome"] for x in zed.events("join_answered")] == ["declined"]
    state = fac.ok("sync")["state"]
    assert [p["name"] for p in state["participants"]] == ["Cas", "Eve"] and "requests" not in state
    # Eve is a participant like any other: a reload rejoins by token
    assert room.connect("Eve reloaded").ok("rejoin", {"room": room.code, "token": came["token"]})["you"]["name"] == "Eve"
    # a second claim of the same request is refused
    err = room.connect("again").call("claim_request", {"room": room.code, "request": e["id"], "token": e["token"]})["error"]
    assert err["code"] == "conflict"


def test_a_knock_on_an_open_room_is_a_join(make_room):
    room = make_room()
    ack = room.connect("Eve").ok("knock", {"room": room.code, "name": "Eve"})
    assert ack["you"]["name"] == "Eve" and ack["token"] and "request" not in ack


def test_a_knocker_reconnecting_hears_where_the_request_stands_and_can_withdraw(make_room):
    room = make_room()
    room.facilitator.ok("lock_room", {"locked": True})
    asked = room.connect("Eve").ok("knock", {"room": room.code, "name": "Eve"})["request"]
    back = room.connect("Eve after a reload")
    ack = back.ok("claim_request", {"room": room.code, "request": asked["id"], "token": asked["token"]})
    assert ack["request"]["status"] == "pending" and "token" not in ack
    back.ok("cancel_request", {"room": room.code, "request": asked["id"], "token": asked["token"]})
    assert [e["outcome"] for e in room.facilitator.events("join_request_closed")] == ["withdrawn"]
    assert "requests" not in room.facilitator.ok("sync")["state"]


def test_requests_are_bounded_per_room_and_per_name(make_room):
    room = make_room()
    room.facilitator.ok("lock_room", {"locked": True})
    for i in range(rules.MAX_WAITING):
        room.connect(f"k{i}").ok("knock", {"room": room.code, "name": f"Knocker {i}"})
    err = room.connect("one more").call("knock", {"room": room.code, "name": "One more"})["error"]
    assert err["code"] == "rate_limited"
    err = room.connect("same").call("knock", {"room": room.code, "name": "knocker 0"})["error"]
    assert err["code"] == "invalid" and "name" in err["fields"]
    assert len(room.facilitator.ok("sync")["state"]["requests"]) == rules.MAX_WAITING


def test_requests_expire(make_room, clock):
    room = make_room()
    room.facilitator.ok("lock_room", {"locked": True})
    asked = room.connect("Eve").ok("knock", {"room": room.code, "name": "Eve"})["request"]
    clock.t += rules.ANSWER_WAIT_MS
    assert "requests" not in room.facilitator.ok("sync")["state"]
    err = room.facilitator.call("answer_request", {"request": asked["id"], "admit": True})["error"]
    assert err["code"] == "conflict" and "expired" in err["message"]
    # an expired request leaves room for a new one under the same name
    again = room.connect("Eve again").ok("knock", {"room": room.code, "name": "Eve"})["request"]
    assert again["status"] == "pending"


def test_a_knock_under_a_banned_name_is_refused(make_room):
    room = make_room()
    zed = room.join("Zed")
    room.facilitator.ok("kick", {"participant": zed.id, "ban": True})
    room.facilitator.ok("lock_room", {"locked": True})
    err = room.connect("Zed").call("knock", {"room": room.code, "name": "Zed"})["error"]
    assert err["code"] == "forbidden"
