"""The SQLite live path runs Core statements through the driver: it must give
the same rows, apply the columns' type processing, keep a failed transaction
from leaving anything behind, and raise SQLAlchemy's errors."""
from __future__ import annotations

import pytest
from sqlalchemy import JSON, Boolean, Column, Integer, MetaData, String, Table, bindparam, insert, select, text
from sqlalchemy.exc import DBAPIError

from calmroom.store.db import make_engine
from calmroom.store.fastpath import EngineLive, SqliteLive, live_store

meta = MetaData()
things = Table(
    "things", meta,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), unique=True),
    Column("body", JSON),
    Column("flag", Boolean),
)
INSERT = insert(things).values(name=bindparam("n"), body=bindparam("b"), flag=bindparam("f"))
BY_NAME = select(things.c.id, things.c.body, things.c.flag, things.c.name.label("label")).where(things.c.name == bindparam("n"))
ACTIVE = select(things.c.name).where(things.c.flag == True).order_by(things.c.name)  # noqa: E712 (a literal bind)


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'fast.db'}")
    meta.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def live(engine):
    store = SqliteLive(engine)
    yield store
    store.close()


def test_sqlite_gets_the_driver_path_and_others_the_engine(engine):
    live = live_store(engine)
    assert isinstance(live, SqliteLive)
    live.close()
    assert isinstance(live_store(make_engine("postgresql://nobody@127.0.0.1:1/none")), EngineLive)


def test_rows_and_types_match_sqlalchemy(engine, live):
    with live.begin() as conn:
        assert conn.execute(INSERT, {"n": "a", "b": {"x": [1, 2]}, "f": True}).rowcount == 1
        conn.execute(INSERT, {"n": "b", "b": None, "f": False})
        row = conn.execute(BY_NAME, {"n": "a"}).first()
        assert row.body == {"x": [1, 2]} and row.flag is True and row.label == "a"
        assert row._asdict() == {"id": row.id, "body": {"x": [1, 2]}, "flag": True, "label": "a"}
        assert conn.execute(ACTIVE).scalars() == ["a"]
        assert conn.execute(BY_NAME, {"n": "nobody"}).first() is None
    with engine.connect() as c:  # committed, and what SQLAlchemy reads is the same
        same = c.execute(BY_NAME, {"n": "a"}).first()
        assert tuple(same) == tuple(row)


def test_an_error_rolls_back_everything_and_is_a_dbapi_error(engine, live):
    with pytest.raises(DBAPIError):
        with live.begin() as conn:
            conn.execute(INSERT, {"n": "once", "b": None, "f": True})
            conn.execute(INSERT, {"n": "once", "b": None, "f": True})  # unique name
    with pytest.raises(RuntimeError):
        with live.begin() as conn:
            conn.execute(INSERT, {"n": "other", "b": None, "f": True})
            raise RuntimeError("a rule said no")
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM things")).scalar_one() == 0
    with live.begin() as conn:  # and the connection is usable again
        conn.execute(INSERT, {"n": "once", "b": None, "f": True})
    with engine.connect() as c:
        assert c.execute(text("SELECT name FROM things")).scalars().all() == ["once"]


def test_scalar_one_insists_on_one_row(live):
    with pytest.raises(ValueError):
        with live.begin() as conn:
            conn.execute(BY_NAME, {"n": "missing"}).scalar_one()


def test_the_connection_is_taken_at_first_use_and_given_back(engine):
    live = SqliteLive(engine)
    assert engine.pool.checkedout() == 0  # a service that never sees a live event holds nothing
    with live.begin() as conn:
        conn.execute(INSERT, {"n": "x", "b": None, "f": False})
    assert engine.pool.checkedout() == 1
    live.close()
    assert engine.pool.checkedout() == 0
    with live.begin() as conn:  # usable again after close
        assert conn.execute(BY_NAME, {"n": "x"}).first().label == "x"
    live.close()
