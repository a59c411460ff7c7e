"""`correct_mark`: an observer (or the facilitator) undoes or changes one of
their own live marks during the role-play. The mark stays as it was acked;
the correction is stored beside it (through the live seam, store/live.py)
and everything people read uses the corrected picture (domain/corrections.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import corrections
from ..domain.errors import RuleError
from ..domain.options import RoomOptions
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
    with service._live(actor, "correct_mark", now) as (tx, ctx, role):
        rid = ctx.current_round_id
        mine = corrections.own_mark(stored.marks_with_id(tx.conn, rid, data["mark"]), author, data["mark"])
        earlier = stored.find(tx.conn, rid, author, data["id"])
        if earlier is None:
            now_reads = corrections.current_mark(mine, stored.of_mark(tx.conn, rid, author, mine.id))
            fix = corrections.correction(service.decks.get(tx.conn, ctx.deck_pk), ctx.card_id, now_reads, author, data,
                                         service._elapsed(ctx, now))
            version = tx.record("correction", {"client_id": fix.id, "author": author, "mark_client_id": fix.mark,
                                               "step": fix.step, "rating": fix.rating, "note": fix.note, "t_ms": fix.t_ms})
            if version is not None:
                outcome = _ack(fix, corrections.current_mark(mine, [fix]))
                outcome.emits = fanout.to_facilitator(actor.code, "mark_corrected", {"version": version, **outcome.ack})
                if RoomOptions.from_stored(ctx.options).fishbowl:  # the facilitator's live aggregate changes too
                    outcome.aggregate = [actor.code]
                return outcome
            earlier = stored.find(tx.conn, rid, author, data["id"]) or fix  # the same correction arrived twice at once
        # a retry: the same correction again, nothing changes
        return _ack(earlier, corrections.current_mark(mine, stored.of_mark(tx.conn, rid, author, mine.id)))


def _ack(correction: Correction, mark: Mark | None) -> Outcome:
    return Outcome(ack={"correction": correction.as_dict(), "mark": None if mark is None else mark.as_dict()})
