"""The framework floor: a minimal Flask-SocketIO server on eventlet.

Two events and nothing else: ``join`` {room} puts the socket in a room, and
``mark`` {...} broadcasts its payload to the sender's room as ``marked`` and
acks ``{"ok": true}``. No validation, no storage, no state.

For one big room (``python -m bench --room-size N``) three more of the same
kind: ``phase`` and ``temp`` broadcast their payload to the sender's room
(as ``phase`` / ``temp``: what a phase change and a moved meter must at least
cost, one message to every member), and ``note`` sends its payload as
``noted`` to the room's facilitator only (a socket that joined with
``{"facilitator": true}``): the least a live mark must cost when observers are
not told of each other's marks. Each acks ``{"ok": true}``.

It is run the way ``calmroom serve`` runs (monkey-patched first, TCP_NODELAY
on the listener, eventlet's max_size raised, the open-files limit raised,
the same ping settings and, by default, the same garbage-collector tuning),
so the only difference from the real server is the work the real server does
per event.

    python -m bench.floor --port 5600 [--message-queue redis://...] [--gc server|freeze|default]
"""
from __future__ import annotations

import eventlet  # noqa: E402  (must patch before anything imports socket)

eventlet.monkey_patch()

import argparse  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

import eventlet.wsgi  # noqa: E402
from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402


class NoMatchFlask(Flask):
    """No URL adapter, so no URL matching, for the request context
    Flask-SocketIO pushes around every Socket.IO event."""

    def create_url_adapter(self, request):
        if request is not None and request.path.startswith("/socket.io"):
            return None
        return super().create_url_adapter(request)


def create_app(message_queue: str | None = None, channel: str = "calmroom-floor",
               tweaks: tuple[str, ...] = ()) -> tuple[Flask, SocketIO]:
    """tweaks (experiments, not the floor): "route" gives Flask a URL rule for
    /socket.io/ so that the request context Flask-SocketIO pushes for every
    event matches instead of raising (and keeping) a NotFound with its
    traceback; "nomatch" skips URL matching for Socket.IO requests altogether
    (werkzeug's matcher leaves a recursive closure, a reference cycle, per
    match); "sync" handles events on the socket's own green thread
    (async_handlers=False) instead of spawning one per event."""
    app = (NoMatchFlask if "nomatch" in tweaks else Flask)(__name__)
    if "route" in tweaks:
        # never served: the Socket.IO middleware answers /socket.io/ before Flask
        app.add_url_rule("/socket.io/", "socketio", lambda: ("", 404), methods=["GET", "POST"])
        app.add_url_rule("/socket.io/", "socketio-ws", lambda: ("", 404), websocket=True)
    socketio = SocketIO(
        app,
        async_mode="eventlet",
        async_handlers="sync" not in tweaks,
        message_queue=message_queue,
        channel=channel,
        ping_interval=25,
        ping_timeout=20,
        max_http_buffer_size=65_536,
    )
    rooms: dict[str, str] = {}  # sid -> room, as the real server keeps sid -> actor

    @app.get("/healthz")
    def healthz():
        return jsonify({"ok": True, "floor": True})

    @socketio.on("join")
    def on_join(data):
        room = str(data["room"])
        rooms[request.sid] = room
        join_room(room)
        if data.get("facilitator"):
            join_room(room + "#facilitator")
        return {"ok": True}

    @socketio.on("mark")
    def on_mark(data):
        socketio.emit("marked", data, to=rooms.get(request.sid), namespace="/")
        return {"ok": True}

    @socketio.on("phase")
    def on_phase(data):
        socketio.emit("phase", data, to=rooms.get(request.sid), namespace="/")
        return {"ok": True}

    @socketio.on("temp")
    def on_temp(data):
        socketio.emit("temp", data, to=rooms.get(request.sid), namespace="/")
        return {"ok": True}

    @socketio.on("note")
    def on_note(data):
        socketio.emit("noted", data, to=f"{rooms.get(request.sid)}#facilitator", namespace="/")
        return {"ok": True}

    @socketio.on("disconnect")
    def on_disconnect(*_args):
        rooms.pop(request.sid, None)

    return app, socketio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--message-queue", default=None)
    parser.add_argument("--channel", default="calmroom-floor")
    parser.add_argument("--max-connections", type=int, default=10_000)
    parser.add_argument("--tweak", action="append", choices=("route", "nomatch", "sync"), default=[],
                        help="experiments, see create_app (not part of the floor)")
    parser.add_argument("--gc-log", action="store_true", help="log the collector's pauses every 10 s (diagnosis)")
    parser.add_argument(
        "--gc", choices=("server", "freeze", "default", "off", "refreeze"), default="server",
        help="server: exactly what `calmroom serve` does (calmroom.server.tune_gc); "
        "freeze: gc.freeze() only; default: Python's defaults; off: disabled (diagnosis only); "
        "refreeze: as server, plus gc.freeze() every 10 s (an experiment: connections made after start-up "
        "leave the scanned generations too)",
    )
    args = parser.parse_args(argv)
    if args.host != "127.0.0.1":
        parser.error("the floor listens on 127.0.0.1 only")
    logging.basicConfig(level=logging.WARNING)

    from calmroom.server import raise_open_files_limit, tune_gc

    app, _socketio = create_app(args.message_queue, args.channel, tuple(args.tweak))
    files = raise_open_files_limit()
    if args.gc == "server":
        tune_gc()
    elif args.gc == "freeze":
        gc.collect()
        gc.freeze()
    elif args.gc == "refreeze":
        tune_gc()

        def refreeze() -> None:
            while True:
                eventlet.sleep(10)
                gc.freeze()

        eventlet.spawn(refreeze)
    elif args.gc == "off":  # for diagnosis only: memory grows
        gc.collect()
        gc.freeze()
        gc.disable()
    if args.gc_log:
        from .gcwatch import install

        install()
    listener = eventlet.listen((args.host, args.port), backlog=2048)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
    print(f"floor on http://{args.host}:{args.port} (gc {args.gc}, open files {files}, "
          f"message queue {args.message_queue or 'none'}, tweaks {args.tweak or 'none'})", file=sys.stderr, flush=True)
    eventlet.wsgi.server(listener, app, max_size=args.max_connections, log_output=False, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
