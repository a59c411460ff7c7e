"""Who sees what (PROTOCOL.md): one function builds the `state` a viewer gets.

- the customer's brief: customer, observers, facilitator; never the agent;
- the agent's brief: agent, observers, facilitator; never the customer;
- blind scoring: until reveal an observer sees only its own marks and scores,
  the facilitator sees all; after reveal everyone sees them;
- reflections: the facilitator only (and each author their own);
- the anger meter: facilitator, observers and the customer; everyone after reveal;
- a card's facilitator notes and variants: the facilitator only, also after
  reveal (a variant is the facilitator's surprise for the agent and observers);
- a card's narrowed look-fors: the facilitator and the observers, who score
  with them;
- the deck's after-care check-in questions: the two players and the
  facilitator, while they can reflect (scoring and review). The rest of the
  deck's facilitator page stays out of the state."""
from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from .aggregate import live_aggregate
from .anonymity import redact_round
from .headcount import people_view, restricts_people
from .phases import ALLOWED_IN
from .deck import Deck
from .room import AGENT, CUSTOMER, FACILITATOR, OBSERVER, Room, Round
from .scoring import global_mean, round_result


def role_in(room: Room, viewer: str) -> str | None:
    """The viewer's role in the current round; `viewer` is a participant id or
    FACILITATOR."""
    if viewer == FACILITATOR:
        return FACILITATOR
    if room.round is None:
        return None
    # also once the room is closed: the last round's roles still decide what
    # each player may see of it
    return room.round.role_of(viewer)


def deck_view(room: Room) -> dict:
    deck = room.deck
    return {
        "id": deck.id,
        "title": deck.title,
        "language": deck.language,
        "scale": {"min": deck.scale.min, "max": deck.scale.max, "labels": {str(k): v for k, v in deck.scale.labels.items()}},
        "steps": [
            {"key": s.key, "label": s.label, "look_for": list(s.look_for), "critical": s.critical, "description": s.description}
            for s in deck.steps
        ],
    }


def state_view(room: Room, viewer: str, now_ms: int, *, whole: bool = True, memo: dict | None = None) -> dict:
    """`whole=False`: without the deck (it never changes in a room) and the
    participants (the members have them, kept current by deltas; their roles
    follow from the round), what a phase change sends to a room of any size.
    In a fishbowl or an anonymous room a participant sees only the players,
    itself and counts (domain/headcount.py). `memo`: one dict shared by the
    views of one change (audiences.state_views), so what is the same for
    every viewer is worked out once."""
    view: dict[str, Any] = {
        "version": room.version,
        "code": room.code,
        "title": room.title,
        "phase": room.phase,
        "locked": room.locked,
        "options": room.options.as_dict(),
    }
    if whole:
        view["deck"] = deck_view(room)
        view.update(people_view(room, viewer))
    elif viewer != FACILITATOR and restricts_people(room.options):
        # the few people such a participant sees (the players; itself) and the
        # counts: small, so a phase change carries them (domain/headcount.py)
        view.update(people_view(room, viewer))
    if viewer != FACILITATOR:
        me = room.participant(viewer)
        if me is not None:
            view["you"] = {"id": me.id, "name": me.name, "role": role_in(room, viewer)}
    if room.round is not None:
        view["round"] = round_view(room, viewer, now_ms, memo)
        former = _former(room, view["round"])
        if former:  # most states have none: no key at all then
            view["former"] = former
    return view


def _former(room: Room, rnd: dict) -> list[dict]:
    """The names of people who left and appear in what this viewer sees of
    the round (as a player, or as the author of a mark, score, rating,
    time-out or reflection): named there as everywhere else, never listed
    for their own sake."""
    if not room.former:
        return []
    seen = {rnd["customer"], rnd["agent"], *rnd["global_ratings"]}
    seen.update(t["by"] for t in rnd["timeouts"] if t["by"])
    for key in ("marks", "scores", "reflections"):
        seen.update(x["author"] for x in rnd.get(key, ()))
    return [{"id": pid, "name": name} for pid, name in room.former.items() if pid in seen]


def round_view(room: Room, viewer: str, now_ms: int, memo: dict | None = None) -> dict:
    rnd = room.round
    assert rnd is not None
    role = role_in(room, viewer) or OBSERVER
    revealed = rnd.revealed
    card = rnd.card
    card_view: dict[str, Any] = {
        "id": card.id,
        "title": card.title,
        "setting": card.setting,
        "difficulty": card.difficulty,
        "steps": [s.key for s in room.deck.steps_for(card)],
    }
    if role in (FACILITATOR, OBSERVER, CUSTOMER):
        card_view["customer"] = _record(card.customer)
    if role in (FACILITATOR, OBSERVER, AGENT):
        card_view["agent"] = _record(card.agent)
    if card.channel is not None:
        card_view["channel"] = card.channel
    if card.play_minutes is not None:
        card_view["play_minutes"] = card.play_minutes
    if role == FACILITATOR:
        if card.facilitator is not None:
            card_view["facilitator"] = {k: v for k, v in _record(card.facilitator).items() if v is not None}
        if card.variants:
            card_view["variants"] = [_record(v) for v in card.variants]
    if role in (FACILITATOR, OBSERVER) and card.look_fors:
        card_view["look_fors"] = {k: list(v) for k, v in card.look_fors.items() if k in card_view["steps"]}

    sees_all = role == FACILITATOR or revealed
    # a fishbowl's audience gets the round's results after the reveal, not
    # every mark and score of hundreds of observers (the players still do)
    sees_every_item = sees_all and not (room.options.fishbowl and role == OBSERVER)
    sees_temperature = revealed or role in (FACILITATOR, OBSERVER, CUSTOMER)
    out: dict[str, Any] = {
        "id": rnd.id,
        "number": rnd.number,
        "card": card_view,
        "customer": rnd.customer,
        "agent": rnd.agent,
        "clock": rnd.clock.view(now_ms),
        "revealed": revealed,
        "timeouts": [{"by": t.by, "reason": t.reason, "t_ms": t.t_ms} for t in rnd.timeouts],
    }
    out["marks"] = [m.as_dict() for m in rnd.marks if sees_every_item or m.author == viewer]
    out["scores"] = [s.as_dict() for s in rnd.scores if sees_every_item or s.author == viewer]
    out["global_ratings"] = {a: r for a, r in rnd.global_ratings.items() if sees_every_item or a == viewer}
    if sees_all:
        # the per-step aggregates of the results (domain/scoring.py): the one
        # source of the means every screen shows (issue 14, bug 4)
        # the same for every viewer who sees them: worked out once per change
        results = memo.get("results") if memo is not None else None
        if results is None:
            results = {**round_result(room.deck, card_view["steps"], rnd.scores), **global_mean(rnd.global_ratings)}
            if memo is not None:
                memo["results"] = results
        out["results"] = {**results}
    if role == FACILITATOR and room.options.fishbowl:
        out["live"] = audience_aggregate(room)
    if sees_temperature:
        out["temperatures"] = [{"level": t.level, "t_ms": t.t_ms} for t in rnd.temperatures]
        out["temperature"] = rnd.temperatures[-1].level if rnd.temperatures else card.customer.start_temperature
    check_in = _check_in(room)
    if check_in and role in (FACILITATOR, CUSTOMER, AGENT) and room.phase in ALLOWED_IN["reflect"]:
        out["check_in"] = check_in
    if role == FACILITATOR:
        out["reflections"] = [r.as_dict() for r in rnd.reflections]
    else:
        mine = [r.as_dict() for r in rnd.reflections if r.author == viewer]
        if mine:
            out["my_reflection"] = mine[0]
        redact_round(out, rnd, room.options, viewer)
    return out


def audience_aggregate(room: Room) -> dict:
    """The fishbowl's live picture of the current round (domain/aggregate.py)."""
    rnd = room.round
    assert rnd is not None
    observers = sum(1 for p in room.participants if p.id not in (rnd.customer, rnd.agent))
    return round_aggregate(room.deck, rnd, observers)


def round_aggregate(deck: Deck, rnd: Round, observers: int) -> dict:
    steps = [s.key for s in deck.steps_for(rnd.card)]
    return {"round": rnd.id, **live_aggregate(steps, deck.scale, rnd.marks, rnd.scores, observers)}


def _check_in(room: Room) -> list[str]:
    notes = room.deck.facilitator
    if notes is None or notes.aftercare is None or not notes.aftercare.check_in:
        return []
    return list(notes.aftercare.check_in)


_ATOMS = (str, int, float, bool, type(None))


def _record(obj: Any) -> dict:
    """`_plain(asdict(obj))`, fast for the flat records of a card (briefs,
    notes, variants: fields of text, numbers, None, or tuples of them), the
    general way for anything else."""
    out = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, tuple) and all(isinstance(x, _ATOMS) for x in v):
            v = list(v)
        elif not isinstance(v, _ATOMS):
            return _plain(asdict(obj))
        out[f.name] = v
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def sees_live_marks(role: str | None) -> bool:
    return role == FACILITATOR


def sees_temperature(role: str | None) -> bool:
    return role in (FACILITATOR, OBSERVER, CUSTOMER)
