"""`calmroom serve` as a subprocess, python-socketio clients over websocket,
a whole room played through the contract."""
from __future__ import annotations

import csv
import io
import sqlite3

import pytest
import requests

from calmroom.store.models import Base


def create_room(base: str, deck: str = "angry-customer-en") -> dict:
    res = requests.post(f"{base}/api/rooms", json={"deck": deck, "title": "Tuesday workshop", "duration_s": 300}, timeout=10)
    assert res.status_code == 201, res.text
    return res.json()


def test_a_whole_room_plays_through_real_clients(server, clients, tmp_path):
    srv = server()
    base = srv.url
    room = create_room(base)
    code, ftoken = room["code"], room["facilitator_token"]
    assert room["join_url"].endswith(f"/join/{code}")

    fac = clients(base, "facilitator")
    state = fac.ok("host_room", {"room": code, "facilitator_token": ftoken})["state"]
    assert state["phase"] == "lobby" and state["deck"]["id"] == "angry-customer-en"

    people = {}
    for name in ("Anna", "Bram", "Chris", "Daan"):
        c = clients(base, name)
        ack = c.ok("join_room", {"room": code, "name": name})
        c.id, c.token = ack["you"]["id"], ack["token"]
        people[name] = c
    fac.wait_people(lambda ps: len(ps) == 4)

    def roles(state: dict) -> dict:
        # a broadcast state has no participants: the roles follow from the round
        by_id = {c.id: n for n, c in people.items()}
        rnd = state["round"]
        return {n: "customer" if pid == rnd["customer"] else "agent" if pid == rnd["agent"] else "observer"
                for pid, n in by_id.items()}

    played_agents = []
    for number in (1, 2):
        ack = fac.ok("start_round", {})  # rotation and next card
        assert ack["round"]["number"] == number
        st = fac.wait_for("state", lambda s: s["phase"] == "briefing" and s["round"]["number"] == number)
        r = roles(st)
        customer = next(people[n] for n, role in r.items() if role == "customer")
        agent = next(people[n] for n, role in r.items() if role == "agent")
        observers = [people[n] for n, role in r.items() if role == "observer"]
        assert agent.name not in played_agents
        played_agents.append(agent.name)

        agent_state = agent.wait_for("state", lambda s: s["phase"] == "briefing" and s["round"]["number"] == number)
        assert "customer" not in agent_state["round"]["card"] and "agent" in agent_state["round"]["card"]
        cust_state = customer.wait_for("state", lambda s: s["phase"] == "briefing" and s["round"]["number"] == number)
        assert "agent" not in cust_state["round"]["card"] and "customer" in cust_state["round"]["card"]

        fac.ok("begin_roleplay")
        steps = st["round"]["card"]["steps"]
        for i, obs in enumerate(observers):
            for j, step in enumerate(steps[:3]):
                ack = obs.ok("mark_step", {"id": f"r{number}-{obs.id}-{j}", "step": step, "rating": (i + j) % 4})
                again = obs.ok("mark_step", {"id": f"r{number}-{obs.id}-{j}", "step": step, "rating": (i + j) % 4})
                assert again["mark"] == ack["mark"]
        customer.ok("set_temperature", {"id": f"t{number}a", "level": 8})
        customer.ok("set_temperature", {"id": f"t{number}b", "level": 4})
        fac.wait_for("temperature_changed", lambda p: p["level"] == 4)
        observers[0].wait_for("temperature_changed", lambda p: p["level"] == 4)
        assert agent.events("temperature_changed") == []
        last_id = f"r{number}-{observers[-1].id}-{len(steps[:3]) - 1}"
        fac.wait_for("step_marked", lambda p: p["mark"]["id"] == last_id)
        assert len([m for m in fac.events("step_marked") if m["mark"]["id"].startswith(f"r{number}-")]) == 3 * len(observers)
        assert observers[0].events("step_marked") == []  # blind until reveal

        if number == 1:
            # a time-out from the agent pauses at once and tells the room
            agent.ok("call_timeout", {"reason": "I need a moment"})
            n = observers[0].wait_for("notice", lambda p: p["kind"] == "timeout")
            assert "I need a moment" in n["message"]
            st = fac.wait_for("state", lambda s: s["phase"] == "paused")
            assert st["round"]["clock"]["running"] is False
            # an observer drops and comes back with its token, same identity and role
            dropped = observers[1]
            dropped.close()
            fac.wait_people(lambda ps: any(p["id"] == dropped.id and not p["connected"] for p in ps))
            back = clients(base, dropped.name + " again")
            ack = back.ok("rejoin", {"room": code, "token": dropped.token})
            assert ack["you"]["id"] == dropped.id
            assert ack["state"]["you"]["role"] == "observer"
            assert len(ack["state"]["round"]["marks"]) == len(steps[:3])  # its own marks only
            back.id, back.token = dropped.id, dropped.token
            people[dropped.name] = back
            observers[1] = back
            fac.wait_people(lambda ps: all(p["connected"] for p in ps))
            fac.ok("resume_round")

        fac.ok("end_roleplay")
        for obs in observers:
            for step in steps:
                obs.ok("score_step", {"step": step, "rating": 2, "comment": "rustig gebleven – goed"})
            obs.ok("rate_global", {"rating": 4})
        customer.ok("reflect", {"feeling": 3, "felt_heard": 4, "went_well": "She let me finish", "do_differently": "Sooner a date"})
        agent.ok("reflect", {"feeling": 2, "went_well": "Stayed calm"})
        fac.wait_for("reflected", lambda p: p["reflection"]["author"] == customer.id and p["reflection"]["felt_heard"] == 4)
        fac.wait_for("reflected", lambda p: p["reflection"]["author"] == agent.id)
        assert customer.events("reflected") == [] and observers[0].events("reflected") == []
        fac.ok("reveal_results")
        st = observers[0].wait_for("state", lambda s: s["phase"] == "review" and s["round"]["number"] == number)
        assert len(st["round"]["marks"]) == 3 * len(observers)
        assert "reflections" not in st["round"]

    # results and CSV for the facilitator only
    auth = {"Authorization": f"Bearer {ftoken}"}
    assert requests.get(f"{base}/api/rooms/{code}/results", timeout=10).status_code == 401
    results = requests.get(f"{base}/api/rooms/{code}/results", headers=auth, timeout=10).json()
    assert [r["number"] for r in results["rounds"]] == [1, 2]
    assert results["rounds"][0]["timeouts"][0]["reason"] == "I need a moment"
    assert results["rounds"][0]["steps"][0]["n"] == 2
    res = requests.get(f"{base}/api/rooms/{code}/results.csv", headers=auth, timeout=10)
    assert res.status_code == 200 and res.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert {r["what"] for r in rows} >= {"live mark", "final score", "time-out", "overall rating (1-5)"}
    assert any(r["text"] == "rustig gebleven – goed" for r in rows)

    # lock: newcomers are refused; kick: the token stops working
    fac.ok("lock_room", {"locked": True})
    late = clients(base, "Late")
    assert late.call("join_room", {"room": code, "name": "Late"})["error"]["code"] == "room_locked"
    victim = people["Daan"]
    fac.ok("kick", {"participant": victim.id})
    victim.wait_for("notice", lambda p: p["kind"] == "kicked")
    other = clients(base, "Daan again")
    assert other.call("rejoin", {"room": code, "token": victim.token})["error"]["code"] == "unauthorized"

    fac.ok("close_room")
    people["Anna"].wait_for("notice", lambda p: p["kind"] == "closed")

    # delete: every row of the room is gone
    assert requests.delete(f"{base}/api/rooms/{code}", headers=auth, timeout=10).status_code == 204
    assert requests.get(f"{base}/api/rooms/{code}", timeout=10).status_code == 404
    db = sqlite3.connect(srv.env["CALMROOM_DATABASE_URL"].removeprefix("sqlite:///"))
    for table in Base.metadata.sorted_tables:
        if table.name != "rooms" and "room_id" not in table.c:
            continue  # decks, workers, leases belong to no room
        assert db.execute(f"SELECT COUNT(*) FROM {table.name}").fetchone()[0] == 0, table.name
    db.close()


@pytest.mark.parametrize("async_mode", ["gevent"])
def test_the_server_also_runs_under_another_async_mode(server, clients, async_mode):
    """Leaving eventlet must stay a one-line change: the same room plays under gevent."""
    srv = server(async_mode=async_mode)
    room = create_room(srv.url, "aggressive-customer-nl")
    fac = clients(srv.url, "fac")
    fac.ok("host_room", {"room": room["code"], "facilitator_token": room["facilitator_token"]})
    a, b, c = (clients(srv.url, n) for n in "abc")
    for cl in (a, b, c):
        cl.id = cl.ok("join_room", {"room": room["code"], "name": cl.name})["you"]["id"]
    fac.ok("start_round", {"customer": a.id, "agent": b.id})
    fac.ok("begin_roleplay")
    step = fac.events("state")[-1]["round"]["card"]["steps"][0] if fac.events("state") else "listen"
    mark = c.ok("mark_step", {"id": "x1", "step": step, "rating": 3})["mark"]
    got = fac.wait_for("step_marked", lambda p: p["mark"]["id"] == "x1")
    assert got["mark"] == mark
    assert f"({async_mode}," in srv.log.read_text()

