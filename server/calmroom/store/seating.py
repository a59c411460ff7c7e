"""Seating one more person in a room, and making a room, with Core
statements: the hot path of a fishbowl filling up (bench --room-size 1000)
and of a workshop's start. The ORM's unit of work (two flushes, identity
map, a loaded room row) was most of a join's database CPU, and an ORM
session with its pool checkout half of what was left; here a join is one
locking read (store/rounds.py's `read_locked`), one name check, two inserts
and one update, in the caller's transaction (services/membership.py: the
live path's, store/live.py; one commit). On SQLite the statements run
through the driver (store/fastpath.py: compiled once, the columns'
processors kept); PostgreSQL keeps SQLAlchemy's Connection (the round
trips are the cost there)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from .fastpath import on_session
from .models import ConnectionRow, DeckRow, ParticipantRow, RoomRow

DECKS = DeckRow.__table__
ROOMS = RoomRow.__table__
PEOPLE = ParticipantRow.__table__
CONNECTIONS = ConnectionRow.__table__
_COMPILED: dict = {}  # the statements below, compiled for the SQLite driver

# a new room: the deck's newest version (pk and title only), then the row
_LATEST_DECK = (
    select(DECKS.c.pk, DECKS.c.title).where(DECKS.c.deck_id == bindparam("deck_id")).order_by(DECKS.c.version.desc()).limit(1)
)
_NEW_ROOM = insert(ROOMS).values({c: bindparam(c) for c in (
    "code", "title", "deck_pk", "phase", "version", "shared_version", "locked", "options", "facilitator_token_hash",
    "duration_s", "next_seq", "created_ms", "updated_ms",
)})

_NAMES = select(PEOPLE.c.status).where(PEOPLE.c.room_id == bindparam("rid"), PEOPLE.c.name_key == bindparam("key"))

_SEAT_PERSON = insert(PEOPLE).values({
    c: bindparam(c) for c in ("id", "room_id", "name", "name_key", "token_hash", "seq", "status", "joined_ms", "rejoin_code_hash")
})
_SEAT_CONNECTION = insert(CONNECTIONS).values({
    c: bindparam(c) for c in ("sid", "room_id", "participant_id", "worker", "connected_ms")
})


def _connection_once(dialect: str):
    """The connection's row unless the socket has one (a second host_room on it)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(CONNECTIONS).values({
        c: bindparam(c) for c in ("sid", "room_id", "participant_id", "worker", "connected_ms")
    }).on_conflict_do_nothing(index_elements=["sid"])


_CONNECTION_ONCE = {d: _connection_once(d) for d in ("sqlite", "postgresql")}

# a socket that went away: its row, then whether its participant has another
_CONNECTION = select(CONNECTIONS.c.room_id, CONNECTIONS.c.participant_id).where(CONNECTIONS.c.sid == bindparam("sid"))
_DROP_CONNECTION = delete(CONNECTIONS).where(CONNECTIONS.c.sid == bindparam("sid"))
_STILL_CONNECTED = select(CONNECTIONS.c.sid).where(
    CONNECTIONS.c.room_id == bindparam("rid"), CONNECTIONS.c.participant_id == bindparam("pid")
).limit(1)

_BUMP = (
    update(ROOMS).where(ROOMS.c.id == bindparam("rid"))
    .values(version=bindparam("v"), shared_version=bindparam("v"), next_seq=bindparam("seq") + 1, updated_ms=bindparam("now"))
)


def _conn(tx: Session | Any):
    """What executes this module's statements: in a session's transaction,
    or on a connection the caller has (the live path's: services/membership.py)."""
    return on_session(tx, _COMPILED) if isinstance(tx, Session) else tx


def latest_deck(session: Session | Any, deck_id: str):
    """The newest version of a deck: (pk, title), or None."""
    return _conn(session).execute(_LATEST_DECK, {"deck_id": deck_id}).first()


def new_room(session: Session | Any, values: dict) -> None:
    """Insert a room row (an IntegrityError when its code is taken)."""
    _conn(session).execute(_NEW_ROOM, values)


def name_statuses(session: Session | Any, room_id: int, key: str, statuses: tuple[str, ...]) -> list[str]:
    """The statuses, among `statuses`, of the room's people under this name key."""
    return [s for s in _conn(session).execute(_NAMES, {"rid": room_id, "key": key}).scalars() if s in statuses]


def seat(session: Session | Any, room: Any, participant: dict, sid: str, worker: str, now_ms: int) -> tuple[int, int]:
    """Insert the participant (at the room's next seq) and its connection,
    bump the room as a shared change: (version, prev). `room` (store/rounds.py's
    Head, read locked) moves along."""
    conn = _conn(session)
    seq = room.next_seq
    conn.execute(_SEAT_PERSON, {"rejoin_code_hash": None, **participant, "room_id": room.id, "seq": seq, "joined_ms": now_ms})
    conn.execute(_SEAT_CONNECTION, {"sid": sid, "room_id": room.id, "participant_id": participant["id"],
                                    "worker": worker, "connected_ms": now_ms})
    prev, version = room.shared_version, room.version + 1
    conn.execute(_BUMP, {"rid": room.id, "v": version, "seq": seq, "now": now_ms})
    room.version = room.shared_version = version
    room.next_seq = seq + 1
    return version, prev


def add_connection(session: Session | Any, sid: str, room_id: int, participant_id: str | None, worker: str, now_ms: int) -> None:
    """Record the socket as one of the room's connections (nothing when it is already)."""
    conn = _conn(session)
    stmt = _CONNECTION_ONCE["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    conn.execute(stmt, {"sid": sid, "room_id": room_id, "participant_id": participant_id, "worker": worker,
                                  "connected_ms": now_ms})


def connection_of(tx: Session | Any, sid: str) -> tuple[int, str | None] | None:
    """(room id, participant id or None) of a socket's connection row, or None."""
    row = _conn(tx).execute(_CONNECTION, {"sid": sid}).first()
    return (row[0], row[1]) if row is not None else None


def drop_connection(tx: Session | Any, sid: str) -> None:
    _conn(tx).execute(_DROP_CONNECTION, {"sid": sid})


def still_connected(tx: Session | Any, room_id: int, pid: str) -> bool:
    """The participant has another socket in the room (on any worker)."""
    return _conn(tx).execute(_STILL_CONNECTED, {"rid": room_id, "pid": pid}).first() is not None
