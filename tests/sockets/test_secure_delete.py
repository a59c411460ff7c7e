"""A deleted room leaves no readable text in SQLite's files."""
from __future__ import annotations

from pathlib import Path

import pytest

SECRETS = (b"ZebraSecretName42", b"PurpleSecretNote", b"OrchidSecretTitle")


def _files(app) -> list[Path]:
    url = app.extensions["calmroom"].config.database_url
    db = Path(url.removeprefix("sqlite:///"))
    return [p for p in (db, Path(f"{db}-wal")) if p.exists()]


def _found(app) -> set[bytes]:
    found = set()
    for path in _files(app):
        data = path.read_bytes().lower()
        found |= {s for s in SECRETS if s.lower() in data}
    return found


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: secure_delete and the write-ahead log are SQLite's (PostgreSQL
    files are not the concern of this test)."""
    return f"sqlite:///{tmp_path / 'secure.db'}"


def test_delete_leaves_no_names_or_notes_in_the_database_or_its_log(make_room, app, http):
    room = make_room()
    res = http.post("/api/rooms", json={"deck": "test-deck", "title": "OrchidSecretTitle"})
    code, token = res.get_json()["code"], res.get_json()["facilitator_token"]
    fac = room.connect("fac")
    fac.ok("host_room", {"room": code, "facilitator_token": token})
    people = []
    for name in ("ZebraSecretName42", "Ann", "Bob"):
        m = room.connect(name)
        m.id = m.ok("join_room", {"room": code, "name": name})["you"]["id"]
        people.append(m)
    zebra, ann, bob = people
    fac.ok("start_round", {"card": "parcel", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    zebra.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2, "note": "PurpleSecretNote"})
    assert _found(app) == set(SECRETS)  # the test can see them while the room exists

    res = http.delete(f"/api/rooms/{code}", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 204
    assert _found(app) == set()
    assert http.get(f"/api/rooms/{room.code}").status_code == 200  # the other room is untouched
