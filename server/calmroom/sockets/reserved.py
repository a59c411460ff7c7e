"""Event names a client may not send.

python-socketio dispatches a client's EVENT packet by name to the handler
registered for that name, and the handlers for `connect` and `disconnect` are
the server's own: a packet named "disconnect" ran our disconnect cleanup on a
socket that stayed open (shown offline, rate counters reset, later kicks
missed it). The server only checks the name in its catch-all lookup, not for
explicit handlers, so we refuse these names before dispatch. The check is one
set lookup per event."""
from __future__ import annotations

from typing import Any, Callable

from socketio import packet

# the server's and both clients' reserved names (python-socketio, socket.io JS)
RESERVED = frozenset({
    "connect", "connect_error", "disconnect", "disconnecting", "__disconnect_final",
    "newListener", "removeListener",
})


def refuse_reserved_events(server: Any, answer: Callable[[str], dict], counted: Callable[[str], None]) -> None:
    """Wrap `server._handle_event` (the one dispatch point for EVENT and
    BINARY_EVENT packets) so reserved names never reach a handler. `answer`
    builds the ack for a refused name; `counted(sid)` charges the sender's
    rate limit like any other event."""
    dispatch = server._handle_event

    def handle_event(eio_sid: str, namespace: str | None, id: int | None, data: list) -> None:
        name = data[0] if data else None
        if not isinstance(name, str) or name not in RESERVED:
            return dispatch(eio_sid, namespace, id, data)
        namespace = namespace or "/"
        sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
        if sid is None or not server.manager.is_connected(sid, namespace):
            return None
        counted(sid)
        if id is not None:
            server._send_packet(eio_sid, server.packet_class(packet.ACK, namespace=namespace, id=id, data=[answer(name)]))
        return None

    server._handle_event = handle_event
