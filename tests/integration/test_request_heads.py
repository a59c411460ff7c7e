"""Requests read by requesthead.py, against a real server: a malformed or
smuggling-shaped head gets its status and changes nothing, keep-alive and
`Connection: close` behave as before, and websockets and the API still work."""
from __future__ import annotations

import socket

import requests


def _exchange(port: int, data: bytes, *, wait_close: bool = True) -> bytes:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(data)
        got = b""
        while True:
            try:
                part = s.recv(65536)
            except socket.timeout:
                break
            if not part:
                break
            got += part
            if not wait_close and b"\r\n\r\n" in got:
                break
        return got
    finally:
        s.close()


def test_bad_heads_get_their_status_and_the_server_goes_on(server, clients):
    srv = server()
    for data, status in [
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\n folded: on\r\n\r\n", b"400"),
        (b"GET /healthz HTTP/1.1\r\nBad Name: x\r\n\r\n", b"400"),
        (b"POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}", b"400"),
        (b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", b"505"),
    ]:
        reply = _exchange(srv.port, data)
        assert reply.split(b"\r\n", 1)[0].split(b" ")[1] == status, (data, reply[:200])
    rooms_before = requests.get(f"{srv.url}/healthz", timeout=5)
    assert rooms_before.status_code == 200
    code = requests.post(f"{srv.url}/api/rooms", json={"deck": "angry-customer-en"}, timeout=10).json()["code"]
    assert clients(srv.url, "Ann").ok("join_room", {"room": code, "name": "Ann"})["you"]["name"] == "Ann"


def test_keep_alive_and_connection_close(server):
    srv = server()
    two = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    reply = _exchange(srv.port, two)
    assert reply.count(b"HTTP/1.1 200") == 2  # both answered on one connection, then it was closed
    one = _exchange(srv.port, b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n")
    assert one.startswith(b"HTTP/1.1 200") and one.count(b"HTTP/1.1") == 1
