"""Per-step results of a round from the observers' final scores: aggregates,
disagreement (≥ 2 points on a 0–3 scale, scaled to others) and the cap a
missed critical step puts on the round's result."""
from __future__ import annotations

import pytest

from calmroom.decks import load_deck_file
from calmroom.domain.deck import AgentBrief, Card, CustomerBrief, Deck, Scale, Step
from calmroom.domain.room import FACILITATOR, Score
from calmroom.domain.scoring import disagreement_threshold, round_result, step_aggregate

S03 = Scale(0, 3, {0: "not done", 1: "weak", 2: "adequate", 3: "skilled"})
S15 = Scale(1, 5, {1: "absent", 2: "poor", 3: "ok", 4: "good", 5: "excellent"})

LISTEN = Step("listen", "Let them vent", ("does not interrupt",))
EMPATHY = Step("empathy", "Show understanding", ("names the feeling",))
CALM = Step("stay_calm", "Stay calm", ("no sarcasm",), critical=True)

CARD = Card(
    id="c",
    title="Card",
    difficulty=1,
    setting="s",
    customer=CustomerBrief("p", "s", "o", 5, (), (), "w"),
    agent=AgentBrief("b", (), ()),
)


def deck(scale: Scale = S03) -> Deck:
    return Deck(id="d", title="D", language="en", scale=scale, steps=(LISTEN, EMPATHY, CALM), cards=(CARD,))


def scores(step: str, *ratings, facilitator=None) -> list[Score]:
    out = [Score(f"obs{i}", step, r) for i, r in enumerate(ratings)]
    if facilitator is not None:
        out.append(Score(FACILITATOR, step, facilitator))
    return out


# -- step_aggregate --------------------------------------------------------------


def test_aggregate_of_three_observers():
    agg = step_aggregate(LISTEN, scores("listen", 1, 2, 3), S03)
    assert agg == {
        "step": "listen",
        "label": "Let them vent",
        "critical": False,
        "applies": True,
        "n": 3,
        "na": 0,
        "mean": 2,
        "median": 2,
        "min": 1,
        "max": 3,
        "facilitator": None,
        "disagreement": True,  # 3 - 1 = 2 points on 0–3
    }


def test_mean_is_rounded_to_two_decimals():
    agg = step_aggregate(LISTEN, scores("listen", 1, 1, 2), S03)
    assert agg["mean"] == 1.33
    agg = step_aggregate(LISTEN, scores("listen", 2, 2, 3), S03)
    assert agg["mean"] == 2.33
    agg = step_aggregate(LISTEN, scores("listen", 0, 1, 1), S03)
    assert agg["mean"] == 0.67


def test_median_of_an_even_number_of_ratings():
    agg = step_aggregate(LISTEN, scores("listen", 0, 1, 3, 3), S03)
    assert agg["median"] == 2
    agg = step_aggregate(LISTEN, scores("listen", 0, 1), S03)
    assert agg["median"] == 0.5
    assert agg["min"] == 0 and agg["max"] == 1 and agg["n"] == 2


def test_not_applicable_scores_are_counted_apart():
    agg = step_aggregate(LISTEN, scores("listen", 2, None, 3, None), S03)
    assert agg["n"] == 2
    assert agg["na"] == 2
    assert agg["mean"] == 2.5
    assert agg["median"] == 2.5
    assert (agg["min"], agg["max"]) == (2, 3)


def test_only_not_applicable_gives_empty_aggregates():
    agg = step_aggregate(LISTEN, scores("listen", None, None), S03)
    assert agg["n"] == 0 and agg["na"] == 2
    assert agg["mean"] is None and agg["median"] is None and agg["min"] is None and agg["max"] is None
    assert agg["disagreement"] is False


def test_no_scores_at_all():
    agg = step_aggregate(EMPATHY, [], S03)
    assert (agg["n"], agg["na"], agg["mean"], agg["median"], agg["min"], agg["max"]) == (0, 0, None, None, None, None)
    assert agg["facilitator"] is None
    assert agg["disagreement"] is False


def test_scores_for_other_steps_are_ignored():
    agg = step_aggregate(LISTEN, scores("listen", 1) + scores("empathy", 3, 3, 3), S03)
    assert agg["n"] == 1 and agg["mean"] == 1


def test_facilitator_score_is_reported_but_not_aggregated():
    agg = step_aggregate(LISTEN, scores("listen", 2, 2, facilitator=0), S03)
    assert agg["facilitator"] == 0
    assert agg["n"] == 2 and agg["na"] == 0
    assert agg["mean"] == 2 and agg["median"] == 2 and agg["min"] == 2 and agg["max"] == 2
    assert agg["disagreement"] is False  # 2 vs the facilitator's 0 does not count


def test_facilitator_not_applicable_is_not_counted_as_na():
    agg = step_aggregate(LISTEN, scores("listen", 3, facilitator=None) + [Score(FACILITATOR, "listen", None)], S03)
    assert agg["na"] == 0
    assert agg["n"] == 1
    assert agg["facilitator"] is None


def test_only_the_facilitator_scored():
    agg = step_aggregate(LISTEN, [Score(FACILITATOR, "listen", 1)], S03)
    assert agg["n"] == 0 and agg["mean"] is None and agg["facilitator"] == 1


def test_critical_and_applies_are_carried():
    agg = step_aggregate(CALM, [], S03, applies=False)
    assert agg["critical"] is True
    assert agg["applies"] is False
    assert agg["label"] == "Stay calm"


# -- disagreement ---------------------------------------------------------------


def test_threshold_is_two_points_on_zero_to_three():
    assert disagreement_threshold(S03) == pytest.approx(2.0)


def test_threshold_scales_to_one_to_five():
    assert disagreement_threshold(S15) == pytest.approx(8 / 3)


def test_threshold_scales_to_zero_to_six():
    assert disagreement_threshold(Scale(0, 6)) == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((0, 2), True),
        ((1, 3), True),
        ((0, 3), True),
        ((0, 1), False),
        ((2, 3), False),
        ((1, 1, 2, 2), False),
        ((3, 3, 3, 1), True),
        ((2,), False),
    ],
)
def test_disagreement_on_zero_to_three(ratings, expected):
    assert step_aggregate(LISTEN, scores("listen", *ratings), S03)["disagreement"] is expected


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((1, 3), False),  # 2 points on 1–5 is less than 2 on 0–3
        ((3, 5), False),
        ((2, 4, 3), False),
        ((1, 4), True),  # 3 ≥ 8/3
        ((2, 5), True),
        ((1, 5), True),
        ((5, 5, 5), False),
    ],
)
def test_disagreement_on_one_to_five(ratings, expected):
    assert step_aggregate(LISTEN, scores("listen", *ratings), S15)["disagreement"] is expected


def test_not_applicable_does_not_make_a_disagreement():
    assert step_aggregate(LISTEN, scores("listen", 3, None, 3), S03)["disagreement"] is False


# -- round_result ---------------------------------------------------------------------


def test_round_result_overall_is_the_mean_of_step_means():
    s = scores("listen", 3, 2) + scores("empathy", 2, 2) + scores("stay_calm", 3, 3)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert [x["step"] for x in result["steps"]] == ["listen", "empathy", "stay_calm"]
    assert [x["mean"] for x in result["steps"]] == [2.5, 2, 3]
    assert result["overall"] == 2.5
    assert result["capped_by"] == []
    assert result["disagreements"] == []


def test_round_result_overall_is_rounded():
    s = scores("listen", 2) + scores("empathy", 2) + scores("stay_calm", 3)
    assert round_result(deck(), ["listen", "empathy", "stay_calm"], s)["overall"] == 2.33


def test_steps_that_do_not_apply_are_left_out_of_the_overall():
    s = scores("listen", 3, 3) + scores("empathy", 1, 1) + scores("stay_calm", 3)
    result = round_result(deck(), ["listen", "stay_calm"], s)
    by_step = {x["step"]: x for x in result["steps"]}
    assert by_step["empathy"]["applies"] is False
    assert by_step["listen"]["applies"] is True and by_step["stay_calm"]["applies"] is True
    assert result["overall"] == 3


def test_steps_without_ratings_are_left_out_of_the_overall():
    s = scores("listen", 3, None) + scores("empathy", None) + scores("stay_calm", 2)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["overall"] == 2.5


def test_no_scores_no_overall():
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], [])
    assert result["overall"] is None
    assert result["capped_by"] == []
    assert result["disagreements"] == []
    assert len(result["steps"]) == 3


def test_facilitator_scores_do_not_move_the_overall():
    s = scores("listen", 3, facilitator=0) + scores("empathy", 3, facilitator=0) + scores("stay_calm", 3, facilitator=0)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["overall"] == 3
    assert result["capped_by"] == []  # the facilitator's 0 on the critical step does not cap
    assert [x["facilitator"] for x in result["steps"]] == [0, 0, 0]


def test_disagreements_are_listed():
    s = scores("listen", 0, 3) + scores("empathy", 2, 3) + scores("stay_calm", 1, 3)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["disagreements"] == ["listen", "stay_calm"]


def test_critical_step_at_minimum_caps_the_round():
    s = scores("listen", 3, 3, 3) + scores("empathy", 3, 3, 3) + scores("stay_calm", 0, 0, 3)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    # uncapped it would be (3 + 3 + 1) / 3 = 2.33
    assert result["capped_by"] == ["stay_calm"]
    assert result["overall"] == 1  # the lowest label above the minimum: "weak"


def test_cap_does_not_raise_a_lower_result():
    s = scores("listen", 0) + scores("empathy", 0) + scores("stay_calm", 0)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == ["stay_calm"]
    assert result["overall"] == 0


def test_cap_leaves_a_result_at_or_below_the_cap():
    s = scores("listen", 2) + scores("empathy", 1) + scores("stay_calm", 0)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == ["stay_calm"]
    assert result["overall"] == 1


def test_critical_median_above_minimum_does_not_cap():
    s = scores("listen", 3) + scores("empathy", 3) + scores("stay_calm", 0, 1, 1)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == []
    assert result["overall"] == 2.22


def test_critical_even_split_median_is_not_the_minimum():
    s = scores("listen", 3) + scores("empathy", 3) + scores("stay_calm", 0, 1)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == []
    assert result["overall"] == 2.17


def test_non_critical_step_at_minimum_does_not_cap():
    s = scores("listen", 0, 0) + scores("empathy", 3, 3) + scores("stay_calm", 3, 3)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == []
    assert result["overall"] == 2


def test_critical_step_that_does_not_apply_does_not_cap():
    s = scores("listen", 3) + scores("empathy", 3) + scores("stay_calm", 0, 0)
    result = round_result(deck(), ["listen", "empathy"], s)
    assert result["capped_by"] == []
    assert result["overall"] == 3


def test_critical_step_only_not_applicable_does_not_cap():
    s = scores("listen", 3) + scores("empathy", 3) + scores("stay_calm", None, None)
    result = round_result(deck(), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == []
    assert result["overall"] == 3


def test_cap_on_one_to_five_is_two():
    s = scores("listen", 5, 5) + scores("empathy", 4, 5) + scores("stay_calm", 1, 1, 4)
    result = round_result(deck(S15), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == ["stay_calm"]
    assert result["overall"] == 2
    assert result["disagreements"] == ["stay_calm"]  # 4 - 1 = 3 ≥ 8/3


def test_one_to_five_without_a_miss():
    s = scores("listen", 4, 5) + scores("empathy", 3, 5) + scores("stay_calm", 2, 4)
    result = round_result(deck(S15), ["listen", "empathy", "stay_calm"], s)
    assert result["capped_by"] == []
    assert result["overall"] == 3.83
    assert result["disagreements"] == []  # 2-point spreads stay under 8/3


def test_round_result_with_the_minimal_deck_file(data_dir):
    d = load_deck_file(data_dir / "minimal-deck.yaml")
    card = d.card("sofa")
    keys = [s.key for s in d.steps_for(card)]
    assert keys == ["listen", "empathy"]
    s = scores("listen", 3, 1) + scores("empathy", 2, 2, facilitator=0) + scores("stay_calm", 0, 0)
    result = round_result(d, keys, s)
    by_step = {x["step"]: x for x in result["steps"]}
    assert by_step["stay_calm"]["applies"] is False
    assert result["capped_by"] == []  # stay_calm is critical but not on this card
    assert result["overall"] == 2
    assert result["disagreements"] == ["listen"]
