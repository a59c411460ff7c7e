"""A client that sends an EVENT named like the server's own handlers
(`disconnect`, `connect`) is refused: real python-socketio client, real server."""
from __future__ import annotations

import time

import requests


def _room(base: str) -> dict:
    res = requests.post(f"{base}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10)
    assert res.status_code == 201, res.text
    return res.json()


def test_reserved_event_names_reach_no_handler(server, clients):
    srv = server(env={"CALMROOM_RATE_LIMIT": "5/minute"})
    room = _room(srv.url)
    fac = clients(srv.url, "facilitator")
    fac.ok("host_room", {"room": room["code"], "facilitator_token": room["facilitator_token"]})
    ann = clients(srv.url, "Ann")
    ann.id = ann.ok("join_room", {"room": room["code"], "name": "Ann"})["you"]["id"]  # event 1

    for name in ("disconnect", "connect"):  # events 2 and 3
        ack = ann.call(name, {})
        assert ack["ok"] is False and ack["error"]["code"] == "invalid", (name, ack)
        assert "reserved" in ack["error"]["message"]
    ann.sio.emit("disconnect", "client disconnect")  # without an ack id: no answer, no effect (event 4)
    time.sleep(0.3)

    # still shown connected
    people = fac.ok("sync")["state"]["participants"]
    assert [p["connected"] for p in people if p["id"] == ann.id] == [True]
    # the rate limit kept counting: the 5th event passes, the 6th is refused
    assert ann.call("sync")["ok"] is True
    assert ann.call("sync")["error"]["code"] == "rate_limited"

    # and a kick still drops the socket
    fac.ok("kick", {"participant": ann.id})
    deadline = time.monotonic() + 5
    while ann.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not ann.sio.connected
