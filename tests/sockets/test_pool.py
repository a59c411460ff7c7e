"""The PostgreSQL pool: connections in steady use are not pinged, idle ones
are, and a connection that died under a running worker costs one event at
most (SQLAlchemy invalidates the pool), never a wrong answer."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from calmroom.store.db import make_engine


def backend_pid(engine) -> int:
    with engine.connect() as c:
        return c.execute(text("SELECT pg_backend_pid()")).scalar_one()


def terminate(admin_url: str, pid: int) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        assert c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
        for _ in range(50):  # wait until the server has really let it go
            if not c.execute(text("SELECT 1 FROM pg_stat_activity WHERE pid = :p"), {"p": pid}).first():
                break
            time.sleep(0.05)
    admin.dispose()


@pytest.fixture
def pg_url(postgres_db):
    return postgres_db.url


def test_an_idle_connection_that_died_is_replaced_before_use(pg_url):
    engine = make_engine(pg_url, pool_size=1, idle_ping_s=0.2)
    try:
        first = backend_pid(engine)
        terminate(pg_url, first)
        time.sleep(0.3)  # idle past the ping threshold
        second = backend_pid(engine)  # no error: the ping found it dead, the pool made a new one
        assert second != first
    finally:
        engine.dispose()


def test_a_busy_connection_is_not_pinged_and_a_dead_one_costs_one_event(pg_url):
    engine = make_engine(pg_url, pool_size=1, idle_ping_s=3600)
    try:
        first = backend_pid(engine)
        second_use = backend_pid(engine)
        assert second_use == first  # the same connection, reused
        terminate(pg_url, first)
        with pytest.raises(DBAPIError) as err:
            backend_pid(engine)  # not pinged (it was in use a moment ago): this one event fails
        assert err.value.connection_invalidated
        assert backend_pid(engine) != first  # the pool was invalidated: the next event works
    finally:
        engine.dispose()


def test_the_pool_keeps_its_connections_under_concurrency(pg_url):
    """Up to pool_size connections in use at once come back to the pool
    instead of being closed (closing them meant a new server process for
    the next transaction)."""
    engine = make_engine(pg_url, pool_size=4)
    try:
        conns = [engine.connect() for _ in range(4)]
        pids = {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in conns}
        for c in conns:
            c.close()
        conns = [engine.connect() for _ in range(4)]
        again = {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in conns}
        for c in conns:
            c.close()
        assert again == pids
        assert engine.pool.checkedin() == 4
    finally:
        engine.dispose()
