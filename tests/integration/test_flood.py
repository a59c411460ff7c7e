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


def _raw_websocket(srv):
    import websocket

    ws = websocket.create_connection(f"ws://127.0.0.1:{srv.port}/socket.io/?EIO=4&transport=websocket", timeout=10)
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send("40")
    assert ws.recv().startswith("40")  # Socket.IO connect
    return ws


def test_a_websocket_streaming_big_or_malformed_frames_stalls_no_other_room(server, clients):
    """One socket sending frames as fast as it can (64 KB events; events
    3,000 levels deep, which python-socketio cannot decode) used to keep
    the event loop for as long as it sent: 10 s here. The malformed ones
    also wrote a traceback each into the log (3 MB a second)."""
    from helpers.stall import SyncWatch

    srv = server()
    code = requests.post(f"{srv.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()["code"]
    calm = clients(srv.url, "calm")
    calm.ok("join_room", {"room": code, "name": "Calm"})
    frames = {
        "big": '42["sync",{"x":"' + "a" * 60_000 + '"}]',
        "deep": '42["sync",' + "[" * 3000 + "]" * 3000 + "]",
    }
    stop = threading.Event()
    sent = {name: 0 for name in frames}

    def stream(name: str) -> None:
        ws = _raw_websocket(srv)
        try:
            while not stop.is_set():
                ws.send(frames[name])
                sent[name] += 1
        finally:
            ws.close()

    with SyncWatch(calm) as watch:
        flooders = [threading.Thread(target=stream, args=(name,)) for name in frames]
        for t in flooders:
            t.start()
        time.sleep(3)
        stop.set()
        for t in flooders:
            t.join(timeout=30)
    worst = max(watch.latencies)
    print(f"\n{sent} frames sent; {len(watch.latencies)} syncs, worst {worst * 1000:.0f} ms")
    # goal 100 ms; 500 on this shared machine, as the upload test (the loop used to be kept for seconds)
    assert worst < 0.5 and not watch.failures, (f"worst sync {worst * 1000:.0f} ms", watch.failures[:3])
    assert sent["big"] > 100 and sent["deep"] > 100, sent

    # a malformed event with an ack id is answered, like an unknown one, and the log has one line for it
    ws = _raw_websocket(srv)
    ws.send('427["sync",' + "[" * 3000 + "]" * 3000 + "]")
    ws.send('428["sync",{"n":' + "9" * 5000 + "}]")
    ws.send("429[]")  # an event without a name
    ws.send('4210{"a":1}')  # an event that is no list
    ws.send("4211")  # an event without anything
    answers = [ws.recv() for _ in range(5)]
    ws.close()
    assert [a[:4].rstrip("[") for a in answers] == ["437", "438", "439", "4310", "4311"], answers
    assert all('"code":"invalid"' in a for a in answers), answers
    # over long-polling, an Engine.IO message that looks like JSON too deep to decode
    sid = requests.get(f"{srv.url}/socket.io/?EIO=4&transport=polling", timeout=10).text.split('"sid":"')[1].split('"')[0]
    for _ in range(3):
        res = requests.post(f"{srv.url}/socket.io/?EIO=4&transport=polling&sid={sid}", data=b"4" + b"[" * 3000, timeout=10)
        assert res.status_code == 200, res.text
    log = srv.log.read_text()
    assert "Traceback" not in log
    assert log.count("malformed Socket.IO packet") <= 3  # once for each of the three connections
