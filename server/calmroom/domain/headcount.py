"""Who a participant sees of the people in a fishbowl or an anonymous room.

In a plain room every member sees everyone's name. In a fishbowl (hundreds
watching two players) or an anonymous room a participant sees the players of
the current round, itself, and counts: how many people are in the room, how
many of them observe, how many observers are online. Never another
observer's name or id: the list does not give the observers away, and a
join costs the joiner's state and its fan-out O(1) instead of O(N).
The facilitator still sees everyone."""
from __future__ import annotations

from .options import RoomOptions
from .room import FACILITATOR, Participant, Room


def restricts_people(options: RoomOptions) -> bool:
    return options.fishbowl or options.anonymous


def players(room: Room) -> tuple[str, ...]:
    rnd = room.round
    return (rnd.customer, rnd.agent) if rnd is not None else ()


def counts(people: int, observers: int, online: int) -> dict:
    return {"people": people, "observers": observers, "online": online}


def headcount(room: Room) -> dict:
    on_stage = players(room)
    watching = online = 0
    for p in room.participants:  # one pass: a fishbowl's join renders this for the joiner
        if p.id not in on_stage:
            watching += 1
            online += p.connected
    return counts(len(room.participants), watching, online)


def entry(room: Room, p: Participant) -> dict:
    return {"id": p.id, "name": p.name, "connected": p.connected,
            "role": room.round.role_of(p.id) if room.round is not None else None}


def visible_people(room: Room, viewer: str) -> list[Participant]:
    """The participants `viewer` may see (a participant id, FACILITATOR, or
    the observers' shared view, which is nobody)."""
    if viewer == FACILITATOR or not restricts_people(room.options):
        return list(room.participants)
    shown = {*players(room), viewer}
    return [p for p in room.participants if p.id in shown]


def people_view(room: Room, viewer: str) -> dict:
    """The `participants` (and, where the list is cut, `headcount`) of a state."""
    out: dict = {"participants": [entry(room, p) for p in visible_people(room, viewer)]}
    if viewer != FACILITATOR and restricts_people(room.options):
        out["headcount"] = headcount(room)
    return out


def hidden_author(options: RoomOptions, author: str | None, viewer: str, on_stage: tuple[str, ...]) -> bool:
    """Whether a participant's view must not name `author` (an observer who
    is not the viewer, in a room whose list of people leaves observers out)."""
    return (author is not None and restricts_people(options) and author != viewer
            and author not in on_stage and author != FACILITATOR)
