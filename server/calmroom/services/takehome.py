"""What a participant takes home: their own summary of the workshop, read
with their own token while the room exists (GET /api/rooms/<code>/me). What
they may see of the results is domain/takehome.py's."""
from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import RuleError, not_found
from ..domain.membership import REMOVED
from ..domain.options import RoomOptions
from ..domain.takehome import Person, takehome_view
from ..store import repository as repo
from ..store.models import ParticipantRow
from .results import ResultsService
from .rooms import hash_token


class TakeHomeService:
    def __init__(self, sessions: sessionmaker[Session], results: ResultsService):
        self.sessions = sessions
        self.results = results

    def _person(self, code: str, token: str | None) -> ParticipantRow:
        with self.sessions() as session:
            row = repo.find_room(session, code)
            if row is None:
                raise not_found(f"there is no room {code}", "room")
            if not token:
                raise RuleError("unauthorized", "Authorization: your summary needs the token this browser got when "
                                "you joined, as a bearer token", "Authorization")
            digest = hash_token(token)
            person = session.scalars(
                select(ParticipantRow).where(ParticipantRow.room_id == row.id, ParticipantRow.token_hash == digest)
            ).first()
            if person is None or not hmac.compare_digest(person.token_hash, digest):
                raise RuleError("unauthorized", "Authorization: that token does not belong to anyone in this room",
                                "Authorization")
            if person.status in REMOVED:  # a kick kills the token (PROTOCOL.md); leaving does not
                raise RuleError("unauthorized", "Authorization: the facilitator removed you from this room",
                                "Authorization")
            session.expunge(person)
            return person

    def summary(self, code: str, token: str | None) -> dict:
        person = self._person(code, token)
        data = self.results.results(code)
        return takehome_view(data, Person(person.id, person.name, person.joined_ms), self._deck_notes(code))

    def _deck_notes(self, code: str) -> dict:
        with self.sessions() as session:
            row = repo.find_room(session, code)
            deck = self.results.decks.get(session, row.deck_pk)
        aftercare = deck.facilitator.aftercare if deck.facilitator else None
        return {
            "options": RoomOptions.from_stored(row.options),
            "guidance": list(aftercare.guidance or ()) if aftercare else [],
            "goals": {c.id: c.facilitator.learning_goal for c in deck.cards if c.facilitator and c.facilitator.learning_goal},
        }
