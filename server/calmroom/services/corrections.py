"""`correct_mark`: an observer (or the facilitator) undoes or changes one of
their own live marks during the role-play. The mark stays as it was acked;
the correction is stored beside it (store/corrections.py) and everything
people read uses the corrected picture (domain/corrections.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.corrections import current_mark
from ..domain.errors import RuleError
from ..domain.room import Correction, Mark
from ..store import corrections as stored
from . import fanout
from .outcome import Actor, Outcome

if TYPE_CHECKING:  # pragma: no cover
    from .scoring import LiveScoring


def correct_mark(service: LiveScoring, actor: Actor, data: dict) -> Outcome:
    try:
        return _correct(service, actor, data)
    except RuleError as err:
        if err.field is None and err.code == "conflict":  # the phase, or no round yet: name the field
            raise RuleError("conflict", f"mark: {err.message}; marks are corrected during the role-play", "mark") from None
        raise


def _correct(service: LiveScoring, actor: Actor, data: dict) -> Outcome:
    now = service.now_ms()
    author = service._author(actor)
    with service._live(actor, "correct_mark") as (conn, ctx):
        rid = ctx.current_round_id
        mine, others = _marks(conn, rid, author, data["mark"])
        if mine is None:
            if others:
                raise RuleError("forbidden", "mark: is not yours; you can only correct your own marks", "mark")
            raise RuleError("not_found", f"mark: there is no mark {data['mark']!r} of yours in this round", "mark")
        earlier = stored.find(conn, rid, author, data["id"])
        if earlier is not None:  # a retry: the same correction again, nothing changes
            return _ack(earlier, current_mark(mine, stored.of_mark(conn, rid, author, mine.id)))
        now_reads = current_mark(mine, stored.of_mark(conn, rid, author, mine.id))
        if now_reads is None:
            raise RuleError("conflict", "mark: was taken back already; mark the step again instead", "mark")
        if data.get("undo"):
            values: dict[str, Any] = {"step": None, "rating": None, "note": None}
        else:
            deck = service.decks.get(conn, ctx.deck_pk)
            step = data.get("step", now_reads.step)
            service._check_step(deck, ctx.card_id, step)
            service._check_rating(deck, data["rating"])
            note = (data.get("note") or None) if "note" in data else now_reads.note
            values = {"step": step, "rating": data["rating"], "note": note}
        t_ms = service._elapsed(ctx, now)
        row = {"room_id": ctx.id, "round_id": rid, "client_id": data["id"], "author": author,
               "mark_client_id": mine.id, "t_ms": t_ms, "created_ms": now, **values}
        version = stored.add(conn, row, now)
        correction = Correction(id=data["id"], author=author, mark=mine.id, t_ms=t_ms, **values)
        if version is None:  # the same correction arrived twice at once
            correction = stored.find(conn, rid, author, data["id"]) or correction
            return _ack(correction, current_mark(mine, stored.of_mark(conn, rid, author, mine.id)))
    outcome = _ack(correction, current_mark(mine, [correction]))
    payload = {"version": version, **outcome.ack}
    outcome.emits = fanout.to_facilitator(actor.code, "mark_corrected", payload)
    return outcome


def _marks(conn, round_id: int, author: str, mark_id: str) -> tuple[Mark | None, list[Mark]]:
    marks = stored.marks_with_id(conn, round_id, mark_id)
    return next((m for m in marks if m.author == author), None), [m for m in marks if m.author != author]


def _ack(correction: Correction, mark: Mark | None) -> Outcome:
    return Outcome(ack={"correction": correction.as_dict(), "mark": None if mark is None else mark.as_dict()})
