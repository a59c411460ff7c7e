"""Failed joins, rejoins, hosts and wrong bearer tokens are counted per client
address (services/guesses.py), with the default limit; successes never count."""
from __future__ import annotations

from pathlib import Path

import pytest

from calmroom.app import create_app
from calmroom.config import Config, TestConfig

from helpers.members import Member, Room

ROOT_DATA = Path(__file__).resolve().parents[1] / "data"
LIMIT = 30  # per minute, the default (Config.guess_limit)


@pytest.fixture
def guarded(database_url, data_dir):
    made = []

    def make(**kw):
        cfg = TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second",
                         guess_limit=Config.guess_limit, admin_token="trainer-secret", **kw)
        app, io = create_app(cfg)
        made.append(app)
        http = app.test_client()
        res = http.post("/api/decks", data=(data_dir / "minimal-deck.yaml").read_bytes(), content_type="application/yaml",
                        headers={"Authorization": "Bearer trainer-secret"})
        assert res.status_code in (200, 201)
        return app, io, http

    yield make
    for app in made:
        app.extensions["calmroom"].engine.dispose()


def test_wrong_codes_from_many_sockets_are_slowed_per_address(guarded):
    app, io, http = guarded()
    room = Room(app, io, http, "test-deck")
    answers = []
    for i in range(20):
        sock = Member(io.test_client(app), f"guesser{i}")  # a fresh connection each time: it used to reset the count
        for j in range(10):
            answers.append(sock.call("join_room", {"room": "ZZZZZZ", "name": f"g{i}-{j}"})["error"]["code"])
        sock.client.disconnect()
    assert answers[:LIMIT] == ["not_found"] * LIMIT
    assert answers[LIMIT:] == ["rate_limited"] * (200 - LIMIT)
    # the limit refuses before looking: the real code, a rejoin and a host are refused too
    late = Member(io.test_client(app), "late")
    assert late.call("join_room", {"room": room.code, "name": "Late"})["error"]["code"] == "rate_limited"
    assert late.call("host_room", {"room": room.code, "facilitator_token": room.token})["error"]["code"] == "rate_limited"


@pytest.mark.parametrize("event, wrong", [
    ("rejoin", lambda code, i: {"room": code, "token": f"stolen-{i}"}),
    ("host_room", lambda code, i: {"room": code, "facilitator_token": f"guess-{i}"}),
])
def test_wrong_rejoin_and_host_tokens_are_counted_per_address(guarded, event, wrong):
    app, io, http = guarded()
    room = Room(app, io, http, "test-deck")
    codes = []
    for i in range(LIMIT + 2):  # a new connection for each try
        sock = Member(io.test_client(app), f"guesser{i}")
        codes.append(sock.call(event, wrong(room.code, i))["error"]["code"])
        sock.client.disconnect()
    assert codes == ["unauthorized"] * LIMIT + ["rate_limited"] * 2
    assert Member(io.test_client(app), "late").call("join_room", {"room": room.code, "name": "Late"})["error"]["code"] == "rate_limited"


def test_forty_people_on_one_network_all_join_in_a_minute(guarded):
    app, io, http = guarded()
    room = Room(app, io, http, "test-deck")
    for i in range(40):
        Member(io.test_client(app), f"p{i}").ok("join_room", {"room": room.code, "name": f"Person {i}"})
    for i in range(5):  # a few typos on the way do not lock the office out
        assert Member(io.test_client(app), "typo").call("join_room", {"room": "ZZZZZZ", "name": "T"})["error"]["code"] == "not_found"
    Member(io.test_client(app), "p40").ok("join_room", {"room": room.code, "name": "Person 40"})


def test_wrong_bearer_tokens_on_http_are_counted(guarded):
    app, io, http = guarded()
    room = Room(app, io, http, "test-deck")
    codes = [http.delete(f"/api/rooms/{room.code}", headers={"Authorization": f"Bearer guess{i}"}).status_code for i in range(LIMIT + 2)]
    assert codes == [401] * LIMIT + [429, 429]
    res = http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": "Bearer nope"})
    assert res.get_json()["error"]["code"] == "rate_limited" and 1 <= int(res.headers["Retry-After"]) <= 60
    # the facilitator's own token is refused too now: the address is over its limit
    assert http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"}).status_code == 429


def test_wrong_trainer_credentials_are_counted(guarded):
    app, io, http = guarded()
    body = (ROOT_DATA / "minimal-deck.yaml").read_bytes()
    codes = [http.post("/api/decks", data=body, content_type="application/yaml",
                       headers={"Authorization": f"Bearer guess{i}"}).status_code for i in range(LIMIT + 1)]
    assert codes == [401] * LIMIT + [429]
    # uploads without any credential are refused but are no guess (nothing was tried)
    other = guarded()[2]
    assert [other.post("/api/decks", data=body, content_type="application/yaml").status_code for _ in range(LIMIT + 5)] == [401] * (LIMIT + 5)


def _exhaust(http, code, xff):
    for i in range(LIMIT):
        assert http.get(f"/api/rooms/{code}/results", headers={"Authorization": f"Bearer g{i}", "X-Forwarded-For": xff}).status_code == 401


def test_a_trusted_proxy_separates_its_clients(guarded):
    app, io, http = guarded(trusted_proxies="127.0.0.1")  # the test client's peer address
    room = Room(app, io, http, "test-deck")
    _exhaust(http, room.code, "203.0.113.7")
    headers = {"Authorization": f"Bearer {room.token}"}
    assert http.get(f"/api/rooms/{room.code}/results", headers={**headers, "X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert http.get(f"/api/rooms/{room.code}/results", headers={**headers, "X-Forwarded-For": "203.0.113.8"}).status_code == 200
    # what a client puts in front of the proxy's own entry does not help it
    spoof = {**headers, "X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert http.get(f"/api/rooms/{room.code}/results", headers=spoof).status_code == 429


def test_an_untrusted_peer_cannot_choose_its_address(guarded):
    app, io, http = guarded()  # no trusted proxies: X-Forwarded-For is ignored
    room = Room(app, io, http, "test-deck")
    _exhaust(http, room.code, "203.0.113.7")
    headers = {"Authorization": f"Bearer {room.token}", "X-Forwarded-For": "203.0.113.8"}
    assert http.get(f"/api/rooms/{room.code}/results", headers=headers).status_code == 429
