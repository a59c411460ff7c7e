"""Fixtures for socket tests: a real app on a temporary SQLite file, driven
through Flask-SocketIO's test client."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from calmroom.app import create_app
from calmroom.config import TestConfig
from helpers.databases import PG_ENV, PostgresDatabase, postgres_admin_url

_ids = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_db():
    if not postgres_admin_url():
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (CI sets it)")
    db = PostgresDatabase()
    yield db
    db.drop()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """The socket suite runs on both back ends, so they are proven equal."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    db = request.getfixturevalue("postgres_db")
    db.truncate()
    return db.url


@pytest.fixture
def app_and_io(database_url):
    cfg = TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second")
    app, io = create_app(cfg)
    yield app, io
    app.extensions["calmroom"].engine.dispose()


@pytest.fixture
def app(app_and_io):
    return app_and_io[0]


@pytest.fixture
def http(app):
    return app.test_client()


@dataclass
class Member:
    """One socket of a facilitator or participant, with what it received."""

    client: Any
    name: str
    id: str | None = None
    token: str | None = None
    inbox: list = field(default_factory=list)

    def call(self, event: str, payload: Any = None, *more: Any) -> dict:
        args = () if payload is None and not more else (payload, *more)
        ack = self.client.emit(event, *args, callback=True)
        self.pump()
        return ack

    def ok(self, event: str, payload: Any = None) -> dict:
        ack = self.call(event, payload if payload is not None else {})
        assert ack["ok"] is True, (event, ack)
        return ack

    def pump(self) -> list:
        if not self.client.is_connected():
            return []  # e.g. kicked: the server dropped this socket; keep what it had received
        got = self.client.get_received()
        self.inbox.extend(got)
        return got

    def events(self, name: str) -> list[Any]:
        self.pump()
        return [e["args"][0] for e in self.inbox if e["name"] == name]

    def last_state(self) -> dict:
        states = self.events("state")
        assert states, f"{self.name} received no state"
        return states[-1]

    def clear(self) -> None:
        self.pump()
        self.inbox.clear()


class Room:
    def __init__(self, app, io, http, deck: str = "test-deck"):
        self.app, self.io, self.http = app, io, http
        res = http.post("/api/rooms", json={"deck": deck, "title": "Workshop"})
        assert res.status_code == 201, res.get_json()
        body = res.get_json()
        self.code = body["code"]
        self.token = body["facilitator_token"]
        self.facilitator = self.connect("facilitator")
        self.facilitator.ok("host_room", {"room": self.code, "facilitator_token": self.token})
        self.people: dict[str, Member] = {}

    def connect(self, name: str) -> Member:
        return Member(self.io.test_client(self.app), name)

    def join(self, name: str) -> Member:
        m = self.connect(name)
        ack = m.ok("join_room", {"room": self.code, "name": name})
        m.id, m.token = ack["you"]["id"], ack["token"]
        self.people[name] = m
        return m

    def everyone(self) -> list[Member]:
        return [self.facilitator, *self.people.values()]

    def clear(self) -> None:
        for m in self.everyone():
            m.clear()


@pytest.fixture
def deck_dir(tmp_path, data_dir):
    return data_dir


@pytest.fixture
def trainer_token(app) -> str:
    """A trainer credential made the way `calmroom trainer-link` makes one."""
    from calmroom.services.trainers import TrainerKeys

    return TrainerKeys(app.extensions["calmroom"].sessions).make_new()


@pytest.fixture
def make_room(app_and_io, http, data_dir, trainer_token):
    app, io = app_and_io
    # the small test deck, next to the default ones
    res = http.post("/api/decks", data=(data_dir / "minimal-deck.yaml").read_bytes(), content_type="application/yaml",
                    headers={"Authorization": f"Bearer {trainer_token}"})
    assert res.status_code in (200, 201), res.get_json()

    def make(deck: str = "test-deck") -> Room:
        return Room(app, io, http, deck)

    return make
