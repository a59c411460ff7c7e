"""The load generator: R rooms of 1 facilitator + 1 customer + 1 agent + 4
observers, each a python-socketio AsyncClient over websocket, playing full
rounds through the contract (PROTOCOL.md).

It runs as its own process, one per measured run, so that no two runs share
a heap or an event loop and the server under test never shares one with it:

    python -m bench.loadgen CONFIG.json OUT.json

Phases: setup (create rooms, connect, host and join; not measured) → the
generator collects its garbage, freezes what setup made and DISABLES its own
cyclic GC for the load phase (its collections would show up as server
latency) → warm-up (load, not measured) → the measured window → stop, drain
what is in flight, write OUT.json, exit (the sockets close with the process).

Two servers can be driven, with the same room structure and the same mark
and temperature schedule:

- ``calmroom``: the real contract. Per round: ``start_round {}`` (rotation;
  the card's steps and who plays come from the ``state`` the facilitator is
  pushed, as in the console: ``sync`` only if it did not come),
  ``begin_roleplay``;
  observers ``mark_step`` and the customer ``set_temperature`` while the
  role-play runs; ``end_roleplay``; each observer ``score_step`` for each
  step and ``rate_global``; ``reveal_results``; the next round.
- ``floor``: ``join`` {room} and ``mark`` (broadcast to the room + ack) only;
  the control events of a round become pauses of the same length, the
  temperature is a ``mark`` too.

Open loop by default: every observer has its own jittered timer (mean
``mark_interval_s``) and sends whether or not its previous mark was acked.
``closed_loop``: every observer sends its next mark as soon as the previous
ack is back (for throughput). Before the room's role-play ends the room stops
sending and waits for what is in flight, so no mark is refused for arriving
after ``end_roleplay``.

Latency: the ack latency is measured on the sending socket; the delivery
latency uses the send time (time.monotonic of this one process) carried in
the mark's ``note`` as ``t=<seconds>`` and read by the facilitator's socket
on ``step_marked``.
"""
from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import random
import resource
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import socketio

from .stats import machine_busy_ticks, proc_cpu_ticks, services_cpu_ticks, proc_rss_mb, summary_ms, ticks_to_s

FLOOR_STEPS = ["listen", "empathy", "ask", "solve", "agree", "stay_calm", "apology"]

DEFAULTS: dict[str, Any] = {
    "mode": "calmroom",          # or "floor"
    "urls": ["http://127.0.0.1:5000"],
    "server_pids": [],
    "rooms": 10,
    "observers": 4,
    "seconds": 20.0,             # the measured window
    "warmup_s": 10.0,
    "mark_interval_s": 5.0,      # per observer, mean; open loop
    "temp_interval_s": 10.0,     # the customer, mean; open loop
    "closed_loop": False,
    "briefing_s": 1.0,
    "roleplay_s": 60.0,
    "scoring_s": 10.0,
    "review_s": 2.0,
    "deck": "angry-customer-en",
    "ack_timeout_s": 10.0,
    "connect_timeout_s": 15.0,
    "connect_concurrency": 64,
    "setup_timeout_s": 240.0,
    "drain_timeout_s": 15.0,
    "seed": None,
    "progress": True,
}


def log(msg: str) -> None:
    print(f"[loadgen {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass(eq=False)
class Peer:
    room: "Room"
    name: str
    url: str
    sio: socketio.AsyncClient
    pid: str | None = None  # participant id (calmroom); None for the facilitator
    connected: bool = False
    state: dict | None = None  # the facilitator's latest pushed `state` (calmroom)


@dataclass(eq=False)
class Room:
    idx: int
    code: str = ""
    fac_token: str = ""
    deck: dict | None = None  # the deck part of the facilitator's state (calmroom)
    fac: Peer | None = None
    parts: list[Peer] = field(default_factory=list)
    steps: list[str] = field(default_factory=lambda: list(FLOOR_STEPS))
    scale: tuple[int, int] = (0, 3)
    customer: str | None = None
    agent: str | None = None
    roleplay: bool = False
    inflight: int = 0
    rounds: int = 0
    ok: bool = True
    roleplay_evt: asyncio.Event = field(default_factory=asyncio.Event)
    drained: asyncio.Event = field(default_factory=asyncio.Event)

    def role(self, peer: Peer) -> str:
        who = peer.pid or peer.name
        if who == self.customer:
            return "customer"
        if who == self.agent:
            return "agent"
        return "observer"

    def begin(self) -> None:
        self.roleplay = True
        self.roleplay_evt.set()

    def end(self) -> None:
        self.roleplay = False
        self.roleplay_evt.clear()

    def sent(self) -> None:
        self.inflight += 1
        self.drained.clear()

    def done(self) -> None:
        self.inflight -= 1
        if self.inflight == 0:
            self.drained.set()


class LoadGen:
    def __init__(self, cfg: dict):
        self.cfg = {**DEFAULTS, **cfg}
        c = self.cfg
        self.mode = c["mode"]
        self.floor = self.mode == "floor"
        self.rng = random.Random(c["seed"])
        self.ack_timeout = float(c["ack_timeout_s"])
        self.rooms = [Room(i) for i in range(int(c["rooms"]))]
        self.stop_evt = asyncio.Event()
        self.stopping = False
        self.t0 = float("inf")  # the measured window [t0, t1)
        self.t1 = float("inf")
        self.tasks: set[asyncio.Task] = set()
        # figures
        self.connect_lat: list[float] = []
        self.ack_lat: list[float] = []
        self.ack_at: list[float] = []  # send time in the window of each ack_lat entry
        self.deliver_lat: list[float] = []
        self.temp_lat: list[float] = []
        self.control_lat: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.error_samples: list[str] = []
        self.marks_sent = 0
        self.marks_acked: list[tuple[str, str, str]] = []   # (room code, author, id)
        self.marks_refused: list[tuple[str, str, str, str]] = []  # ... + error code: must not be stored
        self.marks_unknown: list[tuple[str, str, str, str]] = []  # timed out / failed: may or may not be stored
        self.window_marks = 0
        self.window_temps = 0
        self.temps_acked = 0
        self.received: Counter = Counter()
        self.rss_peak: dict[int, float] = {}
        self.server_window: dict = {}
        self.gen_window: dict = {}

    # -- small helpers --------------------------------------------------
    def in_window(self, t: float) -> bool:
        return self.t0 <= t < self.t1

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 30:
            self.error_samples.append(f"{kind}: {detail}"[:300])

    def spawn(self, coro) -> asyncio.Task:
        t = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(t)
        t.add_done_callback(self._done)
        return t

    def _done(self, t: asyncio.Task) -> None:
        self.tasks.discard(t)
        if not t.cancelled() and t.exception() is not None:  # a bug of the generator is an error of the run
            exc = t.exception()
            self.error(f"generator:{type(exc).__name__}", repr(exc))

    async def pause(self, seconds: float) -> bool:
        """Sleep; False when the run is stopping (at once or during the sleep)."""
        if self.stopping:
            return False
        try:
            await asyncio.wait_for(self.stop_evt.wait(), max(0.0, seconds))
            return False
        except asyncio.TimeoutError:
            return not self.stopping

    def url_for(self, room: Room, seat: int) -> str:
        urls = self.cfg["urls"]
        return urls[(room.idx + seat) % len(urls)]

    def new_peer(self, room: Room, name: str, seat: int, http: aiohttp.ClientSession) -> Peer:
        sio = socketio.AsyncClient(reconnection=False, handle_sigint=False, http_session=http)
        peer = Peer(room=room, name=name, url=self.url_for(room, seat), sio=sio)
        counter = self.received

        def anything(event, *args):
            counter[event] += 1

        sio.on("*", anything)
        if seat == 0 and not self.floor:  # the console keeps the state it is pushed (no `sync` after a command)
            def on_state(data):
                counter["state"] += 1
                peer.state = data

            sio.on("state", on_state)
        if seat == 0:  # the facilitator: mark -> facilitator delivery
            sio.on("step_marked", self._on_marked)
            sio.on("marked", self._on_marked)
        return peer

    def _on_marked(self, data: dict) -> None:
        now = time.monotonic()
        self.received["to_facilitator"] += 1
        mark = data.get("mark", data) if isinstance(data, dict) else {}
        note = mark.get("note") or ""
        if note.startswith("t="):
            try:
                t = float(note[2:])
            except ValueError:
                return
            if self.in_window(t):
                self.deliver_lat.append(now - t)

    async def call(self, peer: Peer, event: str, data: dict, *, record: bool = True) -> dict | None:
        """A control event: its ack, or None after counting the error."""
        t = time.monotonic()
        try:
            ack = await peer.sio.call(event, data, timeout=self.ack_timeout)
        except Exception as exc:  # timeout, disconnected
            self.error(f"{event}:{type(exc).__name__}", f"{peer.room.code} {peer.name} {exc}")
            return None
        if record and self.in_window(t):
            self.control_lat[event].append(time.monotonic() - t)
        if not isinstance(ack, dict) or not ack.get("ok"):
            err = (ack or {}).get("error", {}) if isinstance(ack, dict) else {}
            self.error(f"{event}:{err.get('code', 'bad_ack')}", f"{peer.room.code} {peer.name} {err.get('message', ack)}")
            return None
        return ack

    # -- setup ----------------------------------------------------------
    async def setup(self) -> None:
        c = self.cfg
        conn_sem = asyncio.Semaphore(int(c["connect_concurrency"]))
        http_sem = asyncio.Semaphore(16)
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=0)
        self.http = aiohttp.ClientSession(connector=connector)

        async def connect(peer: Peer) -> bool:
            async with conn_sem:
                t = time.monotonic()
                try:
                    await peer.sio.connect(
                        peer.url, transports=["websocket"], wait_timeout=float(c["connect_timeout_s"])
                    )
                except Exception as exc:
                    self.error(f"connect:{type(exc).__name__}", f"{peer.room.idx} {peer.name} {exc}")
                    return False
                self.connect_lat.append(time.monotonic() - t)
                peer.connected = True
                return True

        async def create(room: Room) -> None:
            if self.floor:
                room.code = f"F{room.idx:05d}"
                return
            async with http_sem:
                url = self.url_for(room, 0) + "/api/rooms"
                async with self.http.post(url, json={"deck": c["deck"], "title": f"bench {room.idx}"},
                                          timeout=aiohttp.ClientTimeout(total=30)) as r:
                    body = await r.json()
                    if r.status != 201:
                        raise RuntimeError(f"POST /api/rooms: {r.status} {body}")
            room.code, room.fac_token = body["code"], body["facilitator_token"]

        async def seat(room: Room, peer: Peer) -> None:
            if not await connect(peer):
                room.ok = False
                return
            if self.floor:
                ack = await self.call(peer, "join", {"room": room.code}, record=False)
            elif peer is room.fac:
                ack = await self.call(peer, "host_room", {"room": room.code, "facilitator_token": room.fac_token}, record=False)
                if ack:
                    room.deck = ack["state"].get("deck")  # (a pushed state leaves the deck out: it does not change)
            else:
                ack = await self.call(peer, "join_room", {"room": room.code, "name": peer.name}, record=False)
                if ack:
                    peer.pid = ack["you"]["id"]
            if ack is None:
                room.ok = False

        async def setup_room(room: Room) -> None:
            try:
                await create(room)
            except Exception as exc:
                self.error(f"create_room:{type(exc).__name__}", str(exc))
                room.ok = False
                return
            room.fac = self.new_peer(room, f"fac{room.idx}", 0, self.http)
            room.parts = [self.new_peer(room, f"p{j}", j + 1, self.http) for j in range(2 + int(c["observers"]))]
            await seat(room, room.fac)
            await asyncio.gather(*(seat(room, p) for p in room.parts))
            if self.floor:
                room.customer, room.agent = room.parts[0].name, room.parts[1].name

        await asyncio.gather(*(setup_room(r) for r in self.rooms))

    # -- the play ---------------------------------------------------------
    async def send_mark(self, room: Room, peer: Peer) -> None:
        """One mark; `room.sent()` was called by the caller, synchronously."""
        try:
            mid = uuid.uuid4().hex
            t = time.monotonic()
            payload = {
                "id": mid,
                "step": self.rng.choice(room.steps),
                "rating": self.rng.randint(*room.scale),
                "note": f"t={t:.6f}",
            }
            author = peer.pid or peer.name
            self.marks_sent += 1
            try:
                ack = await peer.sio.call("mark" if self.floor else "mark_step", payload, timeout=self.ack_timeout)
            except Exception as exc:
                self.error(f"mark_step:{type(exc).__name__}", f"{room.code} {peer.name} {exc}")
                self.marks_unknown.append((room.code, author, mid, type(exc).__name__))
                return
            t2 = time.monotonic()
            if isinstance(ack, dict) and ack.get("ok"):
                self.marks_acked.append((room.code, author, mid))
                if self.in_window(t):
                    self.ack_lat.append(t2 - t)
                    self.ack_at.append(t - self.t0)
                if self.in_window(t2):
                    self.window_marks += 1
            else:
                err = ack.get("error", {}) if isinstance(ack, dict) else {}
                code = err.get("code", "bad_ack")
                self.error(f"mark_step:{code}", f"{room.code} {peer.name} {err.get('message', ack)}")
                self.marks_refused.append((room.code, author, mid, code))
        finally:
            room.done()

    async def send_temperature(self, room: Room, peer: Peer) -> None:
        try:
            t = time.monotonic()
            if self.floor:
                event, payload = "mark", {"kind": "temperature", "id": uuid.uuid4().hex, "level": self.rng.randint(0, 10)}
            else:
                event, payload = "set_temperature", {"id": uuid.uuid4().hex, "level": self.rng.randint(0, 10)}
            try:
                ack = await peer.sio.call(event, payload, timeout=self.ack_timeout)
            except Exception as exc:
                self.error(f"set_temperature:{type(exc).__name__}", f"{room.code} {peer.name} {exc}")
                return
            t2 = time.monotonic()
            if isinstance(ack, dict) and ack.get("ok"):
                self.temps_acked += 1
                if self.in_window(t):
                    self.temp_lat.append(t2 - t)
                if self.in_window(t2):
                    self.window_temps += 1
            else:
                err = ack.get("error", {}) if isinstance(ack, dict) else {}
                self.error(f"set_temperature:{err.get('code', 'bad_ack')}", f"{room.code} {peer.name} {err.get('message', ack)}")
        finally:
            room.done()

    async def open_loop(self, room: Room, peer: Peer, interval: float, role: str, send) -> None:
        """A jittered timer per client; sends without waiting for the previous ack."""
        next_t = time.monotonic() + self.rng.uniform(0, interval)
        while not self.stopping:
            delay = next_t - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            next_t += interval * self.rng.uniform(0.5, 1.5)
            if self.stopping:
                return
            if room.roleplay and room.role(peer) == role:
                room.sent()
                self.spawn(send(room, peer))

    async def closed_loop(self, room: Room, peer: Peer) -> None:
        """The next mark as soon as the previous ack is back."""
        while not self.stopping:
            if room.roleplay and room.role(peer) == "observer":
                room.sent()
                await self.send_mark(room, peer)
            elif not room.roleplay:
                try:
                    await asyncio.wait_for(room.roleplay_evt.wait(), 0.5)
                except asyncio.TimeoutError:
                    pass
            else:  # playing this round, not observing
                await asyncio.sleep(0.25)

    async def drain(self, room: Room) -> None:
        if room.inflight:
            try:
                await asyncio.wait_for(room.drained.wait(), float(self.cfg["drain_timeout_s"]))
            except asyncio.TimeoutError:
                self.error("drain:timeout", f"{room.code} {room.inflight} in flight")

    async def play(self, room: Room) -> None:
        c = self.cfg
        first = True
        # rooms begin their first round at random moments of the warm-up, not
        # all in the same second (300 start_round + begin_roleplay at once is
        # a burst no workshop makes, and it would land in the window)
        if not await self.pause(self.rng.uniform(0, 0.6 * float(c["warmup_s"]))):
            return
        while not self.stopping:
            if self.floor:
                if not await self.pause(c["briefing_s"]):
                    return
            else:
                if await self.call(room.fac, "start_round", {}) is None:
                    room.ok = False
                    return
                # the console reads the new round from the `state` it is pushed
                # (sent before the ack); `sync` only when that did not come
                state = room.fac.state
                if not state or state.get("phase") != "briefing" or not state.get("round"):
                    self.received["sync_after_start_round"] += 1
                    ack = await self.call(room.fac, "sync", {})
                    if ack is None:
                        room.ok = False
                        return
                    state = ack["state"]
                rnd = state["round"]
                room.steps = list(rnd["card"]["steps"]) or list(FLOOR_STEPS)
                deck = state.get("deck") or room.deck
                room.scale = (int(deck["scale"]["min"]), int(deck["scale"]["max"]))
                room.customer, room.agent = rnd["customer"], rnd["agent"]
                if not await self.pause(c["briefing_s"]):
                    return
                if await self.call(room.fac, "begin_roleplay", {}) is None:
                    room.ok = False
                    return
            # the first round is cut short at random so the rooms do not move in step
            length = c["roleplay_s"] * (self.rng.uniform(0.05, 1.0) if first else self.rng.uniform(0.8, 1.2))
            first = False
            room.begin()
            going_on = await self.pause(length)
            room.end()
            await self.drain(room)
            if not going_on:
                return
            if self.floor:
                if not await self.pause(c["scoring_s"] + c["review_s"]):
                    return
                room.rounds += 1
                continue
            if await self.call(room.fac, "end_roleplay", {}) is None:
                room.ok = False
                return
            observers = [p for p in room.parts if room.role(p) == "observer"]
            await asyncio.gather(*(self.score(room, p) for p in observers))
            if await self.call(room.fac, "reveal_results", {}) is None:
                room.ok = False
                return
            room.rounds += 1
            if not await self.pause(c["review_s"]):
                return

    async def score(self, room: Room, peer: Peer) -> None:
        """An observer's final scores: every step, then the global rating, spread over scoring_s."""
        span = float(self.cfg["scoring_s"])
        events = [("score_step", {"step": s, "rating": self.rng.choice([None, *range(room.scale[0], room.scale[1] + 1)])})
                  for s in room.steps]
        events.append(("rate_global", {"rating": self.rng.randint(1, 5)}))
        gap = span / (len(events) + 1)
        for event, data in events:
            if not await self.pause(gap * self.rng.uniform(0.5, 1.5)):
                return  # the run is over; what was not sent is not missing
            await self.call(peer, event, data)

    # -- measuring the servers ------------------------------------------
    async def sampler(self) -> None:
        pids = [int(p) for p in self.cfg["server_pids"]]
        await asyncio.sleep(max(0.0, self.t0 - time.monotonic()))
        if self.cfg.get("window_marker"):  # tells the orchestrator (e.g. a profiler) the window has begun
            with open(self.cfg["window_marker"], "w") as f:
                f.write(f"{time.time()}\n")
        ticks0 = {p: proc_cpu_ticks(p) for p in pids}
        busy0 = machine_busy_ticks()
        svc0 = services_cpu_ticks()
        gen0 = os.times()
        w0 = time.monotonic()
        rss_end: dict[int, float | None] = {}
        while time.monotonic() < self.t1:
            for p in pids:
                r = proc_rss_mb(p)
                if r is not None:
                    self.rss_peak[p] = max(self.rss_peak.get(p, 0.0), r)
            await asyncio.sleep(min(1.0, max(0.0, self.t1 - time.monotonic())))
        ticks1 = {p: proc_cpu_ticks(p) for p in pids}
        busy1 = machine_busy_ticks()
        svc1 = services_cpu_ticks()
        gen1 = os.times()
        wall = time.monotonic() - w0
        for p in pids:
            rss_end[p] = proc_rss_mb(p)
        cpu = {}
        for p in pids:
            if ticks0[p] is not None and ticks1[p] is not None:
                cpu[p] = ticks_to_s(ticks1[p] - ticks0[p])
        busy = ticks_to_s(busy1 - busy0) if busy0 is not None and busy1 is not None else None
        self.server_window = {"wall_s": wall, "cpu_s": cpu, "rss_end_mb": rss_end, "machine_busy_s": busy,
                              "services_s": ticks_to_s(svc1 - svc0)}
        self.gen_window = {"cpu_s": (gen1.user - gen0.user) + (gen1.system - gen0.system), "wall_s": wall}

    async def progress(self) -> None:
        last = 0
        while not self.stopping:
            await asyncio.sleep(10)
            n = len(self.marks_acked)
            phase = "warm-up" if time.monotonic() < self.t0 else "measuring"
            log(f"{phase}: {n} marks acked (+{(n - last) / 10:.0f}/s), {sum(self.errors.values())} errors, "
                f"{len(self.tasks)} in flight")
            last = n

    def timeline(self, bucket_s: float = 5.0) -> list[dict]:
        """Mark ack latency per `bucket_s` of the window: when did it go wrong."""
        buckets: dict[int, list[float]] = defaultdict(list)
        for at, lat in zip(self.ack_at, self.ack_lat):
            buckets[int(at // bucket_s)].append(lat)
        return [{"t_s": k * bucket_s, **summary_ms(v, (50, 99))} for k, v in sorted(buckets.items())]

    # -- the run ----------------------------------------------------------
    async def run(self) -> dict:
        c = self.cfg
        t_setup = time.monotonic()
        pids = list(c.get("server_pids") or [])
        setup_ticks0 = {p: proc_cpu_ticks(p) for p in pids}
        setup_gen0 = os.times()
        log(f"{self.mode}: setting up {len(self.rooms)} rooms ({len(self.rooms) * (3 + c['observers'])} sockets) "
            f"on {len(c['urls'])} worker(s)")
        try:
            await asyncio.wait_for(self.setup(), float(c["setup_timeout_s"]))
        except asyncio.TimeoutError:
            self.error("setup:timeout", f"setup took more than {c['setup_timeout_s']} s")
        setup_s = time.monotonic() - t_setup
        setup_ticks1 = {p: proc_cpu_ticks(p) for p in pids}
        setup_gen1 = os.times()
        self.setup_cpu = {  # where the set-up's time went: the server's CPU over it, and the generator's
            "server_cpu_s": round(sum(ticks_to_s(setup_ticks1[p] - setup_ticks0[p]) for p in pids
                                      if setup_ticks0[p] is not None and setup_ticks1[p] is not None), 2),
            "generator_cpu_s": round((setup_gen1.user - setup_gen0.user) + (setup_gen1.system - setup_gen0.system), 2),
        }
        connected = sum(p.connected for r in self.rooms for p in ([r.fac] if r.fac else []) + r.parts)
        log(f"setup done in {setup_s:.1f} s: {connected} sockets connected, {sum(self.errors.values())} errors")
        if c.get("setup_marker"):  # tells the orchestrator (a profiler of the set-up) it is over
            with open(c["setup_marker"], "w") as f:
                f.write(f"{setup_s:.3f}\n")

        # the generator's own collector: collect now, keep setup's objects out of
        # its way, and keep it off during the load (it would show as server latency)
        gc.collect()
        gc.freeze()
        gc.disable()

        playing = [r for r in self.rooms if r.ok]
        start = time.monotonic()
        self.t0 = start + float(c["warmup_s"])
        self.t1 = self.t0 + float(c["seconds"])
        log(f"load: {len(playing)} rooms, {'closed' if c['closed_loop'] else 'open'} loop, "
            f"warm-up {c['warmup_s']} s, measuring {c['seconds']} s (generator GC disabled)")
        for r in playing:
            self.spawn(self.play(r))
        loops: list[asyncio.Task] = []
        for r in playing:
            for p in r.parts:
                if c["closed_loop"]:
                    loops.append(self.spawn(self.closed_loop(r, p)))
                else:
                    loops.append(self.spawn(self.open_loop(r, p, float(c["mark_interval_s"]), "observer", self.send_mark)))
                loops.append(self.spawn(self.open_loop(r, p, float(c["temp_interval_s"]), "customer", self.send_temperature)))
        sampler = self.spawn(self.sampler())
        prog = self.spawn(self.progress()) if c["progress"] else None

        await asyncio.sleep(max(0.0, self.t1 - time.monotonic()))
        self.stopping = True
        self.stop_evt.set()
        t_stop = time.monotonic()
        await asyncio.wait_for(sampler, 5)
        for t in loops:
            if not c["closed_loop"]:
                t.cancel()
        if prog:
            prog.cancel()
        rest = [t for t in self.tasks if not t.done()]
        if rest:
            done, pending = await asyncio.wait(rest, timeout=self.ack_timeout + float(c["drain_timeout_s"]) + 5)
            for t in pending:
                t.cancel()
            if pending:
                self.error("stop:timeout", f"{len(pending)} tasks still running at the end")
        drain_s = time.monotonic() - t_stop
        gen_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        gc.enable()
        return self.result(setup_s, drain_s, gen_rss, playing)

    def result(self, setup_s: float, drain_s: float, gen_rss_mb: float, playing: list[Room]) -> dict:
        c = self.cfg
        secs = float(c["seconds"])
        sw = self.server_window
        cpu = sw.get("cpu_s", {})
        wall = sw.get("wall_s") or secs
        rss_end = sw.get("rss_end_mb", {})
        cpu_total = sum(cpu.values()) if cpu else None
        sockets = sum(1 for r in self.rooms for p in ([r.fac] if r.fac else []) + r.parts if p.connected)
        return {
            "mode": self.mode,
            "rooms": len(self.rooms),
            "rooms_playing": len(playing),
            "room_codes": [r.code for r in self.rooms if r.code],
            "participants": len(self.rooms) * (2 + int(c["observers"])),
            "sockets": len(self.rooms) * (3 + int(c["observers"])),
            "sockets_connected": sockets,
            "workers": len(c["urls"]),
            "closed_loop": bool(c["closed_loop"]),
            "seconds": secs,
            "warmup_s": c["warmup_s"],
            "setup_s": round(setup_s, 2),
            "setup_cpu": getattr(self, "setup_cpu", {}),
            "drain_s": round(drain_s, 2),
            "rates": {"mark_interval_s": c["mark_interval_s"], "temp_interval_s": c["temp_interval_s"],
                      "roleplay_s": c["roleplay_s"], "scoring_s": c["scoring_s"]},
            "connect_ms": summary_ms(self.connect_lat, (50, 99)),
            "marks_sent": self.marks_sent,
            "marks_acked": len(self.marks_acked),
            "marks_refused": len(self.marks_refused),
            "marks_unknown": len(self.marks_unknown),
            "window_marks_acked": self.window_marks,
            "window_temps_acked": self.window_temps,
            "temps_acked": self.temps_acked,
            "events_per_s": round(self.window_marks / secs, 1),
            "temps_per_s": round(self.window_temps / secs, 1),
            "ack_ms": summary_ms(self.ack_lat, (50, 95, 99)),
            "ack_timeline": self.timeline(),
            "deliver_ms": summary_ms(self.deliver_lat, (50, 99)),
            "temp_ack_ms": summary_ms(self.temp_lat, (50, 99)),
            "control_ms": {k: summary_ms(v, (50, 99)) for k, v in sorted(self.control_lat.items())},
            "rounds_played": sum(r.rounds for r in self.rooms),
            "errors": sum(self.errors.values()),
            "errors_by_kind": dict(self.errors),
            "error_samples": self.error_samples,
            "messages_received": dict(self.received),
            "server_pids": c["server_pids"],
            "server_cpu_pct": round(100 * cpu_total / wall, 1) if cpu_total is not None else None,
            "server_cpu_pct_per_worker": [round(100 * v / wall, 1) for v in cpu.values()],
            "server_cpu_ms_per_mark": round(1000 * cpu_total / self.window_marks, 3) if cpu_total and self.window_marks else None,
            "server_rss_mb": round(sum(v for v in rss_end.values() if v), 1) if rss_end else None,
            "server_rss_peak_mb": round(sum(self.rss_peak.values()), 1) if self.rss_peak else None,
            "machine_busy_cores": round(sw["machine_busy_s"] / wall, 2) if sw.get("machine_busy_s") is not None else None,
            "db_and_queue_cpu_pct": round(100 * sw.get("services_s", 0) / wall, 1) if sw else None,
            "other_processes_cpu_pct": (
                round(100 * (sw["machine_busy_s"] - (cpu_total or 0) - self.gen_window.get("cpu_s", 0)
                             - sw.get("services_s", 0)) / wall, 1)
                if sw.get("machine_busy_s") is not None else None
            ),
            "loadavg_end": [float(x) for x in open("/proc/loadavg").read().split()[:3]],
            "generator": {
                "cpu_pct": round(100 * self.gen_window.get("cpu_s", 0) / wall, 1) if self.gen_window else None,
                "max_rss_mb": round(gen_rss_mb, 1),
                "gc": "collected and frozen after setup, disabled during warm-up and measurement",
                "loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
            },
            "acked_marks": self.marks_acked,
            "refused_marks": self.marks_refused,
            "unknown_marks": self.marks_unknown,
        }


class CountingHandler(logging.Handler):
    """The client libraries log (e.g. engineio's 'packet queue is empty,
    aborting' when the server's pings stop coming); count, do not print."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[f"{record.name}: {record.getMessage()[:80]}"] += 1


CLIENT_LOG = CountingHandler()


def quiet_client_logs() -> None:
    for name in ("engineio.client", "socketio.client", "aiohttp", "asyncio"):
        lg = logging.getLogger(name)
        lg.handlers[:] = [CLIENT_LOG]
        lg.setLevel(logging.WARNING)
        lg.propagate = False


def raise_open_files_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft


async def amain(cfg: dict, out: str) -> None:
    quiet_client_logs()
    result = await LoadGen(cfg).run()
    result["client_log"] = dict(CLIENT_LOG.counts)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, out)
    sys.stderr.flush()
    sys.stdout.flush()
    # Leave at once: closing thousands of sockets and cancelling their tasks
    # one by one is slow and measures nothing; the kernel closes them.
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m bench.loadgen CONFIG.json OUT.json", file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        cfg = json.load(f)
    files = raise_open_files_limit()
    needed = int(cfg.get("rooms", 10)) * 7 + 100
    if files < needed:
        log(f"warning: open-files limit {files} is below the {needed} sockets this run needs")
    loop = cfg.get("loop", "auto")
    if loop in ("auto", "uvloop"):
        try:
            import uvloop  # a faster event loop keeps the generator from being the bottleneck
        except ImportError:
            if loop == "uvloop":
                raise
        else:
            uvloop.run(amain(cfg, argv[1]))
            return 1  # not reached: amain leaves with os._exit
    asyncio.run(amain(cfg, argv[1]))
    return 1  # not reached: amain leaves with os._exit


if __name__ == "__main__":
    sys.exit(main())
