"""requesthead.py: the request line and headers read without the email
package, into the HTTPMessage eventlet and Werkzeug expect, and stricter
where leniency only helps a smuggler."""
from __future__ import annotations

import io

import pytest

from calmroom.requesthead import MAX_HEADERS, BadHead, read_headers, request_line


def _headers(block: bytes):
    return read_headers(io.BytesIO(block).readline)


def test_a_request_line_gives_method_target_and_version():
    assert request_line(b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n") == (
        "GET", "/socket.io/?EIO=4&transport=websocket", "HTTP/1.1")
    assert request_line(b"POST /api/rooms HTTP/1.0\n") == ("POST", "/api/rooms", "HTTP/1.0")
    assert request_line(b"GET //evil.example/x HTTP/1.1\r\n")[1] == "/evil.example/x"  # never an absolute URL


@pytest.mark.parametrize("line, status", [
    (b"GET /\r\n", 400),                      # HTTP/0.9: no version, no headers
    (b"GET / HTTP/1.1 extra\r\n", 400),
    (b"GET / HTTP/2.0\r\n", 505),
    (b"GET / HTTP/10.1\r\n", 505),
    (b"GET / HTTQ/1.1\r\n", 400),
    (b"GET / HTTP/1.1x\r\n", 400),
    (b"G(T / HTTP/1.1\r\n", 400),             # a method is a token
])
def test_bad_request_lines_are_refused(line, status):
    with pytest.raises(BadHead) as err:
        request_line(line)
    assert err.value.status == status and err.value.reason


def test_headers_are_read_as_the_standard_library_reads_them():
    h = _headers(b"Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 b"Sec-WebSocket-Key:  dGhlIHNhbXBsZSBub25jZQ== \r\nX-Two: a\r\nx-two: b\r\n\r\nBODY")
    assert h["host"] == "x" and h.get("UPGRADE") == "websocket"
    assert h["Sec-WebSocket-Key"] == "dGhlIHNhbXBsZSBub25jZQ=="
    assert h.get_all("X-Two") == ["a", "b"]
    assert h.get("content-length") is None and h.get_content_type() == "text/plain"
    assert h._headers[0] == ("Host", "x")  # what eventlet builds the environ from


def test_the_block_ends_at_the_empty_line_or_the_end_of_input():
    stream = io.BytesIO(b"A: 1\n\nB: 2\r\n\r\n")
    assert list(read_headers(stream.readline).items()) == [("A", "1")]
    assert stream.read() == b"B: 2\r\n\r\n"  # the body is left to whoever reads it
    assert list(_headers(b"A: 1\r\n").items()) == [("A", "1")]


@pytest.mark.parametrize("block, status", [
    (b"Host: x\r\n folded: on\r\n\r\n", 400),
    (b"Host: x\r\n\tX: y\r\n\r\n", 400),
    (b"no colon here\r\n\r\n", 400),
    (b"Bad Name: x\r\n\r\n", 400),
    (b"Content-Length : 4\r\n\r\n", 400),     # whitespace before the colon
    (b": empty name\r\n\r\n", 400),
    (b"Content-Length: 4\r\ncontent-length: 5\r\n\r\n", 400),
    (b"X: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    (b"".join(b"X-%d: y\r\n" % i for i in range(MAX_HEADERS + 1)) + b"\r\n", 431),
])
def test_header_blocks_the_server_will_not_serve(block, status):
    with pytest.raises(BadHead) as err:
        _headers(block)
    assert err.value.status == status


def test_the_same_content_length_twice_is_one_length():
    assert _headers(b"Content-Length: 4\r\nContent-Length: 4\r\n\r\n")["content-length"] == "4"
    assert len(_headers(b"".join(b"X-%d: y\r\n" % i for i in range(MAX_HEADERS)) + b"\r\n")) == MAX_HEADERS
