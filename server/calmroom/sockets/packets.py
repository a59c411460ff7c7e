"""Socket.IO packets a client made up.

python-socketio decodes each Engine.IO message into a packet before any
handler of ours sees it, and a packet it cannot decode (JSON 5,000 levels
deep: RecursionError; a 5,000-digit number: engineio's "Integer is too
large"; an empty event list; a packet type that does not exist) raised
out of its message handler, where Engine.IO logged the whole traceback, for
every such packet. One websocket sending them as fast as it could wrote
3 MB of log a second and kept every room on the server waiting for 10 s.

Here such a packet costs its decoding only: it is answered `invalid` when
its ack id can be read (as an unknown event is), counted against the
sender's rate limit, and logged once per connection, in one line. Engine.IO
itself reads a message that looks like JSON (`4[[[...`) as JSON and let a
RecursionError out with a traceback per long-polling request; its decoder
now says ValueError, which it takes for "a text message", and the text
reaches the handling above."""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

import engineio.packet
import orjson
from engineio import json as engineio_json
from socketio import packet

log = logging.getLogger(__name__)

# an EVENT packet's head: type 2, an optional namespace, the ack id
_EVENT_HEAD = re.compile(r"2(/[^,]{0,100},)?([0-9]{1,15})")


class _EngineIOJson:
    """engineio.json, whose `loads` says ValueError for JSON too deep to decode."""

    dumps = staticmethod(engineio_json.dumps)

    @staticmethod
    def loads(*args: Any, **kwargs: Any) -> Any:
        try:
            return engineio_json.loads(*args, **kwargs)
        except RecursionError:
            raise ValueError("nested too deeply") from None


class _PacketJson(_EngineIOJson):
    """Socket.IO packets: what the server sends is encoded by orjson (several
    times faster than the standard library; UTF-8 rather than \\u escapes,
    the same JSON to a client), what a client sends is read as before."""

    @staticmethod
    def dumps(data: Any, **_: Any) -> str:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()


class Malformed(Exception):
    """A packet the client's bytes do not make: the decoder's own error is args[0]."""


# what a client may send; CONNECT_ERROR is the server's, python-socketio raised on it
_CLIENT_TYPES = frozenset({packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK, packet.BINARY_EVENT, packet.BINARY_ACK})


def answer_malformed_packets(server: Any, answer: Callable[[], dict], counted: Callable[[str], None]) -> None:
    """Packets python-socketio cannot decode are answered with `answer()` and
    charged with `counted(sid)` instead of reaching Engine.IO's traceback.
    Only decoding is guarded (the server's packet class says `Malformed`);
    whatever happens once an event is dispatched is the handlers' own."""
    engineio.packet.Packet.json = _EngineIOJson
    base = server.packet_class

    class CheckedPacket(base):  # type: ignore[misc, valid-type]
        json = _PacketJson

        def decode(self, encoded_packet):
            try:
                count = super().decode(encoded_packet)
            except Exception as exc:  # noqa: BLE001 - whatever the client's bytes made the decoder raise
                raise Malformed(exc) from None
            if self.packet_type not in _CLIENT_TYPES:
                raise Malformed(ValueError(f"packet type {self.packet_type!r}"))
            if self.packet_type in (packet.EVENT, packet.BINARY_EVENT) and not (isinstance(self.data, list) and self.data):
                # an event is [name, *args]: `[]`, `{}` or nothing made python-socketio raise while dispatching
                raise Malformed(ValueError("an event must be a list that starts with its name"))
            return count

        @classmethod
        def data_is_binary(cls, data: Any) -> bool:
            """Whether a packet the server sends needs binary attachments:
            never. The protocol is JSON (protocol/), and python-socketio's
            own check walks every value of every payload in Python (a
            fishbowl's state has thousands) on every emit and ack. A bytes
            value would make the JSON encoder raise, not go out wrongly."""
            return False

        def add_attachment(self, attachment):
            try:  # a placeholder pointing at no attachment: KeyError, IndexError
                return super().add_attachment(attachment)
            except Exception as exc:  # noqa: BLE001
                raise Malformed(exc) from None

    server.packet_class = CheckedPacket
    dispatch = server._handle_eio_message
    noted: set[str] = set()

    def handle_message(eio_sid: str, data: Any) -> None:
        try:
            return dispatch(eio_sid, data)
        except Malformed as exc:
            server._binary_packet.pop(eio_sid, None)
            _refuse(server, eio_sid, data, exc.args[0], answer, counted, noted)
            return None

    server.eio.handlers["message"] = handle_message
    # forget a connection's note when it goes
    disconnect = server.eio.handlers.get("disconnect")
    if disconnect is not None:
        def handle_disconnect(eio_sid: str, *args: Any) -> Any:
            noted.discard(eio_sid)
            return disconnect(eio_sid, *args)

        server.eio.handlers["disconnect"] = handle_disconnect


def _refuse(server, eio_sid: str, data: Any, exc: Exception, answer, counted, noted: set[str]) -> None:
    head = _EVENT_HEAD.match(data) if isinstance(data, str) else None
    namespace = (head.group(1) or "/,")[:-1] if head else "/"
    sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
    if eio_sid not in noted:
        noted.add(eio_sid)
        environ = server.environ.get(eio_sid) or {}
        log.warning("a malformed Socket.IO packet from %s (%s: %s); further ones from this connection are not logged",
                    environ.get("REMOTE_ADDR"), type(exc).__name__, str(exc)[:100])
    if sid is None or not server.manager.is_connected(sid, namespace):
        return
    counted(sid)
    if head is not None:
        ack = server.packet_class(packet.ACK, namespace=namespace, id=int(head.group(2)), data=[answer()])
        server._send_packet(eio_sid, ack)
