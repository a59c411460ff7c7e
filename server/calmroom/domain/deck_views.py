"""What of a stored deck each reader gets over HTTP (http/api.py; in a room
the state's deck is views.py's). The public view is built from a whitelist:
a field the deck format gains later (facilitator notes, after-care) stays out
of it until someone decides here that participants may read it."""
from __future__ import annotations

DECK_FIELDS = ("id", "title", "description", "language")
SCALE_FIELDS = ("min", "max", "labels")
STEP_FIELDS = ("key", "label", "description", "look_for", "critical")
# the setting is read out to everyone; channel and playing time are on every phone in the round
CARD_FIELDS = ("id", "title", "difficulty", "setting", "steps", "channel", "play_minutes")


def _pick(source: dict, names: tuple[str, ...]) -> dict:
    return {k: source[k] for k in names if k in source}


def public_deck(body: dict, version: int) -> dict:
    """What a participant may see before a round: the rubric and the cards'
    titles, never a brief."""
    out = _pick(body, DECK_FIELDS)
    out["scale"] = _pick(body["scale"], SCALE_FIELDS)
    out["steps"] = [_pick(s, STEP_FIELDS) for s in body["steps"]]
    out["cards"] = [_pick(c, CARD_FIELDS) for c in body["cards"]]
    out["version"] = version
    out["view"] = "public"
    return out


def full_deck(body: dict, version: int) -> dict:
    return {**body, "version": version, "view": "full"}
