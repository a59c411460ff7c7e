"""The trainer credential of a default-configured server: the first start
prints a sign-in link once, a restart prints none, `calmroom trainer-link`
replaces it, and workers starting together make one credential."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from calmroom.services.trainers import TrainerKeys
from calmroom.store import db
from helpers.databases import PG_ENV, PostgresDatabase, postgres_admin_url
from helpers.server import ServerProcess

DECK = (Path(__file__).resolve().parents[1] / "data" / "minimal-deck.yaml").read_text(encoding="utf-8")


def link_keys(log: Path) -> list[str]:
    return re.findall(r"/studio#key=(\S+)", log.read_text())


def upload(url: str, token: str, deck_id: str) -> int:
    body = DECK.replace("id: test-deck", f"id: {deck_id}").encode()
    return requests.post(f"{url}/api/decks", data=body, timeout=10,
                         headers={"Content-Type": "application/yaml", "Authorization": f"Bearer {token}"}).status_code


@pytest.fixture
def no_admin_env(monkeypatch):
    monkeypatch.delenv("CALMROOM_ADMIN_TOKEN", raising=False)
    monkeypatch.delenv("CALMROOM_PUBLIC_URL", raising=False)


def test_first_start_prints_a_link_once_and_trainer_link_replaces_it(tmp_path, no_admin_env):
    first = ServerProcess(tmp_path).start()
    try:
        keys = link_keys(first.log)
        assert len(keys) == 1, first.log.read_text()
        assert f"http://127.0.0.1:{first.port}/studio#key=" in first.log.read_text()
        assert upload(first.url, keys[0], "first-deck") == 201
        assert upload(first.url, "not-the-key", "other-deck") == 401
    finally:
        first.stop()

    again = ServerProcess(tmp_path).start()  # the same database
    try:
        assert link_keys(again.log) == [], again.log.read_text()
        assert "calmroom trainer-link" in again.log.read_text()
        assert upload(again.url, keys[0], "second-deck") == 201  # the first link still works

        made = subprocess.run(
            [sys.executable, "-m", "calmroom", "trainer-link", "--url", again.url],
            env=again.env, capture_output=True, text=True, timeout=60,
        )
        assert made.returncode == 0, made.stderr
        fresh = re.fullmatch(rf"{re.escape(again.url)}/studio#key=(\S+)\n", made.stdout)
        assert fresh, made.stdout
        assert "no longer works" in made.stderr
        assert upload(again.url, fresh.group(1), "third-deck") == 201
        assert upload(again.url, keys[0], "fourth-deck") == 401  # revoked
    finally:
        again.stop()


def test_with_an_admin_token_no_link_is_made(tmp_path, no_admin_env):
    srv = ServerProcess(tmp_path, env={"CALMROOM_ADMIN_TOKEN": "set-by-the-operator"}).start()
    try:
        assert link_keys(srv.log) == [] and "Trainer sign-in" not in srv.log.read_text()
        assert upload(srv.url, "set-by-the-operator", "admin-deck") == 201
    finally:
        srv.stop()


def test_trainer_link_uses_the_public_url(tmp_path, no_admin_env):
    env = {**os.environ, "CALMROOM_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "CALMROOM_PUBLIC_URL": "https://calm.example/"}
    made = subprocess.run([sys.executable, "-m", "calmroom", "trainer-link"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert made.returncode == 0, made.stderr
    token = re.fullmatch(r"https://calm\.example/studio#key=(\S+)\n", made.stdout).group(1)
    engine = db.make_engine(env["CALMROOM_DATABASE_URL"])
    try:
        keys = TrainerKeys(db.make_sessionmaker(engine))
        assert keys.is_trainer(token) and not keys.is_trainer(token[:-1])
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def shared_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.db'}"
        db.upgrade(url)
        yield url
        return
    if not postgres_admin_url():
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (CI sets it)")
    pg = PostgresDatabase()
    db.upgrade(pg.url)
    yield pg.url
    pg.drop()


def test_workers_starting_together_make_one_credential(shared_url):
    engines = [db.make_engine(shared_url) for _ in range(6)]
    barrier = threading.Barrier(len(engines))
    got: list[str | None] = []

    def start(engine) -> None:
        keys = TrainerKeys(db.make_sessionmaker(engine))
        barrier.wait()
        got.append(keys.make_first())

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        made = [t for t in got if t is not None]
        assert len(got) == len(engines) and len(made) == 1, got
        assert TrainerKeys(db.make_sessionmaker(engines[0])).is_trainer(made[0])
    finally:
        for e in engines:
            e.dispose()
