"""The facilitator's round commands (start a round; begin, pause, resume and
end its role-play; a time-out; the reveal) with Core statements on the live
path's transaction (live.py: on SQLite the driver on one connection, on
PostgreSQL the engine's). The ORM's unit of work (a locked ORM read, a
`session.get` for the round, a flush, the room read back) was most of the
cost of a phase change; here one is one locked read of the room with its
current round, one or two writes, and the reads of what the room's states
show (the round's marks, scores...; the people when the caller does not
already know them).

The lock is the one every room change takes: BEGIN IMMEDIATE on SQLite (the
live path's transaction), SELECT ... FOR UPDATE of the room row on
PostgreSQL. Under it the version is bumped from the value read, as
seating.py does."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from ..domain.clock import Clock
from ..domain.deck import Deck
from ..domain.options import RoomOptions
from ..domain.planning import PastRound, RoundPlan
from ..domain.room import Participant, Room, Round
from ..domain.views import EVERYTHING, round_scope
from .models import ParticipantRow, RoomRow, RoundRow, TimeoutRow
from .repository import fill_round, online_ids, read_people

_rooms, _rounds, _people = RoomRow.__table__, RoundRow.__table__, ParticipantRow.__table__

_HEAD = (
    select(
        _rooms.c.id, _rooms.c.code, _rooms.c.title, _rooms.c.deck_pk, _rooms.c.phase, _rooms.c.version,
        _rooms.c.shared_version, _rooms.c.locked, _rooms.c.options, _rooms.c.duration_s, _rooms.c.current_round_id,
        _rounds.c.number, _rounds.c.card_id, _rounds.c.customer_id, _rounds.c.agent_id,
        _rounds.c.duration_s.label("round_duration_s"), _rounds.c.accumulated_ms, _rounds.c.running_since_ms,
        _rounds.c.revealed, _rooms.c.next_seq,
    )
    .select_from(_rooms.outerjoin(_rounds, _rounds.c.id == _rooms.c.current_round_id))
)
_READ = _HEAD.where(_rooms.c.code == bindparam("code"))
_READ_LOCKED = _READ.with_for_update(of=_rooms)  # SQLite: BEGIN IMMEDIATE has the lock
_READ_ID = _HEAD.where(_rooms.c.id == bindparam("rid"))
_READ_ID_LOCKED = _READ_ID.with_for_update(of=_rooms)
_READ_HOST = _READ.add_columns(_rooms.c.facilitator_token_hash)
_READ_HOST_LOCKED = _READ_HOST.with_for_update(of=_rooms)

_SHARE = (  # a change every participant hears of: the phase, the version, the shared version
    update(_rooms).where(_rooms.c.id == bindparam("rid"))
    .values(phase=bindparam("phase"), version=bindparam("v"), shared_version=bindparam("v"), updated_ms=bindparam("now"))
)
_SHARE_NEW_ROUND = _SHARE.values(current_round_id=bindparam("round_id"))
_SET_CLOCK = (
    update(_rounds).where(_rounds.c.id == bindparam("round_id"))
    .values(accumulated_ms=bindparam("acc"), running_since_ms=bindparam("since"), revealed=bindparam("revealed"))
)
_ROUND_COLUMNS = ("room_id", "number", "card_id", "customer_id", "agent_id", "duration_s", "accumulated_ms",
                  "running_since_ms", "revealed", "time_up_sent", "started_ms")
_INSERT_ROUND = insert(_rounds).values({c: bindparam(f"v_{c}") for c in _ROUND_COLUMNS}).returning(_rounds.c.id)
_HISTORY = (
    select(_rounds.c.number, _rounds.c.card_id, _rounds.c.customer_id, _rounds.c.agent_id)
    .where(_rounds.c.room_id == bindparam("rid")).order_by(_rounds.c.number)
)
_PERSON = select(_people.c.id, _people.c.name, _people.c.status, _people.c.room_id).where(_people.c.id == bindparam("pid"))
_TIMEOUT_COLUMNS = ("room_id", "round_id", "by", "reason", "t_ms", "created_ms")
_INSERT_TIMEOUT = insert(TimeoutRow.__table__).values({c: bindparam(f"v_{c}") for c in _TIMEOUT_COLUMNS})


@dataclass
class Head:
    """The room row and its current round's, as read under the lock."""

    id: int
    code: str
    title: str
    deck_pk: int
    phase: str
    version: int
    shared_version: int
    locked: bool
    options: dict | None
    duration_s: int | None
    round_id: int | None
    number: int | None
    card_id: str | None
    customer_id: str | None
    agent_id: str | None
    round_duration_s: int | None
    accumulated_ms: int | None
    running_since_ms: int | None
    revealed: bool | None
    next_seq: int = 1  # the seq the next participant to join gets (store/seating.py)

    def clock(self) -> Clock:
        return Clock(accumulated_ms=self.accumulated_ms or 0, running_since_ms=self.running_since_ms,
                     duration_s=self.round_duration_s)


def read_locked(conn: Any, code: str, postgres: bool) -> Head | None:
    row = conn.execute(_READ_LOCKED if postgres else _READ, {"code": code}).first()
    return Head(*row) if row is not None else None


def read_locked_by_id(conn: Any, room_id: int, postgres: bool) -> Head | None:
    row = conn.execute(_READ_ID_LOCKED if postgres else _READ_ID, {"rid": room_id}).first()
    return Head(*row) if row is not None else None


def read_for_host(conn: Any, code: str, postgres: bool) -> tuple[Head, str] | None:
    """The room as read_locked reads it, and its facilitator token's hash."""
    row = conn.execute(_READ_HOST_LOCKED if postgres else _READ_HOST, {"code": code}).first()
    return (Head(*row[:-1]), row[-1]) if row is not None else None


def history(conn: Any, room_id: int) -> list[PastRound]:
    return [PastRound(r.number, r.card_id, r.customer_id, r.agent_id) for r in conn.execute(_HISTORY, {"rid": room_id})]


def add_round(conn: Any, head: Head, plan: RoundPlan, now_ms: int) -> int:
    """Insert the room's next round as planned, its clock not started; the
    new round's id. `head` holds it as its round; `share(new_round=...)`
    makes it the room's current one."""
    values = {"v_room_id": head.id, "v_number": plan.number, "v_card_id": plan.card_id, "v_customer_id": plan.customer,
              "v_agent_id": plan.agent, "v_duration_s": plan.duration_s, "v_accumulated_ms": 0, "v_running_since_ms": None,
              "v_revealed": False, "v_time_up_sent": False, "v_started_ms": now_ms}
    round_id = conn.execute(_INSERT_ROUND, values).scalar_one()
    head.round_id, head.number, head.card_id = round_id, plan.number, plan.card_id
    head.customer_id, head.agent_id, head.round_duration_s = plan.customer, plan.agent, plan.duration_s
    head.accumulated_ms, head.running_since_ms, head.revealed = 0, None, False
    return round_id


def save_clock(conn: Any, round_id: int, clock: Clock, revealed: bool) -> None:
    conn.execute(_SET_CLOCK, {"round_id": round_id, "acc": clock.accumulated_ms, "since": clock.running_since_ms,
                              "revealed": revealed})


def share(conn: Any, head: Head, phase: str, now_ms: int, *, new_round: int | None = None) -> tuple[int, int]:
    """Move the room to `phase` as a change everyone hears of: (version, prev).
    `new_round`: the round that becomes the current one. `head` moves along."""
    prev, version = head.shared_version, head.version + 1
    params = {"rid": head.id, "phase": phase, "v": version, "now": now_ms}
    if new_round is None:
        conn.execute(_SHARE, params)
    else:
        conn.execute(_SHARE_NEW_ROUND, {**params, "round_id": new_round})
    head.phase, head.version, head.shared_version = phase, version, version
    return version, prev


def person(conn: Any, pid: str | None):
    """(id, name, status, room_id) of a participant, or None."""
    return conn.execute(_PERSON, {"pid": pid}).first() if pid is not None else None


def add_timeout(conn: Any, head: Head, by: str, reason: str | None, t_ms: int, now_ms: int) -> None:
    conn.execute(_INSERT_TIMEOUT, {"v_room_id": head.id, "v_round_id": head.round_id, "v_by": by, "v_reason": reason,
                                   "v_t_ms": t_ms, "v_created_ms": now_ms})


def people(conn: Any, head: Head, known: tuple[list[Participant], dict[str, str]] | None):
    """The active participants (with who is connected, read now) and the
    names of those who left. `known`: the list as the caller last read it at
    this shared version (services/roster.py): then only presence is read."""
    if known is None:
        return read_people(conn, head.id)
    online = online_ids(conn, head.id)
    cached, former = known
    return [Participant(p.id, p.name, p.seq, p.id in online) for p in cached], former


def room_of(conn: Any, head: Head, deck: Deck, participants: list[Participant], former: dict[str, str], *,
            details: bool = True, viewer: str | None = None) -> Room:
    """The room as the rules see it after the change. `details`: read the
    round's marks, scores, ratings, reflections, temperatures and time-outs
    (a round that was just made has none). `viewer`: read for that one
    viewer's state only (domain/views.round_scope, as repository.load_room)."""
    room = Room(code=head.code, title=head.title, phase=head.phase, version=head.version, locked=head.locked, deck=deck,
                participants=participants, former=former, options=RoomOptions.from_stored(head.options))
    if head.round_id is not None:
        rnd = Round(id=head.round_id, number=head.number, card=deck.card(head.card_id), customer=head.customer_id,
                    agent=head.agent_id, clock=head.clock(), revealed=bool(head.revealed))
        scope = EVERYTHING if viewer is None else round_scope(room.options, viewer, rnd.customer, rnd.agent, rnd.revealed)
        room.round = fill_round(conn, rnd, scope) if details else rnd
    return room
