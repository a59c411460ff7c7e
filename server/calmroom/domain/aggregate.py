"""The audience's live picture of a round: per step, how many marks the
observers gave and how their marks and final scores spread over the scale.
Counts only, never who: what a fishbowl's facilitator and projector see
instead of a feed of names (domain/options.py). The facilitator's own marks
and scores are left out, as in the results (domain/scoring.py)."""
from __future__ import annotations

from typing import Iterable

from .deck import Scale
from .room import FACILITATOR, Mark, Score


def _spread(ratings: Iterable[int], scale: Scale) -> list[int]:
    """Counts per point of the scale, from its minimum up (index 0 = scale.min)."""
    counts = [0] * (scale.max - scale.min + 1)
    for r in ratings:
        if scale.min <= r <= scale.max:
            counts[r - scale.min] += 1
    return counts


def live_aggregate(step_keys: list[str], scale: Scale, marks: list[Mark], scores: list[Score], observers: int) -> dict:
    """`step_keys`: the card's steps, in deck order; `observers`: how many
    observers the round has now (for "12 of 40 have scored")."""
    mark_counts: dict[tuple[str, int], int] = {}
    markers: dict[str, set[str]] = {}
    for m in marks:
        if m.author != FACILITATOR:
            mark_counts[(m.step, m.rating)] = mark_counts.get((m.step, m.rating), 0) + 1
            markers.setdefault(m.step, set()).add(m.author)
    return aggregate_of_counts(step_keys, scale, mark_counts, {k: len(v) for k, v in markers.items()}, scores, observers)


def aggregate_of_counts(step_keys: list[str], scale: Scale, mark_counts: dict[tuple[str, int], int],
                        markers: dict[str, int], scores: list[Score], observers: int) -> dict:
    """live_aggregate from the observers' marks as counted by the store:
    `mark_counts` (step, rating) -> marks, `markers` step -> how many
    observers marked it (a fishbowl's thousands of marks are counted by the
    database, not read one by one)."""
    scores = [s for s in scores if s.author != FACILITATOR]
    steps = []
    for key in step_keys:
        step_scores = [s for s in scores if s.step == key]
        spread = [0] * (scale.max - scale.min + 1)
        for (step, rating), n in mark_counts.items():
            if step == key and scale.min <= rating <= scale.max:
                spread[rating - scale.min] += n
        steps.append({
            "step": key,
            "marks": sum(n for (step, _), n in mark_counts.items() if step == key),
            "markers": markers.get(key, 0),
            "mark_counts": spread,
            "score_counts": _spread((s.rating for s in step_scores if s.rating is not None), scale),
            "na": sum(1 for s in step_scores if s.rating is None),
        })
    applies = set(step_keys)
    by_author: dict[str, set[str]] = {}
    for s in scores:
        if s.step in applies:
            by_author.setdefault(s.author, set()).add(s.step)
    done = sum(1 for got in by_author.values() if got >= applies)
    return {
        "observers": observers,
        "marks": sum(mark_counts.values()),
        "scored": done,
        # begun but not finished: "312 of 1,000 have not finished, 40 are at it"
        "scoring": len(by_author) - done,
        "steps": steps,
    }
