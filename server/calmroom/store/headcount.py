"""The counts a fishbowl's or an anonymous room's participants get instead of
the observers' names (domain/headcount.py), read with three Core statements:
no participant rows are loaded for them. The statements are built once (with
the two players as parameters), so the live path's SQLite driver compiles
them once too (store/fastpath.py)."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import bindparam, distinct, func, select
from sqlalchemy.orm import Session

from ..domain.headcount import counts, restricts_people
from ..domain.options import RoomOptions
from .models import ConnectionRow, ParticipantRow, RoomRow, RoundRow

_PEOPLE, _CONNECTIONS = ParticipantRow.__table__, ConnectionRow.__table__
_ACTIVE = (_PEOPLE.c.room_id == bindparam("rid"), _PEOPLE.c.status == "active")
_PLAYERS = (bindparam("p1"), bindparam("p2"))  # the customer and the agent ("" for none)
_COUNT_PEOPLE = select(func.count()).select_from(_PEOPLE).where(*_ACTIVE)
_COUNT_PLAYERS_IN = select(func.count()).select_from(_PEOPLE).where(*_ACTIVE, _PEOPLE.c.id.in_(_PLAYERS))
_COUNT_ONLINE = select(func.count(distinct(_CONNECTIONS.c.participant_id))).where(
    _CONNECTIONS.c.room_id == bindparam("rid"), _CONNECTIONS.c.participant_id.is_not(None),
    _CONNECTIONS.c.participant_id.not_in(_PLAYERS),
)


def _executor(tx: Session | Any):
    return tx.connection() if isinstance(tx, Session) else tx


def on_stage(session: Session, row: RoomRow) -> tuple[str, ...]:
    rnd = session.get(RoundRow, row.current_round_id) if row.current_round_id else None
    return (rnd.customer_id, rnd.agent_id) if rnd is not None else ()


def room_counts(tx: Session | Any, room_id: int, players: tuple[str, ...]) -> dict:
    """`tx`: a session, or the connection of the caller's transaction."""
    conn = _executor(tx)
    p1, p2 = (tuple(p or "" for p in players) + ("", ""))[:2]
    params = {"rid": room_id, "p1": p1, "p2": p2}
    people = conn.execute(_COUNT_PEOPLE, params).scalar() or 0
    on = (conn.execute(_COUNT_PLAYERS_IN, params).scalar() or 0) if players else 0  # the players still in the room
    online = conn.execute(_COUNT_ONLINE, params).scalar() or 0
    return counts(people, people - on, online)


Context = tuple[RoomOptions, tuple[str, ...], "dict | None"]  # what a membership change's fan-out needs of its room


def _context(tx: Session | Any, stored_options: dict | None, room_id: int, players: Callable[[], tuple[str, ...]]) -> Context:
    options = RoomOptions.from_stored(stored_options)
    if not restricts_people(options):
        return options, (), None
    on = players()
    return options, on, room_counts(tx, room_id, on)


def membership_context(session: Session, row: RoomRow) -> Context:
    """What a membership change's fan-out needs to know of its room: the
    options, the players on stage and (only where the list is cut) the counts."""
    return _context(session, row.options, row.id, lambda: on_stage(session, row))


def context_of_head(conn: Any, head: Any) -> Context:
    """membership_context for a room read by store/rounds.py (its `Head`)."""
    return _context(conn, head.options, head.id,
                    lambda: (head.customer_id, head.agent_id) if head.round_id is not None else ())
