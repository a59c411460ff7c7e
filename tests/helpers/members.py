"""A room driven through Flask-SocketIO's test client: its facilitator and
members, each socket with what it received. Shared by the socket suites."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

@dataclass
class Member:
    """One socket of a facilitator or participant, with what it received."""

    client: Any
    name: str
    id: str | None = None
    token: str | None = None
    inbox: list = field(default_factory=list)

    def call(self, event: str, payload: Any = None, *more: Any) -> dict:
        args = () if payload is None and not more else (payload, *more)
        ack = self.client.emit(event, *args, callback=True)
        self.pump()
        return ack

    def ok(self, event: str, payload: Any = None) -> dict:
        ack = self.call(event, payload if payload is not None else {})
        assert ack["ok"] is True, (event, ack)
        return ack

    def pump(self) -> list:
        if not self.client.is_connected():
            return []  # e.g. kicked: the server dropped this socket; keep what it had received
        got = self.client.get_received()
        self.inbox.extend(got)
        return got

    def events(self, name: str) -> list[Any]:
        self.pump()
        return [e["args"][0] for e in self.inbox if e["name"] == name]

    def last_state(self) -> dict:
        states = self.events("state")
        assert states, f"{self.name} received no state"
        return states[-1]

    def clear(self) -> None:
        self.pump()
        self.inbox.clear()


class Room:
    def __init__(self, app, io, http, deck: str = "test-deck"):
        self.app, self.io, self.http = app, io, http
        res = http.post("/api/rooms", json={"deck": deck, "title": "Workshop"})
        assert res.status_code == 201, res.get_json()
        body = res.get_json()
        self.code = body["code"]
        self.token = body["facilitator_token"]
        self.facilitator = self.connect("facilitator")
        self.facilitator.ok("host_room", {"room": self.code, "facilitator_token": self.token})
        self.people: dict[str, Member] = {}

    def connect(self, name: str) -> Member:
        return Member(self.io.test_client(self.app), name)

    def join(self, name: str) -> Member:
        m = self.connect(name)
        ack = m.ok("join_room", {"room": self.code, "name": name})
        m.id, m.token = ack["you"]["id"], ack["token"]
        self.people[name] = m
        return m

    def everyone(self) -> list[Member]:
        return [self.facilitator, *self.people.values()]

    def clear(self) -> None:
        for m in self.everyone():
            m.clear()
