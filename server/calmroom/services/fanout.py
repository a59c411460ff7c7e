"""What a change tells whom, as events addressed to audiences.

Versions: every change bumps the room's `version`. A change every participant
is told of (membership, phases, the lock, notices to the room) is *shared*:
its events carry `prev`, the version of the previous shared change, and the
room remembers it (`shared_version`) in the same transaction. Blind facts
(marks, scores, ratings, reflections before the reveal) bump `version` only
and reach the facilitator alone. A participant that gets `prev` above the
last version it saw has lost an event and calls `sync`; a blind fact is not a
loss (docs/protocol.md section 2)."""
from __future__ import annotations

from ..domain import audiences as aud
from ..domain.room import Room
from ..store import repository as repo
from ..store.models import RoomRow
from .outcome import Emit


def share(row: RoomRow, now_ms: int) -> tuple[int, int]:
    """Bump the version for a change every participant hears of: (version, prev)."""
    prev = row.shared_version
    version = repo.bump(row, now_ms)
    row.shared_version = version
    return version, prev


def states(room: Room, prev: int, now_ms: int) -> list[Emit]:
    """One `state` per audience (at most four renders)."""
    return [Emit("state", {**view, "prev": prev}, audience) for audience, view in aud.state_views(room, now_ms)]


def joined(room: Room, pid: str, version: int, prev: int) -> list[Emit]:
    entry = aud.participant_entry(room, pid)
    return [Emit("participant_joined", {"version": version, "prev": prev, "participant": entry}, aud.everyone(room.code))]


def left(code: str, pid: str, version: int, prev: int, reason: str) -> list[Emit]:
    payload = {"version": version, "prev": prev, "participant": pid, "reason": reason}
    return [Emit("participant_left", payload, aud.everyone(code))]


def kicked(code: str, pid: str, version: int, prev: int, message: str, ban: bool) -> list[Emit]:
    """The removed participant is told why (all its sockets); everyone sees them leave."""
    payload = {"version": version, "prev": prev, "kind": "kicked", "message": message, **({"ban": True} if ban else {})}
    return [Emit("notice", payload, aud.person(code, pid)), *left(code, pid, version, prev, "kicked")]


def presence(code: str, pid: str, connected: bool, version: int, prev: int) -> list[Emit]:
    payload = {"version": version, "prev": prev, "participant": pid, "connected": connected}
    return [Emit("presence_changed", payload, aud.everyone(code))]


def notice(code: str, payload: dict) -> Emit:
    return Emit("notice", payload, aud.everyone(code))


def to_facilitator(code: str, event: str, payload: dict) -> list[Emit]:
    """A blind fact: the facilitator only, live."""
    return [Emit(event, payload, aud.facilitator(code))]
