"""Observer agreement on known data, one case per band, so that what the
debrief says about α ("strong", "fair", "weak", "little") is pinned to the
number: a changed threshold, a dropped `level_of_measurement="ordinal"` or
value domain, or a NaN shown as a value fails here."""
from __future__ import annotations

import math

import pytest

from calmroom.services.agreement import READINGS, describe, level, observer_agreement

NAN = math.nan

# Krippendorff's published example (K. Krippendorff, "Computing Krippendorff's
# Alpha-Reliability", 2011, the example with four observers, twelve units,
# values 1 to 5 and missing data; also in the `krippendorff` package's
# documentation): ordinal α = 0.815 (interval 0.849, nominal 0.743). One row
# per observer, one column per unit; NAN: this observer did not score it.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]

# Two observers on a 0-3 scale, eight steps; the second row differs from the
# first a little more each time. Values from the ordinal formula (interval
# would give 0.739, 0.648 and 0.366: a lost "ordinal" changes every one).
FIRST = [0, 1, 2, 3, 1, 2, 0, 3]
FAIR = [1, 1, 3, 2, 0, 2, 1, 3]     # 0.764
WEAK = [0, 2, 1, 3, 2, 1, 1, 2]     # 0.608
LITTLE = [1, 2, 0, 3, 0, 2, 1, 1]   # 0.334


def units_from(rows: list[list[float]], shift: int = 0) -> list[dict[str, int]]:
    """Observer rows as the units the results service builds: one dict per
    step, observer -> score, an unscored step left out."""
    coders = [f"obs{i}" for i in range(len(rows))]
    return [
        {c: int(row[j]) + shift for c, row in zip(coders, rows) if not math.isnan(row[j])}
        for j in range(len(rows[0]))
    ]


def expected(alpha: float, lv: str, units: int, observers: int) -> dict:
    return {"method": "krippendorff_alpha_ordinal", "units": units, "observers": observers,
            "alpha": alpha, "level": lv, "reading": READINGS[lv]}


def test_krippendorffs_published_example_is_0_815_and_strong():
    # the last unit was scored by one observer only: it pairs with nobody
    out = observer_agreement(units_from(KRIPPENDORFF_2011), (1, 5))
    assert out == expected(0.815, "strong", units=11, observers=4)


def test_a_scale_with_negative_points_gives_the_same_alpha():
    # the same scores on a -2..2 scale: alpha depends on the order, not the labels
    out = observer_agreement(units_from(KRIPPENDORFF_2011, shift=-3), (-2, 2))
    assert out == expected(0.815, "strong", units=11, observers=4)


@pytest.mark.parametrize(("second", "alpha", "lv"), [
    (FAIR, 0.764, "fair"),
    (WEAK, 0.608, "weak"),
    (LITTLE, 0.334, "little"),
])
def test_known_values_in_the_lower_bands(second, alpha, lv):
    out = observer_agreement(units_from([FIRST, second]), (0, 3))
    assert out == expected(alpha, lv, units=8, observers=2)


def test_two_different_scores_are_enough_spread():
    # every step scored 1 or 2: alpha is computed, not "no spread"
    out = observer_agreement(units_from([[1, 2, 1, 2, 1, 2], [1, 2, 2, 2, 1, 1]]), (0, 3))
    assert out == expected(0.389, "little", units=6, observers=2)


def test_no_spread_and_too_little_data_read_as_such():
    out = observer_agreement([{"a": 2, "b": 2}] * 6, (0, 3))
    assert out == {"method": "krippendorff_alpha_ordinal", "units": 6, "observers": 2, "alpha": None,
                   "level": "no_spread",
                   "reading": "every observer gave every step the same score, so there is no spread to measure agreement on"}
    out = observer_agreement([{"a": 1, "b": 2}] * 5 + [{"a": 3}], (0, 3))
    assert out == {"method": "krippendorff_alpha_ordinal", "units": 5, "observers": 2, "alpha": None,
                   "level": "not_enough",
                   "reading": "not enough data yet: agreement needs at least 6 steps scored by two or more observers (now 5)"}


def test_one_observer_alone_is_not_enough_even_with_many_steps():
    out = observer_agreement([{"a": v % 4} for v in range(20)], (0, 3))
    assert (out["units"], out["observers"], out["level"]) == (0, 0, "not_enough")


@pytest.mark.parametrize(("alpha", "lv"), [
    (1.0, "strong"), (0.8, "strong"),
    (0.7999, "fair"), (0.7, "fair"), (0.667, "fair"),
    (0.6669, "weak"), (0.5, "weak"), (0.4, "weak"),
    (0.3999, "little"), (0.0, "little"), (-0.5, "little"),
])
def test_band_edges_follow_krippendorffs_guide(alpha, lv):
    assert level(alpha) == lv
    assert describe(alpha) == {"alpha": round(alpha, 3), "level": lv, "reading": READINGS[lv]}


@pytest.mark.parametrize("alpha", [NAN, None])
def test_a_nan_alpha_reads_as_not_computed_never_as_a_value(alpha):
    assert level(alpha) == "not_computable"
    assert describe(alpha) == {"alpha": None, "level": "not_computable",
                               "reading": "agreement could not be computed from these scores"}


def test_each_reading_starts_with_its_band():
    for lv in ("strong", "fair", "weak", "little"):
        assert READINGS[lv].startswith(f"{lv} agreement: ")
