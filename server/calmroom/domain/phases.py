"""Room phases and which command may move a room from which phase."""
from __future__ import annotations

from .errors import conflict

LOBBY = "lobby"
BRIEFING = "briefing"
ROLEPLAY = "roleplay"
PAUSED = "paused"
SCORING = "scoring"
REVIEW = "review"
CLOSED = "closed"

ALL = (LOBBY, BRIEFING, ROLEPLAY, PAUSED, SCORING, REVIEW, CLOSED)
IN_ROUND = (BRIEFING, ROLEPLAY, PAUSED, SCORING, REVIEW)

# command -> (phases it may start from, phase it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start_round": ((LOBBY, REVIEW), BRIEFING),
    "begin_roleplay": ((BRIEFING,), ROLEPLAY),
    "pause_round": ((ROLEPLAY,), PAUSED),
    "call_timeout": ((ROLEPLAY,), PAUSED),
    "resume_round": ((PAUSED,), ROLEPLAY),
    "end_roleplay": ((ROLEPLAY, PAUSED), SCORING),
    "reveal_results": ((SCORING,), REVIEW),
}

# commands that act inside a phase without changing it
ALLOWED_IN: dict[str, tuple[str, ...]] = {
    "mark_step": (ROLEPLAY, PAUSED),
    "correct_mark": (ROLEPLAY, PAUSED),
    "set_temperature": (ROLEPLAY,),
    "score_step": (SCORING,),
    "rate_global": (SCORING,),
    "reflect": (SCORING, REVIEW),
}


def next_phase(command: str, phase: str) -> str:
    sources, target = TRANSITIONS[command]
    if phase not in sources:
        raise conflict(f"{command} is not possible while the room is in {phase} (only from {', '.join(sources)})")
    return target


def require_phase(command: str, phase: str) -> None:
    allowed = ALLOWED_IN[command]
    if phase not in allowed:
        raise conflict(f"{command} is only possible during {' or '.join(allowed)}, not {phase}")


def require_open(phase: str) -> None:
    if phase == CLOSED:
        raise conflict("the room is closed")
