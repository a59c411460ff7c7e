"""Live marks as their authors left them. An observer may undo or change a
mark during the role-play; the mark stays stored as it was acked and the
correction is stored beside it. Everything people read (views, the debrief,
results, exports, the prefilled final scores) uses the corrected picture."""
from __future__ import annotations

from dataclasses import replace

from .deck import Deck
from .entries import check_rating, check_step
from .errors import RuleError
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


def own_mark(marks: list[Mark], author: str, mark_id: str) -> Mark:
    """The author's mark among the round's marks of that client id (ids are
    unique per author): refused when it is someone else's or there is none."""
    mine = next((m for m in marks if m.author == author), None)
    if mine is not None:
        return mine
    if marks:
        raise RuleError("forbidden", "mark: is not yours; you can only correct your own marks", "mark")
    raise RuleError("not_found", f"mark: there is no mark {mark_id!r} of yours in this round", "mark")


def correction(deck: Deck, card_id: str | None, now_reads: Mark | None, author: str, data: dict, t_ms: int) -> Correction:
    """The correction `data` asks for of a mark that now reads `now_reads`
    (None: taken back already), made `t_ms` into the role-play. A change
    keeps the step and the note unless they are given (`note: ""` clears it)."""
    if now_reads is None:
        raise RuleError("conflict", "mark: was taken back already; mark the step again instead", "mark")
    if data.get("undo"):
        return Correction(id=data["id"], author=author, mark=now_reads.id, step=None, rating=None, note=None, t_ms=t_ms)
    step = data.get("step", now_reads.step)
    check_step(deck, card_id, step)
    check_rating(deck, data["rating"])
    note = (data.get("note") or None) if "note" in data else now_reads.note
    return Correction(id=data["id"], author=author, mark=now_reads.id, step=step, rating=data["rating"], note=note, t_ms=t_ms)
