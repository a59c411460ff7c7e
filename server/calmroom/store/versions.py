"""The room's version: every change bumps it by one, in the change's own
transaction, with one statement. Both write paths use it: the room changes
under the ORM's row lock (repository.bump) and the live events (live.py,
where on PostgreSQL the same statement also folds into the write's CTE)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, update

from .models import RoomRow

_rooms = RoomRow.__table__

BUMP = (
    update(_rooms)
    .where(_rooms.c.id == bindparam("rid"))
    .values(version=_rooms.c.version + 1, updated_ms=bindparam("now"))
    .returning(_rooms.c.version)
)


def bump(conn: Any, room_id: int, now_ms: int) -> int:
    """The room's new version. `conn`: anything that executes a statement
    with parameters (a Session, a Connection, the SQLite live connection)."""
    return conn.execute(BUMP, {"rid": room_id, "now": now_ms}).scalar_one()
