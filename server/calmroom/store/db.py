"""Engine, sessions and migrations.

SQLite: WAL, a busy timeout, foreign keys on, and BEGIN IMMEDIATE so a room
change takes the write lock at its start (one writer at a time, no upgrade
deadlocks). `synchronous=NORMAL` in WAL mode keeps every committed transaction
through a crash of the process; FULL (CALMROOM_SQLITE_SYNCHRONOUS) also
through a power cut. PostgreSQL: rows are locked with SELECT ... FOR UPDATE.

The PostgreSQL pool is sized so that a busy worker keeps its connections: a
connection opened past `pool_size` is closed again when it comes back, and
under load that meant a new server process forked for many transactions
(docs/performance.md). A connection is pinged before use only when it has
been idle for a while (`IDLE_PING_S`): a ping before every transaction was
one extra round trip per event, and a connection in steady use is proven by
its last transaction. A connection that turns out dead mid-transaction makes
SQLAlchemy invalidate the whole pool, so one failed event (answered
`unavailable`, nothing written) is the most an outage costs a worker."""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
IDLE_PING_S = 10.0   # ping a pooled PostgreSQL connection that has been idle this long
RECYCLE_S = 1800     # and replace one this old (firewalls and proxies drop idle connections)


def normalize_url(url: str) -> str:
    """postgresql:// means psycopg2, the driver eventlet makes cooperative."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url[len("postgresql://"):]
    return url


def make_engine(
    url: str, *, sqlite_synchronous: str = "NORMAL", pool_size: int = 20, idle_ping_s: float = IDLE_PING_S
) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={sqlite_synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            # straight to the driver: SQLAlchemy's statement machinery cost
            # more than the statement, on every transaction
            try:
                conn.connection.driver_connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise DBAPIError.instance("BEGIN IMMEDIATE", (), exc, sqlite3.Error) from exc

        return engine
    engine = create_engine(
        url, pool_size=pool_size, max_overflow=pool_size // 2, pool_use_lifo=True, pool_recycle=RECYCLE_S,
        pool_timeout=10, connect_args={"connect_timeout": 5},
    )
    _ping_when_idle(engine, idle_ping_s)
    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """Pessimistic disconnect handling for idle connections only. Raising
    DisconnectionError in a checkout listener makes the pool drop that
    connection and check out another (SQLAlchemy's documented recipe)."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn, record, _proxy):
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_s:
            return
        try:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("SELECT 1")
            finally:
                cur.close()
        except Exception as exc:
            raise DisconnectionError(f"pooled connection is gone: {exc}") from exc


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
        with session.begin():
            yield session
    finally:
        session.close()
