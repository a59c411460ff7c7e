"""A real `calmroom serve` process and real python-socketio clients."""
from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest
import socketio

from helpers.server import ServerProcess


class Client:
    """A python-socketio client over websocket that records every server event."""

    def __init__(self, url: str, name: str):
        self.name = name
        self.url = url
        self.received: dict[str, list] = defaultdict(list)
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", self._record)
        self.sio.connect(url, transports=["websocket"], wait_timeout=10)
        self.id: str | None = None
        self.token: str | None = None

    def _record(self, event, data=None):
        with self.lock:
            self.received[event].append(data)

    def call(self, event: str, payload: dict | None = None) -> dict:
        return self.sio.call(event, payload if payload is not None else {}, timeout=10)

    def ok(self, event: str, payload: dict | None = None) -> dict:
        ack = self.call(event, payload)
        assert ack["ok"] is True, (self.name, event, ack)
        return ack

    def wait_for(self, event: str, pred=lambda p: True, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for p in self.received[event]:
                    if pred(p):
                        return p
            time.sleep(0.02)
        raise AssertionError(f"{self.name} did not receive {event} in {timeout}s; got {dict(self.received).keys()}")

    def events(self, event: str) -> list:
        with self.lock:
            return list(self.received[event])

    def close(self) -> None:
        try:
            self.sio.disconnect()
        except Exception:
            pass


@pytest.fixture
def server(tmp_path):
    started: list[ServerProcess] = []

    def start(**kw) -> ServerProcess:
        s = ServerProcess(tmp_path, **kw).start()
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def clients():
    made: list[Client] = []

    def make(url: str, name: str) -> Client:
        c = Client(url, name)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()
