"""A room's options (domain/options.py): the facilitator changes them, and a
fishbowl's live aggregate is read for the facilitator's audience.

`Options` is a part of the room service (rooms.py RoomService), on the
room lock and the shared-change bump of base.py."""
from __future__ import annotations

from ..domain import phases
from ..domain.options import RoomOptions
from ..domain.aggregate import aggregate_of_counts
from ..domain.views import round_aggregate
from ..store import aggregate as stored_aggregate
from ..store import repository as repo
from . import fanout
from .base import ServiceBase
from .outcome import Actor, Emit, Outcome


class Options(ServiceBase):
    def set_options(self, actor: Actor, data: dict) -> Outcome:
        """Change some options: a shared change (a version bump), and every
        audience gets its `state` again, rendered under the new options (an
        anonymous room's participants get the round with aliases from now)."""
        self._may(actor, "set_options")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            phases.require_open(row.phase)
            old = RoomOptions.from_stored(row.options)
            new = old.changed(**data)
            if new == old:
                return Outcome(ack={"options": old.as_dict()})
            row.options = new.as_dict()
            out = self._changed(session, row, now)
        out.ack = {"options": new.as_dict()}
        return out

    def live_aggregate(self, code: str) -> list[Emit]:
        """The fishbowl's live aggregate of the current round, to the
        facilitator (whose projector shows it when the room says so); nothing
        for a room that is not a fishbowl or has no round being marked or
        scored. `version` is the room's version when it was read: everything
        up to it is counted. Read a few times a second in a room of
        hundreds: the round's marks and scores and a count, not the room."""
        with self.sessions() as session, session.begin():
            row = repo.find_room(session, code)
            if row is None or not RoomOptions.from_stored(row.options).fishbowl:
                return []
            rnd_row = repo.current_round(session, row)
            if rnd_row is None:
                return []
            deck = self.decks.get(session, row.deck_pk)
            observers = repo.count_observers(session, row.id, rnd_row.customer_id, rnd_row.agent_id)
            counted = stored_aggregate.counts(session.connection(), rnd_row.id)
            if counted is None:  # marks were corrected: the round read whole, its marks as corrected
                aggregate = round_aggregate(deck, repo.load_round(session, rnd_row, deck), observers)
            else:
                steps = [s.key for s in deck.steps_for(deck.card(rnd_row.card_id))]
                aggregate = {"round": rnd_row.id, **aggregate_of_counts(steps, deck.scale, *counted, observers)}
            version = row.version
        payload = {"version": version, **aggregate}
        return [fanout.emit("live_aggregate", payload, code)]
