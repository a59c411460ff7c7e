"""Trying a deck before it is saved: what each role's screen gets for one
card (the views of the live rounds, domain/views.py, on a room that exists
only here) and a test room on the draft (stored as a hidden draft version,
so the room keeps it whatever is saved later)."""
from __future__ import annotations

from typing import Any

from ..domain import phases
from ..domain.clock import Clock
from ..domain.deck import Deck
from ..domain.errors import not_found
from ..domain.room import FACILITATOR, Participant, Room, Round
from ..domain.views import state_view
from ..store import catalogue
from .decks import DeckService
from .rooms import RoomService

# the preview's people; the ids are not hex, so no real participant has them
PREVIEW_PEOPLE = (("preview-customer", "customer"), ("preview-agent", "agent"), ("preview-observer", "observer"))
PREVIEW_CODE = "STUDIO"


def preview_room(deck: Deck, card_id: str) -> Room:
    card = deck.card(card_id)
    if card is None:
        raise not_found(f"card: the deck has no card {card_id!r}", "card")
    people = [Participant(id=pid, name=name, seq=n + 1, connected=True) for n, (pid, name) in enumerate(PREVIEW_PEOPLE)]
    duration = card.play_minutes * 60 if card.play_minutes else None
    rnd = Round(id=0, number=1, card=card, customer=people[0].id, agent=people[1].id, clock=Clock(duration_s=duration))
    return Room(code=PREVIEW_CODE, title=deck.title, phase=phases.BRIEFING, version=1, locked=False, deck=deck,
                participants=people, round=rnd)


class DeckTrials:
    def __init__(self, decks: DeckService, rooms: RoomService) -> None:
        self.decks = decks
        self.rooms = rooms

    def preview(self, data: Any, card_id: str) -> dict:
        """{customer, agent, observer, projector}: the state each would get at
        the start of a round on this card (the projector gets the facilitator's)."""
        room = preview_room(self.decks.check(data), card_id)
        now = self.decks.now_ms()
        views = {role: state_view(room, pid, now) for pid, role in PREVIEW_PEOPLE}
        views["projector"] = state_view(room, FACILITATOR, now)
        return views

    def test_room(self, data: Any, title: str | None, duration_s: int | None) -> dict:
        """A room on the draft as it is: {code, facilitator_token}."""
        deck = self.decks.check(data)
        with self.decks.sessions() as session, session.begin():
            draft_id = catalogue.store_draft(session, deck, self.decks.now_ms()).deck_id
        return self.rooms.create_room(draft_id, title, duration_s)
