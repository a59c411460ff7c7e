"""The studio calls the validator on every (debounced) keystroke. On a real
eventlet server, a trainer validating a real deck over and over, and hostile
bodies to the same endpoint, must not stall the rooms: a client keeps calling
`sync` meanwhile. The validator answers a real deck fast enough to be called
as people type."""
from __future__ import annotations

import json
import threading
import time

import requests

from helpers.stall import SyncWatch

KB = 1024
KEY = "studio-stall-trainer-key"


def hostile(deck: dict) -> dict[str, bytes]:
    card = deck["cards"][0]
    return {
        "900 KB list": json.dumps({"deck": {**deck, "cards": ["a"] * (900 * KB // 4)}}).encode(),
        "150 KB list": json.dumps({"deck": {**deck, "cards": ["a"] * (150 * KB // 5)}}).encode(),
        "5,000 keys": json.dumps({"deck": {**deck, **{f"k{i}": i for i in range(5_000)}}}).encode(),
        "5,000-deep JSON": b'{"deck": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "5,000-digit number": json.dumps({"deck": {**deck, "id": 0}}).replace('"id": 0', '"id": ' + "1" * 5000).encode(),
        # as many broken cards as fit in 200 KB, three problems each: more than the 100 an answer lists
        "broken cards": json.dumps({"deck": {**deck, "cards": [{**card, "id": "X", "colour": i, "difficulty": 9}
                                                                for i in range(200 * KB // len(json.dumps(card)))]}}).encode(),
    }


def test_the_studio_validator_is_fast_and_never_stalls_the_rooms(server, clients):
    srv = server(env={"CALMROOM_ADMIN_TOKEN": KEY})
    auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    deck = requests.get(f"{srv.url}/api/studio/decks/aggressive-customer-nl", headers=auth, timeout=10).json()["deck"]
    room = requests.post(f"{srv.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
    calm = clients(srv.url, "calm")
    calm.ok("join_room", {"room": room["code"], "name": "Calm"})

    typing: list[float] = []
    answers: dict[str, list[int]] = {}

    def trainer_types():
        for i in range(30):
            draft = {**deck, "title": deck["title"][: 40 + i]}
            t0 = time.monotonic()
            res = requests.post(f"{srv.url}/api/studio/validate", data=json.dumps({"deck": draft}), headers=auth, timeout=30)
            typing.append(time.monotonic() - t0)
            assert res.status_code == 200 and res.json()["ok"] is True, res.text

    def attack():
        for name, body in list(hostile(deck).items()) * 2:
            res = requests.post(f"{srv.url}/api/studio/validate", data=body, headers=auth, timeout=120)
            answers.setdefault(name, []).append(res.status_code)
            if name == "broken cards":
                assert res.json()["problems"][-1]["message"].startswith("and "), res.json()["problems"][-1]
            assert res.headers["Content-Type"].startswith("application/json"), (name, res.text[:200])

    with SyncWatch(calm) as watch:
        workers = [threading.Thread(target=trainer_types), threading.Thread(target=attack)]
        for t in workers:
            t.start()
        for t in workers:
            t.join(timeout=180)
    latencies, failures = watch.latencies, watch.failures

    worst = max(latencies)
    typing.sort()
    print(f"\n{len(latencies)} syncs; worst {worst * 1000:.0f} ms; validating a 77 KB deck: "
          f"p50 {typing[len(typing) // 2] * 1000:.0f} ms, worst {typing[-1] * 1000:.0f} ms")
    assert worst < 0.5 and not failures, f"worst sync took {worst * 1000:.0f} ms; failed: {failures[:3]}"
    assert len(typing) == 30 and typing[len(typing) // 2] < 0.5  # as people type (the client debounces)
    assert answers["900 KB list"] == [413, 413]
    assert answers["5,000-deep JSON"] == [400, 400] and answers["5,000-digit number"] == [400, 400]
    # a limit crossed inside the deck, and a deck full of mistakes, are problems of the deck: 200, ok false
    assert answers["150 KB list"] == answers["5,000 keys"] == answers["broken cards"] == [200, 200]
