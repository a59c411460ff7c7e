"""The load generator for one big room: a facilitator, a customer, an agent
and N observers, each a python-socketio AsyncClient over websocket.

    python -m bench.bigroom_gen CONFIG.json OUT.json

Phases, each with a time limit (a stalled server ends the run with a report,
not a hang): set-up (the room, the facilitator, the customer and the agent;
not measured) → the generator collects its garbage, freezes what set-up made
and DISABLES its own cyclic GC until the end → seating: observers connect and
join `batch` at a time (the next batch when the previous one has its acks) →
settling (until no message arrived for `quiet_s`) → `start_round` and
`begin_roleplay`, each timed until every observer has received a `state` in
the new phase → warm-up → the measured role-play window: observers mark
(open loop, jittered timers), the customer moves the meter, each temperature
timed until every observer has received it → drain → `end_roleplay` and
`reveal_results`, timed the same way → OUT.json, exit.

The floor (``mode: floor``) gets the same room, schedule and limits with its
bare events: ``join``, ``phase`` for each phase command, ``temp`` for the
meter, ``note`` (to the facilitator only) or ``mark`` (to the whole room) for
a mark.
"""
from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict

import aiohttp
import socketio

from .loadgen import CLIENT_LOG, FLOOR_STEPS, quiet_client_logs, raise_open_files_limit
from .stats import machine_busy_ticks, proc_cpu_ticks, proc_rss_mb, services_cpu_ticks, summary_ms, ticks_to_s

DEFAULTS = {
    "mode": "calmroom", "url": "http://127.0.0.1:5000", "server_pids": [], "observers": 30, "batch": 50,
    "seconds": 20.0, "warmup_s": 5.0, "mark_interval_s": 10.0, "temp_interval_s": 5.0, "floor_marks": "note",
    "client_allowance": "browser",
    "deck": "angry-customer-en", "connect_timeout_s": 30.0, "ack_timeout_s": 30.0, "seat_timeout_s": 120.0,
    "phase_timeout_s": 30.0, "quiet_s": 1.0, "settle_timeout_s": 30.0, "seed": None,
}
PHASES = [("start_round", "briefing"), ("begin_roleplay", "roleplay"), ("end_roleplay", "scoring"),
          ("reveal_results", "review")]


def log(msg: str) -> None:
    print(f"[bigroom {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Client:
    __slots__ = ("idx", "name", "sio", "pid", "connected", "joined", "dropped")

    def __init__(self, idx: int, name: str, sio: socketio.AsyncClient):
        self.idx, self.name, self.sio = idx, name, sio
        self.pid: str | None = None
        self.connected = self.joined = self.dropped = False


class BigRoom:
    def __init__(self, cfg: dict):
        self.cfg = c = {**DEFAULTS, **cfg}
        self.floor = c["mode"] == "floor"
        self.rng = random.Random(c["seed"])
        self.n = int(c["observers"])
        self.code, self.fac_token = "FLOOR1", ""
        self.steps, self.scale = list(FLOOR_STEPS), (0, 3)
        self.errors: Counter = Counter()
        self.error_samples: list[str] = []
        self.received: Counter = Counter()
        self.last_msg = time.monotonic()
        self.phase_seen: dict[str, dict[int, float]] = {}
        self.temp_seen: dict = defaultdict(list)  # temperature key -> arrival times at observers
        self.connect_lat: list[float] = []
        self.join_lat: list[float] = []
        self.ack_lat: list[float] = []
        self.deliver_lat: list[float] = []
        self.temps: list[tuple[float, object]] = []  # (send time, key) of the window's temperatures
        self.acked: list[tuple[str, str, str]] = []
        self.refused: list[tuple[str, str, str, str]] = []
        self.unknown: list[tuple[str, str, str, str]] = []
        self.window_marks = 0
        self.t0 = self.t1 = float("inf")
        self.inflight: set[asyncio.Task] = set()
        self.rss_peak = 0.0
        self.out: dict = {"mode": c["mode"], "observers": self.n, "batch": int(c["batch"])}

    # -- clients and their handlers ---------------------------------------
    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 30:
            self.error_samples.append(f"{kind}: {detail}"[:300])

    def client(self, idx: int, name: str, observer: bool) -> Client:
        cl = Client(idx, name, socketio.AsyncClient(reconnection=False, handle_sigint=False, http_session=self.http))
        seen, temps, received = self.phase_seen, self.temp_seen, self.received
        temp_event = "temp" if self.floor else "temperature_changed"
        phase_event = "phase" if self.floor else "state"
        key = "id" if self.floor else "t_ms"

        def on_any(event, data=None, *_rest):
            now = self.last_msg = time.monotonic()
            received[event] += 1
            if not observer or not isinstance(data, dict):
                return
            if event == phase_event:
                waiting = seen.get(data.get("phase"))
                if waiting is not None and idx not in waiting:
                    waiting[idx] = now
            elif event == temp_event:
                temps[data.get(key)].append(now)

        def on_disconnect(*args):
            if cl.connected and not self.ending:
                cl.dropped = True
                self.error(f"socket_dropped:{args[0] if args else 'unknown'}", f"{name} at {time.monotonic() - self.t_start:.1f} s")

        cl.sio.on("*", on_any)
        cl.sio.on("disconnect", on_disconnect)
        if idx == -1:
            floor_event = "noted" if self.cfg["floor_marks"] == "note" else "marked"
            cl.sio.on(floor_event if self.floor else "step_marked", self.on_marked)
        return cl

    def on_marked(self, data: dict) -> None:
        now = self.last_msg = time.monotonic()
        self.received["to_facilitator"] += 1
        note = (data.get("mark", data) if isinstance(data, dict) else {}).get("note") or ""
        if note.startswith("t="):
            t = float(note[2:])
            if self.t0 <= t < self.t1:
                self.deliver_lat.append(now - t)

    async def call(self, cl: Client, event: str, data: dict) -> dict | None:
        try:
            ack = await cl.sio.call(event, data, timeout=float(self.cfg["ack_timeout_s"]))
        except Exception as exc:  # timeout, disconnected
            self.error(f"{event}:{type(exc).__name__}", f"{cl.name} {exc}")
            return None
        if not isinstance(ack, dict) or not ack.get("ok"):
            err = ack.get("error", {}) if isinstance(ack, dict) else {}
            self.error(f"{event}:{err.get('code', 'bad_ack')}", f"{cl.name} {err.get('message', ack)}")
            return None
        return ack

    async def seat(self, cl: Client, facilitator: bool = False) -> bool:
        t = time.monotonic()
        try:
            await cl.sio.connect(self.cfg["url"], transports=["websocket"], wait_timeout=float(self.cfg["connect_timeout_s"]))
        except Exception as exc:
            self.error(f"connect:{type(exc).__name__}", f"{cl.name} {exc}")
            return False
        cl.connected = True
        if self.cfg["client_allowance"] == "browser":
            # python-engineio's client gives up when it has had nothing to send
            # for max(ping interval, ping timeout) + 5 s (30 s here); a browser
            # waits ping interval + ping timeout (45 s) for the server's ping
            eio = cl.sio.eio
            eio.ping_timeout = eio.ping_interval + eio.ping_timeout - 5
        t1 = time.monotonic()
        if self.floor:
            ack = await self.call(cl, "join", {"room": self.code, "facilitator": facilitator})
        elif facilitator:
            ack = await self.call(cl, "host_room", {"room": self.code, "facilitator_token": self.fac_token})
        else:
            ack = await self.call(cl, "join_room", {"room": self.code, "name": cl.name})
        if ack is None:
            return False
        cl.pid = None if self.floor or facilitator else ack["you"]["id"]
        cl.joined = True
        if cl.idx >= 0:
            self.connect_lat.append(t1 - t)
            self.join_lat.append(time.monotonic() - t1)
        return True

    # -- measuring --------------------------------------------------------
    def snap(self) -> dict:
        pids = [int(p) for p in self.cfg["server_pids"]]
        g = os.times()
        return {"t": time.monotonic(), "server": sum(proc_cpu_ticks(p) or 0 for p in pids),
                "gen": g.user + g.system, "busy": machine_busy_ticks() or 0, "services": services_cpu_ticks()}

    def cpu(self, a: dict, b: dict) -> dict:
        wall = b["t"] - a["t"] or 1e-9
        server, services, busy = (ticks_to_s(b[k] - a[k]) for k in ("server", "services", "busy"))
        gen = b["gen"] - a["gen"]
        return {"wall_s": round(wall, 2), "server_cpu_s": round(server, 2),
                "server_cpu_pct": round(100 * server / wall, 1), "generator_cpu_pct": round(100 * gen / wall, 1),
                "db_and_queue_cpu_pct": round(100 * services / wall, 1),
                "other_processes_cpu_pct": round(100 * (busy - server - gen - services) / wall, 1)}

    async def watch_rss(self) -> None:
        while True:
            for p in self.cfg["server_pids"]:
                self.rss_peak = max(self.rss_peak, proc_rss_mb(int(p)) or 0.0)
            await asyncio.sleep(1)

    async def reaches_all(self, command: str, phase: str) -> dict:
        """The facilitator's command until every seated observer has the new phase."""
        seen = self.phase_seen.setdefault(phase, {})
        want = {o.idx for o in self.observers if o.joined and not o.dropped}
        t = time.monotonic()
        if self.floor:
            ack = await self.call(self.fac, "phase", {"phase": phase, "command": command})
        else:
            ack = await self.call(self.fac, command, {"customer": self.cust.pid, "agent": self.agent.pid}
                                  if command == "start_round" else {})
        t_ack = time.monotonic()
        deadline = t + float(self.cfg["phase_timeout_s"])
        while ack is not None and not want <= seen.keys() and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        got = [seen[i] - t for i in want if i in seen]
        res = {"ack_ms": round((t_ack - t) * 1000, 2), "observers": len(want), "reached": len(got),
               "reach_all_ms": round(max(got) * 1000, 2) if got and len(got) == len(want) else None,
               "arrival_ms": summary_ms(got, (50, 99))}
        if ack is not None and len(got) < len(want):
            self.error(f"{command}:not_all_reached", f"{len(got)} of {len(want)} in {self.cfg['phase_timeout_s']} s")
        log(f"{command}: ack {res['ack_ms']} ms, reached {res['reached']}/{res['observers']} observers, "
            f"all in {res['reach_all_ms']} ms")
        return res

    # -- the play ---------------------------------------------------------
    async def mark(self, cl: Client) -> None:
        mid, t = uuid.uuid4().hex, time.monotonic()
        data = {"id": mid, "step": self.rng.choice(self.steps), "rating": self.rng.randint(*self.scale), "note": f"t={t:.6f}"}
        event = self.cfg["floor_marks"] if self.floor else "mark_step"
        author = cl.pid or cl.name
        try:
            ack = await cl.sio.call(event, data, timeout=float(self.cfg["ack_timeout_s"]))
        except Exception as exc:
            self.error(f"mark:{type(exc).__name__}", f"{cl.name} {exc}")
            self.unknown.append((self.code, author, mid, type(exc).__name__))
            return
        t2 = time.monotonic()
        if isinstance(ack, dict) and ack.get("ok"):
            self.acked.append((self.code, author, mid))
            if self.t0 <= t < self.t1:
                self.ack_lat.append(t2 - t)
            if self.t0 <= t2 < self.t1:
                self.window_marks += 1
        else:
            code = (ack.get("error", {}) if isinstance(ack, dict) else {}).get("code", "bad_ack")
            self.error(f"mark:{code}", f"{cl.name} {ack}")
            self.refused.append((self.code, author, mid, code))

    async def temperature(self) -> None:
        mid, t = uuid.uuid4().hex, time.monotonic()
        level = self.rng.randint(0, 10)
        if self.floor:
            ack = await self.call(self.cust, "temp", {"id": mid, "level": level})
            key = mid
        else:
            ack = await self.call(self.cust, "set_temperature", {"id": mid, "level": level})
            key = ack and ack.get("t_ms")
        if ack is not None and self.t0 <= t < self.t1:
            self.temps.append((t, key))

    async def every(self, interval: float, send, *args) -> None:
        """An open-loop timer, jittered ±50 %: sends whether or not the last one was acked."""
        next_t = time.monotonic() + self.rng.uniform(0, interval)
        while True:
            await asyncio.sleep(max(0.0, next_t - time.monotonic()))
            next_t += interval * self.rng.uniform(0.5, 1.5)
            task = asyncio.get_running_loop().create_task(send(*args))
            self.inflight.add(task)
            task.add_done_callback(self.inflight.discard)

    async def seating(self) -> dict:
        c, t0 = self.cfg, time.monotonic()
        deadline, batch = t0 + float(c["seat_timeout_s"]), max(1, int(c["batch"]))
        stalled = None
        for i in range(0, self.n, batch):
            tasks = [asyncio.ensure_future(self.seat(o)) for o in self.observers[i:i + batch]]
            _done, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
            if pending:
                for task in pending:
                    task.cancel()
                stalled = f"seating passed its limit of {c['seat_timeout_s']} s in the batch from observer {i}"
                self.error("seating:timeout", stalled)
                break
            if self.fac.dropped:
                stalled = f"the facilitator's socket dropped while seating (batch from observer {i})"
                break
        seated = sum(o.joined for o in self.observers)
        t_seated = time.monotonic()
        seated_s = t_seated - t0
        if stalled is None and seated < self.n:
            stalled = f"{self.n - seated} of {self.n} observers could not join (see errors_by_kind)"
        log(f"seating: {seated}/{self.n} observers joined in {seated_s:.1f} s" + (f"; {stalled}" if stalled else ""))
        quiet, settle_end = float(c["quiet_s"]), time.monotonic() + float(c["settle_timeout_s"])
        while time.monotonic() - self.last_msg < quiet and time.monotonic() < settle_end:
            await asyncio.sleep(0.05)
        return {"seated": seated, "seating_s": round(seated_s, 3), "stalled": stalled,
                "settled_s": round(max(self.last_msg, t_seated) - t0, 3), "settled": time.monotonic() - self.last_msg >= quiet}

    async def run(self) -> dict:
        c, out = self.cfg, self.out
        self.ending = False
        self.t_start = time.monotonic()
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        if not self.floor:
            async with self.http.post(c["url"] + "/api/rooms", json={"deck": c["deck"], "title": "bench big room",
                                                                 "options": {"fishbowl": bool(c.get("fishbowl", True))}},
                                      timeout=aiohttp.ClientTimeout(total=30)) as r:
                body = await r.json()
                if r.status != 201:
                    raise RuntimeError(f"POST /api/rooms: {r.status} {body}")
            self.code, self.fac_token = body["code"], body["facilitator_token"]
        self.fac = self.client(-1, "facilitator", False)
        self.cust, self.agent = self.client(-2, "customer", False), self.client(-3, "agent", False)
        self.observers = [self.client(i, f"obs{i:04d}", True) for i in range(self.n)]
        if not (await self.seat(self.fac, facilitator=True) and await self.seat(self.cust) and await self.seat(self.agent)):
            raise RuntimeError(f"set-up failed: {self.error_samples}")
        gc.collect()
        gc.freeze()
        gc.disable()
        rss = asyncio.ensure_future(self.watch_rss())
        s0 = self.snap()
        out.update(await self.seating())
        s1 = self.snap()
        out["seating_cpu"] = self.cpu(s0, s1)
        out["phases"] = {}
        if out["stalled"] is None:
            await self.play(out)
        out["sockets_dropped"] = sum(cl.dropped for cl in [self.fac, self.cust, self.agent, *self.observers])
        self.ending = True
        rss.cancel()
        return self.result()

    async def play(self, out: dict) -> None:
        c = self.cfg
        for command, phase in PHASES[:2]:
            out["phases"][command] = await self.reaches_all(command, phase)
            if command == "start_round" and not self.floor:
                ack = await self.call(self.fac, "sync", {})
                if ack is None:
                    return
                state = ack["state"]
                self.steps = list(state["round"]["card"]["steps"]) or self.steps
                self.scale = (int(state["deck"]["scale"]["min"]), int(state["deck"]["scale"]["max"]))
        start = time.monotonic()
        self.t0 = start + float(c["warmup_s"])
        self.t1 = self.t0 + float(c["seconds"])
        timers = [asyncio.ensure_future(self.every(float(c["mark_interval_s"]), self.mark, o))
                  for o in self.observers if o.joined]
        timers.append(asyncio.ensure_future(self.every(float(c["temp_interval_s"]), self.temperature)))
        log(f"role-play: warm-up {c['warmup_s']} s, measuring {c['seconds']} s")
        await asyncio.sleep(max(0.0, self.t0 - time.monotonic()))
        w0 = self.snap()
        await asyncio.sleep(max(0.0, self.t1 - time.monotonic()))
        w1 = self.snap()
        out["window_cpu"] = self.cpu(w0, w1)
        out["server_rss_mb"] = round(sum(proc_rss_mb(int(p)) or 0 for p in c["server_pids"]), 1)
        for t in timers:
            t.cancel()
        if self.inflight:
            await asyncio.wait(list(self.inflight), timeout=float(c["ack_timeout_s"]) + 5)
        # the last temperatures' fan-out, within the phase limit
        deadline = time.monotonic() + float(c["phase_timeout_s"])
        want = sum(o.joined and not o.dropped for o in self.observers)
        while any(len(self.temp_seen.get(k, ())) < want for _t, k in self.temps) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for command, phase in PHASES[2:]:
            out["phases"][command] = await self.reaches_all(command, phase)

    def result(self) -> dict:
        out, c = self.out, self.cfg
        want = sum(o.joined and not o.dropped for o in self.observers)
        fan = [max(self.temp_seen[k]) - t for t, k in self.temps if len(self.temp_seen.get(k, ())) >= want]
        wc = out.get("window_cpu", {})
        out.update({
            "room_code": self.code, "room_codes": [self.code], "participants": self.n + 2, "sockets": self.n + 3,
            "sockets_connected": sum(cl.connected for cl in [self.fac, self.cust, self.agent, *self.observers]),
            "connect_ms": summary_ms(self.connect_lat, (50, 99)), "join_ack_ms": summary_ms(self.join_lat, (50, 99)),
            "temperature_to_all_ms": {**summary_ms(fan, (50, 99)), "sent": len(self.temps), "reached_all": len(fan)},
            "marks_acked": len(self.acked), "marks_refused": len(self.refused), "marks_unknown": len(self.unknown),
            "window_marks_acked": self.window_marks, "seconds": float(c["seconds"]),
            "events_per_s": round(self.window_marks / float(c["seconds"]), 1),
            "ack_ms": summary_ms(self.ack_lat, (50, 95, 99)), "deliver_ms": summary_ms(self.deliver_lat, (50, 99)),
            "server_cpu_pct": wc.get("server_cpu_pct"),
            "server_cpu_ms_per_mark": (round(1000 * wc["server_cpu_s"] / self.window_marks, 3)
                                       if wc and self.window_marks else None),
            "server_rss_peak_mb": round(self.rss_peak, 1),
            "errors": sum(self.errors.values()), "errors_by_kind": dict(self.errors), "error_samples": self.error_samples,
            "messages_received": dict(self.received),
            "generator": {"cpu_pct_seating": out["seating_cpu"]["generator_cpu_pct"],
                          "cpu_pct_window": wc.get("generator_cpu_pct"),
                          "gc": "collected and frozen after set-up, disabled from seating to the end"},
            "acked_marks": self.acked, "refused_marks": self.refused, "unknown_marks": self.unknown,
        })
        out.setdefault("server_rss_mb", round(sum(proc_rss_mb(int(p)) or 0 for p in c["server_pids"]), 1))
        return out


async def amain(cfg: dict, out: str) -> None:
    quiet_client_logs()
    result = await BigRoom(cfg).run()
    result["client_log"] = dict(CLIENT_LOG.counts)
    with open(out + ".tmp", "w") as f:
        json.dump(result, f)
    os.replace(out + ".tmp", out)
    sys.stderr.flush()
    os._exit(0)  # closing N sockets one by one measures nothing; the kernel closes them


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m bench.bigroom_gen CONFIG.json OUT.json", file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        cfg = json.load(f)
    if raise_open_files_limit() < int(cfg.get("observers", 0)) + 100:
        log("warning: the open-files limit is below the sockets this run needs")
    asyncio.run(amain(cfg, argv[1]))
    return 1  # not reached: amain leaves with os._exit


if __name__ == "__main__":
    sys.exit(main())
