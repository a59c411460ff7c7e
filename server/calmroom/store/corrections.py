"""Stored corrections of live marks (models.MarkCorrectionRow), read in Core
on the live connection like the marks themselves; written through the live
seam (store/live.py, kind "correction"). A correction is only ever added:
the mark it corrects and every earlier correction stay."""
from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from ..domain.room import Correction, Mark
from .models import MarkCorrectionRow, MarkRow

_corr, _marks = MarkCorrectionRow.__table__, MarkRow.__table__
_COLUMNS = (_corr.c.client_id, _corr.c.author, _corr.c.mark_client_id, _corr.c.step, _corr.c.rating, _corr.c.note,
            _corr.c.t_ms)
_OF_ROUND = select(*_COLUMNS).where(_corr.c.round_id == bindparam("rid")).order_by(_corr.c.id)
_OF_AUTHOR = (
    select(*_COLUMNS).where(_corr.c.round_id == bindparam("rid"), _corr.c.author == bindparam("author")).order_by(_corr.c.id)
)
_OF_MARK = (
    select(*_COLUMNS)
    .where(_corr.c.round_id == bindparam("rid"), _corr.c.author == bindparam("author"),
           _corr.c.mark_client_id == bindparam("mark"))
    .order_by(_corr.c.id)
)
_FIND = select(*_COLUMNS).where(
    _corr.c.round_id == bindparam("rid"), _corr.c.author == bindparam("author"), _corr.c.client_id == bindparam("cid")
)
_MARKS_WITH_ID = (
    select(_marks.c.client_id, _marks.c.author, _marks.c.step, _marks.c.rating, _marks.c.note, _marks.c.t_ms)
    .where(_marks.c.round_id == bindparam("rid"), _marks.c.client_id == bindparam("cid"))
)


def _correction(r) -> Correction:
    return Correction(id=r.client_id, author=r.author, mark=r.mark_client_id, step=r.step, rating=r.rating, note=r.note,
                      t_ms=r.t_ms)


def _mark(r) -> Mark:
    return Mark(id=r.client_id, author=r.author, step=r.step, rating=r.rating, note=r.note, t_ms=r.t_ms)


def of_round(conn: Connection, round_id: int) -> list[Correction]:
    return [_correction(r) for r in conn.execute(_OF_ROUND, {"rid": round_id})]


def of_author(conn: Connection, round_id: int, author: str) -> list[Correction]:
    return [_correction(r) for r in conn.execute(_OF_AUTHOR, {"rid": round_id, "author": author})]


def of_mark(conn: Connection, round_id: int, author: str, mark_id: str) -> list[Correction]:
    return [_correction(r) for r in conn.execute(_OF_MARK, {"rid": round_id, "author": author, "mark": mark_id})]


def find(conn: Connection, round_id: int, author: str, client_id: str) -> Correction | None:
    r = conn.execute(_FIND, {"rid": round_id, "author": author, "cid": client_id}).first()
    return None if r is None else _correction(r)


def marks_with_id(conn: Connection, round_id: int, client_id: str) -> list[Mark]:
    """Every mark of the round with this client id (ids are unique per author)."""
    return [_mark(r) for r in conn.execute(_MARKS_WITH_ID, {"rid": round_id, "cid": client_id})]
