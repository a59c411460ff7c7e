"""The listening socket's guards: open connections per peer address are
capped at accept time (a raw socket that never sends a byte counts too),
every request has one deadline for all of its bytes, and a websocket is freed
from the per-read timeout once its upgrade is done.

eventlet's `socket_timeout` is a deadline per socket operation: a request
whose headers or body stall for that long is dropped. A slowloris does not
stall: it sends a header line (or a byte of the body) every few seconds,
and each read finishes in time. `deadline_protocol` gives the whole request
(the wait for its first line, its headers and its body) one deadline, after
which the connection is closed. The per-read timeout stays on the socket
after a websocket upgrade, where Engine.IO's own pings (every 25 s) already
find dead peers, so `UpgradedWithoutDeadline` clears it there."""
from __future__ import annotations

import io
import ipaddress
import logging
import socket
from collections import Counter

log = logging.getLogger("calmroom")


def forward(wrapper, inner, name: str):
    """`inner`'s attribute, for a wrapper's `__getattr__`: a method is kept on
    `wrapper` once looked up, so the next call finds it at once (the bound
    method holds `inner`, not `wrapper`: no reference cycle)."""
    value = getattr(inner, name)
    if callable(value):
        wrapper.__dict__[name] = value
    return value


class _Counted:
    """An accepted socket that gives its address's slot back when closed."""

    def __init__(self, sock, release):
        self._sock = sock
        self._release = release

    @property
    def counted(self):
        """The socket itself (sockets/wire.py reads and writes it directly)."""
        return self._sock

    def close(self) -> None:
        release, self._release = self._release, None
        try:
            self._sock.close()
        finally:
            if release is not None:
                release()

    def __getattr__(self, name):
        # eventlet's server calls recv, sendall, settimeout, makefile... through here
        return forward(self, self._sock, name)


class CappedListener:
    """Wraps a listening socket: `accept()` closes at once a connection from
    an address that already holds `cap` open ones, and waits for the next."""

    def __init__(self, sock, cap: int, exempt: list[str] | None = None):
        self._sock = sock
        self.cap = cap
        self.open: Counter[str] = Counter()
        self._lacks: set[str] = set()
        self.exempt = [ipaddress.ip_network(p, strict=False) for p in exempt or []]

    def _exempt(self, host: str) -> bool:
        try:
            return any(ipaddress.ip_address(host) in net for net in self.exempt)
        except ValueError:
            return False

    def accept(self):
        while True:
            conn, addr = self._sock.accept()
            host = addr[0] if isinstance(addr, tuple) else str(addr)
            if self._exempt(host):
                return conn, addr
            if self.open[host] >= self.cap:
                conn.close()
                log.info("refused a connection from %s: %s open already", host, self.cap)
                continue
            self.open[host] += 1
            return _Counted(conn, lambda h=host: self._release(h)), addr

    def _release(self, host: str) -> None:
        self.open[host] -= 1
        if self.open[host] <= 0:
            del self.open[host]

    def __getattr__(self, name):
        # eventlet's server asks `hasattr(listener, "do_handshake")` (is it TLS?)
        # for every request: an attribute the socket lacks is remembered as
        # lacking instead of failing through two wrappers each time
        if name in self._lacks:
            raise AttributeError(name)
        try:
            return getattr(self._sock, name)
        except AttributeError:
            self._lacks.add(name)
            raise


class UpgradedWithoutDeadline:
    """WSGI middleware (eventlet): a websocket upgrade has finished its
    request; the per-operation deadline would otherwise drop a healthy but
    quiet websocket.

    It also breaks the reference cycle eventlet leaves per connection: the
    environ holds `eventlet.set_idle`, a closure over the connection's
    protocol object, which holds the environ. When the connection ended,
    that cycle kept its socket, buffers and request objects until a full
    collection (which comes rarely: they are old by then). Only eventlet's
    websocket calls `set_idle`, at its start, so once the application has
    returned it is not needed any more."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket" and "eventlet.input" in environ:
            try:
                environ["eventlet.input"].get_socket().settimeout(None)
            except (AttributeError, OSError):
                pass
        try:
            return self.app(environ, start_response)
        finally:
            environ.pop("eventlet.set_idle", None)


def deadline_protocol(deadline_s: float, max_body_bytes: int):
    """An eventlet.wsgi protocol class whose requests must arrive whole within
    `deadline_s` of the server starting to wait for them: request line,
    headers and body. The body (at most `max_body_bytes`; a bigger one is
    refused by Flask without being read) is read before the application
    runs, so the application never waits on a slow client; a request not in
    by the deadline is dropped without an answer. Answering (a long-poll, a
    websocket) is not under the deadline."""
    from eventlet import Timeout
    from eventlet.wsgi import HttpProtocol

    from .requesthead import BadHead, read_headers, request_line

    class DeadlineProtocol(HttpProtocol):
        _arrival: Timeout | None = None

        def parse_request(self):
            """What BaseHTTPRequestHandler.parse_request sets (command, path,
            versions, headers, whether the connection stays open), read by
            requesthead.py instead of the email package."""
            self.command = None
            self.request_version = self.default_request_version
            self.close_connection = True
            self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
            if not self.requestline.strip():
                return False
            try:
                self.command, self.path, self.request_version = request_line(self.raw_requestline)
                self.headers = read_headers(self.rfile.readline, self.MessageClass)
            except BadHead as bad:
                if self.command is None:  # (else the reply would have no status line, as for HTTP/0.9)
                    self.request_version = "HTTP/1.0"
                self.send_error(bad.status, bad.reason)
                return False
            keep = self.request_version >= "HTTP/1.1" and self.protocol_version >= "HTTP/1.1"
            connection = self.headers.get("Connection", "").lower()
            if connection == "close":
                keep = False
            elif connection == "keep-alive" and self.protocol_version >= "HTTP/1.1":
                keep = True
            self.close_connection = not keep
            if self.headers.get("Expect", "").lower() == "100-continue" \
                    and self.protocol_version >= "HTTP/1.1" and self.request_version >= "HTTP/1.1":
                return self.handle_expect_100()
            return True

        def handle_one_request(self):
            self._arrival = Timeout(deadline_s, socket.timeout(f"the request did not arrive within {deadline_s:g} s"))
            try:
                super().handle_one_request()
            finally:
                self._arrival.cancel()

        def handle_one_response(self):
            try:
                self._read_body()
            finally:
                self._arrival.cancel()
            super().handle_one_response()

        def _read_body(self) -> None:
            given = self.environ["eventlet.input"]
            if given.chunked_input:
                # werkzeug reads no body without a length; answer, then close
                # rather than read an endless body to keep the connection
                self.close_connection = 1
                return
            length = given.content_length or 0
            if length <= 0:
                return
            if length > max_body_bytes:  # refused with 413 unread; the connection is not reused
                self.close_connection = 1
                return
            parts, got = [], 0
            while got < length:
                part = given.read(min(length - got, 65_536))
                if not part:
                    break
                parts.append(part)
                got += len(part)
            self.environ["wsgi.input"] = io.BytesIO(b"".join(parts))

    return DeadlineProtocol
