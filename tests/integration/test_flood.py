"""One client flooding the server gets `rate_limited`; another room keeps
being served. Bounded: a fixed number of events, a few seconds."""
from __future__ import annotations

import threading
import time

import requests


def test_a_flooding_client_is_limited_and_other_rooms_keep_going(server, clients):
    srv = server(env={"CALMROOM_RATE_LIMIT": "20/second;300/minute"})
    rooms = []
    for _ in range(2):
        r = requests.post(f"{srv.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
        fac = clients(srv.url, "fac")
        fac.ok("host_room", {"room": r["code"], "facilitator_token": r["facilitator_token"]})
        people = [clients(srv.url, n) for n in ("c", "a", "o")]
        for p in people:
            p.id = p.ok("join_room", {"room": r["code"], "name": p.name})["you"]["id"]
        fac.ok("start_round", {"customer": people[0].id, "agent": people[1].id})
        fac.ok("begin_roleplay")
        rooms.append((fac, people))

    flooder = rooms[0][1][2]
    acks: list[dict] = []
    done = threading.Event()

    def flood():
        for i in range(600):  # fire and forget, as fast as the socket takes them
            flooder.sio.emit("mark_step", {"id": f"f{i}", "step": "listen", "rating": 1}, callback=lambda a: acks.append(a))
        done.set()

    t = threading.Thread(target=flood)
    t.start()
    calm = rooms[1][1][2]
    latencies = []
    for i in range(15):
        t0 = time.monotonic()
        calm.ok("mark_step", {"id": f"calm{i}", "step": "listen", "rating": 2})
        latencies.append(time.monotonic() - t0)
        time.sleep(0.05)
    t.join(timeout=30)
    deadline = time.monotonic() + 20
    while len(acks) < 600 and time.monotonic() < deadline:
        time.sleep(0.05)

    assert len(acks) == 600
    codes = {a["error"]["code"] for a in acks if not a["ok"]}
    assert codes == {"rate_limited"}
    assert 15 <= sum(a["ok"] for a in acks) <= 40  # the window let a burst through, then refused
    # the other room was served throughout; generous bound, this machine is shared
    assert max(latencies) < 2.0, latencies
    # and the flooder's room still works for everyone else
    rooms[0][0].ok("sync")
