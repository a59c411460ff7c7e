"""Reading and writing join requests and rejoin codes (domain/admission.py),
inside the caller's transaction on a locked room."""
from __future__ import annotations

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.orm import Session

from ..domain.admission import ADMITTED, PENDING, JoinRequest
from .models import ConnectionRow, JoinRequestRow, ParticipantRow

_REQUESTS = JoinRequestRow.__table__
_LIVE = (
    select(_REQUESTS)
    .where(_REQUESTS.c.room_id == bindparam("rid"), or_(_REQUESTS.c.status == PENDING, _REQUESTS.c.status == ADMITTED))
    .order_by(_REQUESTS.c.created_ms)
)


def as_request(row: JoinRequestRow) -> JoinRequest:
    return JoinRequest(
        id=row.id, kind=row.kind, name=row.name, participant=row.participant_id, status=row.status,
        created_ms=row.created_ms, answered_ms=row.answered_ms,
    )


def live_requests(session: Session, room_id: int) -> list[JoinRequestRow]:
    """Requests still waiting for an answer or for their asker to come in
    (some may have expired: domain/admission.py decides)."""
    return list(
        session.scalars(
            select(JoinRequestRow)
            .where(JoinRequestRow.room_id == room_id, JoinRequestRow.status.in_((PENDING, ADMITTED)))
            .order_by(JoinRequestRow.created_ms)
        )
    )


def live_request_rows(conn, room_id: int) -> list:
    """live_requests as plain rows (read only: the host's state lists them),
    without the ORM. `conn`: a Core connection or the live path's."""
    return list(conn.execute(_LIVE, {"rid": room_id}))


def request_of(session: Session, room_id: int, request_id: str) -> JoinRequestRow | None:
    row = session.get(JoinRequestRow, request_id)
    return row if row is not None and row.room_id == room_id else None


def forget_requests(session: Session, room_id: int, ids: list[str]) -> None:
    """Answered or expired requests leave no rows behind: the table stays as
    small as the waiting line."""
    if ids:
        session.execute(delete(JoinRequestRow).where(JoinRequestRow.room_id == room_id, JoinRequestRow.id.in_(ids)))


def holders_of_name(session: Session, room_id: int, key: str) -> list[ParticipantRow]:
    """The active or banned participants under this name (at most one of each)."""
    return list(
        session.scalars(
            select(ParticipantRow).where(
                ParticipantRow.room_id == room_id, ParticipantRow.name_key == key,
                ParticipantRow.status.in_(("active", "banned")),
            )
        )
    )


def participant_by_code(session: Session, room_id: int, code_hash: str) -> ParticipantRow | None:
    return session.scalars(
        select(ParticipantRow).where(
            ParticipantRow.room_id == room_id, ParticipantRow.rejoin_code_hash == code_hash, ParticipantRow.status == "active"
        )
    ).first()


def participant_moved_from(session: Session, room_id: int, token_hash: str) -> ParticipantRow | None:
    return session.scalars(
        select(ParticipantRow).where(ParticipantRow.room_id == room_id, ParticipantRow.moved_token_hash == token_hash)
    ).first()


def sockets_of(session: Session, participant_id: str) -> list[str]:
    return list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.participant_id == participant_id)))
