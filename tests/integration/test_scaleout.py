"""Several workers behind one PostgreSQL and one Redis, and what happens when
parts of that fail. Everything runs on 127.0.0.1 and is bounded in time."""
from __future__ import annotations

import time
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from helpers.databases import REDIS_ENV, PostgresDatabase, postgres_admin_url
from helpers.faults import CuttableProxy, PrivateRedis

import os


@pytest.fixture
def pg():
    if not postgres_admin_url():
        pytest.skip("needs CALMROOM_TEST_DATABASE_URL (CI sets it)")
    db = PostgresDatabase()
    yield db
    db.drop()


@pytest.fixture
def redis_url():
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"needs {REDIS_ENV} (CI sets it)")
    return url


def worker_env(db_url: str, mq: str, channel: str, name: str) -> dict:
    return {
        "CALMROOM_DATABASE_URL": db_url,
        "CALMROOM_MESSAGE_QUEUE": mq,
        "CALMROOM_MESSAGE_QUEUE_CHANNEL": channel,
        "CALMROOM_WORKER_ID": name,
    }


def setup_room(base: str, clients, names=("Cust", "Agent", "Obs1", "Obs2"), bases=None):
    r = requests.post(f"{base}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
    fac = clients(base, "fac")
    fac.ok("host_room", {"room": r["code"], "facilitator_token": r["facilitator_token"]})
    people = []
    for i, n in enumerate(names):
        url = bases[i % len(bases)] if bases else base
        c = clients(url, n)
        ack = c.ok("join_room", {"room": r["code"], "name": n})
        c.id, c.token, c.base = ack["you"]["id"], ack["token"], url
        people.append(c)
    return r, fac, people


def count_marks(db_url: str, code: str) -> list[tuple]:
    eng = create_engine(db_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with eng.connect() as c:
        rows = c.execute(
            text("SELECT m.author, m.client_id, COUNT(*) FROM marks m JOIN rooms r ON r.id = m.room_id "
                 "WHERE r.code = :c GROUP BY m.author, m.client_id"), {"c": code}
        ).all()
    eng.dispose()
    return [tuple(r) for r in rows]


@pytest.mark.postgres
@pytest.mark.redis
def test_two_workers_play_one_room(server, clients, pg, redis_url):
    channel = f"calmroom-test-{uuid.uuid4().hex[:8]}"
    w1 = server(database_url=pg.url, env=worker_env(pg.url, redis_url, channel, "w1"))
    w2 = server(database_url=pg.url, env=worker_env(pg.url, redis_url, channel, "w2"))
    r, fac, (cust, agent, o1, o2) = setup_room(w1.url, clients, bases=[w1.url, w2.url])
    assert {cust.base, agent.base, o1.base, o2.base} == {w1.url, w2.url}
    # presence and state reach everyone, whichever worker they are on
    fac.wait_people(lambda ps: len(ps) == 4)
    fac.ok("start_round", {"customer": cust.id, "agent": agent.id})
    o2_st = o2.wait_for("state", lambda s: s["phase"] == "briefing")  # o2 sits on w2
    # the observers' one view reaches observers on either worker; the agent, wherever it sits, only its own
    assert "customer" in o2_st["round"]["card"] and "you" not in o2_st
    assert "customer" in o1.wait_for("state", lambda s: s["phase"] == "briefing")["round"]["card"]
    assert "customer" not in agent.wait_for("state", lambda s: s["phase"] == "briefing")["round"]["card"]
    fac.ok("begin_roleplay")
    step = o1.wait_for("state", lambda s: s["phase"] == "roleplay")["round"]["card"]["steps"][0]
    o2.ok("mark_step", {"id": "m-w2", "step": step, "rating": 2})  # marked on w2 ...
    fac.wait_for("step_marked", lambda p: p["mark"]["id"] == "m-w2")  # ... seen on w1
    cust.ok("set_temperature", {"id": "t1", "level": 6})
    o2.wait_for("temperature_changed", lambda p: p["level"] == 6)
    fac.ok("end_roleplay")
    for o in (o1, o2):
        o.ok("score_step", {"step": step, "rating": 3})
    fac.ok("reveal_results")
    for c in (cust, agent, o1, o2):
        st = c.wait_for("state", lambda s: s["phase"] == "review")
        assert len(st["round"]["marks"]) == 1
    assert all("customer" not in s["round"]["card"] for s in agent.events("state") if s.get("round"))
    # rejoin on the other worker keeps identity and role
    o1.close()
    other = w2.url if o1.base == w1.url else w1.url
    again = clients(other, "Obs1 again")
    ack = again.ok("rejoin", {"room": r["code"], "token": o1.token})
    assert ack["you"]["id"] == o1.id and ack["state"]["you"]["role"] == "observer"
    h = requests.get(f"{w2.url}/healthz", timeout=5).json()
    assert h == {"ok": True, "database": "ok", "message_queue": "ok"}


@pytest.mark.postgres
@pytest.mark.redis
def test_killing_a_worker_mid_roleplay_loses_no_acked_mark(server, clients, pg, redis_url):
    channel = f"calmroom-test-{uuid.uuid4().hex[:8]}"
    w1 = server(database_url=pg.url, env=worker_env(pg.url, redis_url, channel, "w1"))
    w2 = server(database_url=pg.url, env=worker_env(pg.url, redis_url, channel, "w2"))
    # the observers sit on w1, which will die; the facilitator on w2
    r = requests.post(f"{w2.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()
    fac = clients(w2.url, "fac")
    fac.ok("host_room", {"room": r["code"], "facilitator_token": r["facilitator_token"]})
    people = []
    for n in ("Cust", "Agent", "Obs1", "Obs2", "Obs3"):
        c = clients(w1.url, n)
        ack = c.ok("join_room", {"room": r["code"], "name": n})
        c.id, c.token = ack["you"]["id"], ack["token"]
        people.append(c)
    cust, agent, *observers = people
    fac.ok("start_round", {"customer": cust.id, "agent": agent.id})
    fac.ok("begin_roleplay")
    step = fac.ok("sync")["state"]["round"]["card"]["steps"][0]

    acked: dict[str, set[str]] = {o.id: set() for o in observers}
    sent: dict[str, list[str]] = {o.id: [] for o in observers}
    for i in range(10):
        for o in observers:
            mid = f"{o.id[:6]}-{i}"
            sent[o.id].append(mid)
            ack = o.call("mark_step", {"id": mid, "step": step, "rating": i % 4})
            if ack.get("ok"):
                acked[o.id].add(mid)
    w1.stop(kill=True)  # kill -9 in the middle of role-play

    # each observer reconnects to the surviving worker with its token and
    # re-sends everything it sent (a client does not know what was lost in flight)
    for o in observers:
        o.close()
        back = clients(w2.url, o.name + " back")
        ack = back.ok("rejoin", {"room": r["code"], "token": o.token})
        assert ack["you"]["id"] == o.id
        for mid in sent[o.id]:
            again = back.ok("mark_step", {"id": mid, "step": step, "rating": int(mid.rsplit("-", 1)[1]) % 4})
            assert again["mark"]["id"] == mid
        for i in range(10, 13):  # and keeps marking
            back.ok("mark_step", {"id": f"{o.id[:6]}-{i}", "step": step, "rating": 1})

    rows = count_marks(pg.url, r["code"])
    assert all(n == 1 for _, _, n in rows), "a retry created a duplicate"
    stored = {(a, mid) for a, mid, _ in rows}
    for o in observers:
        assert {(o.id, mid) for mid in acked[o.id]} <= stored  # every acked mark is there
        assert len([1 for a, _ in stored if a == o.id]) == 13


def test_kill_9_under_a_stream_of_marks_on_sqlite_loses_no_acked_mark(server, clients, tmp_path):
    """An acked mark is a committed mark on the SQLite live path too: three
    observers mark as fast as their acks come back while the only worker is
    killed with SIGKILL; after a restart every acked mark is there exactly
    once, and nothing refused is."""
    import threading

    db = f"sqlite:///{tmp_path / 'kill.db'}"
    srv = server(database_url=db)
    r, fac, (cust, agent, *observers) = setup_room(srv.url, clients, names=("Cust", "Agent", "Obs1", "Obs2", "Obs3"))
    fac.ok("start_round", {"customer": cust.id, "agent": agent.id})
    fac.ok("begin_roleplay")
    step = fac.ok("sync")["state"]["round"]["card"]["steps"][0]
    acked: dict[str, list[str]] = {o.id: [] for o in observers}
    refused: dict[str, list[str]] = {o.id: [] for o in observers}
    stop = threading.Event()

    def stream(o) -> None:
        i = 0
        while not stop.is_set() and i < 5000:
            mid = f"{o.id[:6]}-{i}"
            try:
                ack = o.sio.call("mark_step", {"id": mid, "step": step, "rating": i % 4}, timeout=3)
            except Exception:  # the server died under the call
                return
            (acked if ack.get("ok") else refused)[o.id].append(mid)
            i += 1

    threads = [threading.Thread(target=stream, args=(o,), daemon=True) for o in observers]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while sum(len(v) for v in acked.values()) < 150 and time.monotonic() < deadline:
        time.sleep(0.02)
    srv.stop(kill=True)
    stop.set()
    for t in threads:
        t.join(timeout=10)

    assert sum(len(v) for v in acked.values()) >= 150
    assert not any(refused.values()), refused  # nothing was refused before the kill
    server(database_url=db)  # the restarted worker opens the same file (and recovers its WAL)
    rows = count_marks(db, r["code"])
    assert all(n == 1 for _, _, n in rows), "a mark was stored twice"
    stored = {(a, mid) for a, mid, _ in rows}
    for o in observers:
        missing = [mid for mid in acked[o.id] if (o.id, mid) not in stored]
        assert not missing, f"acked but lost: {missing[:5]}"


def test_restart_of_the_only_worker_resumes_the_room(server, clients, tmp_path):
    db = f"sqlite:///{tmp_path / 'restart.db'}"
    srv = server(database_url=db)
    r, fac, (cust, agent, o1, o2) = setup_room(srv.url, clients)
    fac.ok("start_round", {"customer": cust.id, "agent": agent.id})
    fac.ok("begin_roleplay")
    step = fac.ok("sync")["state"]["round"]["card"]["steps"][0]
    o1.ok("mark_step", {"id": "before", "step": step, "rating": 2})
    fac.ok("pause_round")
    before = fac.ok("sync")["state"]
    srv.stop(kill=True)

    srv2 = server(database_url=db)
    fac2 = clients(srv2.url, "fac2")
    after = fac2.ok("host_room", {"room": r["code"], "facilitator_token": r["facilitator_token"]})["state"]
    assert after["phase"] == "paused"
    assert after["round"]["clock"] == before["round"]["clock"]  # paused: the clock kept its time
    assert [m["id"] for m in after["round"]["marks"]] == ["before"]
    assert not any(p["connected"] for p in after["participants"])  # their sockets died with the process
    o1b = clients(srv2.url, "o1b")
    assert o1b.ok("rejoin", {"room": r["code"], "token": o1.token})["state"]["you"]["role"] == "observer"
    fac2.ok("resume_round")
    assert fac2.ok("sync")["state"]["round"]["clock"]["running"] is True
    o1b.ok("mark_step", {"id": "after", "step": step, "rating": 3})


@pytest.mark.postgres
def test_redis_restart_mid_round_recovers(server, clients, pg, tmp_path):
    redis = PrivateRedis(tmp_path).start()
    try:
        channel = "calmroom-redis-restart"
        w1 = server(database_url=pg.url, env=worker_env(pg.url, redis.url, channel, "w1"))
        w2 = server(database_url=pg.url, env=worker_env(pg.url, redis.url, channel, "w2"))
        r, fac, (cust, agent, o1, o2) = setup_room(w1.url, clients, bases=[w2.url])
        fac.ok("start_round", {"customer": cust.id, "agent": agent.id})
        fac.ok("begin_roleplay")
        step = fac.ok("sync")["state"]["round"]["card"]["steps"][0]
        o1.ok("mark_step", {"id": "pre", "step": step, "rating": 1})
        fac.wait_for("step_marked", lambda p: p["mark"]["id"] == "pre")

        redis.stop()
        # the server keeps serving: acks still come, the marks are stored
        o1.ok("mark_step", {"id": "during", "step": step, "rating": 2})
        assert requests.get(f"{w1.url}/healthz", timeout=5).json()["message_queue"].startswith("error")
        redis.start()
        # broadcasts across workers recover once Redis is back
        import time

        deadline = time.monotonic() + 20
        n = 0
        while time.monotonic() < deadline:
            n += 1
            o1.ok("mark_step", {"id": f"post{n}", "step": step, "rating": 3})
            try:
                fac.wait_for("step_marked", lambda p: p["mark"]["id"] == f"post{n}", timeout=1)
                break
            except AssertionError:
                continue
        else:
            pytest.fail("broadcasts did not recover after Redis came back")
        assert requests.get(f"{w1.url}/healthz", timeout=5).json()["message_queue"] == "ok"
        ids = {mid for _, mid, _ in count_marks(pg.url, r["code"])}
        assert {"pre", "during"} <= ids
    finally:
        redis.stop()


@pytest.mark.postgres
def test_postgres_briefly_unavailable(server, clients, pg):
    target = make_url(pg.url)
    proxy = CuttableProxy(target.host or "127.0.0.1", target.port or 5432).start()
    via_proxy = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    srv = server(database_url=via_proxy)
    r, fac, (cust, agent, o1, o2) = setup_room(srv.url, clients)
    fac.ok("start_round", {"customer": cust.id, "agent": agent.id})
    fac.ok("begin_roleplay")
    step = fac.ok("sync")["state"]["round"]["card"]["steps"][0]
    o1.ok("mark_step", {"id": "ok1", "step": step, "rating": 2})
    version = fac.ok("sync")["state"]["version"]

    proxy.cut()
    ack = o1.call("mark_step", {"id": "lost", "step": step, "rating": 1})
    assert ack["ok"] is False and ack["error"]["code"] == "unavailable"
    health = requests.get(f"{srv.url}/healthz", timeout=15)
    assert health.status_code == 503 and health.json()["database"].startswith("error")

    proxy.restore()
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if requests.get(f"{srv.url}/healthz", timeout=15).status_code == 200:
            break
        time.sleep(0.3)
    st = fac.ok("sync")["state"]
    assert st["version"] == version  # nothing was half-written
    assert [m["id"] for m in st["round"]["marks"]] == ["ok1"]
    o1.ok("mark_step", {"id": "lost", "step": step, "rating": 1})  # the retry now lands, once
    assert sorted(mid for _, mid, _ in count_marks(pg.url, r["code"])) == ["lost", "ok1"]
