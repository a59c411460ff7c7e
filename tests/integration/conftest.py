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
        self.roster: dict | None = None  # {version, participants}: the last whole state with the deltas after it

    def _record(self, event, data=None):
        with self.lock:
            self.received[event].append(data)
            items = data["events"] if event == "batch" else [[event, data]]
            for name, payload in items:
                self._fold(name, payload)

    def _fold(self, name: str, p: dict) -> None:
        r = self.roster
        if r is None or name not in ("participant_joined", "participant_left", "presence_changed") or p["version"] <= r["version"]:
            return
        people = r["participants"]
        if name == "participant_joined":
            people = [x for x in people if x["id"] != p["participant"]["id"]] + [p["participant"]]
        elif name == "participant_left":
            people = [x for x in people if x["id"] != p["participant"]]
        else:
            people = [{**x, "connected": p["connected"]} if x["id"] == p["participant"] else x for x in people]
        self.roster = {"version": p["version"], "participants": people}

    def call(self, event: str, payload: dict | None = None) -> dict:
        ack = self.sio.call(event, payload if payload is not None else {}, timeout=10)
        state = ack.get("state") if isinstance(ack, dict) and ack.get("ok") else None
        if state is not None:
            with self.lock:
                if self.roster is None or state["version"] >= self.roster["version"]:
                    self.roster = {"version": state["version"], "participants": state["participants"]}
        return ack

    def wait_people(self, pred, timeout: float = 10) -> list:
        """The participants as this client folds them (whole state, then the deltas), once `pred` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.roster is not None and pred(self.roster["participants"]):
                    return self.roster["participants"]
            time.sleep(0.02)
        raise AssertionError(f"{self.name}: the participants never matched; last {self.roster}")

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
