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
    "set_options": (FACILITATOR_ONLY, "only the facilitator can change the room's options"),
    "call_timeout": (PARTICIPANTS, "call_timeout is for participants, not the facilitator"),
    "leave_room": (PARTICIPANTS, "leave_room is for participants, not the facilitator"),
    "answer_request": (FACILITATOR_ONLY, "only the facilitator can answer a request to come in"),
    "renew_rejoin_code": (PARTICIPANTS, "renew_rejoin_code is for participants, not the facilitator"),
    "mark_step": ((OBSERVER, FACILITATOR), "the customer and the agent play; observers and the facilitator mark"),
    # anyone may ask; only the author of a mark may correct it (domain/corrections.py)
    "correct_mark": (ANYONE, ""),
    "score_step": ((OBSERVER, FACILITATOR), "the customer and the agent reflect; observers and the facilitator score"),
    "rate_global": ((OBSERVER, FACILITATOR), "observers and the facilitator give the global rating"),
    "set_temperature": ((CUSTOMER,), "only this round's customer moves the anger meter"),
    "reflect": ((CUSTOMER, AGENT), "only this round's customer and agent reflect"),
}


def may(command: str, role: str) -> bool:
    return role in MAY[command][0]


# What a connection that is no member yet sends (the gateway's anonymous
# handlers): who it is comes from what it sends (a name, a token, a code, a
# request's secret), so these are membership's rules (membership.py,
# admission.py), not this table's. Every client event is here or in MAY.
DOOR = ("join_room", "rejoin", "host_room", "knock", "claim_request", "cancel_request", "rejoin_with_code")


def require_sender(command: str, is_facilitator: bool) -> None:
    """What the sender is decides alone: the facilitator sending what no
    facilitator may, or a participant sending a facilitator's command."""
    roles, message = MAY[command]
    if is_facilitator:
        if FACILITATOR not in roles:
            raise forbidden(message)
    elif roles == FACILITATOR_ONLY:
        raise forbidden(message)


def require_role(command: str, role: str) -> None:
    """The sender's round role (room.role_of) may send `command`."""
    roles, message = MAY[command]
    if role not in roles:
        raise forbidden(message)
