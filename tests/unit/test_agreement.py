"""Observer agreement: alpha only when it means something, and a plain reading."""
from calmroom.services.agreement import MIN_UNITS, observer_agreement


def test_too_little_data_gives_no_alpha_and_says_why():
    out = observer_agreement([{"a": 1, "b": 2}] * (MIN_UNITS - 1), (0, 3))
    assert out["alpha"] is None and "not enough data" in out["reading"] and out["level"] == "not_enough"
    single = observer_agreement([{"a": 1}] * 20, (0, 3))  # one observer per unit pairs with nobody
    assert single["alpha"] is None and single["units"] == 0


def test_identical_scores_have_no_spread():
    out = observer_agreement([{"a": 2, "b": 2}] * 10, (0, 3))
    assert out["alpha"] is None and "same score" in out["reading"] and out["level"] == "no_spread"


def test_perfect_agreement_is_one_and_reads_strong():
    units = [{"a": v, "b": v, "c": v} for v in (0, 1, 2, 3, 1, 2)]
    out = observer_agreement(units, (0, 3))
    assert out["alpha"] == 1.0 and out["reading"].startswith("strong") and out["level"] == "strong"
    assert out["units"] == 6 and out["observers"] == 3


def test_opposite_scores_read_as_little_agreement():
    units = [{"a": v, "b": 3 - v} for v in (0, 1, 2, 3, 0, 3, 1, 2)]
    out = observer_agreement(units, (0, 3))
    assert out["alpha"] < 0 and out["reading"].startswith("little") and out["level"] == "little"


def test_known_value_with_missing_scores():
    # two observers, one unit scored by only one: alpha computed on the pairable ones
    units = [{"a": 0, "b": 0}, {"a": 1, "b": 1}, {"a": 2, "b": 2}, {"a": 3, "b": 2}, {"a": 3, "b": 3}, {"a": 1, "b": 1}, {"a": 2}]
    out = observer_agreement(units, (0, 3))
    assert out["units"] == 6
    assert 0.8 < out["alpha"] < 1.0
