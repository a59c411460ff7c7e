"""A real `calmroom serve` process and real python-socketio clients."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
import requests
import socketio


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, tmp: Path, *, async_mode: str = "eventlet", env: dict | None = None, database_url: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "CALMROOM_DATABASE_URL": database_url or f"sqlite:///{tmp / 'calmroom.db'}",
            "CALMROOM_ASYNC_MODE": async_mode,
            "CALMROOM_CLOCK_TICK_S": "0.2",
            "CALMROOM_RATE_LIMIT": "200/second",  # test clients are faster than people
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "ServerProcess":
        self._log = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "calmroom", "serve", "--port", str(self.port)],
            env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()


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
