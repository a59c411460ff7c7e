"""The one seam for live writes (store/live.py), on SQLite (the driver path)
and PostgreSQL (the write and the bump in one statement): a recorded fact
bumps the room's version exactly once, a repeat an insert ignores bumps
nothing, a temperature never bumps, and a transaction that raises leaves
nothing behind. And the one clock: what create_app is given, every service
reads."""
from __future__ import annotations

import pytest

from calmroom.app import create_app
from calmroom.config import TestConfig
from helpers.members import Room


def version(room) -> int:
    return room.http.get(f"/api/rooms/{room.code}").get_json()["version"]


@pytest.fixture
def playing(make_room):
    room = make_room()
    ann, bob, cas = room.join("Ann"), room.join("Bob"), room.join("Cas")
    room.facilitator.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    room.facilitator.ok("begin_roleplay")
    return room, cas


def test_record_bumps_once_and_a_repeat_not_at_all(app, playing):
    room, cas = playing
    live = app.extensions["calmroom"].rooms.live
    v0 = version(room)
    mark = {"client_id": "m1", "author": cas.id, "step": "listen", "rating": 2, "note": None, "t_ms": 5}
    with live.transaction(room.code, cas.id, 1_000) as tx:
        assert tx.record("mark", mark) == v0 + 1
    with live.transaction(room.code, cas.id, 2_000) as tx:
        assert tx.record("mark", mark) is None  # a retry
        assert tx.find_mark(cas.id, "m1").rating == 2
    assert version(room) == v0 + 1
    temp = {"client_id": "t1", "level": 6, "t_ms": 7}
    with live.transaction(room.code, cas.id, 3_000) as tx:
        assert tx.record("temperature", temp) == v0 + 1  # stored, and the version as it was
        assert tx.record("temperature", temp) is None
        assert sorted(tx.observer_ids()) == [cas.id]
    assert version(room) == v0 + 1


def test_a_score_replaces_and_bumps_each_time(app, make_room):
    room = make_room()
    ann, bob, cas = room.join("Ann"), room.join("Bob"), room.join("Cas")
    room.facilitator.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    for ev in ("begin_roleplay", "end_roleplay"):
        room.facilitator.ok(ev)
    live = app.extensions["calmroom"].rooms.live
    v0 = version(room)
    for i, rating in enumerate((1, 3)):
        with live.transaction(room.code, cas.id, 1_000) as tx:
            assert tx.record("score", {"author": cas.id, "step": "listen", "rating": rating, "comment": None}) == v0 + 1 + i
    scores = room.facilitator.ok("sync")["state"]["round"]["scores"]
    assert [(s["step"], s["rating"]) for s in scores if s["author"] == cas.id] == [("listen", 3)]


def test_a_transaction_that_raises_leaves_nothing(app, playing):
    room, cas = playing
    live = app.extensions["calmroom"].rooms.live
    v0 = version(room)
    with pytest.raises(RuntimeError):
        with live.transaction(room.code, cas.id, 1_000) as tx:
            tx.record("mark", {"client_id": "gone", "author": cas.id, "step": "listen", "rating": 1, "note": None, "t_ms": 1})
            raise RuntimeError("a rule said no after the write")
    assert version(room) == v0
    marks = room.facilitator.ok("sync")["state"]["round"]["marks"]
    assert [m for m in marks if m["id"] == "gone"] == []


def test_an_unknown_room_has_no_context(app):
    with app.extensions["calmroom"].rooms.live.transaction("ZZZZZZ", None, 1) as tx:
        assert tx.context is None


def test_the_one_clock_is_what_create_app_is_given(database_url, data_dir, trainer_token_for):
    now = [1_700_000_000_000]
    app, io = create_app(TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second"),
                         now_ms=lambda: now[0])
    try:
        http = app.test_client()
        res = http.post("/api/decks", data=(data_dir / "minimal-deck.yaml").read_bytes(), content_type="application/yaml",
                        headers={"Authorization": f"Bearer {trainer_token_for(app)}"})
        assert res.status_code in (200, 201)
        room = Room(app, io, http, "test-deck")
        ann, bob, cas = room.join("Ann"), room.join("Bob"), room.join("Cas")
        room.facilitator.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
        room.facilitator.ok("begin_roleplay")
        now[0] += 42_000
        assert cas.ok("mark_step", {"id": "m", "step": "listen", "rating": 2})["mark"]["t_ms"] == 42_000
        now[0] += 8_000
        results = http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"}).get_json()
        assert results["rounds"][0]["elapsed_ms"] == 50_000  # the results read the same clock
    finally:
        app.extensions["calmroom"].engine.dispose()


def test_the_trainer_credential_made_at_the_first_start_is_dated_by_the_app_clock(database_url):
    from sqlalchemy import select

    from calmroom.server import announce_trainer_link
    from calmroom.store.models import TrainerKeyRow

    app, io = create_app(TestConfig(database_url=database_url, async_mode="threading", admin_token=None),
                         now_ms=lambda: 1_700_000_123_000)
    services = app.extensions["calmroom"]
    try:
        announce_trainer_link(services.config, services)
        with services.sessions() as session:
            assert session.scalars(select(TrainerKeyRow.created_ms)).all() == [1_700_000_123_000]
    finally:
        services.engine.dispose()
