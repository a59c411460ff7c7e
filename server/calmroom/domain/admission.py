"""Coming into a room other than by a plain join: pending join requests (a
knock on a locked room, a new device asking to take an offline participant's
place) and personal rejoin codes. Pure rules; `now` is passed in.

One mechanism for both kinds of request: someone asks under a name, the
facilitator admits or declines, the asker (who holds the request's secret)
comes in once admitted. A knock admitted seats a new participant; a
takeover admitted gives the asker the offline participant's identity, so
their role, marks and scores stay one person's."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import RuleError, conflict, invalid
from .membership import ACTIVE

KNOCK = "knock"  # a newcomer at a locked room
TAKEOVER = "takeover"  # a new device asking to be an offline participant

PENDING = "pending"
ADMITTED = "admitted"
DECLINED = "declined"
CLAIMED = "claimed"  # admitted, and the asker came in
WITHDRAWN = "withdrawn"  # the asker gave up
EXPIRED = "expired"  # never stored: a pending request past its time reads as this

ANSWER_WAIT_MS = 15 * 60_000  # a request waits this long for the facilitator
CLAIM_WAIT_MS = 10 * 60_000  # an admitted asker has this long to come in
MAX_WAITING = 8  # open requests per room: more would flood the facilitator

# Rejoin codes: 8 characters of the room codes' alphabet (no 0/O, 1/I/L),
# about 40 bits. The room code is on the projector, so the rejoin code alone
# must hold against guessing; failed tries count per address (services/guesses.py).
REJOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REJOIN_CODE_LENGTH = 8


@dataclass
class JoinRequest:
    id: str
    kind: str
    name: str
    participant: str | None  # takeover: whose place; knock: set once admitted
    status: str
    created_ms: int
    answered_ms: int | None = None

    def status_at(self, now_ms: int) -> str:
        if self.status == PENDING and now_ms >= self.created_ms + ANSWER_WAIT_MS:
            return EXPIRED
        if self.status == ADMITTED and self.answered_ms is not None and now_ms >= self.answered_ms + CLAIM_WAIT_MS:
            return EXPIRED
        return self.status


def waiting(requests: list[JoinRequest], now_ms: int) -> list[JoinRequest]:
    """The requests the facilitator still has to answer, oldest first."""
    return sorted((r for r in requests if r.status_at(now_ms) == PENDING), key=lambda r: r.created_ms)


def request_view(req: JoinRequest, now_ms: int) -> dict:
    """A request as the facilitator sees it (nobody else sees requests)."""
    return {
        "id": req.id,
        "kind": req.kind,
        "name": req.name,
        "participant": req.participant,
        "expires_in_ms": max(0, req.created_ms + ANSWER_WAIT_MS - now_ms),
    }


def asker_view(req: JoinRequest, now_ms: int) -> dict:
    """What the asker hears of its own request."""
    return {"id": req.id, "kind": req.kind, "name": req.name, "status": req.status_at(now_ms)}


def may_ask(open_in_room: int, same_name_waiting: bool) -> None:
    """A new request is refused when the room already has many waiting, or
    someone waits under that name already."""
    if same_name_waiting:
        raise invalid("name", "someone is already waiting to come in under that name")
    if open_in_room >= MAX_WAITING:
        raise RuleError("rate_limited", "too many people are waiting for the facilitator; try again in a few minutes")


def answerable(req: JoinRequest, now_ms: int) -> None:
    if req.status_at(now_ms) == EXPIRED:
        raise conflict("this request has expired")
    if req.status != PENDING:
        raise conflict(f"this request was already {req.status}")


def may_claim(status_now: str) -> bool:
    """`claim_request`: True when the asker comes in now (admitted); False
    when it only hears where its request stands. Coming in twice is refused."""
    if status_now == CLAIMED:
        raise conflict("you came in with this request already")
    return status_now == ADMITTED


def require_place(status: str | None) -> None:
    """The place an admitted asker comes into (a participant's status, None
    when there is none) is still someone's in the room."""
    if status != ACTIVE:
        raise conflict("that place in the room is no longer there")


def answer(req: JoinRequest, now_ms: int, admit: bool, *, holder_status: str | None = None, name_taken: bool = False) -> str:
    """`answer_request`: the request's new status. Admitting a takeover needs
    the offline participant still in the room (`holder_status`); admitting a
    knock needs its name still free (`name_taken`: someone joined under it
    meanwhile)."""
    answerable(req, now_ms)
    if not admit:
        return DECLINED
    if req.kind == TAKEOVER and holder_status != ACTIVE:
        raise conflict(f"{req.name} is no longer in this room")
    if req.kind == KNOCK and name_taken:
        raise conflict(f"someone else joined as {req.name} meanwhile; decline and let them ask under another name")
    return ADMITTED


def kind_for_name(holder_online: bool | None, locked: bool) -> str | None:
    """What asking under a name becomes. `holder_online`: None when no
    participant has the name, else whether they are connected now.
    TAKEOVER for an offline holder, KNOCK at a locked room, None when a
    plain join does (an open room, a free name)."""
    if holder_online is None:
        return KNOCK if locked else None
    if holder_online:
        raise invalid("name", "someone in this room already uses that name")
    return TAKEOVER


def clean_rejoin_code(text: str) -> str:
    """What a person typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch not in " -")


def show_rejoin_code(code: str) -> str:
    """ABCD-EFGH: two groups read and type more easily."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
