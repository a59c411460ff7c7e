"""Live marks as their authors left them. An observer may undo or change a
mark during the role-play; the mark stays stored as it was acked and the
correction is stored beside it. Everything people read (views, the debrief,
results, exports, the prefilled final scores) uses the corrected picture."""
from __future__ import annotations

from dataclasses import replace

from .room import Correction, Mark


def corrected(marks: list[Mark], corrections: list[Correction]) -> tuple[list[Mark], list[tuple[Mark, Correction]]]:
    """(the marks with each one's last correction applied, withdrawn ones left
    out, in their order; the original marks a correction touched, each with
    that last correction). `corrections` in the order they were made."""
    last: dict[tuple[str, str], Correction] = {}
    for c in corrections:
        last[(c.author, c.mark)] = c
    current: list[Mark] = []
    superseded: list[tuple[Mark, Correction]] = []
    for m in marks:
        c = last.get((m.author, m.id))
        if c is None:
            current.append(m)
            continue
        superseded.append((m, c))
        if not c.withdraws:
            current.append(replace(m, step=c.step, rating=c.rating, note=c.note))
    return current, superseded


def current_mark(mark: Mark, corrections: list[Correction]) -> Mark | None:
    """One mark as its author left it; None when withdrawn."""
    current, _ = corrected([mark], corrections)
    return current[0] if current else None
