"""Per-step results of a round from the observers' final scores."""
from __future__ import annotations

from statistics import mean, median

from .deck import Deck, Scale, Step
from .room import FACILITATOR, Score


def disagreement_threshold(scale: Scale) -> float:
    """Two points on a 0–3 scale, scaled to the deck's scale."""
    return 2 * (scale.max - scale.min) / 3


def step_aggregate(step: Step, scores: list[Score], scale: Scale, applies: bool = True) -> dict:
    mine = [s for s in scores if s.step == step.key and s.author != FACILITATOR]
    ratings = [s.rating for s in mine if s.rating is not None]
    out: dict = {
        "step": step.key,
        "label": step.label,
        "critical": step.critical,
        "applies": applies,
        "n": len(ratings),
        "na": sum(1 for s in mine if s.rating is None),
        "mean": round(mean(ratings), 2) if ratings else None,
        "median": median(ratings) if ratings else None,
        "min": min(ratings) if ratings else None,
        "max": max(ratings) if ratings else None,
        "facilitator": next((s.rating for s in scores if s.step == step.key and s.author == FACILITATOR), None),
    }
    out["disagreement"] = bool(ratings) and (max(ratings) - min(ratings)) >= disagreement_threshold(scale)
    return out


def round_result(deck: Deck, step_keys: list[str], scores: list[Score]) -> dict:
    """Step aggregates, and the round's overall mean, capped at the lowest
    label above the scale's minimum when a critical step's median is the
    minimum (a miss there matters more than good work elsewhere)."""
    scale = deck.scale
    applies = set(step_keys)
    steps = [step_aggregate(s, scores, scale, s.key in applies) for s in deck.steps]
    means = [s["mean"] for s in steps if s["applies"] and s["mean"] is not None]
    overall = round(mean(means), 2) if means else None
    capped_by = [s["step"] for s in steps if s["critical"] and s["applies"] and s["median"] == scale.min]
    if overall is not None and capped_by:
        overall = min(overall, scale.min + 1)
    return {"steps": steps, "overall": overall, "capped_by": capped_by, "disagreements": [s["step"] for s in steps if s["disagreement"]]}


def global_mean(ratings: dict[str, int]) -> dict:
    """The observers' mean overall rating of the round (the facilitator's
    left out), and how many observers gave one."""
    values = [r for author, r in ratings.items() if author != FACILITATOR]
    return {"global_rating": round(sum(values) / len(values), 2) if values else None, "global_count": len(values)}
