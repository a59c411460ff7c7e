"""Who may send which command: the table beside the phase table (phases.py).

A sender is the facilitator or one of the round's roles: its customer, its
agent, or an observer (before the first round every participant observes).
What the sender is (facilitator or participant) is checked before the room's
phase; the round role, which needs the round, after it."""
from __future__ import annotations

from .errors import forbidden
from .room import AGENT, CUSTOMER, FACILITATOR, OBSERVER

PARTICIPANTS = (CUSTOMER, AGENT, OBSERVER)
ANYONE = (FACILITATOR, *PARTICIPANTS)
FACILITATOR_ONLY = (FACILITATOR,)

# command -> (who may send it, what anyone else is told)
MAY: dict[str, tuple[tuple[str, ...], str]] = {
    "sync": (ANYONE, ""),
    "start_round": (FACILITATOR_ONLY, "only the facilitator can start a round"),
    "begin_roleplay": (FACILITATOR_ONLY, "only the facilitator can begin the role-play"),
    "pause_round": (FACILITATOR_ONLY, "only the facilitator can pause the round"),
    "resume_round": (FACILITATOR_ONLY, "only the facilitator can resume the round"),
    "end_roleplay": (FACILITATOR_ONLY, "only the facilitator can end the role-play"),
    "reveal_results": (FACILITATOR_ONLY, "only the facilitator can reveal the results"),
    "kick": (FACILITATOR_ONLY, "only the facilitator can remove someone"),
    "lock_room": (FACILITATOR_ONLY, "only the facilitator can lock the room"),
    "close_room": (FACILITATOR_ONLY, "only the facilitator can close the room"),
    "call_timeout": (PARTICIPANTS, "call_timeout is for participants, not the facilitator"),
    "leave_room": (PARTICIPANTS, "leave_room is for participants, not the facilitator"),
    "mark_step": ((OBSERVER, FACILITATOR), "the customer and the agent play; observers and the facilitator mark"),
    "score_step": ((OBSERVER, FACILITATOR), "the customer and the agent reflect; observers and the facilitator score"),
    "rate_global": ((OBSERVER, FACILITATOR), "observers and the facilitator give the global rating"),
    "set_temperature": ((CUSTOMER,), "only this round's customer moves the anger meter"),
    "reflect": ((CUSTOMER, AGENT), "only this round's customer and agent reflect"),
}


def may(command: str, role: str) -> bool:
    return role in MAY[command][0]


def require_sender(command: str, is_facilitator: bool, default: tuple[str, ...] | None = None) -> None:
    """What the sender is decides alone: the facilitator sending what no
    facilitator may, or a participant sending a facilitator's command.
    `default`: who may send a command the table does not list (yet)."""
    roles, message = MAY.get(command) or (default, _generic(command, default))
    if roles is None:
        raise KeyError(f"{command!r} is not in the table of who may do what")
    if is_facilitator:
        if FACILITATOR not in roles:
            raise forbidden(message)
    elif roles == FACILITATOR_ONLY:
        raise forbidden(message)


def _generic(command: str, roles: tuple[str, ...] | None) -> str:
    if roles == FACILITATOR_ONLY:
        return f"only the facilitator can {command.replace('_', ' ')}"
    return f"{command} is for participants, not the facilitator"


def require_role(command: str, role: str) -> None:
    """The sender's round role (room.role_of) may send `command`."""
    roles, message = MAY[command]
    if role not in roles:
        raise forbidden(message)
