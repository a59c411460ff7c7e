"""Fixtures for socket tests: a real app on a temporary SQLite file, driven
through Flask-SocketIO's test client."""
from __future__ import annotations

import pytest

from calmroom.app import create_app
from calmroom.config import TestConfig
from helpers.databases import PG_ENV, PostgresDatabase, postgres_admin_url
from helpers.members import Member, Room


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
def batching_room(database_url, data_dir, trainer_token_for):
    """A room on an app that batches membership deltas (400 ms windows: wide enough for a loaded machine), as
    the server does by default."""
    cfg = TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second", fanout_window_ms=400)
    app, io = create_app(cfg)
    http = app.test_client()
    res = http.post("/api/decks", data=(data_dir / "minimal-deck.yaml").read_bytes(), content_type="application/yaml",
                    headers={"Authorization": f"Bearer {trainer_token_for(app)}"})
    assert res.status_code in (200, 201), res.get_json()
    yield Room(app, io, http, "test-deck")
    app.extensions["calmroom"].engine.dispose()


@pytest.fixture
def trainer_token_for():
    from calmroom.services.trainers import TrainerKeys

    return lambda app: TrainerKeys(app.extensions["calmroom"].sessions).make_new()


@pytest.fixture
def app(app_and_io):
    return app_and_io[0]


@pytest.fixture
def http(app):
    return app.test_client()


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

    def make(deck: str = "test-deck", options: dict | None = None) -> Room:
        return Room(app, io, http, deck, options)

    return make
