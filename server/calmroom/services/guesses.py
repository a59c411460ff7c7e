"""Failed attempts at secrets (room codes, participant and facilitator tokens,
the host key, the admin token), counted per client address.

A per-connection limit is reset by reconnecting; an address is not. Only
failures count: a workshop of 40 people behind one office NAT joining in the
same minute never comes near the limit, however many of them succeed. Once an
address is over a limit, every attempt from it is refused (`rate_limited`)
before any room is looked up, until the window that is full has passed.

Each worker process counts for itself (like the per-connection limit); with N
workers behind a sticky proxy an address reaches one worker, so the numbers
hold per address as long as the proxy keeps it on one worker.

The client address is what the WSGI environ says, after `TrustedProxies` has
replaced the peer by the forwarded address when, and only when, the peer is a
configured proxy."""
from __future__ import annotations

import ipaddress
import time
from typing import Callable, Iterable

from limits import parse_many

# Failures that are guesses: a wrong room code, a wrong token or key.
GUESS_CODES = frozenset({"not_found", "unauthorized"})
_MAX_ADDRESSES = 100_000  # bounded memory even under a spread of addresses


class GuessLimiter:
    def __init__(self, spec: str, clock: Callable[[], float] = time.monotonic):
        self.windows = [(item.amount, float(item.get_expiry())) for item in parse_many(spec)]
        self.clock = clock
        self._state: dict[str, list[list[float]]] = {}

    def retry_after(self, address: str | None) -> int | None:
        """Seconds until `address` may try again, or None when it may now."""
        counters = self._state.get(address or "")
        if counters is None:
            return None
        now = self.clock()
        wait = 0.0
        for (amount, length), (start, count) in zip(self.windows, counters):
            if now - start < length and count >= amount:
                wait = max(wait, start + length - now)
        return max(1, int(wait + 0.999)) if wait > 0 else None

    def failed(self, address: str | None) -> None:
        key = address or ""
        now = self.clock()
        counters = self._state.get(key)
        if counters is None:
            if len(self._state) >= _MAX_ADDRESSES:
                self._prune(now)
            counters = self._state[key] = [[now, 0] for _ in self.windows]
        for (_, length), c in zip(self.windows, counters):
            if now - c[0] >= length:
                c[0], c[1] = now, 0
            c[1] += 1

    def _prune(self, now: float) -> None:
        longest = max(length for _, length in self.windows)
        for key in [k for k, cs in self._state.items() if all(now - c[0] >= longest for c in cs)]:
            del self._state[key]
        if len(self._state) >= _MAX_ADDRESSES:  # all recent: forget the oldest half
            for key in sorted(self._state, key=lambda k: self._state[k][0][0])[: _MAX_ADDRESSES // 2]:
                del self._state[key]


class TrustedProxies:
    """WSGI middleware: when the direct peer is one of `proxies` (addresses or
    networks), REMOTE_ADDR becomes the right-most X-Forwarded-For entry, the
    address that proxy saw (werkzeug's ProxyFix with x_for=1, but only for a
    trusted peer). Entries further left were written by the client and are
    ignored, and from any other peer the header is ignored altogether. With no
    proxies configured it changes nothing. The direct peer stays in
    `calmroom.peer`."""

    def __init__(self, app, proxies: Iterable[str]):
        self.app = app
        self.networks = [ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip()]

    def trusted(self, address: str | None) -> bool:
        if not address or not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.networks)

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR")
        environ["calmroom.peer"] = peer
        if self.trusted(peer):
            last = environ.get("HTTP_X_FORWARDED_FOR", "")[-64:].rsplit(",", 1)[-1].strip()
            try:
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(last))
            except ValueError:
                pass  # no usable entry: count the proxy itself
        return self.app(environ, start_response)


def parse_proxies(raw: str | None) -> list[str]:
    """`CALMROOM_TRUSTED_PROXIES`: comma-separated addresses or networks."""
    items = [p.strip() for p in (raw or "").split(",") if p.strip()]
    for p in items:
        ipaddress.ip_network(p, strict=False)  # raises ValueError on a typo
    return items
