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
from ..domain.headcount import headcount, players, restricts_people
from ..domain.options import RoomOptions
from ..domain.room import Room
from ..store import repository as repo
from ..store.models import RoomRow
from .outcome import Emit

Context = tuple[RoomOptions, tuple[str, ...], "dict | None"]  # store/headcount.membership_context


def share(row: RoomRow, now_ms: int) -> tuple[int, int]:
    """Bump the version for a change every participant hears of: (version, prev)."""
    prev = row.shared_version
    version = repo.bump(row, now_ms)
    row.shared_version = version
    return version, prev


def states(room: Room, prev: int, now_ms: int) -> list[Emit]:
    """One `state` per audience (at most four renders)."""
    return [Emit("state", {**view, "prev": prev}, audience) for audience, view in aud.state_views(room, now_ms)]


def member_change(code: str, context: Context, pid: str, event: str, payload: dict) -> list[Emit]:
    """A membership delta. In a fishbowl or an anonymous room only the
    facilitator hears of an observer (participants see the players, themselves
    and counts: domain/headcount.py); the participants get `headcount` with the
    same `version` and `prev` (the batcher folds a run of them into one)."""
    options, players, count = context
    if count is None or not restricts_people(options):
        return [Emit(event, payload, aud.everyone(code))]
    told = aud.everyone(code) if pid in players else aud.facilitator(code)
    heads = {"version": payload["version"], "prev": payload["prev"], **count}
    return [Emit(event, payload, told), Emit("headcount", heads, aud.participants(code))]


def joined(room: Room, pid: str, version: int, prev: int, heads: dict | None = None) -> list[Emit]:
    """`heads`: the room's headcount when the caller has it (the joiner's state)."""
    payload = {"version": version, "prev": prev, "participant": aud.participant_entry(room, pid)}
    if heads is None and restricts_people(room.options):
        heads = headcount(room)
    context = (room.options, players(room), heads)
    return member_change(room.code, context, pid, "participant_joined", payload)


def left(code: str, context: Context, pid: str, version: int, prev: int, reason: str) -> list[Emit]:
    payload = {"version": version, "prev": prev, "participant": pid, "reason": reason}
    return member_change(code, context, pid, "participant_left", payload)


def presence(code: str, context: Context, pid: str, connected: bool, version: int, prev: int) -> list[Emit]:
    payload = {"version": version, "prev": prev, "participant": pid, "connected": connected}
    return member_change(code, context, pid, "presence_changed", payload)


def notice(code: str, payload: dict) -> Emit:
    return Emit("notice", payload, aud.everyone(code))


def to_facilitator(code: str, event: str, payload: dict) -> list[Emit]:
    """A blind fact: the facilitator only, live."""
    return [Emit(event, payload, aud.facilitator(code))]
