"""The counts a fishbowl's or an anonymous room's participants get instead of
the observers' names (domain/headcount.py), read with two Core statements:
no participant rows are loaded for them."""
from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..domain.headcount import counts, restricts_people
from ..domain.options import RoomOptions
from .models import ConnectionRow, ParticipantRow, RoomRow, RoundRow


def on_stage(session: Session, row: RoomRow) -> tuple[str, ...]:
    rnd = session.get(RoundRow, row.current_round_id) if row.current_round_id else None
    return (rnd.customer_id, rnd.agent_id) if rnd is not None else ()


def room_counts(session: Session, row: RoomRow, players: tuple[str, ...]) -> dict:
    conn = session.connection()
    active = (ParticipantRow.room_id == row.id, ParticipantRow.status == "active")
    people = conn.execute(select(func.count()).select_from(ParticipantRow).where(*active)).scalar() or 0
    on = 0  # the players still in the room
    if players:
        on = conn.execute(select(func.count()).select_from(ParticipantRow)
                          .where(*active, ParticipantRow.id.in_(players))).scalar() or 0
    online = conn.execute(
        select(func.count(distinct(ConnectionRow.participant_id))).where(
            ConnectionRow.room_id == row.id, ConnectionRow.participant_id.is_not(None),
            ConnectionRow.participant_id.not_in(players or ("",)),
        )
    ).scalar() or 0
    return counts(people, people - on, online)


def membership_context(session: Session, row: RoomRow) -> tuple[RoomOptions, tuple[str, ...], dict | None]:
    """What a membership change's fan-out needs to know of its room: the
    options, the players on stage and (only where the list is cut) the counts."""
    options = RoomOptions.from_stored(row.options)
    if not restricts_people(options):
        return options, (), None
    players = on_stage(session, row)
    return options, players, room_counts(session, row, players)
