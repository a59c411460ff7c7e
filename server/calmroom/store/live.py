"""The one seam for live writes: marks, temperatures, scores, global ratings
and reflections, most of the traffic.

    with live.transaction(code, participant_id, now_ms) as tx:
        tx.context                # the room, its round, the sender (one locked read)
        version = tx.record(kind, values)

`record` writes one fact and bumps the room's version once, or returns None
when the fact is a repeat an insert ignores (a retried mark or temperature:
nothing changed, no bump). What it hides: on SQLite the statements go
through the driver on one connection (fastpath.py: SQLAlchemy's per-statement
machinery was most of the cost of a mark); on PostgreSQL the write and the
bump are one statement (a data-modifying CTE: one round trip fewer per
event, and every round trip is a trip through eventlet's hub). Either way
the bump is the one of versions.py, and it happens only when the write
took place."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, literal_column, select
from sqlalchemy.engine import Engine

from .fastpath import live_store
from .models import GlobalRatingRow, MarkCorrectionRow, MarkRow, ParticipantRow, ReflectionRow, RoomRow, RoundRow, ScoreRow, TemperatureRow
from .versions import BUMP, bump

# The statements are built once; each call only binds parameters (compiled
# once per statement, by SQLAlchemy's cache or fastpath's).
_rooms, _rounds, _participants = RoomRow.__table__, RoundRow.__table__, ParticipantRow.__table__
_marks, _temps = MarkRow.__table__, TemperatureRow.__table__
_sender = _participants.alias("sender")

_CONTEXT = (
    select(
        _rooms.c.id, _rooms.c.phase, _rooms.c.deck_pk, _rooms.c.current_round_id, _rooms.c.version,
        _rooms.c.shared_version, _rooms.c.options, _rounds.c.card_id, _rounds.c.customer_id, _rounds.c.agent_id,
        _rounds.c.accumulated_ms, _rounds.c.running_since_ms, _rounds.c.duration_s,
        _sender.c.status.label("sender_status"), _sender.c.room_id.label("sender_room"),
    )
    .select_from(
        _rooms.outerjoin(_rounds, _rounds.c.id == _rooms.c.current_round_id)
        .outerjoin(_sender, _sender.c.id == bindparam("pid"))
    )
    .where(_rooms.c.code == bindparam("code"))
)
_CONTEXT_LOCKED = _CONTEXT.with_for_update(of=_rooms)  # SQLite: BEGIN IMMEDIATE has the lock
_FIND_MARK = select(_marks).where(
    _marks.c.round_id == bindparam("round_id"), _marks.c.author == bindparam("author"), _marks.c.client_id == bindparam("client_id")
)
_FIND_TEMP = select(_temps).where(_temps.c.round_id == bindparam("round_id"), _temps.c.client_id == bindparam("client_id"))
_OBSERVERS = select(_participants.c.id).where(
    _participants.c.room_id == bindparam("rid"), _participants.c.status == "active",
    _participants.c.id != bindparam("customer"), _participants.c.id != bindparam("agent"),
)

# kind: (table, conflict keys, columns a repeat overwrites (None: a repeat is
# ignored), the time column, whether it bumps the version). A temperature
# does not: it is hidden from the agent, and a version the agent never sees
# would tell it the meter moved.
KINDS: dict[str, tuple[Any, list[str], list[str] | None, str, bool]] = {
    "mark": (_marks, ["round_id", "author", "client_id"], None, "created_ms", True),
    # a correction of a mark is only ever added (store/corrections.py reads them)
    "correction": (MarkCorrectionRow.__table__, ["round_id", "author", "client_id"], None, "created_ms", True),
    "temperature": (_temps, ["round_id", "client_id"], None, "created_ms", False),
    "score": (ScoreRow.__table__, ["round_id", "author", "step"], ["rating", "comment", "updated_ms"], "updated_ms", True),
    "global": (GlobalRatingRow.__table__, ["round_id", "author"], ["rating", "updated_ms"], "updated_ms", True),
    "reflection": (
        ReflectionRow.__table__, ["round_id", "author"],
        ["feeling", "felt_heard", "went_well", "do_differently", "updated_ms"], "updated_ms", True,
    ),
}


def _write(dialect: str, kind: str):
    """INSERT ... ON CONFLICT: DO NOTHING for marks and temperatures (a
    repeat is a retry), DO UPDATE for the rest (the last one counts)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table, keys, overwrite, _, _ = KINDS[kind]
    columns = [c.name for c in table.columns if c.name != "id"]  # every column but the surrogate key
    ins = insert(table).values({c: bindparam(f"v_{c}") for c in columns})  # column names are reserved
    if overwrite:
        return ins.on_conflict_do_update(index_elements=keys, set_={c: ins.excluded[c] for c in overwrite})
    return ins.on_conflict_do_nothing(index_elements=keys)


def _write_and_bump(kind: str):
    written = _write("postgresql", kind).returning(literal_column("1").label("one")).cte("written")
    return BUMP.where(select(written.c.one).exists())


# (dialect, kind) -> (statement, whether it bumps by itself)
_STATEMENTS: dict[tuple[str, str], Any] = {}
for _kind, (_t, _k, _o, _col, _versioned) in KINDS.items():
    _STATEMENTS[("sqlite", _kind)] = _write("sqlite", _kind)
    _STATEMENTS[("postgresql", _kind)] = _write_and_bump(_kind) if _versioned else _write("postgresql", _kind)


class LiveTx:
    """One live event's transaction, opened by LiveStore.transaction: on
    entering, the one locked read (`context`: None when there is no such
    room); on leaving, the commit, or the rollback when the block raised.
    A plain class, not a generator: this is on every mark's path."""

    __slots__ = ("conn", "context", "now_ms", "_store", "_code", "_pid", "_begun")

    def __init__(self, store: LiveStore, code: str, participant_id: str | None, now_ms: int):
        self._store, self._code, self._pid, self.now_ms = store, code, participant_id, now_ms
        self.conn = self.context = self._begun = None

    def __enter__(self) -> LiveTx:
        self._begun = self._store._tx.begin()
        self.conn = self._begun.__enter__()
        try:
            self.context = self.conn.execute(self._store._context, {"code": self._code, "pid": self._pid}).first()
        except BaseException as exc:
            self._begun.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __exit__(self, *exc) -> bool | None:
        return self._begun.__exit__(*exc)

    def record(self, kind: str, values: dict) -> int | None:
        """Insert (or, for scores, ratings and reflections, upsert) one fact of
        the room's current round and bump the room's version once. `values`
        are the fact's columns; the room, the round and the time are added
        here. The new version, or None when the fact was a repeat an insert
        ignores. A temperature does not bump: its version is the room's as
        it was."""
        _, _, overwrite, time_column, versioned = KINDS[kind]
        ctx, postgres = self.context, self._store.postgres
        params = {f"v_{k}": v for k, v in values.items()}
        params["v_room_id"], params["v_round_id"], params[f"v_{time_column}"] = ctx.id, ctx.current_round_id, self.now_ms
        stmt = _STATEMENTS[("postgresql" if postgres else "sqlite", kind)]
        if postgres and versioned:
            params["rid"], params["now"] = ctx.id, self.now_ms
            return self.conn.execute(stmt, params).scalar()
        if self.conn.execute(stmt, params).rowcount != 1 and overwrite is None:
            return None
        if not versioned:
            return ctx.version
        return bump(self.conn, ctx.id, self.now_ms)

    def find_mark(self, author: str, client_id: str):
        """The stored mark a retry repeats."""
        return self.conn.execute(
            _FIND_MARK, {"round_id": self.context.current_round_id, "author": author, "client_id": client_id}
        ).first()

    def find_temperature(self, client_id: str):
        return self.conn.execute(_FIND_TEMP, {"round_id": self.context.current_round_id, "client_id": client_id}).first()

    def observer_ids(self) -> list[str]:
        ctx = self.context
        return list(self.conn.execute(_OBSERVERS, {"rid": ctx.id, "customer": ctx.customer_id, "agent": ctx.agent_id}).scalars())


class LiveStore:
    """The live events' transactions on one engine (SQLite: one dedicated
    connection, taken at the first event and held until `close`)."""

    def __init__(self, engine: Engine):
        self._tx = live_store(engine)
        self.postgres = engine.dialect.name == "postgresql"
        self._context = _CONTEXT_LOCKED if self.postgres else _CONTEXT

    def transaction(self, code: str, participant_id: str | None, now_ms: int) -> LiveTx:
        """`with store.transaction(...) as tx`: one transaction that starts
        with one locked read of what a live event needs (the room, its
        current round and the sender's standing)."""
        return LiveTx(self, code, participant_id, now_ms)

    def begin(self):
        """`with store.begin() as conn`: a plain transaction on the same
        connection (SQLite: BEGIN IMMEDIATE, the write lock; the caller locks
        its row on PostgreSQL), for room changes in Core (store/rounds.py)."""
        return self._tx.begin()

    def close(self) -> None:
        self._tx.close()
