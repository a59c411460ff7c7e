"""How far observers agree across a room's rounds: Krippendorff's alpha
(ordinal), from the `krippendorff` package, with a reading in plain words, and
only when there is enough data for it to mean something."""
from __future__ import annotations

import math

import krippendorff

MIN_UNITS = 6      # (round, step) pairs scored by at least two observers
MIN_OBSERVERS = 2


def observer_agreement(units: list[dict[str, int]], scale: tuple[int, int]) -> dict:
    """`units`: one dict per (round, step), observer id -> final score (n/a left out)."""
    pairable = [u for u in units if len(u) >= 2]
    coders = sorted({c for u in pairable for c in u})
    out: dict = {"method": "krippendorff_alpha_ordinal", "units": len(pairable), "observers": len(coders), "alpha": None}
    if len(pairable) < MIN_UNITS or len(coders) < MIN_OBSERVERS:
        out["level"] = "not_enough"
        out["reading"] = (
            f"not enough data yet: agreement needs at least {MIN_UNITS} steps scored by two or more observers "
            f"(now {len(pairable)})"
        )
        return out
    values = {v for u in pairable for v in u.values()}
    if len(values) < 2:
        out["level"] = "no_spread"
        out["reading"] = "every observer gave every step the same score, so there is no spread to measure agreement on"
        return out
    data = [[u.get(c, math.nan) for u in pairable] for c in coders]
    alpha = krippendorff.alpha(
        reliability_data=data, level_of_measurement="ordinal", value_domain=list(range(scale[0], scale[1] + 1))
    )
    out.update(describe(alpha))
    return out


def describe(alpha: float | None) -> dict:
    """Alpha as shown, with its level and reading; a NaN or missing alpha is
    "not computed", never a number."""
    lv = level(alpha)
    return {"alpha": None if lv == "not_computable" else round(float(alpha), 3), "level": lv, "reading": READINGS[lv]}


READINGS = {
    "strong": "strong agreement: the observers score the steps in much the same way",
    "fair": "fair agreement: good enough to compare rounds, with some care",
    "weak": "weak agreement: observers often scored the same behaviour differently; agree on what each step looks like",
    "little": "little agreement: the scores say more about the observers than about the role-play; discuss the look-fors first",
    "not_computable": "agreement could not be computed from these scores",
}


def level(alpha: float | None) -> str:
    """Krippendorff's own guide: 0.8 and up reliable, 0.667 the lowest for tentative conclusions.
    A NaN fails every comparison below, so without its own test it would read "little"."""
    if alpha is None or math.isnan(alpha):
        return "not_computable"
    if alpha >= 0.8:
        return "strong"
    if alpha >= 0.667:
        return "fair"
    if alpha >= 0.4:
        return "weak"
    return "little"
