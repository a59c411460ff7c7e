"""Hostile deck uploads to a real eventlet server must not stall other rooms:
one client keeps calling `sync` while others post the worst bodies we know to
/api/decks/validate. Before bounded, off-loop parsing a 900 KB YAML list
froze the one event loop for about a minute."""
from __future__ import annotations

import json
import threading
import time

import pytest
import requests
import yaml

from helpers.stall import SyncWatch

from calmroom.protocol.base import ERROR_CODES

KB = 1024


def hostile_bodies(minimal_deck_text: str) -> dict[str, tuple[bytes, str]]:
    yaml_type, json_type = "application/yaml", "application/json"
    deck = yaml.safe_load(minimal_deck_text)
    card = deck["cards"][0]
    # as many broken cards as fit under the limit: the schema's worst case
    many_cards = {**deck, "cards": [{**card, "id": "X", "colour": i, "difficulty": 9} for i in range(220)]}
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    return {
        "900 KB list": (("- a\n" * (900 * KB // 4)).encode(), yaml_type),
        "250 KB list": (("- a\n" * (250 * KB // 4)).encode(), yaml_type),
        "250 KB flow list": (("x: [" + "a," * (125 * KB) + "a]").encode(), yaml_type),
        "400-deep block YAML": (("".join("  " * i + "a:\n" for i in range(400)) + "  " * 400 + "b\n").encode(), yaml_type),
        "100,000-deep flow YAML": (("x: " + "[" * 100_000).encode(), yaml_type),
        "70,000 keys": ("".join(f"k{i}: {i}\n" for i in range(70_000)).encode(), yaml_type),
        "20,000 keys": ("".join(f"k{i}: {i}\n" for i in range(20_000)).encode(), yaml_type),
        "billion laughs": (laughs.encode(), yaml_type),
        "250 KB scalar": (("id: " + "x" * (250 * KB)).encode(), yaml_type),
        "5,000-digit YAML number": (f"id: {'1' * 5000}\n".encode(), yaml_type),
        "5,000-deep JSON": (("[" * 5000 + "]" * 5000).encode(), json_type),
        "5,000-digit JSON number": (f'{{"id": {"1" * 5000}}}'.encode(), json_type),
        "220 broken cards": (json.dumps(many_cards).encode(), json_type),
    }


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_sync_stays_fast_while_hostile_decks_are_uploaded(server, clients, minimal_deck_text, async_mode):
    srv = server(async_mode=async_mode)
    room = requests.post(f"{srv.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
    calm = clients(srv.url, "calm")
    calm.ok("join_room", {"room": room["code"], "name": "Calm"})
    calm.ok("sync")

    bodies = hostile_bodies(minimal_deck_text)
    answers: dict[str, list[tuple[int, dict]]] = {name: [] for name in bodies}

    def upload(names: list[str]):
        for name in names:
            body, ctype = bodies[name]
            res = requests.post(f"{srv.url}/api/decks/validate", data=body, headers={"Content-Type": ctype}, timeout=120)
            answers[name].append((res.status_code, res.json()))

    names = list(bodies)
    with SyncWatch(calm) as watch:
        uploaders = [threading.Thread(target=upload, args=(names[i::2] * 3,)) for i in range(2)]
        started = time.monotonic()
        for t in uploaders:
            t.start()
        for t in uploaders:
            t.join(timeout=180)
        took = time.monotonic() - started
    latencies, failures = watch.latencies, watch.failures

    worst = max(latencies)
    print(f"\n{len(latencies)} syncs during {took:.1f} s of uploads; worst {worst * 1000:.0f} ms, "
          f"p50 {sorted(latencies)[len(latencies) // 2] * 1000:.0f} ms")
    # Goal 100 ms; the shared 2-core machine (and this test's own client
    # threads) add noise, so assert 500 ms: the old code froze for ~60 s.
    assert worst < 0.5 and not failures, f"worst sync took {worst * 1000:.0f} ms; failed: {failures[:3]}"

    for name, got in answers.items():
        assert len(got) == 3, (name, got)
        for status, body in got:
            assert 400 <= status < 500, (name, status, body)
            assert body["ok"] is False and set(body["error"]) <= {"code", "message", "fields"}, (name, body)
            assert body["error"]["code"] in ERROR_CODES and body["error"]["message"], (name, body)
            assert len(json.dumps(body)) < 64 * KB, (name, len(json.dumps(body)))
    assert answers["900 KB list"][0][0] == 413
    assert answers["70,000 keys"][0][0] == 413
    assert answers["220 broken cards"][0][1]["errors"][-1]["message"].startswith("and ")
