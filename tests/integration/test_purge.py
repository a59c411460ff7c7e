"""Retention: `calmroom purge --older-than DAYS` and CALMROOM_RETENTION_DAYS."""
from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine, text

from calmroom.app import create_app
from calmroom.config import TestConfig
from calmroom.store.models import Base


def room_rows(url: str) -> dict[str, int]:
    eng = create_engine(url)
    with eng.connect() as c:
        out = {t.name: c.execute(text(f"SELECT COUNT(*) FROM {t.name}")).scalar()
               for t in Base.metadata.sorted_tables if t.name == "rooms" or "room_id" in t.c}
    eng.dispose()
    return out


def make_played_room(app, io, http) -> str:
    body = http.post("/api/rooms", json={"deck": "angry-customer-en"}).get_json()
    fac = io.test_client(app)
    fac.emit("host_room", {"room": body["code"], "facilitator_token": body["facilitator_token"]}, callback=True)
    ids = []
    for n in ("a", "b", "c"):
        c = io.test_client(app)
        ids.append(c.emit("join_room", {"room": body["code"], "name": n}, callback=True)["you"]["id"])
        if n == "c":
            obs = c
    fac.emit("start_round", {"customer": ids[0], "agent": ids[1]}, callback=True)
    fac.emit("begin_roleplay", {}, callback=True)
    assert obs.emit("mark_step", {"id": "m", "step": "listen", "rating": 2}, callback=True)["ok"]
    return body["code"]


def test_purge_command_deletes_old_rooms_and_keeps_new_ones(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    app, io = create_app(TestConfig(database_url=url, async_mode="threading"))
    make_played_room(app, io, app.test_client())
    app.extensions["calmroom"].engine.dispose()
    env = {"CALMROOM_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    keep = subprocess.run([sys.executable, "-m", "calmroom", "purge", "--older-than", "1"], env=env, capture_output=True, text=True, timeout=60)
    assert keep.returncode == 0 and "deleted 0 room(s)" in keep.stdout, keep.stderr
    assert room_rows(url)["marks"] == 1
    gone = subprocess.run([sys.executable, "-m", "calmroom", "purge", "--older-than", "0"], env=env, capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0 and "deleted 1 room(s)" in gone.stdout, gone.stderr
    assert set(room_rows(url).values()) == {0}


def test_retention_days_purges_on_its_own(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    app, io = create_app(TestConfig(database_url=url, async_mode="threading", retention_days=30))
    code = make_played_room(app, io, app.test_client())
    bg = app.extensions["calmroom"].background
    real = bg.now_ms
    bg.now_ms = lambda: real() + 29 * 86_400_000
    assert bg.purge_expired(force=True).ack["deleted"] == 0
    bg.now_ms = lambda: real() + 31 * 86_400_000
    out = bg.purge_expired(force=True)
    assert out.ack["deleted"] == 1
    assert {e.payload["kind"] for e in out.emits} == {"deleted"}  # whoever is still there is told
    assert out.disconnect  # and their sockets are dropped
    assert app.test_client().get(f"/api/rooms/{code}").status_code == 404
    assert set(room_rows(url).values()) == {0}
