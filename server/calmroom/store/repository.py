"""Loading and saving rooms. A room change is one transaction that starts by
locking the room row; everything else about the room is read inside it."""
from __future__ import annotations

import hashlib
import json
import threading
from typing import Iterable

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, object_session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from ..decks import DeckSchema, deck_to_dict
from ..domain.clock import Clock
from ..domain.corrections import corrected
from ..domain.deck import Deck
from ..domain.options import RoomOptions
from ..domain.room import Mark, Participant, Reflection, Room, Round, Score, Temperature, Timeout
from . import corrections as stored_corrections
from . import versions
from .models import (
    ROOM_TABLES,
    ConnectionRow,
    DeckRow,
    GlobalRatingRow,
    MarkRow,
    ParticipantRow,
    ReflectionRow,
    RoomRow,
    RoundRow,
    ScoreRow,
    TemperatureRow,
    TimeoutRow,
    TrainerKeyRow,
)


_DECK_BODY = select(DeckRow.body).where(DeckRow.pk == bindparam("pk"))


class DeckCache:
    """Stored deck versions never change, so each is parsed once per process."""

    def __init__(self) -> None:
        self._decks: dict[int, Deck] = {}
        self._lock = threading.Lock()

    def get(self, session: Session | Connection, pk: int) -> Deck:
        """`session` may be an ORM session or a Core connection."""
        deck = self._decks.get(pk)
        if deck is None:
            body = session.execute(_DECK_BODY, {"pk": pk}).scalar_one()
            deck = DeckSchema().load(body)
            with self._lock:
                self._decks[pk] = deck
        return deck


def content_hash(deck: Deck) -> str:
    return hashlib.sha256(json.dumps(deck_to_dict(deck), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def store_deck(session: Session, deck: Deck, now_ms: int, *, builtin: bool = False) -> tuple[DeckRow, bool]:
    """Store a deck as a new version unless the newest version is identical.
    Returns (row, created)."""
    digest = content_hash(deck)
    latest = session.scalars(
        select(DeckRow).where(DeckRow.deck_id == deck.id).order_by(DeckRow.version.desc()).limit(1)
    ).first()
    if latest is not None and latest.content_hash == digest:
        return latest, False
    row = DeckRow(
        deck_id=deck.id,
        version=(latest.version + 1) if latest else 1,
        title=deck.title,
        language=deck.language,
        body=deck_to_dict(deck),
        content_hash=digest,
        builtin=builtin,
        created_ms=now_ms,
    )
    session.add(row)
    session.flush()
    return row, True


def latest_deck(session: Session, deck_id: str):
    """The newest version's `pk` and `title` (a row; None when there is no
    such deck): what a new room needs, without loading the deck's document."""
    return session.execute(
        select(DeckRow.pk, DeckRow.title).where(DeckRow.deck_id == deck_id).order_by(DeckRow.version.desc()).limit(1)
    ).first()


def is_builtin_deck(session: Session, deck_id: str) -> bool:
    """A default deck (from the decks directory) changes only through its file."""
    return session.execute(
        select(DeckRow.pk).where(DeckRow.deck_id == deck_id, DeckRow.builtin.is_(True)).limit(1)
    ).first() is not None


# -- the trainer credential ------------------------------------------------------
_TRAINER_SLOT = 1


def _insert(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(TrainerKeyRow.__table__)


def add_first_trainer_key(session: Session, token_hash: str, now_ms: int) -> bool:
    """Store the first trainer credential unless there is one. True only for
    the one caller whose insert took place (several workers may start at once)."""
    stmt = _insert(session).values(slot=_TRAINER_SLOT, token_hash=token_hash, created_ms=now_ms)
    return session.execute(stmt.on_conflict_do_nothing(index_elements=["slot"])).rowcount == 1


def replace_trainer_key(session: Session, token_hash: str, now_ms: int) -> None:
    """The new credential takes the place of the old one, which stops working."""
    ins = _insert(session).values(slot=_TRAINER_SLOT, token_hash=token_hash, created_ms=now_ms)
    session.execute(ins.on_conflict_do_update(index_elements=["slot"], set_={"token_hash": ins.excluded.token_hash,
                                                                          "created_ms": ins.excluded.created_ms}))


def trainer_key_hash(session: Session) -> str | None:
    return session.execute(select(TrainerKeyRow.token_hash).where(TrainerKeyRow.slot == _TRAINER_SLOT)).scalar()


def deck_row(session: Session, pk: int) -> DeckRow | None:
    return session.get(DeckRow, pk)


def lock_room(session: Session, code: str) -> RoomRow | None:
    return session.scalars(select(RoomRow).where(RoomRow.code == code).with_for_update()).first()


def find_room(session: Session, code: str) -> RoomRow | None:
    return session.scalars(select(RoomRow).where(RoomRow.code == code)).first()


def current_round(session: Session, room: RoomRow) -> RoundRow | None:
    return session.get(RoundRow, room.current_round_id) if room.current_round_id else None


def count_observers(session: Session, room_id: int, customer: str, agent: str) -> int:
    """Active participants other than the round's two players."""
    return session.scalar(
        select(func.count()).select_from(ParticipantRow).where(
            ParticipantRow.room_id == room_id, ParticipantRow.status == "active",
            ParticipantRow.id.not_in((customer, agent)),
        )
    ) or 0


def clock_of(rnd: RoundRow) -> Clock:
    return Clock(accumulated_ms=rnd.accumulated_ms, running_since_ms=rnd.running_since_ms, duration_s=rnd.duration_s)


def save_clock(rnd: RoundRow, clock: Clock) -> None:
    rnd.accumulated_ms = clock.accumulated_ms
    rnd.running_since_ms = clock.running_since_ms


def active_participants(session: Session, room_id: int) -> list[ParticipantRow]:
    return list(
        session.scalars(
            select(ParticipantRow)
            .where(ParticipantRow.room_id == room_id, ParticipantRow.status == "active")
            .order_by(ParticipantRow.seq)
        )
    )


_ONLINE = select(ConnectionRow.participant_id).where(
    ConnectionRow.room_id == bindparam("rid"), ConnectionRow.participant_id.is_not(None)
)


def connected_ids(session: Session, room_id: int) -> set[str]:
    return online_ids(session.connection(), room_id)


def online_ids(conn, room_id: int) -> set[str]:
    """`conn`: a Core connection or the live path's (store/fastpath.py)."""
    return set(conn.execute(_ONLINE, {"rid": room_id}).scalars())


def read_people(conn, room_id: int) -> tuple[list[Participant], dict[str, str]]:
    """The active participants, with who is connected, and the names of
    those who left: one query for everyone who ever joined (the active ones
    play, the others are only named: their marks stay theirs) and one for
    presence."""
    online = online_ids(conn, room_id)
    participants, former = [], {}
    for p in conn.execute(_PEOPLE, {"rid": room_id}):
        if p.status == "active":
            participants.append(Participant(id=p.id, name=p.name, seq=p.seq, connected=p.id in online))
        else:
            former[p.id] = p.name
    return participants, former


def load_room(
    session: Session, row: RoomRow, decks: DeckCache, *, round_details: bool = True, participants: list[Participant] | None = None,
    former: dict[str, str] | None = None,
) -> Room:
    """The whole room as the rules see it. Read with Core statements on the
    session's connection (inside its transaction): building ORM objects for
    every mark and score was most of the cost of a phase change.
    `participants` (and `former`, the names of those who left): the caller
    knows them (services/roster.py)."""
    deck = decks.get(session, row.deck_pk)
    conn = session.connection()
    if participants is None:
        participants, former = read_people(conn, row.id)
    elif former is None:
        former = {p.id: p.name for p in conn.execute(_FORMER_PEOPLE, {"rid": row.id})}
    room = Room(
        code=row.code,
        title=row.title,
        phase=row.phase,
        version=row.version,
        locked=row.locked,
        deck=deck,
        participants=participants,
        former=former,
        options=RoomOptions.from_stored(row.options),
    )
    rnd = current_round(session, row)
    if rnd is not None:
        room.round = load_round(session, rnd, deck, details=round_details)
    return room


def load_round(session: Session, rnd: RoundRow, deck: Deck, *, details: bool = True) -> Round:
    card = deck.card(rnd.card_id)
    out = Round(
        id=rnd.id,
        number=rnd.number,
        card=card,
        customer=rnd.customer_id,
        agent=rnd.agent_id,
        clock=clock_of(rnd),
        revealed=rnd.revealed,
    )
    return fill_round(session.connection(), out) if details else out


def fill_round(conn, out: Round) -> Round:
    """The round's marks (as corrected), scores, global ratings, reflections,
    temperatures and time-outs, read into `out`. `conn`: a Core connection
    or the live path's (store/fastpath.py)."""
    p = {"rid": out.id}
    out.marks, out.superseded = corrected(
        [Mark(id=m.client_id, author=m.author, step=m.step, rating=m.rating, note=m.note, t_ms=m.t_ms)
         for m in conn.execute(_ROUND_MARKS, p)],
        stored_corrections.of_round(conn, out.id),
    )
    out.scores = [
        Score(author=s.author, step=s.step, rating=s.rating, comment=s.comment) for s in conn.execute(_ROUND_SCORES, p)
    ]
    out.global_ratings = {g.author: g.rating for g in conn.execute(_ROUND_GLOBALS, p)}
    out.reflections = [
        Reflection(author=r.author, feeling=r.feeling, felt_heard=r.felt_heard, went_well=r.went_well, do_differently=r.do_differently)
        for r in conn.execute(_ROUND_REFLECTIONS, p)
    ]
    out.temperatures = [Temperature(level=t.level, t_ms=t.t_ms) for t in conn.execute(_ROUND_TEMPERATURES, p)]
    out.timeouts = [Timeout(by=t.by, reason=t.reason, t_ms=t.t_ms) for t in conn.execute(_ROUND_TIMEOUTS, p)]
    return out


_PEOPLE = (
    select(ParticipantRow.id, ParticipantRow.name, ParticipantRow.seq, ParticipantRow.status)
    .where(ParticipantRow.room_id == bindparam("rid"))
    .order_by(ParticipantRow.seq)
)
_FORMER_PEOPLE = (  # when the roster (services/roster.py) already knows the active ones
    select(ParticipantRow.id, ParticipantRow.name)
    .where(ParticipantRow.room_id == bindparam("rid"), ParticipantRow.status != "active")
)
_ROUND_MARKS = (
    select(MarkRow.client_id, MarkRow.author, MarkRow.step, MarkRow.rating, MarkRow.note, MarkRow.t_ms)
    .where(MarkRow.round_id == bindparam("rid")).order_by(MarkRow.t_ms, MarkRow.id)
)
_ROUND_SCORES = (
    select(ScoreRow.author, ScoreRow.step, ScoreRow.rating, ScoreRow.comment)
    .where(ScoreRow.round_id == bindparam("rid")).order_by(ScoreRow.id)
)
_ROUND_GLOBALS = (
    select(GlobalRatingRow.author, GlobalRatingRow.rating)
    .where(GlobalRatingRow.round_id == bindparam("rid")).order_by(GlobalRatingRow.id)
)
_ROUND_REFLECTIONS = (
    select(ReflectionRow.author, ReflectionRow.feeling, ReflectionRow.felt_heard, ReflectionRow.went_well,
           ReflectionRow.do_differently)
    .where(ReflectionRow.round_id == bindparam("rid")).order_by(ReflectionRow.id)
)
_ROUND_TEMPERATURES = (
    select(TemperatureRow.level, TemperatureRow.t_ms)
    .where(TemperatureRow.round_id == bindparam("rid")).order_by(TemperatureRow.t_ms, TemperatureRow.id)
)
_ROUND_TIMEOUTS = (
    select(TimeoutRow.by, TimeoutRow.reason, TimeoutRow.t_ms)
    .where(TimeoutRow.round_id == bindparam("rid")).order_by(TimeoutRow.id)
)


def rounds_of(session: Session, room_id: int) -> list[RoundRow]:
    return list(session.scalars(select(RoundRow).where(RoundRow.room_id == room_id).order_by(RoundRow.number)))


def bump(row: RoomRow, now_ms: int) -> int:
    """A room change under the row lock bumps with the live path's one
    statement (versions.py); the row then holds the new version as read."""
    version = versions.bump(object_session(row), row.id, now_ms)
    set_committed_value(row, "version", version)
    set_committed_value(row, "updated_ms", now_ms)
    return version


def delete_room(session: Session, room_id: int) -> None:
    """A deleted room leaves no readable text in SQLite's file: freed cells
    are zeroed as they are deleted (secure_delete, for these statements only:
    it costs a write per freed page). `scrub_wal` after the commit drops the
    older page copies the write-ahead log still holds."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        session.execute(text("PRAGMA secure_delete=ON"))
    for table in ROOM_TABLES:
        session.execute(delete(table).where(table.room_id == room_id))
    session.execute(delete(RoomRow).where(RoomRow.id == room_id))
    if sqlite:
        session.execute(text("PRAGMA secure_delete=OFF"))


def scrub_wal(sessions: sessionmaker[Session]) -> None:
    """Copy the log into the database and empty it (SQLite only). Run outside
    a transaction; a reader still holding old pages makes it a partial
    checkpoint, and the next one finishes the job."""
    with sessions() as session:
        engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.close()
    finally:
        raw.close()


def rooms_older_than(session: Session, cutoff_ms: int) -> list[RoomRow]:
    return list(session.scalars(select(RoomRow).where(RoomRow.updated_ms < cutoff_ms)))


def drop_connections(session: Session, sids: Iterable[str]) -> None:
    sids = list(sids)
    if sids:
        session.execute(delete(ConnectionRow).where(ConnectionRow.sid.in_(sids)))


def set_running_rounds(session: Session) -> list[tuple[str, int]]:
    """(room code, round id) of every round whose clock runs."""
    return list(
        session.execute(
            select(RoomRow.code, RoundRow.id)
            .join(RoundRow, RoundRow.id == RoomRow.current_round_id)
            .where(RoundRow.running_since_ms.is_not(None), RoundRow.duration_s.is_not(None), RoundRow.time_up_sent.is_(False))
        ).all()
    )
