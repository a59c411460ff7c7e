"""Running the server for real: the async mode's monkey patching, a listening
socket with TCP_NODELAY, eventlet's max_size raised, the open-files limit
raised, the collector kept out of the way, and the background tasks."""
from __future__ import annotations

import gc
import logging
import os
import resource
import socket
import time

log = logging.getLogger("calmroom")


def patch_for(async_mode: str) -> None:
    """Must run before anything else imports socket or threading."""
    if async_mode == "eventlet":
        import warnings

        with warnings.catch_warnings():  # we know; see README "eventlet"
            warnings.simplefilter("ignore", DeprecationWarning)
            import eventlet

        eventlet.monkey_patch()
    elif async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()


def raise_open_files_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 1_048_576
    if soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            log.warning("could not raise the open-files limit above %s", soft)
    return soft


def tune_gc() -> None:
    """A full collection over thousands of sockets stalls every room at once
    (MEASURED.md): freeze what start-up made and collect the young generation
    less often. Cycles are still collected: young ones by these thresholds,
    old ones by `collect_on_schedule`."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


PAUSE_SHARE_LIMIT = 1000  # the wait after a full collection, in multiples of its pause


def collect_on_schedule(sleep, every_s: float) -> None:
    """A connection lives for minutes, so what it leaves in reference cycles
    when it closes is in the oldest generation, and with the thresholds above
    that is collected hardly ever: over a day of rooms opening and closing the
    memory grows. One full collection every `every_s` frees it at a bounded
    cost: its pause grows with the live heap (at 2,100 sockets a few hundred
    ms, docs/performance.md), so the next one waits at least
    `PAUSE_SHARE_LIMIT` pauses long: the process never spends more than
    0.1 % of its time in them, far fewer than 1 % of the events meet one, and
    they stay out of the p99."""
    wait = every_s
    while True:
        sleep(wait)
        t = time.perf_counter()
        found = gc.collect()
        pause = time.perf_counter() - t
        wait = max(every_s, pause * PAUSE_SHARE_LIMIT)
        log.info("full collection: %d unreachable objects, %.0f ms; the next in %.0f s", found, 1000 * pause, wait)


# The event loop thread waits at most this long for the GIL while a pool
# thread parses an upload (Python's default is 5 ms; a `sync` that takes the
# GIL a dozen times waited 60 ms and more).
SWITCH_INTERVAL_S = 0.001


def serve(config) -> None:
    import sys

    from .app import create_app

    sys.setswitchinterval(SWITCH_INTERVAL_S)

    app, socketio = create_app(config)
    services = app.extensions["calmroom"]
    services.rooms.forget_connections(None if config.message_queue is None else config.worker_id)
    announce_trainer_link(config, services)
    start_background_tasks(socketio, services)
    files = raise_open_files_limit()
    if config.gc_freeze:
        tune_gc()
    log.warning(
        "Calmroom on http://%s:%s (%s, database %s, open files %s, max connections %s)",
        config.host, config.port, config.async_mode, _safe_url(config.database_url), files, config.max_connections,
    )
    for line in network_lines(config):
        log.warning("%s", line)
    if config.async_mode == "eventlet":
        import eventlet
        import eventlet.wsgi

        from .listener import CappedListener, UpgradedWithoutDeadline, deadline_protocol
        from .services.guesses import parse_proxies
        from .sockets.fairness import fast_websocket_masks
        from .sockets.wire import cheap_websockets

        cheap_websockets(socketio.server.eio)  # one read per batch of frames, turns taken, messages written at once
        fast_websocket_masks()

        listener = eventlet.listen((config.host, config.port), backlog=2048)
        if config.tcp_nodelay:
            listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
        # a trusted proxy carries every client: the cap is for direct peers
        capped = CappedListener(listener, config.max_connections_per_address, parse_proxies(config.trusted_proxies))
        app.wsgi_app = UpgradedWithoutDeadline(app.wsgi_app)
        eventlet.wsgi.server(
            capped, app, max_size=config.max_connections, log_output=False, debug=False,
            socket_timeout=config.request_timeout_s,
            protocol=deadline_protocol(config.request_timeout_s, config.max_http_body_bytes),
        )
    elif config.async_mode == "gevent":
        from gevent import pywsgi
        from gevent.server import _tcp_listener

        listener = _tcp_listener((config.host, config.port), backlog=2048, reuse_addr=True)
        if config.tcp_nodelay:
            listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pywsgi.WSGIServer(listener, app, log=None, spawn=config.max_connections).serve_forever()
    else:
        socketio.run(app, host=config.host, port=config.port, allow_unsafe_werkzeug=True)


def network_lines(config) -> list[str]:
    """Where phones can reach this server, said at start (as Vite says
    "Network: ..."): the machine's addresses, or how to listen on them."""
    from .http.network import lan_urls, listening_on_lan

    if not listening_on_lan(config.host):
        return [
            f"Local:   http://{config.host}:{config.port} (this computer only; phones cannot reach it)",
            'Network: to let phones in, start with make run SERVE_ARGS="--lan" '
            "(or calmroom serve --lan, or CALMROOM_HOST=0.0.0.0)",
        ]
    urls = lan_urls(config.host, config.port)
    if not urls:
        return ["Network: listening on every address, but this machine has none on a network yet (is it on the Wi-Fi?)"]
    return [f"Network: {u}  (phones on the same network can open this)" for u in urls]


def base_url(config) -> str:
    if config.public_url:
        return config.public_url
    host = "localhost" if config.host in ("0.0.0.0", "::", "") else config.host
    return f"http://{host}:{config.port}"


def announce_trainer_link(config, services) -> None:
    """Without CALMROOM_ADMIN_TOKEN the first start makes the trainer
    credential and shows its sign-in link, once: only the worker whose insert
    made it prints, so workers starting together print one link between them."""
    from .services.trainers import TrainerKeys, sign_in_link

    if config.admin_token:
        return
    token = TrainerKeys(services.sessions, now_ms=services.now_ms).make_first()
    if token is None:
        log.warning("Trainer sign-in: the link was shown at the first start; `calmroom trainer-link` makes a new one")
        return
    log.warning(
        "Trainer sign-in (shown once; it lets you upload decks and read every brief):\n    %s",
        sign_in_link(base_url(config), token),
    )


def start_background_tasks(socketio, services) -> None:
    tick = services.config.clock_tick_s

    def loop() -> None:
        while True:
            socketio.sleep(tick)
            try:
                services.gateway.perform(services.background.tick())
            except Exception:  # e.g. the database is away for a moment; try again next tick
                log.exception("background work failed")

    socketio.start_background_task(loop)
    if services.config.gc_full_every_s > 0:
        socketio.start_background_task(collect_on_schedule, socketio.sleep, services.config.gc_full_every_s)


def _safe_url(url: str) -> str:
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


