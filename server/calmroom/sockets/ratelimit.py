"""Per-connection rate limits, counted in fixed windows.

The limits are written in the `limits` package's notation ("20/second;300/minute")
and parsed by it. The counting is ours: `limits`' in-memory storage re-arms a
timer every 10 ms that walks every key, which with thousands of open sockets
cost more server CPU than the events themselves (docs/performance.md). Here a
hit is a few integer operations on the sender's own counters, and the counters
go when the socket does."""
from __future__ import annotations

import time

from limits import parse_many


class ConnectionRateLimiter:
    def __init__(self, spec: str):
        self.windows = [(item.amount, float(item.get_expiry())) for item in parse_many(spec)]
        self._state: dict[str, list[list[float]]] = {}

    def hit(self, key: str) -> bool:
        """Count one event for `key`; False when any limit is already reached."""
        now = time.monotonic()
        counters = self._state.get(key)
        if counters is None:
            counters = self._state[key] = [[now, 0] for _ in self.windows]
        for (amount, length), c in zip(self.windows, counters):
            if now - c[0] >= length:
                c[0], c[1] = now, 0
            if c[1] >= amount:
                return False
        for c in counters:
            c[1] += 1
        return True

    def forget(self, key: str) -> None:
        self._state.pop(key, None)
