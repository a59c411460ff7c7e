"""sockets/wire.py on real socket pairs, in eventlet's hub (no monkey
patching): frames read from one buffer, turns taken only when another
message may be waiting, writes coalesced per turn and kept in order for a
peer that does not read, a peer too far behind dropped, and Engine.IO's
queue bypassed only when nothing queued is still waiting."""
from __future__ import annotations

import os
import socket
import struct

import eventlet
import pytest
from eventlet.greenio import GreenSocket
from eventlet.hubs import IOClosed, trampoline
from eventlet.websocket import RFC6455WebSocket

from calmroom.sockets import wire
from calmroom.sockets.wire import Outbox, Reader, WireSocket, direct_sends


def masked_frame(text: str) -> bytes:
    payload = text.encode()
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    n = len(payload)
    head = struct.pack("!BB", 0x81, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x81, 0x80 | 126, n)
    return head + mask + body


class Turns:
    """An outbox whose turns the test ends by hand."""

    def __init__(self):
        self.scheduled = []
        self.outbox = Outbox(self.scheduled.append)

    def end(self):
        while self.scheduled:
            self.scheduled.pop(0)()


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


def make_wire(sock, turns: Turns) -> WireSocket:
    green = GreenSocket(sock)
    return WireSocket(green, green, turns.outbox, eventlet.spawn_n, trampoline, IOClosed)


def websocket_on(w: WireSocket) -> RFC6455WebSocket:
    return RFC6455WebSocket(w, {}, 13, max_frame_length=1 << 20)


def test_frames_sent_together_are_read_with_one_recv_and_the_reader_yields_between_them(pair):
    server, client = pair
    w = make_wire(server, Turns())
    fills = []
    real_fill = w._fill
    w._fill = lambda: fills.append(1) or real_fill()
    yields = []
    reader = Reader(websocket_on(w), w, lambda s: yields.append(s))
    client.sendall(b"".join(masked_frame(f"4{i}") for i in range(3)) + masked_frame("x" * 300))

    assert [reader.wait() for _ in range(4)] == ["40", "41", "42", "x" * 300]
    assert len(fills) == 1  # one system call for four frames (3 or 4 recv each before)
    assert len(yields) == 4  # another was buffered after each, and the last came without waiting


def test_a_message_the_reader_had_to_wait_for_costs_no_extra_turn(pair):
    server, client = pair
    w = make_wire(server, Turns())
    yields = []
    reader = Reader(websocket_on(w), w, lambda s: yields.append(s))
    got = []

    def read():
        got.extend(reader.wait() for _ in range(3))

    t = eventlet.spawn(read)
    for i in range(3):
        eventlet.sleep(0.01)  # the reader is waiting on the socket now
        client.sendall(masked_frame(f"m{i}"))
    t.wait()
    assert got == ["m0", "m1", "m2"]
    assert yields == []


def test_a_closed_peer_reads_as_closed(pair):
    server, client = pair
    w = make_wire(server, Turns())
    reader = Reader(websocket_on(w), w, lambda s: None)
    client.close()
    assert reader.wait() is None


def test_frames_of_one_turn_go_out_together_in_order(pair):
    server, client = pair
    turns = Turns()
    w = make_wire(server, turns)
    w.sendall(b"one,")
    w.sendall(b"two,")
    client.setblocking(False)
    with pytest.raises(BlockingIOError):
        client.recv(100)  # nothing before the turn ends
    turns.end()
    assert client.recv(100) == b"one,two,"


def test_a_peer_that_does_not_read_gets_everything_later_in_order(pair):
    server, client = pair
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    turns = Turns()
    w = make_wire(server, turns)
    chunks = [(f"{i:05d}" * 200).encode() for i in range(300)]  # 300 KB: far more than the buffers
    for c in chunks:
        w.sendall(c)
        turns.end()
    assert w.writing()  # the kernel took part; the rest waits, in order
    w.sendall(b"last")
    turns.end()
    received = bytearray()
    expected = b"".join(chunks) + b"last"
    peer = GreenSocket(client)  # reads without stopping the hub, so the server side's writer runs meanwhile
    with eventlet.Timeout(10):
        while len(received) < len(expected):
            received.extend(peer.recv(65536))
    assert bytes(received) == expected
    eventlet.sleep(0.01)
    assert not w.writing()


def test_a_peer_too_far_behind_is_dropped(pair, monkeypatch):
    server, client = pair
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    monkeypatch.setattr(wire, "MAX_PENDING_BYTES", 50_000)
    turns = Turns()
    w = make_wire(server, turns)
    for _ in range(100):
        w.sendall(b"x" * 1000)
        turns.end()
    client.settimeout(5)
    total = 0
    while True:
        data = client.recv(65536)
        if not data:
            break  # the server side shut the connection down
        total += len(data)
    assert total < 100_000


class FakeEngineIOSocket:
    """What direct_sends needs of an Engine.IO socket."""

    def __init__(self, queued: int = 0):
        self.queued = list(range(queued))
        self.alive = True

        class Q:
            def qsize(q):
                return len(self.queued)

        self.queue = Q()

    def send(self, pkt):
        self.queued.append(pkt)

    def check_ping_timeout(self):
        return self.alive


class Pkt:
    def __init__(self, kind, text):
        self.packet_type, self.text = kind, text

    def encode(self):
        return self.text


MESSAGE, PING = 4, 2


def test_messages_go_direct_only_when_nothing_queued_is_still_waiting():
    written = []

    class WS:
        def send(self, data, **kw):
            written.append(data)

    eio = FakeEngineIOSocket(queued=1)  # the OPEN packet, before the websocket started
    reader = Reader(WS(), None, lambda s: None)
    direct_sends(eio, reader, MESSAGE)

    eio.send(Pkt(MESSAGE, "a"))  # OPEN not yet handed: queued behind it
    assert [p.text for p in eio.queued[1:]] == ["a"] and written == []
    reader.send("0open")  # the writer hands OPEN and "a"
    reader.send("a")
    eio.send(Pkt(MESSAGE, "b"))
    assert written == ["0open", "a", "b"]  # direct now
    eio.send(Pkt(PING, "2"))  # pings keep Engine.IO's writer going
    eio.send(Pkt(MESSAGE, "c"))  # behind the ping: queued too
    assert [p.text for p in eio.queued[-2:]] == ["2", "c"]
    reader.send("2")
    reader.send("c")
    eio.alive = False
    eio.send(Pkt(MESSAGE, "d"))  # a client gone quiet: nothing more
    assert written == ["0open", "a", "b", "2", "c"]


def test_a_broadcast_to_many_sockets_goes_out_a_batch_per_turn():
    class Wire:
        def __init__(self):
            self.pushed = 0

        def push(self):
            self.pushed += 1

    turns = []
    outbox = Outbox(turns.append, per_turn=3)
    wires = [Wire() for _ in range(7)]
    for w in wires:
        outbox.add(w)
    assert len(turns) == 1
    turns.pop(0)()  # the first turn: three sockets, the rest in the next turn
    assert [w.pushed for w in wires] == [1, 1, 1, 0, 0, 0, 0] and len(turns) == 1
    outbox.add(wires[0])  # written to again meanwhile: pushed in its turn
    turns.pop(0)()
    turns.pop(0)()
    assert [w.pushed for w in wires] == [2, 1, 1, 1, 1, 1, 1] and turns == []
