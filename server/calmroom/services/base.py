"""What every room use case shares: the room lock, the shared-change bump,
who the actor is. A use case locks the room, asks the rules, saves, commits,
then says what to emit. Nothing is emitted or acked before the commit."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from sqlalchemy.orm import Session, sessionmaker

from ..domain import membership, permissions
from ..domain.admission import REJOIN_ALPHABET, REJOIN_CODE_LENGTH, clean_rejoin_code
from ..domain.errors import conflict, not_found
from ..domain.room import FACILITATOR, Participant
from ..protocol.events import CODE_ALPHABET, CODE_LENGTH
from ..store import repository as repo
from ..store.live import LiveStore
from ..store.models import ParticipantRow, RoomRow, RoundRow
from . import fanout
from .outcome import Actor, Emit, Outcome
from .roster import Rosters


BANNED = membership.BANNED  # a participant's status after `kick {ban: true}`


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def _random_word(alphabet: str, length: int) -> str:
    """`length` letters of `alphabet`, each uniform and independent: the
    digits of one uniform number below len(alphabet) ** length (one draw
    from the system's generator instead of one per letter)."""
    n, base, letters = secrets.randbelow(len(alphabet) ** length), len(alphabet), []
    for _ in range(length):
        n, i = divmod(n, base)
        letters.append(alphabet[i])
    return "".join(letters)


def new_code() -> str:
    return _random_word(CODE_ALPHABET, CODE_LENGTH)


def new_rejoin_code() -> str:
    """A participant's personal code to come back on another device (domain/admission.py)."""
    return _random_word(REJOIN_ALPHABET, REJOIN_CODE_LENGTH)


def hash_rejoin_code(room_code: str, code: str) -> str:
    """Salted with the room: the same code in two rooms hashes differently."""
    return hashlib.sha256(f"{room_code}:{clean_rejoin_code(code)}".encode("utf-8")).hexdigest()


def wall_ms() -> int:
    """The real clock. Services are handed their clock (`now_ms`) by the app's
    wiring (create_app), so a test can hand them another."""
    return int(time.time() * 1000)


class ServiceBase:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        decks: repo.DeckCache,
        *,
        worker_id: str,
        now_ms: Callable[[], int],
    ):
        self.sessions = sessions
        self.engine = sessions.kw["bind"]
        self.live = LiveStore(self.engine)  # the live events' one write seam (store/live.py)
        self.decks = decks
        self.worker_id = worker_id
        self.now_ms = now_ms
        self.rosters = Rosters()

    def close(self) -> None:
        """Give back the live path's connection (the server holds it until it exits)."""
        self.live.close()

    # -- plumbing -------------------------------------------------------
    @contextmanager
    def _locked(self, code: str) -> Iterator[tuple[Session, RoomRow]]:
        session = self.sessions()
        try:
            with session.begin():
                row = repo.lock_room(session, code)
                if row is None:
                    raise not_found(f"there is no room {code}", "room")
                yield session, row
        finally:
            session.close()

    def _changed(self, session: Session, row: RoomRow, now: int, *extra: Emit) -> Outcome:
        """A change everyone hears of: bump, read the room back, one `state`
        per audience (the extras, notices of this version, get its `prev`)."""
        _version, prev = fanout.share(row, now)
        session.flush()
        room = repo.load_room(session, row, self.decks)
        self.rosters.put(row.id, row.code, row.shared_version, room.participants, room.former)
        for e in extra:
            e.payload["prev"] = prev
        return Outcome(emits=[*extra, *fanout.states(room, prev, now)])

    def _known_people(self, session: Session, row: RoomRow, shared_version: int):
        """(participants, former) as this worker's roster knows them at
        `shared_version`, with who is online read now (a connection row can
        go without a version bump when a dead worker's rows are cleaned up);
        (None, None) when the roster does not know them: read them then."""
        known = self.rosters.get(row.id, row.code, shared_version)
        if known is None:
            return None, None
        online = repo.connected_ids(session, row.id)
        return [Participant(p.id, p.name, p.seq, p.id in online) for p in known[0]], known[1]

    def _participant(self, session: Session, row: RoomRow, actor: Actor) -> ParticipantRow:
        p = session.get(ParticipantRow, actor.participant_id)
        membership.require_member(p and p.status, p is not None and p.room_id == row.id)
        return p

    @staticmethod
    def _may(actor: Actor, command: str) -> None:
        """Refuse what the sender alone decides (domain/permissions.py)."""
        permissions.require_sender(command, actor.is_facilitator)

    def _round(self, session: Session, row: RoomRow) -> RoundRow:
        rnd = repo.current_round(session, row)
        if rnd is None:
            raise conflict("no round has been started")
        return rnd

    def _author(self, actor: Actor) -> str:
        return FACILITATOR if actor.is_facilitator else actor.participant_id  # type: ignore[return-value]
