"""Join requests and moves to another device across two workers behind one
PostgreSQL and one Redis: nothing about them lives in one worker's memory."""
from __future__ import annotations

import time
import uuid

import pytest
import requests

from test_scaleout import pg, redis_url, worker_env  # noqa: F401 (fixtures)


@pytest.mark.postgres
@pytest.mark.redis
def test_requests_and_moves_reach_people_on_the_other_worker(server, clients, pg, redis_url):
    channel = f"calmroom-test-{uuid.uuid4().hex[:8]}"
    w1 = server(database_url=pg.url, env=worker_env(pg.url, redis_url, channel, "w1"))
    w2 = server(database_url=pg.url, env=worker_env(pg.url, redis_url, channel, "w2"))
    r = requests.post(f"{w1.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
    code = r["code"]
    fac = clients(w1.url, "fac")
    fac.ok("host_room", {"room": code, "facilitator_token": r["facilitator_token"]})
    bram = clients(w1.url, "Bram")
    joined = bram.ok("join_room", {"room": code, "name": "Bram"})
    fac.ok("lock_room", {"locked": True})

    # a knock on w2, answered from w1, heard on w2; the knocker comes in on w2
    eve = clients(w2.url, "Eve")
    asked = eve.ok("knock", {"room": code, "name": "Eve"})["request"]
    fac.wait_for("join_requested", lambda p: p["request"]["id"] == asked["id"])
    fac.ok("answer_request", {"request": asked["id"], "admit": True})
    eve.wait_for("join_answered", lambda p: p["outcome"] == "admitted")
    came = eve.ok("claim_request", {"room": code, "request": asked["id"], "token": asked["token"]})
    assert came["you"]["name"] == "Eve"
    fac.wait_people(lambda ps: [(p["name"], p["connected"]) for p in ps] == [("Bram", True), ("Eve", True)])

    # a console opened on w2 lists what waits; a decline from there reaches the asker on w1
    zed = clients(w1.url, "Zed")
    z = zed.ok("knock", {"room": code, "name": "Zed"})["request"]
    console = clients(w2.url, "console on w2")
    state = console.ok("host_room", {"room": code, "facilitator_token": r["facilitator_token"]})["state"]
    assert [q["name"] for q in state["requests"]] == ["Zed"]
    console.ok("answer_request", {"request": z["id"], "admit": False})
    zed.wait_for("join_answered", lambda p: p["outcome"] == "declined")
    fac.wait_for("join_request_closed", lambda p: p["request"] == z["id"])

    # Bram moves to a device on w2 by his code: his socket on w1 is told and let go
    laptop = clients(w2.url, "Bram's laptop")
    ack = laptop.ok("rejoin_with_code", {"room": code, "code": joined["rejoin_code"]})
    assert ack["you"]["id"] == joined["you"]["id"]
    bram.wait_for("notice", lambda n: n["kind"] == "moved")
    deadline = time.monotonic() + 10
    while bram.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not bram.sio.connected
    assert [n["kind"] for n in laptop.events("notice")] in ([], ["moved"])  # its own arrival, if at all
    assert laptop.ok("sync")["state"]["you"]["name"] == "Bram"
