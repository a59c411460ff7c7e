"""A room driven through Flask-SocketIO's test client: its facilitator and
members, each socket with what it received. Shared by the socket suites."""
from __future__ import annotations

import time
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
    snapshots: list = field(default_factory=list)  # (len(inbox) when it came, the `state` of an ack)

    def call(self, event: str, payload: Any = None, *more: Any) -> dict:
        args = () if payload is None and not more else (payload, *more)
        self.pump()
        ack = self.client.emit(event, *args, callback=True)
        if isinstance(ack, dict) and ack.get("ok") and isinstance(ack.get("state"), dict):
            self.snapshots.append((len(self.inbox), ack["state"]))
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

    def wait_for(self, name: str, timeout: float = 3.0) -> list[Any]:
        """The events of that name, waiting a little for the first (batches
        go out at the end of their window, from another thread)."""
        deadline = time.monotonic() + timeout
        while not self.events(name) and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.events(name)

    def last_state(self) -> dict:
        states = self.events("state")
        assert states, f"{self.name} received no state"
        return states[-1]

    def view(self) -> dict:
        """The room as a client that folds what it got sees it: the newest
        `state` (an ack's or an event's), then the membership deltas after it.
        The browser's reducer (client/src/reducer.js, fold.js) does the same."""
        self.pump()
        timeline: list[tuple[str, dict]] = []
        marks = iter(self.snapshots)
        nxt = next(marks, None)
        for i, e in enumerate([*self.inbox, None]):
            while nxt is not None and nxt[0] <= i:
                timeline.append(("state", nxt[1]))
                nxt = next(marks, None)
            if e is not None and e["name"] == "batch":
                timeline += [(name, payload) for name, payload in e["args"][0]["events"]]
            elif e is not None:
                timeline.append((e["name"], e["args"][0] if e["args"] else {}))
        view: dict | None = None
        for name, data in timeline:
            if name == "state":
                if "participants" not in data and view is None:
                    continue  # a broadcast before our ack's whole state: the ack is what counts
                if view is None or data["version"] >= view["version"]:
                    old = view
                    view = {k: v for k, v in data.items() if k != "prev"}
                    known = {p["id"]: p for p in [*((old or {}).get("former") or []), *(data.get("former") or [])]}
                    if known:  # names of people who left: what we knew and what came in
                        view["former"] = list(known.values())
                    if "participants" not in view:  # a broadcast: keep the deck and the people, roles from the round
                        rnd = view.get("round")
                        players = {rnd["customer"]: "customer", rnd["agent"]: "agent"} if rnd else {}
                        view["deck"] = old["deck"]
                        view["participants"] = [
                            {**p, "role": players.get(p["id"], "observer") if rnd else None} for p in old["participants"]
                        ]
                    if "deck" not in view and old is not None:  # a fishbowl's broadcast lists its players, not the deck
                        view["deck"] = old["deck"]
                    me = next((p for p in view["participants"] if p["id"] == self.id), None)
                    if me is None and "headcount" in view and old is not None:
                        # the observers' shared view of a fishbowl lists the players only: we are ours
                        me = next((p for p in old["participants"] if p["id"] == self.id), None)
                        if me is not None:
                            me = {**me, "role": "observer" if view.get("round") else None}
                            view["participants"] = [*view["participants"], me]
                    if "you" not in view and me is not None:
                        view["you"] = {"id": me["id"], "name": me["name"], "role": me["role"]}
                continue
            if view is not None and name == "headcount" and data["version"] >= view["version"]:
                counts = {k: data[k] for k in ("people", "observers", "online")}
                view = {**view, "headcount": counts, "version": data["version"]}
                continue
            if view is None or name not in ("participant_joined", "participant_left", "presence_changed"):
                continue
            if data["version"] <= view["version"]:
                continue
            people = view["participants"]
            if name == "participant_joined":
                people = [p for p in people if p["id"] != data["participant"]["id"]] + [data["participant"]]
            elif name == "participant_left":
                gone = [{"id": p["id"], "name": p["name"]} for p in people if p["id"] == data["participant"]]
                if gone:
                    view = {**view, "former": [f for f in view.get("former", []) if f["id"] != gone[0]["id"]] + gone}
                people = [p for p in people if p["id"] != data["participant"]]
            else:
                people = [{**p, "connected": data["connected"]} if p["id"] == data["participant"] else p for p in people]
            view = {**view, "participants": people, "version": data["version"]}
        assert view is not None, f"{self.name} has no state"
        return view

    def clear(self) -> None:
        """Forget what came in, but not the room as folded so far."""
        keep = self.view() if (self.snapshots or self.events("state")) else None
        self.inbox.clear()
        self.snapshots = [(0, keep)] if keep is not None else []


class Room:
    def __init__(self, app, io, http, deck: str = "test-deck", options: dict | None = None):
        self.app, self.io, self.http = app, io, http
        res = http.post("/api/rooms", json={"deck": deck, "title": "Workshop", **({"options": options} if options else {})})
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
