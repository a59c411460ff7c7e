"""Work no client asked for: heartbeats, noticing dead workers, the round
clock's time-up, retention. Every worker beats its heart; the rest runs on
whichever worker holds the lease, so it happens once, not once per worker."""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..store import repository as repo
from ..store.models import ConnectionRow, LeaseRow, RoomRow, WorkerRow
from .outcome import Emit, Outcome
from .rooms import RoomService

log = logging.getLogger(__name__)

DAY_MS = 86_400_000


class Background:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        rooms: RoomService,
        *,
        worker_id: str,
        retention_days: int | None = None,
        stale_after_ms: int = 15_000,
        now_ms: Callable[[], int],
    ):
        self.sessions = sessions
        self.rooms = rooms
        self.worker_id = worker_id
        self.retention_days = retention_days
        self.stale_after_ms = stale_after_ms
        self.now_ms = now_ms
        self._last_purge_ms = 0

    def heartbeat(self) -> None:
        now = self.now_ms()
        with self.sessions() as session, session.begin():
            done = session.execute(update(WorkerRow).where(WorkerRow.id == self.worker_id).values(heartbeat_ms=now)).rowcount
            if not done:
                session.add(WorkerRow(id=self.worker_id, started_ms=now, heartbeat_ms=now))

    def holds_lease(self, name: str = "background", ttl_ms: int = 10_000) -> bool:
        now = self.now_ms()
        session = self.sessions()
        try:
            with session.begin():
                got = session.execute(
                    update(LeaseRow)
                    .where(LeaseRow.name == name, (LeaseRow.holder == self.worker_id) | (LeaseRow.until_ms < now))
                    .values(holder=self.worker_id, until_ms=now + ttl_ms)
                ).rowcount
                if got:
                    return True
                if session.get(LeaseRow, name) is not None:
                    return False
                session.add(LeaseRow(name=name, holder=self.worker_id, until_ms=now + ttl_ms))
            return True
        except IntegrityError:
            return False  # another worker created it first
        finally:
            session.close()

    def reap_dead_workers(self) -> list[Emit]:
        """Sockets of a worker that stopped beating are gone: their people are
        shown as disconnected until they rejoin elsewhere."""
        cutoff = self.now_ms() - self.stale_after_ms
        with self.sessions() as session, session.begin():
            dead = list(session.scalars(select(WorkerRow.id).where(WorkerRow.heartbeat_ms < cutoff, WorkerRow.id != self.worker_id)))
            if not dead:
                return []
            room_ids = set(session.scalars(select(ConnectionRow.room_id).where(ConnectionRow.worker.in_(dead))))
            session.execute(delete(ConnectionRow).where(ConnectionRow.worker.in_(dead)))
            session.execute(delete(WorkerRow).where(WorkerRow.id.in_(dead)))
        log.warning("workers %s stopped; their sockets were released", ", ".join(dead))
        codes = []
        with self.sessions() as session:
            codes = list(session.scalars(select(RoomRow.code).where(RoomRow.id.in_(room_ids))))
        emits: list[Emit] = []
        for code in codes:
            emits += self.rooms.presence_changed(code)
        return emits

    def purge_expired(self, force: bool = False) -> Outcome:
        """Delete rooms untouched for CALMROOM_RETENTION_DAYS (checked hourly)."""
        now = self.now_ms()
        if self.retention_days is None or (not force and now - self._last_purge_ms < 3_600_000):
            return Outcome(ack={"deleted": 0})
        self._last_purge_ms = now
        return self.rooms.purge_older_than(now - self.retention_days * DAY_MS)

    def tick(self) -> Outcome:
        """One round of background work; returns what to emit and drop."""
        self.heartbeat()
        if not self.holds_lease():
            return Outcome()
        out = self.purge_expired()
        out.emits += self.rooms.time_up_sweep()
        out.emits += self.reap_dead_workers()
        return out
