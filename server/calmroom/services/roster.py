"""The participants of a room as this worker last read them, by shared version.

Every change to who is in a room or connected is a shared change (it moves
`rooms.shared_version`), so a list read at shared version v is still the
room's list while the room is at v. A join then adds one entry to it instead
of reading all N rows again: seating N people read O(N²) rows. A change on
another worker moves the version, and the next join here reads afresh."""
from __future__ import annotations

from collections import OrderedDict

from ..domain.room import Participant

LIMIT = 2_000  # rooms remembered per worker; the least recently used goes first


class Rosters:
    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        # by room: (shared version, the active participants, the names of those who left)
        self._rooms: OrderedDict[tuple[int, str], tuple[int, list[Participant], dict[str, str]]] = OrderedDict()

    def get(self, room_id: int, code: str, shared_version: int) -> tuple[list[Participant], dict[str, str]] | None:
        hit = self._rooms.get((room_id, code))
        if hit is None or hit[0] != shared_version:
            return None
        self._rooms.move_to_end((room_id, code))
        return list(hit[1]), dict(hit[2])

    def put(self, room_id: int, code: str, shared_version: int, people: list[Participant], former: dict[str, str]) -> None:
        self._rooms[(room_id, code)] = (shared_version, list(people), dict(former))
        self._rooms.move_to_end((room_id, code))
        while len(self._rooms) > self.limit:
            self._rooms.popitem(last=False)

    def forget(self, room_id: int, code: str) -> None:
        """A deleted room: nothing of it stays in memory (not only once 2,000
        newer rooms pushed it out)."""
        self._rooms.pop((room_id, code), None)

    def joined(self, room_id: int, code: str, prev: int, version: int, newcomer: Participant) -> tuple[list[Participant], dict[str, str]] | None:
        """The list (and those who left) after `newcomer` joined at `version`,
        when this worker knew the list at `prev`; None when it did not (read it then)."""
        hit = self.get(room_id, code, prev)
        if hit is None:
            return None
        people, former = hit
        people.append(newcomer)
        self.put(room_id, code, version, people, former)
        return people, former

    def presence(self, room_id: int, code: str, prev: int, version: int, pid: str, connected: bool) -> None:
        """`pid` came or went at `version`: a list known at `prev` moves along
        with the flag changed (the next join reads no rows); otherwise nothing."""
        hit = self.get(room_id, code, prev)
        if hit is None:
            return
        people, former = hit
        self.put(room_id, code, version, [Participant(p.id, p.name, p.seq, connected) if p.id == pid else p
                                          for p in people], former)
