"""The decks as the studio and the lists see them: versions (never the hidden
drafts of test rooms), the studio's metadata (deck_meta), how many rooms
used each deck, drafts, deleting a deck. Saving a version is
repository.store_deck, the one place that numbers versions."""
from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..domain.deck import Deck
from .models import DeckMetaRow, DeckRow, RoomRow
from ..decks import deck_to_dict
from .repository import content_hash

DRAFT_PREFIX = "~"  # not a character of deck ids ([a-z0-9-]), so a draft's id is never a deck's


def _versions():
    return select(DeckRow).where(DeckRow.draft.is_(False))


def latest_rows(session: Session) -> list[DeckRow]:
    """The newest version of every deck, by id."""
    newest = (
        select(DeckRow.deck_id, func.max(DeckRow.version).label("v"))
        .where(DeckRow.draft.is_(False))
        .group_by(DeckRow.deck_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(DeckRow)
            .join(newest, (DeckRow.deck_id == newest.c.deck_id) & (DeckRow.version == newest.c.v))
            .order_by(DeckRow.deck_id)
        )
    )


def latest(session: Session, deck_id: str) -> DeckRow | None:
    return session.scalars(
        _versions().where(DeckRow.deck_id == deck_id).order_by(DeckRow.version.desc()).limit(1)
    ).first()


def version(session: Session, deck_id: str, number: int) -> DeckRow | None:
    return session.scalars(_versions().where(DeckRow.deck_id == deck_id, DeckRow.version == number)).first()


def versions(session: Session, deck_id: str) -> list[DeckRow]:
    return list(session.scalars(_versions().where(DeckRow.deck_id == deck_id).order_by(DeckRow.version.desc())))


def exists(session: Session, deck_id: str) -> bool:
    return session.execute(select(DeckRow.pk).where(DeckRow.deck_id == deck_id).limit(1)).first() is not None


# -- rooms that used a deck -------------------------------------------------------------
def rooms_per_deck(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(DeckRow.deck_id, func.count(RoomRow.id)).join(RoomRow, RoomRow.deck_pk == DeckRow.pk)
        .where(DeckRow.draft.is_(False)).group_by(DeckRow.deck_id)
    )
    return {deck_id: n for deck_id, n in rows}


def rooms_per_version(session: Session, deck_id: str) -> dict[int, int]:
    rows = session.execute(
        select(DeckRow.version, func.count(RoomRow.id)).join(RoomRow, RoomRow.deck_pk == DeckRow.pk)
        .where(DeckRow.deck_id == deck_id, DeckRow.draft.is_(False)).group_by(DeckRow.version)
    )
    return {number: n for number, n in rows}


# -- the studio's metadata --------------------------------------------------------------
def meta(session: Session, deck_id: str) -> DeckMetaRow | None:
    return session.get(DeckMetaRow, deck_id)


def all_meta(session: Session) -> dict[str, DeckMetaRow]:
    return {m.deck_id: m for m in session.scalars(select(DeckMetaRow))}


def archived_ids(session: Session) -> set[str]:
    return set(session.scalars(select(DeckMetaRow.deck_id).where(DeckMetaRow.archived.is_(True))))


def set_meta(session: Session, deck_id: str, now_ms: int, **values) -> DeckMetaRow:
    """Insert or change the metadata of a deck (inside the caller's transaction)."""
    row = session.get(DeckMetaRow, deck_id, with_for_update=True)
    if row is None:
        row = DeckMetaRow(deck_id=deck_id, archived=False, based_on=None, untranslated=None, updated_ms=now_ms)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_ms = now_ms
    session.flush()
    return row


# -- drafts and deleting ----------------------------------------------------------------
DRAFT_KEEP_MS = 3_600_000  # a draft no room plays is dropped after an hour


def store_draft(session: Session, deck: Deck, now_ms: int) -> DeckRow:
    """A hidden version of a draft for a test room; the same draft twice
    within the hour is one row. Drafts older than that which no room plays
    are dropped (not one that could be handed out here: a reused draft is
    younger by a margin, and its room is made right after)."""
    referenced = select(RoomRow.deck_pk)
    session.execute(delete(DeckRow).where(DeckRow.draft.is_(True), DeckRow.created_ms < now_ms - DRAFT_KEEP_MS,
                                          DeckRow.pk.not_in(referenced)))
    digest = content_hash(deck)
    same = session.scalars(select(DeckRow).where(
        DeckRow.draft.is_(True), DeckRow.content_hash == digest, DeckRow.created_ms >= now_ms - DRAFT_KEEP_MS // 2,
    ).limit(1)).first()
    if same is not None:
        return same
    row = DeckRow(
        deck_id=DRAFT_PREFIX + secrets.token_hex(12), version=1, title=deck.title, language=deck.language,
        body=deck_to_dict(deck), content_hash=digest, builtin=False, draft=True, created_ms=now_ms,
    )
    session.add(row)
    session.flush()
    return row


def rooms_using(session: Session, deck_id: str) -> int:
    return session.execute(
        select(func.count(RoomRow.id)).join(DeckRow, RoomRow.deck_pk == DeckRow.pk).where(DeckRow.deck_id == deck_id)
    ).scalar_one()


def delete_deck(session: Session, deck_id: str) -> None:
    """Every version and the metadata; the caller checked no room uses it."""
    session.execute(delete(DeckRow).where(DeckRow.deck_id == deck_id, DeckRow.draft.is_(False)))
    session.execute(delete(DeckMetaRow).where(DeckMetaRow.deck_id == deck_id))
