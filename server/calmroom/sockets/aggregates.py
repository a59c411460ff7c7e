"""A fishbowl's live aggregate goes out a few times a second, not per mark.

A room of 1,000 observers marking every 10 s makes 100 marks a second. Each
mark only says "this room changed" here; the first one opens a window, and
when it ends the room's aggregate is read once (services/options.py) and
sent once, to the facilitator's audience. Marks that arrive meanwhile ride
along: at most one aggregate per window per room on this worker, whatever
the number of observers, and never a message to the observers themselves.
Another window follows only when something came in the last one."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

log = logging.getLogger(__name__)


class AggregateWindows:
    def __init__(
        self, compute: Callable[[str], list], deliver: Callable[[list], None], sleep: Callable[[float], None],
        spawn: Callable[..., Any], window_s: float,
    ):
        self.compute = compute    # room code -> emits (the aggregate, or nothing)
        self.deliver = deliver    # emits -> sent
        self.sleep = sleep
        self.spawn = spawn
        self.window_s = window_s
        self.dirty: dict[str, bool] = {}  # room code -> changed since its last aggregate; a key = a window is open
        self.lock = threading.Lock()

    def touch(self, code: str) -> None:
        with self.lock:
            if code in self.dirty:
                self.dirty[code] = True
                return
            self.dirty[code] = True
        self.spawn(self._window, code)

    def _window(self, code: str) -> None:
        while True:
            self.sleep(self.window_s)
            with self.lock:
                if not self.dirty.get(code):
                    self.dirty.pop(code, None)
                    return
                self.dirty[code] = False
            try:
                self.deliver(self.compute(code))
            except Exception:  # the database away for a moment: the next mark tries again
                log.exception("live aggregate of %s failed", code)
