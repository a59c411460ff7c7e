"""The bytes under Engine.IO's websockets, cheaper per message (eventlet).

Every event a client sends and every message the server sends crosses this
layer, so its cost per message is paid ~6 times per mark (docs/performance.md).
eventlet's websocket and Engine.IO's writer spend most of it in the hub:

- **Reading.** eventlet reads a frame with 3 or 4 `recv` calls (header,
  length, mask, payload), each a system call and a trip through the green
  socket. `WireSocket.recv` serves them from one buffer, filled by one
  `recv` of up to 64 KB: one system call per batch of frames.
- **Taking turns.** One websocket may not keep the loop to itself: a client
  sending faster than the server reads never makes `recv` wait, and every
  other room would wait until it stopped (fairness test: another room's
  `sync` stays fast). The reader yields after a message only when another one
  may be waiting (bytes left in the buffer, or the message came without
  waiting): an ordinary message, which the reader had to wait for, costs no
  extra trip through the hub.
- **Writing.** Engine.IO puts every packet on a queue for the socket's writer
  green thread (a wake-up, a timer for the queue's timeout, a switch per
  packet). `direct_sends` hands a message to the socket at once when
  nothing is waiting before it; the socket's frames of one turn of the loop
  go to the kernel together, in one non-blocking `send` (`Outbox`: a
  broadcast to a thousand sockets 128 at a time, the loop serving others in
  between). Whatever the kernel does not take (a slow phone) is kept, in
  order, and written by a green thread of its own, so no sender ever waits
  for another's client. Pings, close packets and everything of a socket that
  came in over long-polling still go through Engine.IO's queue (the writer
  must keep seeing pings).

Order is kept: a message is written directly only when everything queued
before it has been handed to the socket, and everything handed to the socket
is written in the order handed."""
from __future__ import annotations

import errno
import logging
import socket
from typing import Any, Callable

from ..listener import forward

log = logging.getLogger(__name__)

READ_SIZE = 65_536
MAX_PENDING_BYTES = 8 * 1024 * 1024  # a client this far behind is not coming back: drop it
_WOULD_BLOCK = {errno.EAGAIN, errno.EWOULDBLOCK}
# One read buffer for every socket: reads happen on the loop's one thread and
# the bytes are copied out before it switches. `recv(65536)` instead allocated
# 64 KB per read and shrank it to what came, hundreds of times a second: in
# `bench --soak` RSS grew 27.6 MB/h with it, and stayed flat with this
# (docs/performance.md).
_READ_BUFFER = bytearray(READ_SIZE)
_READ_VIEW = memoryview(_READ_BUFFER)


class Outbox:
    """The sockets written to in this turn of the loop: at its end (the next
    time the hub runs its timers) each hands its frames to the kernel in one
    `send`. A client woken once for a burst costs far less than one woken
    for every frame (on this machine kind a wake-up costs more than the send).
    A broadcast to a fishbowl (a thousand sockets) goes out `per_turn`
    sockets at a time, the loop serving everyone else in between."""

    def __init__(self, schedule: Callable[[Callable[[], None]], Any], per_turn: int = 128):
        self._schedule = schedule
        self._dirty: list[WireSocket] = []
        self._per_turn = per_turn

    def add(self, wire: WireSocket) -> None:
        self._dirty.append(wire)
        if len(self._dirty) == 1:
            self._schedule(self.flush)

    def flush(self) -> None:
        dirty = self._dirty
        now, self._dirty = dirty[:self._per_turn], dirty[self._per_turn:]
        if self._dirty:
            self._schedule(self.flush)
        for wire in now:
            try:
                wire.push()
            except Exception:  # one socket's failure is not the others'
                log.exception("websocket write failed")


class WireSocket:
    """What eventlet's websocket reads from and writes to: the connection's
    green socket with a read buffer and an ordered, never-blocking write."""

    def __init__(self, sock: Any, green: Any, outbox: Outbox, spawn: Callable, trampoline: Callable,
                 closed_error: type[BaseException]):
        self._sock = sock  # what the server accepted (closing it gives its address's slot back: listener.py)
        self._green = green
        self._fd = green.fd  # the real, non-blocking socket
        self._spawn = spawn
        self._trampoline = trampoline
        self._closed_error = closed_error
        self._buf = b""
        self._pos = 0
        self.waited = True  # the reader waited for the socket since the last message
        self._outbox = outbox
        self._out: list[bytes] = []  # frames of this turn of the loop
        self._pending: list[bytes] | None = None  # bytes the kernel did not take yet, in order
        self._pending_bytes = 0

    # -- reading ----------------------------------------------------------
    def recv(self, n: int) -> bytes:
        buf, pos = self._buf, self._pos
        if pos >= len(buf):
            buf, pos = self._fill(), 0
            if not buf:
                return b""
        end = pos + n
        if pos == 0 and end >= len(buf):
            self._buf, self._pos = b"", 0
            return buf
        self._buf, self._pos = buf, min(end, len(buf))
        return buf[pos:end]

    def buffered(self) -> bool:
        return self._pos < len(self._buf)

    def _fill(self) -> bytes:
        while True:
            try:
                n = self._fd.recv_into(_READ_BUFFER)
                return bytes(_READ_VIEW[:n])  # the bytes that came, in an object of their size
            except OSError as exc:
                if exc.errno not in _WOULD_BLOCK:
                    raise
            self.waited = True
            try:
                self._trampoline(
                    self._fd, read=True, timeout=self._green.gettimeout(), timeout_exc=socket.timeout("timed out")
                )
            except self._closed_error:
                return b""  # closed while we waited: as the green socket does

    # -- writing ----------------------------------------------------------
    def sendall(self, data: bytes) -> None:
        """Never waits: the frame goes out at the end of this turn of the
        loop, with every other frame written to this socket in the turn."""
        if self._pending is not None:
            self._keep(data)
            return
        self._out.append(data)
        if len(self._out) == 1:
            self._outbox.add(self)

    def push(self) -> None:
        """Hand this turn's frames to the kernel in one `send`; what it does
        not take is written by a green thread of its own."""
        if not self._out:
            return
        data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
        self._out.clear()
        if self._pending is not None:
            self._keep(data)
            return
        try:
            sent = self._fd.send(data)
        except OSError as exc:
            if exc.errno not in _WOULD_BLOCK:
                log.debug("websocket write failed", exc_info=True)
                self._abort()
                return
            sent = 0
        if sent < len(data):
            self._pending, self._pending_bytes = [], 0
            self._keep(data[sent:] if sent else data)
            self._spawn(self._flush)

    def writing(self) -> bool:
        """Bytes are waiting for the kernel (the client is slow)."""
        return self._pending is not None

    def _keep(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes > MAX_PENDING_BYTES:
            log.info("dropping a websocket %d bytes behind", self._pending_bytes)
            self._pending = [b""]
            self._abort()

    def _flush(self) -> None:
        try:
            while self._pending:
                chunk = b"".join(self._pending)
                self._pending, self._pending_bytes = [], 0
                if chunk:
                    self._green.sendall(chunk)
        except OSError:  # the client is gone, or stuck beyond the socket's timeout
            log.debug("websocket write failed", exc_info=True)
            self._abort()
        finally:
            self._pending = None

    def shutdown(self, how: int) -> None:
        self.push()  # eventlet's close writes the closing frame, then shuts down
        self._sock.shutdown(how)

    def close(self) -> None:
        self.push()
        self._sock.close()

    def _abort(self) -> None:
        """A frame may be half written: nothing more can go on this
        connection. The reader sees it closed and Engine.IO ends the session."""
        try:
            self._green.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def __getattr__(self, name: str) -> Any:  # settimeout, gettimeout, fileno, ...
        return forward(self, self._sock, name)


class Reader:
    """The websocket Engine.IO's handler gets: after a message it yields to
    the loop only when another message may be waiting."""

    def __init__(self, ws: Any, wire: WireSocket | None, sleep: Callable[[float], None]):
        self._ws = ws
        self._wire = wire
        self._sleep = sleep
        self.handed = 0  # packets Engine.IO's writer handed to `send`

    def wait(self):
        message = self._ws.wait()
        wire = self._wire
        if wire is None:
            self._sleep(0)
        else:
            if wire.buffered() or not wire.waited:
                self._sleep(0)
            wire.waited = False
        return message

    def send(self, message, **kw):
        self.handed += 1
        return self._ws.send(message, **kw)

    def __getattr__(self, name: str) -> Any:
        return forward(self, self._ws, name)


def direct_sends(eio_socket: Any, reader: Reader, message_type: int) -> None:
    """Messages of this Engine.IO socket (a websocket from its start) are
    written at once when nothing queued is still waiting before them."""
    queue_send = eio_socket.send
    queued = eio_socket.queue.qsize()  # (the OPEN packet): the writer hands these first

    def send(pkt) -> None:
        nonlocal queued
        if pkt.packet_type != message_type or reader.handed != queued:
            queued += 1
            return queue_send(pkt)
        if not eio_socket.check_ping_timeout():
            return None
        try:
            reader._ws.send(pkt.encode())
        except OSError:  # the client is gone: the reader will see it and end the session
            log.debug("direct websocket send failed", exc_info=True)
        return None

    eio_socket.send = send


def cheap_websockets(eio: Any) -> None:
    """Engine.IO server `eio` (eventlet driver): its websockets read through
    one buffer, take turns, and write messages directly."""
    from eventlet import spawn_n
    from eventlet.greenio import GreenSocket
    from eventlet.hubs import IOClosed, get_hub, trampoline
    from engineio import packet

    hub = get_hub()
    outbox = Outbox(lambda fn: hub.schedule_call_global(0, fn))

    base = eio._async["websocket"]
    sleep = eio._async["sleep"]

    class CheapWebSocket(base):  # type: ignore[misc, valid-type]
        def __init__(self, handler, server):
            def run(ws):
                wire = None
                sock = getattr(ws, "socket", None)
                green = getattr(sock, "counted", sock)  # under listener.py's count of connections per address
                if isinstance(green, GreenSocket):
                    wire = ws.socket = WireSocket(sock, green, outbox, spawn_n, trampoline, IOClosed)
                reader = Reader(ws, wire, sleep)
                owner = getattr(handler, "__self__", None)  # the Engine.IO socket
                direct = wire is not None and owner is not None and not owner.connected  # not an upgrade from polling
                if direct:
                    direct_sends(owner, reader, packet.MESSAGE)
                try:
                    return handler(reader)
                finally:
                    if direct:  # the closure holds the socket: no reference cycle left for the collector
                        owner.__dict__.pop("send", None)

            super().__init__(run, server)

    eio._async = {**eio._async, "websocket": CheapWebSocket}
