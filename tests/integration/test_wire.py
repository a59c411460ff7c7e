"""The websocket layer under Engine.IO (sockets/wire.py) on a real server:
messages written directly to a client that stops reading arrive complete
and in order once it reads again, while everyone else is served; a
browser's long-polling start and upgrade still work. (Loopback's socket
buffers grow to megabytes, so here the kernel may hold it all; the server
keeping what the kernel does not take is forced in
tests/unit/test_wire_socket.py.) Bounded: a few hundred events, seconds."""
from __future__ import annotations

import json
import socket
import time

import requests


def _raw(srv, rcvbuf: int | None = None):
    import websocket

    opts = ((socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf),) if rcvbuf else ()
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{srv.port}/socket.io/?EIO=4&transport=websocket", timeout=10, sockopt=opts
    )
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send("40")
    assert ws.recv().startswith("40")  # Socket.IO connect
    return ws


def _events(ws, until, timeout: float = 20.0) -> list[tuple[str, object]]:
    """Socket.IO events (and acks) read from a raw websocket until `until(events)`."""
    got: list[tuple[str, object]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not until(got):
        frame = ws.recv()
        if frame == "2":  # Engine.IO ping
            ws.send("3")
            continue
        if frame.startswith("42"):
            name, *args = json.loads(frame[2:])
            got.append((name, args[0] if args else None))
        elif frame.startswith("43"):
            body = frame[2:]
            got.append(("ack", json.loads(body[body.index("["):])[0]))
    return got


def test_a_client_that_stops_reading_gets_every_message_in_order_later(server, clients):
    srv = server(env={"CALMROOM_RATE_LIMIT": "100000/second"})
    room = requests.post(f"{srv.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
    fac = clients(srv.url, "fac")
    fac.ok("host_room", {"room": room["code"], "facilitator_token": room["facilitator_token"]})
    calm = clients(srv.url, "calm")
    calm.ok("join_room", {"room": room["code"], "name": "Calm"})

    slow = _raw(srv, rcvbuf=4096)
    slow.send("421" + json.dumps(["join_room", {"room": room["code"], "name": "Slow"}]))
    first = _events(slow, lambda got: any(n == "ack" for n, _ in got))
    joined = next(a for n, a in first if n == "ack")
    assert joined["ok"], joined
    start_version = joined["state"]["version"]

    # the slow client reads nothing while the room changes 400 times (a
    # whole state each)
    t0 = time.monotonic()
    for i in range(400):
        fac.ok("lock_room", {"locked": i % 2 == 0})
    changing_s = time.monotonic() - t0
    # everyone else was served meanwhile
    calm.ok("sync")
    last = fac.ok("sync")["state"]["version"]

    states = [p for n, p in _events(slow, lambda got: any(n == "state" and p["version"] >= last for n, p in got)) if n == "state"]
    versions = [s["version"] for s in states]
    assert versions and versions[-1] == last, (versions[-5:], last)
    # every change, once, in order: each state follows the one before it
    assert [s["prev"] for s in states] == [start_version, *versions[:-1]], "a state was lost, repeated or reordered"
    assert len(states) == 400
    assert changing_s < 30
    # the connection is still good
    slow.send("4299" + json.dumps(["sync", {}]))
    again = _events(slow, lambda got: any(n == "ack" for n, _ in got))
    assert next(a for n, a in again if n == "ack")["state"]["version"] == last
    slow.close()


def test_long_polling_and_the_upgrade_to_a_websocket_still_work(server):
    """A browser starts on long-polling and upgrades (its messages then go
    through Engine.IO's queue, as before)."""
    import socketio

    srv = server()
    room = requests.post(f"{srv.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
    seen: list[str] = []
    sio = socketio.Client(reconnection=False)
    sio.on("*", lambda event, data=None: seen.append(event))
    sio.connect(srv.url, transports=["polling", "websocket"], wait_timeout=10)
    try:
        deadline = time.monotonic() + 10
        while sio.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sio.transport() == "websocket"
        ack = sio.call("join_room", {"room": room["code"], "name": "Browser"}, timeout=10)
        assert ack["ok"], ack
        for _ in range(20):
            assert sio.call("sync", {}, timeout=10)["ok"]
    finally:
        sio.disconnect()
