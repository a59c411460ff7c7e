"""What a participant takes home (GET /api/rooms/<code>/me): the debrief's
results (services/results.py) cut down to what this one person may see: the
rounds they played, once revealed (or played at all once the room is closed,
the debrief's rule), with the same per-step aggregates; what observers wrote
about those rounds; their own reflections and nobody else's; the rounds they
watched, briefly; and the take-aways, which are the two parts of the deck's
facilitator notes meant for the players themselves: the after-care guidance
and the learning goal of the cards they played. Never a brief, never another
card note. Pure: the service loads the results and the notes."""
from __future__ import annotations

from dataclasses import dataclass

from .options import RoomOptions, observer_aliases
from .room import AGENT, CUSTOMER, FACILITATOR


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    joined_ms: int


def shown(rnd: dict, closed: bool) -> bool:
    """client/src/debrief.js shownRounds: revealed, or in a closed room every
    round that got as far as the role-play."""
    return rnd["revealed"] or (closed and (rnd["elapsed_ms"] > 0 or bool(rnd["marks"]) or bool(rnd["scores"])))


def takehome_view(data: dict, person: Person, notes: dict) -> dict:
    """`data`: the room's results; `notes`: {"options": the room's RoomOptions,
    "guidance": [...], "goals": {card id: learning goal}}."""
    closed = data["room"]["phase"] == "closed"
    mine = {a["round"]: a for p in data["participants"] if p["id"] == person.id for a in p["as_agent"]}
    played, observed, goals = [], [], []
    for rnd in data["rounds"]:
        if not shown(rnd, closed):
            continue
        role = CUSTOMER if rnd["customer"]["id"] == person.id else AGENT if rnd["agent"]["id"] == person.id else None
        if role is None:
            if _was_there(rnd, person):
                observed.append(_observed(rnd, person.id))
            continue
        played.append(_unnamed(_played(rnd, role, person.id, mine.get(rnd["number"])), rnd, notes["options"], person.id))
        goal = notes["goals"].get(rnd["card"]["id"])
        if goal:
            goals.append({"round": rnd["number"], "card_title": rnd["card"]["title"], "learning_goal": goal})
    return {
        "room": {"code": data["room"]["code"], "title": data["room"]["title"], "phase": data["room"]["phase"]},
        "deck": {k: data["deck"][k] for k in ("id", "title", "language", "scale", "steps")},
        "you": {"id": person.id, "name": person.name},
        "played": played,
        "observed": observed,
        "takeaways": {"learning_goals": goals, "guidance": notes["guidance"]},
    }


def _was_there(rnd: dict, person: Person) -> bool:
    if person.joined_ms <= rnd["started_ms"]:
        return True
    return any(x["author"] == person.id for x in rnd["marks"] + rnd["scores"] + rnd["global_ratings"])


def _played(rnd: dict, role: str, pid: str, as_agent: dict | None) -> dict:
    others = [x for x in rnd["marks"] if x["author"] != pid]
    reflection = next((r for r in rnd["reflections"] if r["author"] == pid), None)
    return {
        "id": rnd["id"],
        "number": rnd["number"],
        "card": {"id": rnd["card"]["id"], "title": rnd["card"]["title"], "setting": rnd["card"]["setting"],
                 "start_temperature": rnd["card"]["start_temperature"]},
        "role": role,
        "customer": rnd["customer"],
        "agent": rnd["agent"],
        "revealed": rnd["revealed"],
        "elapsed_ms": rnd["elapsed_ms"],
        "steps": rnd["steps"],
        "overall": rnd["overall"],
        "capped_by": rnd["capped_by"],
        "disagreements": rnd["disagreements"],
        # the observers' overall impression of the agent's handling
        "global_rating": as_agent["global_rating"] if as_agent else None,
        "marks": others,
        "comments": [
            {"author": s["author"], "author_name": s["author_name"], "step": s["step"], "rating": s["rating"],
             "comment": s["comment"]}
            for s in rnd["scores"] if s["comment"] and s["author"] != pid
        ],
        "temperatures": rnd["temperatures"],
        "timeouts": rnd["timeouts"],
        "reflection": {k: v for k, v in reflection.items() if k not in ("author", "author_name", "role")} if reflection else None,
    }


def _unnamed(played: dict, rnd: dict, options: RoomOptions, pid: str) -> dict:
    """What the room's options hide from a participant (domain/anonymity.py):
    in an anonymous room observers are the round's aliases, with no name;
    a time-out names nobody unless the room names them (but one's own)."""
    if not options.names_timeouts:
        played["timeouts"] = [t if t["by"] == pid else {**t, "by": None, "name": None} for t in played["timeouts"]]
    if not options.anonymous:
        return played
    authors = [m["author"] for m in rnd["marks"]] + [s["author"] for s in rnd["scores"]]
    authors += [g["author"] for g in rnd["global_ratings"]]
    aliases = observer_aliases(authors, {FACILITATOR, rnd["customer"]["id"], rnd["agent"]["id"]})

    def hide(item: dict) -> dict:
        if item["author"] not in aliases:
            return item
        return {**item, "author": aliases[item["author"]], "author_name": None}

    played["marks"] = [hide(m) for m in played["marks"]]
    played["comments"] = [hide(c) for c in played["comments"]]
    return played


def _observed(rnd: dict, pid: str) -> dict:
    return {
        "number": rnd["number"],
        "card": {"id": rnd["card"]["id"], "title": rnd["card"]["title"]},
        "customer": rnd["customer"],
        "agent": rnd["agent"],
        "marks_given": sum(1 for m in rnd["marks"] if m["author"] == pid),
        "scores_given": sum(1 for s in rnd["scores"] if s["author"] == pid),
    }

