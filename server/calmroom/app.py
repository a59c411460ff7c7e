"""create_app(config): the one place that wires the parts together."""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Flask, jsonify, request
from flask_socketio import SocketIO
from flask_talisman import Talisman
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException, InternalServerError

from .config import Config
from .http.api import api
from .http.client import client
from .http.network import network
from .http.studio_api import studio
from .http.takehome import takehome
from .protocol.base import error_body
from .protocol.http import HTTP_STATUS
from .services.background import Background
from .services.deck_trials import DeckTrials
from .services.decks import DeckService
from .services.guesses import GuessLimiter, TrustedProxies, parse_proxies
from .services.results import ResultsService
from .services.rooms import RoomService, wall_ms
from .sockets.handlers import SocketGateway
from .store import db
from .store import repository as repo

log = logging.getLogger(__name__)


def _call_here(fn: Callable, *args: Any) -> Any:
    return fn(*args)


def _outcome(fn: Callable, args: tuple) -> tuple[bool, Any]:
    try:
        return True, fn(*args)
    except Exception as exc:  # carried back to the caller and raised there
        return False, exc


def off_loop_runner(async_mode: str) -> Callable[..., Any]:
    """offload(fn, *args) for work that may take long (reading an uploaded
    deck): one eventlet or gevent loop serves every room, so it runs in a
    real OS thread and the loop keeps serving meanwhile. libyaml does not
    release the GIL, but the deck reader returns to Python between events,
    so the loop gets the GIL at every switch interval. Unpatched processes
    (tests, the CLI) have no loop to protect."""
    if async_mode == "eventlet" and "eventlet" in sys.modules:
        from eventlet import patcher, tpool
        from eventlet.semaphore import Semaphore

        if patcher.is_monkey_patched("thread"):
            return one_at_a_time(tpool.execute, Semaphore(1))
    elif async_mode == "gevent" and "gevent" in sys.modules:
        import gevent
        from gevent import monkey
        from gevent.lock import Semaphore as GeventSemaphore

        if monkey.is_module_patched("threading"):
            def in_gevent_pool(fn: Callable, *args: Any) -> Any:
                # gevent's pool prints the traceback of every exception a
                # task raises; an invalid deck is no error of the server
                ok, value = gevent.get_hub().threadpool.apply(_outcome, (fn, args))
                if ok:
                    return value
                raise value

            return one_at_a_time(in_gevent_pool, GeventSemaphore(1))
    return _call_here


def one_at_a_time(run: Callable[..., Any], lock: Any) -> Callable[..., Any]:
    """`run`, but one call at a time (the others wait on the loop, costing
    nothing). The pool thread holds the GIL while it parses; the loop gets
    it back at the next switch interval, and with several parses at once it
    waits behind each of them: two or three hostile uploads in parallel put
    another room's `sync` over 100 ms, one at a time they do not."""

    def serially(fn: Callable, *args: Any) -> Any:
        with lock:
            return run(fn, *args)

    return serially


@dataclass
class Services:
    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    rooms: RoomService
    results: ResultsService
    gateway: SocketGateway
    socketio: SocketIO
    background: Background
    guesses: GuessLimiter
    decks: DeckService
    trials: DeckTrials
    now_ms: Callable[[], int]  # the one clock (create_app's `now_ms`)
    offload: Callable[..., Any] = field(default=_call_here)  # see off_loop_runner

    def message_queue_health(self) -> str:
        url = self.config.message_queue
        if not url:
            return "not configured"
        try:
            import redis  # only present where a message queue is used

            redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
            return "ok"
        except Exception as exc:  # any failure means: not usable now
            return f"error: {type(exc).__name__}"


class CalmroomFlask(Flask):
    """Flask-SocketIO pushes a request context around every socket event; its
    URL matching finds nothing for /socket.io/ and leaves a reference cycle and
    a NotFound with its traceback per event: garbage at the rate of events.
    Socket.IO requests get no URL adapter (nothing there uses url_for)."""

    def create_url_adapter(self, request):
        if request is not None and request.path.startswith("/socket.io"):
            return None
        return super().create_url_adapter(request)


# The built client loads only its own script and style files (no inline
# script; Preact sets styles through the CSSOM, which CSP does not govern).
# img-src data: is for the favicon and the QR code (a data: URL drawn in the
# browser); charts are drawn on a canvas. connect-src 'self' covers the
# Socket.IO polling requests and, in CSP Level 3 browsers, its WebSocket to the
# same host; a browser that refuses the upgrade stays on polling.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def security_headers(app: Flask) -> None:
    """Headers on every response Flask makes (the HTML of every screen and the
    API; the Engine.IO transport answers below Flask). The server runs on
    plain http on a laptop, so nothing is redirected to https; HSTS is only
    sent when the request came over https (directly or through the proxy)."""
    Talisman(
        app,
        force_https=False,
        strict_transport_security=True,
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=False,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="no-referrer",  # join and console links carry room codes and keys
        x_content_type_options=True,
        feature_policy={},
        document_policy={},
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )


def create_app(config: Config | None = None, *, now_ms: Callable[[], int] = wall_ms) -> tuple[Flask, SocketIO]:
    """`now_ms`: the one clock every service reads (a test may pass its own)."""
    config = config or Config.from_env()
    app = CalmroomFlask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_http_body_bytes
    app.config["TESTING"] = config.testing
    app.json.ensure_ascii = False

    db.upgrade(config.database_url)
    engine = db.make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous, pool_size=config.db_pool_size)
    sessions = db.make_sessionmaker(engine)
    offload = off_loop_runner(config.async_mode)
    decks = DeckService(sessions, offload, now_ms)
    decks.store_defaults(config.decks_dir)

    socketio = SocketIO(
        app,
        async_mode=config.async_mode,
        message_queue=config.message_queue,
        channel=config.message_queue_channel,
        ping_interval=config.ping_interval,
        ping_timeout=config.ping_timeout,
        max_http_buffer_size=max(config.max_payload_bytes * 4, 65_536),
        # a socket's events run on its own green thread, one after another, in
        # the order sent: no green thread spawned per event (docs/performance.md)
        async_handlers=False,
    )
    deck_cache = repo.DeckCache()
    rooms = RoomService(sessions, deck_cache, worker_id=config.worker_id, now_ms=now_ms)
    guesses = GuessLimiter(config.guess_limit)
    # outside Flask-SocketIO's middleware, so Socket.IO connections see the client address too
    app.wsgi_app = TrustedProxies(app.wsgi_app, parse_proxies(config.trusted_proxies))
    gateway = SocketGateway(
        socketio, rooms, rate_limit=config.rate_limit, max_payload_bytes=config.max_payload_bytes, guesses=guesses,
        batch_window_s=config.fanout_window_ms / 1000, aggregate_window_s=config.aggregate_window_ms / 1000,
    )
    gateway.register()
    app.extensions["calmroom"] = Services(
        config=config, engine=engine, sessions=sessions, rooms=rooms,
        results=ResultsService(sessions, deck_cache, now_ms=now_ms), gateway=gateway, socketio=socketio,
        background=Background(sessions, rooms, worker_id=config.worker_id, retention_days=config.retention_days, now_ms=now_ms),
        now_ms=now_ms,
        guesses=guesses, decks=decks, trials=DeckTrials(decks, rooms), offload=offload,
    )
    app.register_blueprint(api)
    app.register_blueprint(studio)
    app.register_blueprint(takehome)
    app.register_blueprint(network)
    app.register_blueprint(client)
    security_headers(app)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = {413: "too_large", 404: "not_found", 405: "invalid", 401: "unauthorized"}.get(exc.code or 500, "invalid")
        if exc.code and exc.code >= 500:
            code = "unavailable"
        if not request.path.startswith("/api") and code == "not_found":
            return exc
        message = exc.description or exc.name
        if exc.code == 413:
            message = f"the body is larger than {app.config['MAX_CONTENT_LENGTH'] // 1024} KB, the most any request may send"
        return jsonify({"ok": False, "error": error_body(code, message)}), exc.code or HTTP_STATUS[code]

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # A bug must still answer an API client in the one error shape, not
        # with Flask's HTML page; the traceback goes to the log.
        log.exception("unexpected error on %s %s", request.method, request.path)
        if not request.path.startswith("/api"):
            return InternalServerError()
        return jsonify({"ok": False, "error": error_body("unavailable", "the server failed on this request; it has been logged")}), 500

    return app, socketio
