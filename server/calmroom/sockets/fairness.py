"""One websocket may not keep the event loop to itself (eventlet mode).

A green socket's recv returns at once while the kernel holds data for it,
and Engine.IO's websocket loop reads message after message, handing each to
a new green thread: a client that sends faster than the server reads never
lets the loop switch, and every other room waits until it stops (a stream
of 6 KB frames stopped the whole server for as long as it lasted: 10 s in
the test). eventlet also unmasks every frame byte by byte in Python (about
1 ms for 6 KB, 10 ms for the 64 KB a frame may have), which is what made
the reading slower than the sending.

`fast_websocket_masks` unmasks a frame with one integer XOR; the reader
taking turns is in wire.py (it yields after a message whenever another may
be waiting)."""
from __future__ import annotations


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
