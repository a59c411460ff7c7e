"""The fishbowl's live aggregate (domain/aggregate.py): counts and spreads per
step, never who; the facilitator's own marks and scores left out."""
from __future__ import annotations

from calmroom.domain.aggregate import live_aggregate
from calmroom.domain.deck import Scale
from calmroom.domain.room import FACILITATOR, Mark, Score

SCALE = Scale(0, 3, {0: "not done", 1: "weak", 2: "adequate", 3: "skilled"})
STEPS = ["listen", "empathy"]


def test_no_marks_yet_gives_zero_counts_per_step():
    agg = live_aggregate(STEPS, SCALE, [], [], observers=40)
    assert agg == {
        "observers": 40, "marks": 0, "scored": 0, "scoring": 0,
        "steps": [
            {"step": "listen", "marks": 0, "markers": 0, "mark_counts": [0, 0, 0, 0], "score_counts": [0, 0, 0, 0], "na": 0},
            {"step": "empathy", "marks": 0, "markers": 0, "mark_counts": [0, 0, 0, 0], "score_counts": [0, 0, 0, 0], "na": 0},
        ],
    }


def test_marks_are_counted_per_step_and_spread_over_the_scale():
    marks = [
        Mark("a", "p1", "listen", 2, None, 1), Mark("b", "p1", "listen", 3, "x", 2),
        Mark("c", "p2", "listen", 2, None, 3), Mark("d", "p2", "empathy", 0, None, 4),
        Mark("f", FACILITATOR, "listen", 0, None, 5),  # the facilitator is not the audience
    ]
    agg = live_aggregate(STEPS, SCALE, marks, [], observers=3)
    listen, empathy = agg["steps"]
    assert agg["marks"] == 4
    assert listen == {"step": "listen", "marks": 3, "markers": 2, "mark_counts": [0, 0, 2, 1], "score_counts": [0, 0, 0, 0], "na": 0}
    assert empathy["marks"] == 1 and empathy["mark_counts"] == [1, 0, 0, 0]


def test_scores_spread_with_na_apart_and_observers_done_counted():
    scores = [
        Score("p1", "listen", 3), Score("p1", "empathy", None),  # p1 has scored every step (n/a counts)
        Score("p2", "listen", 1),                                 # p2 not yet
        Score(FACILITATOR, "listen", 0), Score(FACILITATOR, "empathy", 0),
        Score("p3", "stay_calm", 2),                              # a step the card does not score
    ]
    agg = live_aggregate(STEPS, SCALE, [], scores, observers=3)
    listen, empathy = agg["steps"]
    assert listen["score_counts"] == [0, 1, 0, 1] and listen["na"] == 0
    assert empathy["score_counts"] == [0, 0, 0, 0] and empathy["na"] == 1
    assert agg["scored"] == 1
    assert agg["scoring"] == 1  # p2 began; p3's score is for a step the card does not score


def test_a_scale_that_does_not_start_at_zero():
    scale = Scale(1, 5, {})
    agg = live_aggregate(["listen"], scale, [Mark("a", "p1", "listen", 1, None, 0), Mark("b", "p2", "listen", 5, None, 0)], [], 2)
    assert agg["steps"][0]["mark_counts"] == [1, 0, 0, 0, 1]


def test_the_aggregate_holds_no_author():
    marks = [Mark("a", "p-secret", "listen", 2, "a note by someone", 1)]
    scores = [Score("p-secret", "listen", 2, "a comment")]
    text = repr(live_aggregate(STEPS, SCALE, marks, scores, 1))
    assert "p-secret" not in text and "note" not in text and "comment" not in text


def test_counted_by_the_store_or_from_the_marks_the_aggregate_is_the_same():
    """store/aggregate.py counts a fishbowl's marks in the database; the
    picture must be the one the marks themselves give."""
    import random

    from calmroom.domain.aggregate import aggregate_of_counts

    rng = random.Random(7)
    authors = [f"p{i}" for i in range(12)] + [FACILITATOR]
    marks = [Mark(f"m{i}", rng.choice(authors), rng.choice(STEPS + ["other"]), rng.choice([0, 1, 2, 3, 9]), None, i)
             for i in range(300)]
    scores = [Score(a, s, rng.choice([None, 0, 1, 2, 3])) for a in authors for s in STEPS if rng.random() < 0.7]
    counts: dict = {}
    markers: dict = {}
    for m in marks:
        if m.author != FACILITATOR:
            counts[(m.step, m.rating)] = counts.get((m.step, m.rating), 0) + 1
            markers.setdefault(m.step, set()).add(m.author)
    from_counts = aggregate_of_counts(STEPS, SCALE, counts, {k: len(v) for k, v in markers.items()}, scores, 12)
    assert from_counts == live_aggregate(STEPS, SCALE, marks, scores, 12)
    assert from_counts["marks"] == sum(1 for m in marks if m.author != FACILITATOR)
