"""Who is in a room: the rules of joining, coming back, hosting, leaving,
being removed, locking and closing. Pure: the service loads the facts (a
participant's status, who holds a name, whether a token matched), asks here,
and saves what comes back; each rule returns the new facts or raises a
RuleError with the field it is about.

Names are compared in their normal form (protocol/text.py `name_key`); the
store looks holders up by that key, so `statuses` below are those of the
people whose name is the same name."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from . import phases
from .errors import RuleError, invalid, not_found
from .room import FACILITATOR

# A participant's status (store/models.py ParticipantRow.status)
ACTIVE = "active"
LEFT = "left"
KICKED = "kicked"  # by `kick`: the token dies
BANNED = "banned"  # by `kick {ban: true}`: the token dies and the name is refused
REMOVED = (KICKED, BANNED)
HOLDING_A_NAME = (ACTIVE, BANNED)  # whose name a newcomer cannot take

NAME_TAKEN = "someone in this room already uses that name"
KICKED_MESSAGE = "the facilitator removed you from this room"
BANNED_MESSAGE = KICKED_MESSAGE + "; you cannot join it again"


def refuse_banned(statuses: Iterable[str]) -> None:
    """A name the facilitator banned stays out, whatever way it asks."""
    if BANNED in statuses:
        raise RuleError("forbidden", "the facilitator has removed this name from the room; it cannot join again", "name")


def may_join(phase: str, locked: bool, statuses: Iterable[str]) -> str:
    """May a newcomer join under a name now? `statuses`: of the participants
    holding that name. The order is the protocol's: a closed room, a locked
    room, a banned name, a name in use (by someone online or offline: who
    is offline may be asked for their place, domain/admission.py). Returns
    the newcomer's status."""
    statuses = tuple(statuses)
    phases.require_open(phase)
    if locked:
        raise RuleError("room_locked", "this room is locked; ask the facilitator to open it")
    refuse_banned(statuses)
    if ACTIVE in statuses:
        raise invalid("name", NAME_TAKEN)
    return ACTIVE


def may_rejoin(phase: str, status: str | None) -> None:
    """May the holder of a participant token come back? `status`: of the
    participant the token is of, None when it is nobody's in this room. A
    locked room lets them back; a closed one does not."""
    phases.require_open(phase)
    if status is None:
        raise RuleError("unauthorized", "that token does not belong to this room", "token")
    if status in REMOVED:
        raise RuleError("unauthorized", KICKED_MESSAGE, "token")
    if status != ACTIVE:
        raise RuleError("unauthorized", "you left this room; join again with a name", "token")


def may_host(token_matches: bool) -> None:
    """The facilitator's token alone lets a socket host (also a closed room:
    the facilitator still reads it)."""
    if not token_matches:
        raise RuleError("unauthorized", "that is not this room's facilitator token", "facilitator_token")


def may_manage(token_matches: bool) -> None:
    """The facilitator's token over HTTP (results, exports, delete)."""
    if not token_matches:
        raise RuleError("unauthorized", "a valid facilitator token is needed")


def require_member(status: str | None, in_room: bool) -> None:
    """A participant's command: the sender is still in this room."""
    if status != ACTIVE or not in_room:
        raise RuleError("unauthorized", "you are no longer in this room; join again")


def leave(status: str | None, in_room: bool) -> str:
    """`leave_room`: the participant's new status (their token keeps working
    for their take-home card, not for the room)."""
    require_member(status, in_room)
    return LEFT


@dataclass(frozen=True)
class Removal:
    status: str  # the participant's new status
    message: str  # what the removed participant is told
    ban: bool


def kick(target: str, status: str | None, in_room: bool, ban: bool = False) -> Removal:
    """`kick`: remove an active participant of this room (not the facilitator,
    who is no participant; a kick of nobody in the room is `not_found`). Who
    sends it is the permission table's (only the facilitator), so nobody
    kicks themselves. A player of the current round may be removed: the
    round goes on without them (PROTOCOL.md `kick`)."""
    if target == FACILITATOR or status != ACTIVE or not in_room:
        raise not_found("there is no such participant in this room", "participant")
    if ban:
        return Removal(BANNED, BANNED_MESSAGE, True)
    return Removal(KICKED, KICKED_MESSAGE, False)


def lock(phase: str, locked: bool, want: bool) -> bool:
    """`lock_room`: whether the lock changes (setting the value it has is no
    change, and nobody hears of it). A closed room stays as it is."""
    phases.require_open(phase)
    return locked != want


def close(phase: str) -> str:
    """`close_room`: the room's new phase (its round's clock stops)."""
    phases.require_open(phase)
    return phases.CLOSED
