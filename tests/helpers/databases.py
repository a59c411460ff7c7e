"""Test databases: a temporary SQLite file, or a fresh PostgreSQL database
made from CALMROOM_TEST_DATABASE_URL (CI always sets it)."""
from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from calmroom.app import create_app
from calmroom.config import TestConfig
from calmroom.store.db import normalize_url, upgrade
from calmroom.store.models import Base

PG_ENV = "CALMROOM_TEST_DATABASE_URL"
REDIS_ENV = "CALMROOM_TEST_REDIS_URL"


def postgres_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    return normalize_url(url) if url else None


class PostgresDatabase:
    """A database of its own for one test session, dropped at the end."""

    def __init__(self) -> None:
        admin = postgres_admin_url()
        assert admin, f"{PG_ENV} is not set"
        self.admin = admin
        self.name = f"calmroom_test_{uuid.uuid4().hex[:10]}"
        self.url = make_url(admin).set(database=self.name).render_as_string(hide_password=False)
        eng = create_engine(admin, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text(f'CREATE DATABASE "{self.name}"'))
        eng.dispose()
        upgrade(self.url)
        self.engine = create_engine(self.url)

    def truncate(self) -> None:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with self.engine.begin() as c:
            c.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

    def drop(self) -> None:
        self.engine.dispose()
        eng = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        eng.dispose()


def shared_app(request, tmp_path_factory, label: str, rate_limit: str = "1000/second"):
    """For a module-scoped `app_and_io` override: one app per back end for the
    whole module (each test makes its own room), so the module stays fast."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp(label) / 'test.db'}"
    else:
        db = request.getfixturevalue("postgres_db")  # skips without CALMROOM_TEST_DATABASE_URL
        db.truncate()
        url = db.url
    app, io = create_app(TestConfig(database_url=url, async_mode="threading", rate_limit=rate_limit))
    yield app, io
    app.extensions["calmroom"].engine.dispose()
