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
from ..domain.room import Room
from ..store import repository as repo
from ..store.headcount import Context  # (options, players on stage, counts): store/headcount.membership_context
from ..store.models import RoomRow
from .outcome import Emit



def share(row: RoomRow, now_ms: int) -> tuple[int, int]:
    """Bump the version for a change every participant hears of: (version, prev)."""
    prev = row.shared_version
    version = repo.bump(row, now_ms)
    row.shared_version = version
    return version, prev


def emit(event: str, payload: dict, code: str, **who) -> Emit:
    """One event to whoever domain/audiences.py says hears it (a notice by its
    kind; `who`: the person or the observers, see `audience_of`)."""
    return Emit(event, payload, aud.audience_of(event, code, kind=payload.get("kind"), **who))


def states(room: Room, prev: int, now_ms: int) -> list[Emit]:
    """One `state` per audience (at most four renders)."""
    return [Emit("state", {**view, "prev": prev}, audience) for audience, view in aud.state_views(room, now_ms)]


def member_change(code: str, context: Context, pid: str, event: str, payload: dict) -> list[Emit]:
    """A membership delta. In a fishbowl or an anonymous room only the
    facilitator hears of an observer (participants see the players, themselves
    and counts: domain/headcount.py); the participants get `headcount` with the
    same `version` and `prev` (the batcher folds a run of them into one)."""
    options, on_stage, count = context
    if count is None or not restricts_people(options):
        return [emit(event, payload, code)]
    heads = {"version": payload["version"], "prev": payload["prev"], **count}
    return [Emit(event, payload, aud.membership_audience(code, pid, on_stage)), emit("headcount", heads, code)]


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


def kicked(code: str, context: Context, pid: str, version: int, prev: int, message: str, ban: bool) -> list[Emit]:
    """The removed participant is told why (all its sockets); everyone sees them leave."""
    payload = {"version": version, "prev": prev, "kind": "kicked", "message": message, **({"ban": True} if ban else {})}
    return [emit("notice", payload, code, who=pid), *left(code, context, pid, version, prev, "kicked")]


def presence(code: str, context: Context, pid: str, connected: bool, version: int, prev: int) -> list[Emit]:
    payload = {"version": version, "prev": prev, "participant": pid, "connected": connected}
    return member_change(code, context, pid, "presence_changed", payload)


def notice(code: str, payload: dict, who: str | None = None) -> Emit:
    return emit("notice", payload, code, who=who)


def to_facilitator(code: str, event: str, payload: dict) -> list[Emit]:
    """A blind fact: the facilitator only, live."""
    return [emit(event, payload, code)]


def timeout(code: str, named: dict, unnamed: dict, names_caller: bool) -> list[Emit]:
    return [Emit("notice", payload, audience) for audience, payload in aud.timeout_notices(code, named, unnamed, names_caller)]
