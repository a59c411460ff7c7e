"""Transactions for the live events (marks, temperatures, scores, ratings,
reflections): most of the traffic, a few statements each.

On PostgreSQL they run through SQLAlchemy's Engine (`engine.begin()`): there
the round trips to the server are the cost, and live.py already folds the
write and the version bump into one statement.

On SQLite the database runs inside the process and a statement costs a few
microseconds in the driver, so SQLAlchemy's per-statement machinery (pool
checkout, Connection and execution context, result wrapping) was most of the
time of a mark (docs/performance.md). `SqliteLive` runs the same Core
statements, compiled once per statement by SQLAlchemy's SQLite dialect with
the columns' bind and result processors, through the driver on one dedicated
connection. What a transaction does is unchanged: BEGIN IMMEDIATE (the
database's write lock, as every room change takes it), the statements,
COMMIT, and ROLLBACK on any error; driver errors are raised as SQLAlchemy's
DBAPIError so callers handle both paths alike.

A transaction never yields to another green thread (nothing in it does
network I/O), and a lock keeps threads (the test server's threading mode) to
one transaction at a time on the connection."""
from __future__ import annotations

import sqlite3
import threading
from collections import namedtuple
from contextlib import contextmanager
from typing import Any, Callable, Iterator, NamedTuple

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError


class _Compiled(NamedTuple):
    sql: str
    binds: tuple[tuple[str, Any, Callable | None], ...]  # (name, default value, bind processor)
    row: type | None                                     # namedtuple of the result columns
    processors: tuple[Callable | None, ...]
    any_processor: bool


class Result:
    """What the repository functions use of a SQLAlchemy Result."""

    __slots__ = ("rows", "rowcount")

    def __init__(self, rows: list, rowcount: int):
        self.rows = rows
        self.rowcount = rowcount

    def first(self):
        return self.rows[0] if self.rows else None

    def scalar(self):
        return self.rows[0][0] if self.rows else None

    def scalar_one(self):
        if len(self.rows) != 1:
            raise ValueError(f"expected one row, got {len(self.rows)}")
        return self.rows[0][0]

    def scalars(self):
        return [r[0] for r in self.rows]

    def __iter__(self):
        return iter(self.rows)


class DriverConnection:
    """Executes Core statements on a sqlite3 connection; `dialect` and
    `execute` are what repository code needs of a Connection."""

    def __init__(self, raw: sqlite3.Connection, dialect, cache: dict):
        self.raw = raw
        self.dialect = dialect
        self._cache = cache

    def execute(self, stmt, params: dict | None = None) -> Result:
        c = self._cache.get(stmt)
        if c is None:
            c = self._cache[stmt] = compile_for_driver(stmt, self.dialect)
        params = params or {}
        args = []
        for name, default, proc in c.binds:
            value = params.get(name, default)
            args.append(proc(value) if proc is not None else value)
        try:
            cur = self.raw.execute(c.sql, args)
            fetched = cur.fetchall() if c.row is not None else []
        except sqlite3.Error as exc:
            raise DBAPIError.instance(c.sql, args, exc, sqlite3.Error) from exc
        if c.any_processor:
            fetched = [tuple(p(v) if p is not None else v for p, v in zip(c.processors, r)) for r in fetched]
        rows = [c.row._make(r) for r in fetched] if c.row is not None else []
        return Result(rows, cur.rowcount)


def on_session(session, cache: dict):
    """What runs Core statements in a session's transaction: on SQLite the
    driver of the session's own connection (statements compiled once into
    `cache`), elsewhere SQLAlchemy's Connection."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return conn
    return DriverConnection(conn.connection.driver_connection, conn.dialect, cache)


def compile_for_driver(stmt, dialect) -> _Compiled:
    compiled = stmt.compile(dialect=dialect)
    binds = []
    for name in compiled.positiontup or ():
        bind = compiled.binds[name]
        proc = bind.type.dialect_impl(dialect).bind_processor(dialect)
        binds.append((name, compiled.params.get(name), proc))
    columns = list(getattr(stmt, "exported_columns", ()) or ())
    row = None
    processors: tuple = ()
    if columns:
        row = namedtuple("Row", [c.key for c in columns], rename=True)
        processors = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return _Compiled(str(compiled), tuple(binds), row, processors, any(p is not None for p in processors))


class SqliteLive:
    """One dedicated connection, one transaction at a time."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._pooled = None  # taken from the pool at the first transaction, kept for the life of the service
        self._raw: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._cache: dict = {}
        self._conn: DriverConnection | None = None

    def _open(self) -> None:
        self._pooled = self.engine.raw_connection()
        self._raw = self._pooled.driver_connection
        self._conn = DriverConnection(self._raw, self.engine.dialect, self._cache)

    @contextmanager
    def begin(self) -> Iterator[DriverConnection]:
        with self._lock:
            if self._conn is None:
                self._open()
            try:
                self._raw.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise DBAPIError.instance("BEGIN IMMEDIATE", (), exc, sqlite3.Error) from exc
            try:
                yield self._conn
            except BaseException:
                if self._raw.in_transaction:
                    self._raw.rollback()
                raise
            try:
                self._raw.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._raw.in_transaction:
                    self._raw.rollback()
                raise DBAPIError.instance("COMMIT", (), exc, sqlite3.Error) from exc

    def close(self) -> None:
        with self._lock:
            if self._pooled is not None:
                self._pooled.close()
            self._pooled = self._raw = self._conn = None


class EngineLive:
    """PostgreSQL (and anything not SQLite): SQLAlchemy's own transactions."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def begin(self):
        return self.engine.begin()

    def close(self) -> None:
        pass


def live_store(engine: Engine) -> SqliteLive | EngineLive:
    return SqliteLive(engine) if engine.dialect.name == "sqlite" else EngineLive(engine)
