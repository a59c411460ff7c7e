"""A real python-socketio client for tests that drive a room from outside
the browser (faster than a page per person)."""
from __future__ import annotations

import socketio


class Client:
    """One Socket.IO connection of the facilitator or a participant; every
    call must be acked ok."""

    def __init__(self, url: str, label: str):
        self.label = label
        self.sio = socketio.Client(reconnection=False)
        self.sio.connect(url, transports=["websocket"], wait_timeout=10)
        self.id: str | None = None

    def call(self, event: str, payload: dict | None = None) -> dict:
        ack = self.sio.call(event, payload or {}, timeout=10)
        assert ack["ok"] is True, (self.label, event, ack)
        return ack

    def close(self) -> None:
        try:
            self.sio.disconnect()
        except Exception:  # already gone (e.g. the room was deleted)
            pass
