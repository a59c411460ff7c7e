"""What a use case hands back to the transport: the ack, and what to emit
after the commit (already done when the caller sees this)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.audiences import Audience


@dataclass
class Emit:
    event: str
    payload: dict
    to: Audience  # the transport maps it to Socket.IO rooms (sockets/handlers.py)


@dataclass
class Actor:
    code: str
    participant_id: str | None  # None: the facilitator
    sid: str

    @property
    def is_facilitator(self) -> bool:
        return self.participant_id is None


@dataclass
class Outcome:
    ack: dict[str, Any] = field(default_factory=dict)
    emits: list[Emit] = field(default_factory=list)
    actor: Actor | None = None            # set by join/rejoin/host: who this socket now is
    enter: list[str] = field(default_factory=list)   # socket rooms the caller's sid joins
    leave: list[str] = field(default_factory=list)   # socket rooms the caller's sid leaves
    disconnect: list[str] = field(default_factory=list)  # sids to drop (kicked)
    aggregate: list[str] = field(default_factory=list)  # fishbowl rooms whose live aggregate changed (sockets/aggregates.py)


# Socket.IO rooms: one for the facilitator's sockets and one for all the
# participants' sockets per room code, one per person (stable across
# reconnects and workers).
def fac_room(code: str) -> str:
    return f"fac:{code}"


def part_room(code: str) -> str:
    return f"part:{code}"


def person_room(pid: str) -> str:
    return f"p:{pid}"
