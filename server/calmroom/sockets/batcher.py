"""Membership deltas that pile up go out together.

Seating a fishbowl, 50 people join at once: one `participant_joined` per
join to every member is O(N²) socket writes (a million at 1,000 people), the
cost that stalled the server. Here the first delta of a room goes out at
once and opens a short window; deltas of that room arriving within it are
sent as one `batch {version, events: [[name, payload], ...]}` when it ends.
Every item keeps its own `version` and `prev`, so the gap rule is unchanged.
The window grows with the room (×1 up to 100 members here, up to ×10 at
1,000): each window costs one write per member, and in a big room who just
came in is news that can wait half a second.
Any other event of the room first sends what is waiting, so a member never
gets a change before the deltas that came before it."""
from __future__ import annotations

import threading
from typing import Any, Callable

MEMBERSHIP = frozenset({"participant_joined", "participant_left", "presence_changed"})
# `headcount`: a fishbowl's or an anonymous room's participants get counts
# instead of the observers' deltas (domain/headcount.py); a run of them in a
# window travels as one, from the first one's `prev` to the last one's
# `version` (nothing else for those members came between them)
BATCHED = MEMBERSHIP | {"headcount"}

Send = Callable[[str, dict, Any], None]  # (event, payload, socket rooms)
PER_WINDOW = 100  # members per base window
MAX_STRETCH = 10


class Batcher:
    def __init__(
        self, send: Send, sleep: Callable[[float], None], spawn: Callable[..., Any], window_s: float,
        members: Callable[[str], int] = lambda code: 0,
    ):
        self.send = send
        self.members = members  # sockets of the room on this worker
        self.sleep = sleep
        self.spawn = spawn
        self.window_s = window_s
        self.pending: dict[str, list[tuple[str, dict, Any]]] = {}  # room code -> waiting; a key = a window is open
        self.lock = threading.Lock()

    def emit(self, code: str, event: str, payload: dict, rooms: Any) -> None:
        if event in BATCHED and self.window_s > 0:
            with self.lock:
                waiting = self.pending.get(code)
                if waiting is not None:
                    waiting.append((event, payload, rooms))
                    return
                self.pending[code] = []
            self.send(event, payload, rooms)
            self.spawn(self._window, code)
            return
        self.flush(code)
        self.send(event, payload, rooms)

    def flush(self, code: str) -> None:
        with self.lock:
            items = self.pending.get(code)
            if not items:
                return
            self.pending[code] = []
        self._send_items(items)

    def _window(self, code: str) -> None:
        """Close the room's window when nothing came in it; else send what
        came and keep it open one more window."""
        while True:
            stretch = min(MAX_STRETCH, max(1.0, self.members(code) / PER_WINDOW))
            self.sleep(self.window_s * stretch)
            with self.lock:
                items = self.pending.get(code)
                if not items:
                    self.pending.pop(code, None)
                    return
                self.pending[code] = []
            self._send_items(items)

    def _send_items(self, items: list[tuple[str, dict, Any]]) -> None:
        items = fold_headcounts(items)
        # consecutive items for the same socket rooms travel together
        group: list[tuple[str, dict, Any]] = []
        for item in items:
            if group and item[2] != group[0][2]:
                self._send_group(group)
                group = []
            group.append(item)
        if group:
            self._send_group(group)

    def _send_group(self, group: list[tuple[str, dict, Any]]) -> None:
        if len(group) == 1:
            event, payload, rooms = group[0]
            self.send(event, payload, rooms)
            return
        events = [[event, payload] for event, payload, _ in group]
        self.send("batch", {"version": group[-1][1]["version"], "events": events}, group[0][2])


def _rooms(rooms: Any) -> set:
    return {rooms} if isinstance(rooms, str) else set(rooms or ())


def fold_headcounts(items: list[tuple[str, dict, Any]]) -> list[tuple[str, dict, Any]]:
    """Each run of `headcount`s to the same members, with only deltas to
    other members between them, as one: the counts of the last, the `prev`
    of the first (the chain stays whole: docs/protocol.md section 2)."""
    out: list[tuple[str, dict, Any]] = []
    open_at: int | None = None  # the headcount in `out` that may still take more
    for event, payload, rooms in items:
        if event == "headcount" and open_at is not None and out[open_at][2] == rooms:
            first = out[open_at][1]
            out[open_at] = (event, {**payload, "prev": first["prev"]}, rooms)
            continue
        if event == "headcount":
            open_at = len(out)
        elif open_at is not None and (event not in MEMBERSHIP or _rooms(rooms) & _rooms(out[open_at][2])):
            open_at = None
        out.append((event, payload, rooms))
    return out
