"""Rooms as a whole: summary, the facilitator's token, lock, close, delete,
purge. `RoomService` is the one facade the transport holds; its use cases live
by concern in membership.py, rounds.py and scoring.py."""
from __future__ import annotations

from sqlalchemy import select

from ..domain import membership as rules
from ..domain.errors import RuleError, not_found
from ..store import repository as repo
from ..store.models import ConnectionRow
from . import fanout
from .base import BANNED, hash_token, new_code, token_matches, wall_ms
from .membership import Membership
from .options import Options
from .outcome import Actor, Outcome
from .rounds import Rounds
from .scoring import LiveScoring

__all__ = ["BANNED", "RoomService", "hash_token", "new_code", "token_matches", "wall_ms"]


class RoomService(Membership, Rounds, LiveScoring, Options):
    def summary(self, code: str) -> dict:
        with self.sessions() as session:
            row = repo.find_room(session, code)
            if row is None:
                raise not_found(f"there is no room {code}", "room")
            deck = self.decks.get(session, row.deck_pk)
            count = len(repo.active_participants(session, row.id))
            return {
                "code": row.code,
                "title": row.title,
                "phase": row.phase,
                "locked": row.locked,
                "deck": {"id": deck.id, "title": deck.title, "language": deck.language},
                "participant_count": count,
                "version": row.version,
            }

    def check_facilitator(self, code: str, token: str | None) -> int:
        """The room's id when `token` is its facilitator token."""
        with self.sessions() as session:
            row = repo.find_room(session, code)
            if row is None:
                raise not_found(f"there is no room {code}", "room")
            rules.may_manage(bool(token) and token_matches(token, row.facilitator_token_hash))
            return row.id

    def delete_room(self, code: str, token: str | None) -> Outcome:
        self.check_facilitator(code, token)
        with self._locked(code) as (session, row):
            sids = list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.room_id == row.id)))
            repo.delete_room(session, row.id)
        self.rosters.forget(row.id, code)
        repo.scrub_wal(self.sessions)
        notice = {"version": row.version + 1, "kind": "deleted", "message": "the facilitator deleted this room"}
        return Outcome(
            emits=[fanout.notice(code, notice)],
            disconnect=sids,
        )

    def lock_room(self, actor: Actor, locked: bool) -> Outcome:
        self._may(actor, "lock_room")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            if not rules.lock(row.phase, row.locked, locked):
                return Outcome()
            row.locked = locked
            return self._changed(session, row, now)

    def close_room(self, actor: Actor) -> Outcome:
        self._may(actor, "close_room")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            phase = rules.close(row.phase)
            rnd = repo.current_round(session, row)
            if rnd is not None:
                clock = repo.clock_of(rnd)
                clock.stop(now)
                repo.save_clock(rnd, clock)
            row.phase = phase
            notice = {"version": row.version + 1, "kind": "closed", "message": "the facilitator closed this room"}
            return self._changed(session, row, now, fanout.notice(row.code, notice))

    def purge_older_than(self, cutoff_ms: int) -> Outcome:
        """Delete every room not changed since `cutoff_ms`. The outcome tells
        anyone still connected and drops their sockets; `ack["deleted"]` counts."""
        with self.sessions() as session:
            codes = [r.code for r in repo.rooms_older_than(session, cutoff_ms)]
        out = Outcome(ack={"deleted": 0})
        for code in codes:
            try:
                with self._locked(code) as (session, row):
                    if row.updated_ms >= cutoff_ms:
                        continue  # touched since we looked
                    out.disconnect += list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.room_id == row.id)))
                    repo.delete_room(session, row.id)
                self.rosters.forget(row.id, code)
            except RuleError:
                continue  # deleted meanwhile
            notice = {"version": row.version + 1, "kind": "deleted", "message": "this room was deleted after the retention period"}
            out.emits.append(fanout.notice(code, notice))
            out.ack["deleted"] += 1
        if out.ack["deleted"]:
            repo.scrub_wal(self.sessions)
        return out
