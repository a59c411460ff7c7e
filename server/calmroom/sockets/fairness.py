"""One websocket may not keep the event loop to itself (eventlet mode).

A green socket's recv returns at once while the kernel holds data for it,
and Engine.IO's websocket loop reads message after message, handing each to
a new green thread: a client that sends faster than the server reads never
lets the loop switch, and every other room waits until it stops (a stream
of 6 KB frames stopped the whole server for as long as it lasted: 10 s in
the test). eventlet also unmasks every frame byte by byte in Python (about
1 ms for 6 KB, 10 ms for the 64 KB a frame may have), which is what made
the reading slower than the sending.

`fair_websockets` makes the loop switch after every message a websocket
delivers (the reader waits its turn behind the handlers it started and
everyone else), and `fast_websocket_masks` unmasks a frame with one integer
XOR."""
from __future__ import annotations

from typing import Any


def _unmask(data: bytes, mask, length: int | None = None, offset: int = 0) -> bytes:
    """eventlet's RFC6455WebSocket._apply_mask, as one XOR over the frame."""
    if length is None:
        length = len(data)
    data = bytes(data[:length])
    if not length:
        return b""
    key = bytes(mask[(offset + i) % 4] for i in range(4))
    stream = (key * (length // 4 + 1))[:length]
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(length, "big")


def fast_websocket_masks() -> None:
    from eventlet.websocket import RFC6455WebSocket

    RFC6455WebSocket._apply_mask = staticmethod(_unmask)


class _TakesTurns:
    """The eventlet websocket Engine.IO reads from: after each message the
    reader yields to the loop."""

    def __init__(self, ws, sleep):
        self._ws = ws
        self._sleep = sleep

    def wait(self):
        message = self._ws.wait()
        self._sleep(0)
        return message

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)


def fair_websockets(eio: Any) -> None:
    """Engine.IO server `eio` (eventlet driver): its websockets take turns."""
    base = eio._async["websocket"]
    sleep = eio._async["sleep"]

    class TakingTurns(base):  # type: ignore[misc, valid-type]
        def __init__(self, handler, server):
            super().__init__(lambda ws: handler(_TakesTurns(ws, sleep)), server)

    eio._async = {**eio._async, "websocket": TakingTurns}
