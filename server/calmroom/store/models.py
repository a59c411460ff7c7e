"""Tables. Times are integer milliseconds since the epoch (the same on SQLite
and PostgreSQL, and what the clock rules use). Every row of a room carries
`room_id`, so deleting a room is one statement per table."""
from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def _room_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)


def _round_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))


class DeckRow(Base):
    __tablename__ = "decks"
    # deleted decks' pks are never given again (the deck cache is keyed by pk; migration 0005)
    __table_args__ = (UniqueConstraint("deck_id", "version"), {"sqlite_autoincrement": True})

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    deck_id: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(5))
    body: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    # a studio draft a test room plays: stored under an id of its own ("~" + hex,
    # never a deck id), listed nowhere (migration 0005)
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class DeckMetaRow(Base):
    """What the studio knows of a deck besides its versions (migration 0005):
    archived (hidden from the public list, kept for its rooms), the deck it
    was copied from, and the paths of texts still to be translated."""

    __tablename__ = "deck_meta"

    deck_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    based_on: Mapped[str | None] = mapped_column(String(60), nullable=True)
    untranslated: Mapped[list | None] = mapped_column(JSON, nullable=True)
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class RoomRow(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    deck_pk: Mapped[int] = mapped_column(ForeignKey("decks.pk"))
    phase: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # the version of the last change every participant was told of: the `prev`
    # of the next one (blind facts bump `version` only; docs/protocol.md section 2)
    shared_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # the room's options (domain/options.py); NULL: all defaults (a room from before them)
    options: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    facilitator_token_hash: Mapped[str] = mapped_column(String(64))
    duration_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    current_round_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    created_ms: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class ParticipantRow(Base):
    __tablename__ = "participants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[int] = _room_fk()
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="active")  # active | left | kicked | banned
    joined_ms: Mapped[int] = mapped_column(BigInteger)
    # the personal rejoin code (hashed), shown only on the participant's own screen
    rejoin_code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # the token before the last move to another device: that device is told it moved
    moved_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ConnectionRow(Base):
    """One open socket of a member; presence is 'has at least one'."""

    __tablename__ = "connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_id: Mapped[int] = _room_fk()
    participant_id: Mapped[str | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), nullable=True, index=True)
    worker: Mapped[str] = mapped_column(String(64), index=True)
    connected_ms: Mapped[int] = mapped_column(BigInteger)


class RoundRow(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("room_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    number: Mapped[int] = mapped_column(Integer)
    card_id: Mapped[str] = mapped_column(String(60))
    customer_id: Mapped[str] = mapped_column(String(32))
    agent_id: Mapped[str] = mapped_column(String(32))
    duration_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    accumulated_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    running_since_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    time_up_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    started_ms: Mapped[int] = mapped_column(BigInteger)


class MarkRow(Base):
    __tablename__ = "marks"
    __table_args__ = (UniqueConstraint("round_id", "author", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    round_id: Mapped[int] = _round_fk()
    client_id: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(40))
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    t_ms: Mapped[int] = mapped_column(BigInteger)
    created_ms: Mapped[int] = mapped_column(BigInteger)


class MarkCorrectionRow(Base):
    """An observer's correction of one of their own live marks during the
    role-play: `rating` null withdraws the mark, otherwise the mark now reads
    `step`, `rating`, `note`. The mark itself is never changed or deleted: the
    corrected picture is computed (domain/corrections.py); the last
    correction of a mark counts."""

    __tablename__ = "mark_corrections"
    __table_args__ = (UniqueConstraint("round_id", "author", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    round_id: Mapped[int] = _round_fk()
    client_id: Mapped[str] = mapped_column(String(64))  # the correction's own id: a retry is one correction
    author: Mapped[str] = mapped_column(String(32))
    mark_client_id: Mapped[str] = mapped_column(String(64))  # the author's mark it corrects
    step: Mapped[str | None] = mapped_column(String(40), nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: withdrawn
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    t_ms: Mapped[int] = mapped_column(BigInteger)  # role-play time of the correction
    created_ms: Mapped[int] = mapped_column(BigInteger)


class TemperatureRow(Base):
    __tablename__ = "temperatures"
    __table_args__ = (UniqueConstraint("round_id", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    round_id: Mapped[int] = _round_fk()
    client_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer)
    t_ms: Mapped[int] = mapped_column(BigInteger)
    created_ms: Mapped[int] = mapped_column(BigInteger)


class ScoreRow(Base):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("round_id", "author", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    round_id: Mapped[int] = _round_fk()
    author: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(40))
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class GlobalRatingRow(Base):
    __tablename__ = "global_ratings"
    __table_args__ = (UniqueConstraint("round_id", "author"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    round_id: Mapped[int] = _round_fk()
    author: Mapped[str] = mapped_column(String(32))
    rating: Mapped[int] = mapped_column(Integer)
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class ReflectionRow(Base):
    __tablename__ = "reflections"
    __table_args__ = (UniqueConstraint("round_id", "author"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    round_id: Mapped[int] = _round_fk()
    author: Mapped[str] = mapped_column(String(32))
    feeling: Mapped[int] = mapped_column(Integer)
    felt_heard: Mapped[int | None] = mapped_column(Integer, nullable=True)
    went_well: Mapped[str | None] = mapped_column(Text, nullable=True)
    do_differently: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class TimeoutRow(Base):
    __tablename__ = "timeouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = _room_fk()
    round_id: Mapped[int] = _round_fk()
    by: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    t_ms: Mapped[int] = mapped_column(BigInteger)
    created_ms: Mapped[int] = mapped_column(BigInteger)


class JoinRequestRow(Base):
    """Someone asking to come in (domain/admission.py): a knock on a locked
    room, or a new device asking to take an offline participant's place. The
    asker holds the request's secret (hashed here) to come in once admitted."""

    __tablename__ = "join_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[int] = _room_fk()
    kind: Mapped[str] = mapped_column(String(8))  # knock | takeover
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))
    participant_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(9))  # pending | admitted | declined | claimed | withdrawn
    created_ms: Mapped[int] = mapped_column(BigInteger)
    answered_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


ROOM_TABLES = (
    MarkCorrectionRow, MarkRow, TemperatureRow, ScoreRow, GlobalRatingRow, ReflectionRow, TimeoutRow,
    ConnectionRow, RoundRow, JoinRequestRow, ParticipantRow,
)  # children first, then the room itself


class WorkerRow(Base):
    """A running server process; a worker whose heartbeat stops is dead, and
    the sockets it held are gone."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_ms: Mapped[int] = mapped_column(BigInteger)
    heartbeat_ms: Mapped[int] = mapped_column(BigInteger)


class LeaseRow(Base):
    """Background work that must run once across workers holds a lease."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    until_ms: Mapped[int] = mapped_column(BigInteger)


class TrainerKeyRow(Base):
    """The trainer credential the server made (hashed; the token itself is
    shown once, in a sign-in link). One row (`slot` 1): creating the first one
    is an insert that only one of several starting workers can win, and a new
    link replaces the row, which revokes the old link."""

    __tablename__ = "trainer_keys"

    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_ms: Mapped[int] = mapped_column(BigInteger)
