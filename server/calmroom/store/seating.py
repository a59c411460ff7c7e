"""Seating one more person in a room with Core statements: the hot path of a
fishbowl filling up (bench --room-size 1000). The ORM's unit of work (two
flushes, identity map, a loaded room row) was most of a join's database CPU;
here a join is one locking read, one name check, two inserts and one update,
in the caller's transaction (one commit)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from .models import ConnectionRow, ParticipantRow, RoomRow

ROOMS = RoomRow.__table__

_READ = select(
    ROOMS.c.id, ROOMS.c.code, ROOMS.c.title, ROOMS.c.deck_pk, ROOMS.c.phase, ROOMS.c.version, ROOMS.c.shared_version,
    ROOMS.c.locked, ROOMS.c.options, ROOMS.c.current_round_id, ROOMS.c.next_seq,
).where(ROOMS.c.code == bindparam("code"))

_NAMES = select(ParticipantRow.__table__.c.status).where(
    ParticipantRow.__table__.c.room_id == bindparam("rid"),
    ParticipantRow.__table__.c.name_key == bindparam("key"),
    ParticipantRow.__table__.c.status.in_(bindparam("statuses", expanding=True)),
)

_BUMP = (
    update(ROOMS).where(ROOMS.c.id == bindparam("rid"))
    .values(version=bindparam("v"), shared_version=bindparam("v"), next_seq=bindparam("seq") + 1, updated_ms=bindparam("now"))
)


@dataclass
class SeatRoom:
    """The room row as read for a join (what store.repository.load_room reads of it)."""

    id: int
    code: str
    title: str
    deck_pk: int
    phase: str
    version: int
    shared_version: int
    locked: bool
    options: dict | None
    current_round_id: int | None
    next_seq: int


def read_locked(session: Session, code: str) -> SeatRoom | None:
    stmt = _READ.with_for_update() if session.get_bind().dialect.name == "postgresql" else _READ
    row = session.connection().execute(stmt, {"code": code}).first()
    return SeatRoom(*row) if row is not None else None


def name_statuses(session: Session, room_id: int, key: str, statuses: tuple[str, ...]) -> list[str]:
    return list(session.connection().execute(_NAMES, {"rid": room_id, "key": key, "statuses": list(statuses)}).scalars())


def seat(session: Session, room: SeatRoom, participant: dict, sid: str, worker: str, now_ms: int) -> tuple[int, int]:
    """Insert the participant (at the room's next seq) and its connection,
    bump the room as a shared change: (version, prev). `room` moves along."""
    conn = session.connection()
    seq = room.next_seq
    conn.execute(insert(ParticipantRow.__table__), [{**participant, "room_id": room.id, "seq": seq, "joined_ms": now_ms}])
    conn.execute(insert(ConnectionRow.__table__), [{"sid": sid, "room_id": room.id, "participant_id": participant["id"],
                                                    "worker": worker, "connected_ms": now_ms}])
    prev, version = room.shared_version, room.version + 1
    conn.execute(_BUMP, {"rid": room.id, "v": version, "seq": seq, "now": now_ms})
    room.version = room.shared_version = version
    room.next_seq = seq + 1
    return version, prev
