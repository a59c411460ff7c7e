"""An HTTP request's first line and headers, read strictly and cheaply.

The standard library's `BaseHTTPRequestHandler.parse_request` hands the
header block to the `email` package's feed parser: on every websocket
handshake and API call that was the largest single piece of the framework's
work while a workshop's people connect (~5 % of the server's time in the
set-up of 300 rooms, docs/performance.md). HTTP headers need none of MIME's
generality, so this reads them line by line into the same
`http.client.HTTPMessage` the rest of the stack expects.

It is stricter than the standard library where leniency only helps a
request smuggler: folded (obsolete) header lines, a line without a colon,
whitespace or other non-token bytes in a field name, and two
Content-Length headers that differ are refused with 400 (RFC 9112 §5 and
§6.3). A request line must have exactly three parts and an HTTP/1.x
version; anything else is refused (HTTP/0.9 has no headers at all).
"""
from __future__ import annotations

import http.client
import re

MAX_HEADERS = 100  # as the standard library
MAX_LINE = 65_536

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_VERSION = re.compile(r"HTTP/1\.\d\Z")
_SOME_VERSION = re.compile(r"HTTP/\d+\.\d+\Z")


class BadHead(Exception):
    """The request cannot be served: `status` and a short reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def request_line(raw: bytes) -> tuple[str, str, str]:
    """(method, target, version) of a request line, or BadHead."""
    line = str(raw, "iso-8859-1").rstrip("\r\n")
    words = line.split()
    if len(words) != 3:
        raise BadHead(400, "a request line has a method, a target and a version")
    method, target, version = words
    if not _VERSION.match(version):
        if _SOME_VERSION.match(version):
            raise BadHead(505, f"HTTP version {version[5:]} is not supported")
        raise BadHead(400, "the request line's version is not HTTP/1.x")
    if not _TOKEN.match(method):
        raise BadHead(400, "the method is not a token")
    if target.startswith("//"):
        target = "/" + target.lstrip("/")  # as the standard library (gh-87389): not an absolute URL
    return method, target, version


def read_headers(readline, message_class=http.client.HTTPMessage) -> http.client.HTTPMessage:
    """The header block up to its empty line (or the end of input), through
    `readline(limit)`; BadHead for a block the server will not serve."""
    headers = message_class()
    lengths: set[str] = set()
    for _ in range(MAX_HEADERS + 1):
        raw = readline(MAX_LINE + 1)
        if raw in (b"\r\n", b"\n", b""):
            break
        if len(raw) > MAX_LINE:
            raise BadHead(431, "a header line is too long")
        if raw[:1] in (b" ", b"\t"):
            raise BadHead(400, "folded header lines are not accepted")
        name, colon, value = str(raw, "iso-8859-1").partition(":")
        if not colon or not _TOKEN.match(name):
            raise BadHead(400, "a header line is not name: value")
        value = value.strip(" \t\r\n")
        if name.lower() == "content-length":
            lengths.add(value)
            if len(lengths) > 1:
                raise BadHead(400, "two different Content-Length headers")
        headers[name] = value
    else:
        raise BadHead(431, f"more than {MAX_HEADERS} headers")
    return headers
