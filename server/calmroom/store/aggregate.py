"""A fishbowl's live aggregate, counted by the database (services/options.py,
domain/aggregate.py): the observers' marks per step and rating and how many
observers marked each step, in two grouped queries, instead of reading every
mark of a round of a thousand observers a few times a second (that read
stalled the loop for ~20 ms each time: every other event waited). A round
with corrections of marks is read whole instead (a correction changes or
withdraws a mark: store/corrections.py)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, distinct, func, select

from ..domain.room import FACILITATOR, Score
from .models import MarkCorrectionRow, MarkRow, ScoreRow

_marks, _scores, _corrections = MarkRow.__table__, ScoreRow.__table__, MarkCorrectionRow.__table__
_theirs = (_marks.c.round_id == bindparam("rid"), _marks.c.author != bindparam("fac"))
_MARK_COUNTS = select(_marks.c.step, _marks.c.rating, func.count()).where(*_theirs).group_by(_marks.c.step, _marks.c.rating)
_MARKERS = select(_marks.c.step, func.count(distinct(_marks.c.author))).where(*_theirs).group_by(_marks.c.step)
_SCORES = select(_scores.c.author, _scores.c.step, _scores.c.rating).where(_scores.c.round_id == bindparam("rid"))
_ANY_CORRECTION = select(_corrections.c.id).where(_corrections.c.round_id == bindparam("rid")).limit(1)


def counts(conn: Any, round_id: int) -> tuple[dict[tuple[str, int], int], dict[str, int], list[Score]] | None:
    """(mark counts by (step, rating), observers who marked each step, the
    round's scores); None when the round has corrections (read it whole)."""
    p = {"rid": round_id, "fac": FACILITATOR}
    if conn.execute(_ANY_CORRECTION, p).first() is not None:
        return None
    marks = {(step, rating): n for step, rating, n in conn.execute(_MARK_COUNTS, p)}
    markers = {step: n for step, n in conn.execute(_MARKERS, p)}
    scores = [Score(author=a, step=s, rating=r, comment=None) for a, s, r in conn.execute(_SCORES, p)]
    return marks, markers, scores
