"""What a participant takes home: their own summary of the workshop, read
with their own token while the room exists (GET /api/rooms/<code>/me).

Everything comes from the debrief's results (services/results.py), cut down
to what this one person may see: the rounds they played, once revealed (or
played at all once the room is closed, the debrief's rule), with the same
per-step aggregates; what observers wrote about those rounds; their own
reflections and nobody else's; the rounds they watched, briefly; and the
take-aways, which are the two parts of the deck's facilitator notes meant for
the players themselves: the after-care guidance and the learning goal of the
cards they played. Never a brief, never another card note."""
from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import RuleError, not_found
from ..domain.options import RoomOptions, observer_aliases
from ..domain.room import AGENT, CUSTOMER, FACILITATOR
from ..store import repository as repo
from ..store.models import ParticipantRow
from .results import ResultsService
from .rooms import BANNED, hash_token

DEAD = ("kicked", BANNED)  # a kick kills the token (PROTOCOL.md); leaving does not


def shown(rnd: dict, closed: bool) -> bool:
    """client/src/debrief.js shownRounds: revealed, or in a closed room every
    round that got as far as the role-play."""
    return rnd["revealed"] or (closed and (rnd["elapsed_ms"] > 0 or bool(rnd["marks"]) or bool(rnd["scores"])))


class TakeHomeService:
    def __init__(self, sessions: sessionmaker[Session], results: ResultsService):
        self.sessions = sessions
        self.results = results

    def _person(self, code: str, token: str | None) -> ParticipantRow:
        with self.sessions() as session:
            row = repo.find_room(session, code)
            if row is None:
                raise not_found(f"there is no room {code}", "room")
            if not token:
                raise RuleError("unauthorized", "Authorization: your summary needs the token this browser got when "
                                "you joined, as a bearer token", "Authorization")
            digest = hash_token(token)
            person = session.scalars(
                select(ParticipantRow).where(ParticipantRow.room_id == row.id, ParticipantRow.token_hash == digest)
            ).first()
            if person is None or not hmac.compare_digest(person.token_hash, digest):
                raise RuleError("unauthorized", "Authorization: that token does not belong to anyone in this room",
                                "Authorization")
            if person.status in DEAD:
                raise RuleError("unauthorized", "Authorization: the facilitator removed you from this room",
                                "Authorization")
            session.expunge(person)
            return person

    def summary(self, code: str, token: str | None) -> dict:
        person = self._person(code, token)
        data = self.results.results(code)
        closed = data["room"]["phase"] == "closed"
        deck = self._deck_notes(code)
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
            played.append(_unnamed(_played(rnd, role, person.id, mine.get(rnd["number"])), rnd, deck["options"], person.id))
            goal = deck["goals"].get(rnd["card"]["id"])
            if goal:
                goals.append({"round": rnd["number"], "card_title": rnd["card"]["title"], "learning_goal": goal})
        return {
            "room": {"code": data["room"]["code"], "title": data["room"]["title"], "phase": data["room"]["phase"]},
            "deck": {k: data["deck"][k] for k in ("id", "title", "language", "scale", "steps")},
            "you": {"id": person.id, "name": person.name},
            "played": played,
            "observed": observed,
            "takeaways": {"learning_goals": goals, "guidance": deck["guidance"]},
        }

    def _deck_notes(self, code: str) -> dict:
        with self.sessions() as session:
            row = repo.find_room(session, code)
            deck = self.results.decks.get(session, row.deck_pk)
        aftercare = deck.facilitator.aftercare if deck.facilitator else None
        return {
            "options": RoomOptions.from_stored(row.options),
            "guidance": list(aftercare.guidance or ()) if aftercare else [],
            "goals": {c.id: c.facilitator.learning_goal for c in deck.cards if c.facilitator and c.facilitator.learning_goal},
        }


def _was_there(rnd: dict, person: ParticipantRow) -> bool:
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

