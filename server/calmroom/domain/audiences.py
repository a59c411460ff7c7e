"""Who hears of what: every fact goes to audiences, never to sockets.

An audience is one of the facilitator, the participants, everyone, or a set
of people (the round's customer, its agent, its observers, one person). The
transport maps each to Socket.IO rooms; a view is rendered once per audience.

What each audience hears (PROTOCOL.md "Who sees what"; views.py renders it):

- membership (join, leave, kick, presence), phase changes, the lock, notices
  to the room: everyone; phase changes as one `state` per audience below;
- a mark, score, global rating or reflection before the reveal: the
  facilitator only (the author has it in its ack);
- the anger meter: the facilitator and the observers (the customer has its ack);
- `state` after a phase change: the facilitator its view, the customer its
  view, the agent its view, the observers one shared view that holds no
  viewer's own marks or scores (each observer keeps those from its acks).
"""
from __future__ import annotations

from dataclasses import dataclass

from .room import FACILITATOR, Room
from .views import state_view

# The viewer of the observers' shared view: no participant id can be it (ids
# are hex), so it sees no one's own marks, scores, rating or reflection, and no
# `you`.
OBSERVERS_VIEW = "*observers"


@dataclass(frozen=True)
class Audience:
    """The facilitator, the participants (all of them), and/or these people."""

    code: str
    facilitator: bool = False
    participants: bool = False
    people: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.facilitator or self.participants or bool(self.people)


def facilitator(code: str) -> Audience:
    return Audience(code, facilitator=True)


def participants(code: str) -> Audience:
    return Audience(code, participants=True)


def everyone(code: str) -> Audience:
    return Audience(code, facilitator=True, participants=True)


def people(code: str, ids: list[str] | tuple[str, ...], *, with_facilitator: bool = False) -> Audience:
    return Audience(code, facilitator=with_facilitator, people=tuple(ids))


def person(code: str, pid: str) -> Audience:
    return people(code, (pid,))


def observer_ids(room: Room) -> list[str]:
    rnd = room.round
    players = (rnd.customer, rnd.agent) if rnd is not None else ()
    return [p.id for p in room.participants if p.id not in players]


def observers(room: Room) -> Audience:
    """The round's observers; before the first round every participant."""
    if room.round is None:
        return participants(room.code)
    return people(room.code, observer_ids(room))


def temperature(code: str, observer_ids: list[str]) -> Audience:
    """Who sees the anger meter move: the facilitator and the observers; not
    the agent, and the customer has its ack."""
    return people(code, observer_ids, with_facilitator=True)


def state_views(room: Room, now_ms: int) -> list[tuple[Audience, dict]]:
    """Each audience's `state` after a change everyone hears of, rendered
    once per audience (at most four renders whatever the size of the room),
    without the deck and the participants (state_view `whole=False`)."""
    memo: dict = {}  # what every viewer's round view shares (views.state_view)
    out = [(facilitator(room.code), state_view(room, FACILITATOR, now_ms, whole=False, memo=memo))]
    present = {p.id for p in room.participants}
    rnd = room.round
    if rnd is not None:
        for player in (rnd.customer, rnd.agent):
            if player in present:
                out.append((person(room.code, player), state_view(room, player, now_ms, whole=False, memo=memo)))
    watching = observers(room)
    if watching:
        out.append((watching, state_view(room, OBSERVERS_VIEW, now_ms, whole=False, memo=memo)))
    return out


def participant_entry(room: Room, pid: str) -> dict | None:
    """One participant as the `participants` list of a `state` shows it."""
    p = room.participant(pid)
    if p is None:
        return None
    return {"id": p.id, "name": p.name, "connected": p.connected, "role": room.round.role_of(p.id) if room.round else None}


def asker(code: str, request_id: str) -> Audience:
    """Whoever waits on a join request (domain/admission.py): the sockets that
    asked, on any worker. Request ids start with "r" and participant ids are
    hex, so this person room is nobody else's."""
    return people(code, (request_id,))


# -- who hears each event: the one table ---------------------------------------
# services/fanout.py builds every event through `audience_of`; no service
# names an audience itself (tests/unit/test_domain_audiences.py checks both).
EVERYONE = "everyone"  # the facilitator and every participant
FACILITATOR_ALONE = "facilitator"  # blind facts, join requests
PARTICIPANTS_ALONE = "participants"  # every participant, not the facilitator
ONE_PERSON = "person"  # all the sockets of one participant
PERSON_AND_FACILITATOR = "person+facilitator"
METER = "meter"  # the facilitator and the round's observers (temperature)
ASKER = "asker"  # whoever waits on a join request
PER_AUDIENCE = "per audience"  # `state`: one view per audience (state_views)

EVENTS: dict[str, str] = {
    "state": PER_AUDIENCE,
    "participant_joined": EVERYONE,
    "participant_left": EVERYONE,
    "presence_changed": EVERYONE,
    "notice": EVERYONE,  # by its kind: NOTICES
    "step_marked": FACILITATOR_ALONE,
    "step_scored": FACILITATOR_ALONE,
    "global_rated": FACILITATOR_ALONE,
    "reflected": FACILITATOR_ALONE,
    "temperature_changed": METER,
    "join_requested": FACILITATOR_ALONE,
    "join_request_closed": FACILITATOR_ALONE,
    "join_answered": ASKER,
    "mark_corrected": FACILITATOR_ALONE,
    "live_aggregate": FACILITATOR_ALONE,
    # a fishbowl's or an anonymous room's participants: counts instead of the
    # observers' deltas, which go to the facilitator alone (membership_audience)
    "headcount": PARTICIPANTS_ALONE,  # the fishbowl's; its projector is the facilitator's socket
}
NOTICES: dict[str, str] = {
    "timeout": EVERYONE,  # who called it: timeout_notices
    "time_up": EVERYONE,
    "closed": EVERYONE,
    "deleted": EVERYONE,
    "kicked": ONE_PERSON,  # everyone else hears `participant_left`
    "moved": PERSON_AND_FACILITATOR,  # the others see no change
}


def audience_of(event: str, code: str, *, kind: str | None = None, who: str | None = None,
                observers: list[str] | tuple[str, ...] = ()) -> Audience:
    """Who hears `event` (a `notice` by its `kind`). `who`: the person of
    ONE_PERSON, PERSON_AND_FACILITATOR and ASKER (a participant id, or a
    request id); `observers`: the round's observers, for METER."""
    to = NOTICES[kind] if event == "notice" else EVENTS[event]
    if to == EVERYONE:
        return everyone(code)
    if to == FACILITATOR_ALONE:
        return facilitator(code)
    if to == PARTICIPANTS_ALONE:
        return participants(code)
    if to == METER:
        return temperature(code, list(observers))
    if who is None:
        raise ValueError(f"{event} {kind or ''} goes to one person: say who")
    if to == ONE_PERSON:
        return person(code, who)
    if to == PERSON_AND_FACILITATOR:
        return people(code, (who,), with_facilitator=True)
    if to == ASKER:
        return asker(code, who)
    raise ValueError(f"{event} goes to one audience per view: use state_views")


def timeout_notices(code: str, named: dict, unnamed: dict, names_caller: bool) -> list[tuple[Audience, dict]]:
    """A time-out: the facilitator always learns who called it (to look after
    them); the participants only when the room names them (domain/anonymity.py)."""
    if names_caller:
        return [(everyone(code), named)]
    return [(facilitator(code), named), (participants(code), unnamed)]


def membership_audience(code: str, pid: str, on_stage: tuple[str, ...]) -> Audience:
    """Who hears of `pid` joining, leaving or changing presence in a fishbowl
    or an anonymous room (domain/headcount.py): everyone when `pid` plays in
    the round, else the facilitator alone (the participants get `headcount`)."""
    return everyone(code) if pid in on_stage else facilitator(code)
