"""python -m bench --soak MINUTES: does the server's memory stay flat over a
workshop day?

R slots (``--rooms``, default 60) each keep one room of seven busy, one room
after another: create it (``POST /api/rooms``), seat everyone, play
``--soak-rounds`` full rounds (marks, temperatures, scores, reveal), then
delete it (``DELETE /api/rooms/<code>`` with the facilitator token) and close
its sockets. During role-plays participants drop their socket and come back
with ``rejoin`` and their token (about one drop per ``--soak-drop-every``
seconds of role-play per room). The server's RSS is sampled every
``--soak-sample`` seconds; the result is the least-squares RSS slope in MB/h
after the first ten minutes (after the first third when the soak is shorter
than 20 minutes), with the counts: rooms churned, rejoins, marks acked =
stored (counted in the database just before each room is deleted, see
bench/verify.py), the server's open file descriptors at the start and the
end, and the rows left in the database for the deleted rooms (must be 0).

Unlike the latency runs the generator keeps its GC enabled (it churns
clients for minutes; with its GC off it would grow without bound): latency
figures of a soak are for information, the figures of record are memory and
counts. Only 127.0.0.1; the whole soak is bounded in time.
"""
from __future__ import annotations

import asyncio
import gc
import os
import signal
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

from . import procs, verify
from .loadgen import LoadGen, Peer, Room, log, quiet_client_logs
from .stats import proc_cpu_ticks, proc_rss_mb, summary_ms, ticks_to_s

TEN_MINUTES = 600.0


@dataclass(eq=False)
class SoakRoom(Room):
    tokens: dict = field(default_factory=dict)      # participant name -> token, for rejoin
    busy: Counter = field(default_factory=Counter)  # participant name -> events in flight
    closing: bool = False
    begun: float = 0.0  # when the current role-play began (monotonic)


def open_fds(pid: int) -> int | None:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def fd_kinds(pid: int) -> dict:
    """What the open descriptors are: sockets, database files, the rest."""
    kinds: Counter = Counter()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            kinds["socket" if target.startswith("socket:") else
                  "database" if ".db" in target.rsplit("/", 1)[-1] else "other"] += 1
    except OSError:
        pass
    return dict(kinds)


def slope_per_hour(samples: list[tuple[float, float]]) -> float | None:
    """Least squares over (seconds, MB): MB per hour."""
    n = len(samples)
    if n < 3:
        return None
    mt = sum(t for t, _ in samples) / n
    mv = sum(v for _, v in samples) / n
    var = sum((t - mt) ** 2 for t, _ in samples)
    if var == 0:
        return None
    return round(3600 * sum((t - mt) * (v - mv) for t, v in samples) / var, 2)


def slope_from_s(seconds: float) -> float:
    return TEN_MINUTES if seconds >= 2 * TEN_MINUTES else seconds / 3


class Database:
    """Reads the server's database from outside: a room's marks just before it
    is deleted, and afterwards whatever is left of the deleted rooms."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine

        from calmroom.store.db import normalize_url

        self.engine = create_engine(normalize_url(url))

    def before_delete(self, code: str) -> tuple[Counter, int | None]:
        from sqlalchemy import text

        with self.engine.connect() as c:
            rid = c.execute(text("SELECT id FROM rooms WHERE code = :c"), {"c": code}).scalar()
            rows = c.execute(text("SELECT m.author, m.client_id, COUNT(*) FROM marks m WHERE m.room_id = :r "
                                  "GROUP BY m.author, m.client_id"), {"r": rid}).all() if rid is not None else []
        return Counter({(code, a, cid): int(n) for a, cid, n in rows}), rid

    def rows_left(self, ids: list[int], codes: list[str]) -> dict:
        from sqlalchemy import inspect, text

        left: dict = {}
        with self.engine.connect() as c:
            tables = [t for t in inspect(c).get_table_names()
                      if any(col["name"] == "room_id" for col in inspect(c).get_columns(t))]
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                names = ", ".join(str(int(x)) for x in chunk)
                for t in tables:
                    n = c.execute(text(f"SELECT COUNT(*) FROM {t} WHERE room_id IN ({names})")).scalar_one()
                    if n:
                        left[t] = left.get(t, 0) + int(n)
            for i in range(0, len(codes), 500):
                chunk = codes[i:i + 500]
                params = {f"c{j}": x for j, x in enumerate(chunk)}
                n = c.execute(text(f"SELECT COUNT(*) FROM rooms WHERE code IN ({', '.join(':' + k for k in params)})"),
                              params).scalar_one()
                if n:
                    left["rooms"] = left.get("rooms", 0) + int(n)
        return left

    def close(self) -> None:
        self.engine.dispose()


class Soak(LoadGen):
    def __init__(self, cfg: dict, db: Database):
        super().__init__({**cfg, "rooms": 0})
        self.slots = int(cfg["rooms"])
        self.db = db
        self.pid = int(cfg["server_pids"][0])
        self.rounds = int(cfg["rounds_per_room"])
        self.drop_every = float(cfg["drop_every_s"])
        self.sample_s = float(cfg["sample_s"])
        self.next_idx = 0
        self.churned = 0
        self.rejoins = 0
        self.rounds_played = 0
        self.deletes_failed = 0
        self.stored: Counter = Counter()
        self.deleted_ids: list[int] = []
        self.deleted_codes: list[str] = []
        self.codes: list[str] = []
        self.samples: list[tuple[float, float]] = []
        self.fds: list[tuple[float, int]] = []  # open descriptors: sockets, database files
        self.live = 0

    # -- one room's life ------------------------------------------------
    async def open_room(self, room: SoakRoom) -> bool:
        c = self.cfg
        async with self.http.post(room.fac.url + "/api/rooms", json={"deck": c["deck"], "title": f"soak {room.idx}"},
                                  timeout=aiohttp.ClientTimeout(total=30)) as r:
            body = await r.json()
            if r.status != 201:
                self.error("create_room:http", f"{r.status} {body}")
                return False
        room.code, room.fac_token = body["code"], body["facilitator_token"]
        self.codes.append(room.code)
        if not await self.connect(room.fac) or await self.call(
                room.fac, "host_room", {"room": room.code, "facilitator_token": room.fac_token}, record=False) is None:
            return False

        async def seat(p: Peer) -> bool:
            if not await self.connect(p):
                return False
            ack = await self.call(p, "join_room", {"room": room.code, "name": p.name}, record=False)
            if ack is None:
                return False
            p.pid, room.tokens[p.name] = ack["you"]["id"], ack["token"]
            return True

        return all(await asyncio.gather(*(seat(p) for p in room.parts)))

    async def connect(self, peer: Peer) -> bool:
        t = time.monotonic()
        try:
            await peer.sio.connect(peer.url, transports=["websocket"], wait_timeout=float(self.cfg["connect_timeout_s"]))
        except Exception as exc:
            self.error(f"connect:{type(exc).__name__}", f"{peer.room.code} {peer.name} {exc}")
            return False
        self.connect_lat.append(time.monotonic() - t)
        peer.connected = True
        return True

    async def sender(self, room: SoakRoom, peer: Peer, interval: float, role: str, send) -> None:
        next_t = time.monotonic() + self.rng.uniform(0, interval)
        while not room.closing and not self.stopping:
            delay = next_t - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            next_t += interval * self.rng.uniform(0.5, 1.5)
            if room.roleplay and peer.connected and not room.closing and room.role(peer) == role:
                room.sent()
                room.busy[peer.name] += 1
                self.spawn(send(room, peer)).add_done_callback(lambda _t, n=peer.name: room.busy.subtract([n]))

    async def drop_and_rejoin(self, room: SoakRoom, peer: Peer) -> None:
        peer.connected = False  # its senders skip it from now on
        try:
            await asyncio.wait_for(peer.sio.disconnect(), 10)
        except Exception as exc:
            self.error(f"drop:{type(exc).__name__}", f"{room.code} {peer.name} {exc}")
        if not await self.pause(self.rng.uniform(0.3, 2.0)):
            return  # the soak is ending: its room is about to be deleted
        peer.sio = self.new_peer(room, peer.name, 1, self.http).sio
        if not await self.connect(peer):
            return
        peer.connected = False
        if await self.call(peer, "rejoin", {"room": room.code, "token": room.tokens[peer.name]}, record=False) is not None:
            peer.connected = True
            self.rejoins += 1

    async def drops(self, room: SoakRoom, length: float) -> None:
        expected = length / self.drop_every
        n = int(expected) + (self.rng.random() < expected - int(expected))
        for at in sorted(self.rng.uniform(0.1, 0.6) * length for _ in range(n)):
            if not await self.pause(at - (time.monotonic() - room.begun)) or room.closing or not room.roleplay:
                return
            idle = [p for p in room.parts if p.connected and room.busy[p.name] == 0]
            if idle:
                await self.drop_and_rejoin(room, self.rng.choice(idle))

    async def play_room(self, room: SoakRoom, first: bool) -> None:
        c = self.cfg
        senders = [self.spawn(self.sender(room, p, float(c["mark_interval_s"]), "observer", self.send_mark))
                   for p in room.parts]
        senders += [self.spawn(self.sender(room, p, float(c["temp_interval_s"]), "customer", self.send_temperature))
                    for p in room.parts]
        try:
            for n in range(self.rounds):
                if self.stopping or await self.call(room.fac, "start_round", {}) is None:
                    return
                ack = await self.call(room.fac, "sync", {})
                if ack is None:
                    return
                rnd = ack["state"]["round"]
                room.steps = list(rnd["card"]["steps"])
                scale = ack["state"]["deck"]["scale"]
                room.scale = (int(scale["min"]), int(scale["max"]))
                room.customer, room.agent = rnd["customer"], rnd["agent"]
                if not await self.pause(c["briefing_s"]) or await self.call(room.fac, "begin_roleplay", {}) is None:
                    return
                cut = self.rng.uniform(0.05, 1.0) if first and n == 0 else self.rng.uniform(0.8, 1.2)
                length = float(c["roleplay_s"]) * cut  # slots do not move in step
                room.begun = time.monotonic()
                room.begin()
                dropper = self.spawn(self.drops(room, length))
                going_on = await self.pause(length)
                await asyncio.wait({dropper}, timeout=20)
                room.end()
                await self.drain(room)
                if not going_on or await self.call(room.fac, "end_roleplay", {}) is None:
                    return
                observers = [p for p in room.parts if room.role(p) == "observer" and p.connected]
                await asyncio.gather(*(self.score(room, p) for p in observers))
                if await self.call(room.fac, "reveal_results", {}) is None:
                    return
                self.rounds_played += 1
                if not await self.pause(c["review_s"]):
                    return
        finally:
            room.closing = True
            room.end()
            for t in senders:
                t.cancel()

    async def retire(self, room: SoakRoom) -> None:
        room.closing = True
        await self.drain(room)
        if room.code:
            try:
                stored, rid = await asyncio.to_thread(self.db.before_delete, room.code)
            except Exception as exc:
                self.error(f"verify:{type(exc).__name__}", str(exc))
                stored, rid = Counter(), None
            self.stored.update(stored)
            async with self.http.delete(f"{room.fac.url}/api/rooms/{room.code}",
                                        headers={"Authorization": f"Bearer {room.fac_token}"},
                                        timeout=aiohttp.ClientTimeout(total=30)) as r:
                if r.status == 204:
                    self.churned += 1
                    self.deleted_codes.append(room.code)
                    if rid is not None:
                        self.deleted_ids.append(rid)
                else:
                    self.deletes_failed += 1
                    self.error("delete_room:http", f"{room.code} {r.status}")
        await asyncio.gather(*(asyncio.wait_for(p.sio.disconnect(), 10) for p in [room.fac, *room.parts]),
                             return_exceptions=True)

    async def slot(self, first_delay: float) -> None:
        first = True
        if not await self.pause(first_delay):
            return
        while not self.stopping:
            room = SoakRoom(self.next_idx)
            self.next_idx += 1
            room.fac = self.new_peer(room, f"fac{room.idx}", 0, self.http)
            room.parts = [self.new_peer(room, f"p{j}", j + 1, self.http) for j in range(2 + int(self.cfg["observers"]))]
            self.live += 1
            try:
                if await self.open_room(room):
                    await self.play_room(room, first)
            except Exception as exc:  # one room's failure is counted, the soak goes on
                self.error(f"room:{type(exc).__name__}", f"{room.code} {exc}")
            finally:
                self.live -= 1
                await self.retire(room)
            first = False

    # -- measuring --------------------------------------------------------
    async def sample(self, t0: float) -> None:
        while not self.stopping:
            rss, fds = proc_rss_mb(self.pid), open_fds(self.pid)
            if rss is not None:
                self.samples.append((round(time.monotonic() - t0, 1), round(rss, 2)))
            if fds is not None:
                self.fds.append((round(time.monotonic() - t0, 1), fds))
            await asyncio.sleep(self.sample_s)

    async def report(self, t0: float, seconds: float) -> None:
        while not self.stopping:
            await asyncio.sleep(60)
            rss = self.samples[-1][1] if self.samples else None
            log(f"soak {time.monotonic() - t0:.0f}/{seconds:.0f} s: RSS {rss} MB, {self.live} rooms open, "
                f"{self.churned} churned, {self.rejoins} rejoins, {len(self.marks_acked)} marks acked, "
                f"{sum(self.errors.values())} errors")

    async def soak(self, seconds: float) -> dict:
        quiet_client_logs()
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, limit_per_host=0))
        url = self.cfg["urls"][0]
        self.cfg["urls"] = [url]
        fds_start, kinds_start = open_fds(self.pid), fd_kinds(self.pid)
        cpu0 = proc_cpu_ticks(self.pid)
        gc.collect()
        gc.freeze()  # the generator's own start-up objects out of its collector's way; GC stays on
        t0 = time.monotonic()
        self.t0, self.t1 = t0, t0 + seconds  # every ack latency counts
        sampler = self.spawn(self.sample(t0))
        reporter = self.spawn(self.report(t0, seconds))
        spread = min(30.0, seconds / 4)
        slots = [self.spawn(self.slot(self.rng.uniform(0, spread))) for _ in range(self.slots)]
        await asyncio.sleep(seconds)
        self.stopping = True
        self.stop_evt.set()
        log(f"soak: time is up; closing {self.live} rooms")
        done, pending = await asyncio.wait(slots, timeout=float(self.cfg["ack_timeout_s"]) * 3 + 60)
        for t in pending:
            t.cancel()
        if pending:
            self.error("stop:timeout", f"{len(pending)} rooms did not close in time")
        sampler.cancel()
        reporter.cancel()
        cpu1 = proc_cpu_ticks(self.pid)
        await self.http.close()  # its keep-alive connections are sockets of the server's too
        await asyncio.sleep(5)  # the server closes the deleted rooms' sockets
        fds_end, kinds_end = open_fds(self.pid), fd_kinds(self.pid)
        rss_end = proc_rss_mb(self.pid)
        forced = None
        if os.environ.get("BENCH_GC_LOG"):  # bench/gcwatch.py: a full collection that tallies the garbage
            os.kill(self.pid, signal.SIGUSR1)
            await asyncio.sleep(5)
            forced = proc_rss_mb(self.pid)
        skip = slope_from_s(seconds)
        tail = [s for s in self.samples if s[0] >= skip]
        cpu_s = ticks_to_s(cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None
        result = {
            "mode": "soak",
            "soak_s": seconds,
            "rooms": self.slots,
            "rounds_per_room": self.rounds,
            "rooms_churned": self.churned,
            "rooms_opened": self.next_idx,
            "deletes_failed": self.deletes_failed,
            "rejoins": self.rejoins,
            "rounds_played": self.rounds_played,
            "marks_acked": len(self.marks_acked),
            "temps_acked": self.temps_acked,
            "ack_ms": summary_ms(self.ack_lat, (50, 95, 99)),
            "connect_ms": summary_ms(self.connect_lat, (50, 99)),
            "errors": sum(self.errors.values()),
            "errors_by_kind": dict(self.errors),
            "error_samples": self.error_samples,
            "fds_start": fds_start,
            "fds_end": fds_end,
            "fds_start_by_kind": kinds_start,
            "fds_end_by_kind": kinds_end,
            # the database pool opens its files as the load needs them: a leak grows after the start too
            "fds_at_slope_start": next((n for t, n in self.fds if t >= skip), None),
            "fds_max": max((n for _, n in self.fds), default=None),
            "rss_start_mb": self.samples[0][1] if self.samples else None,
            "rss_end_mb": round(rss_end, 1) if rss_end else None,
            "rss_after_forced_full_gc_mb": round(forced, 1) if forced else None,
            "rss_slope_from_s": round(skip, 1),
            "rss_slope_mb_per_h": slope_per_hour(tail),
            "rss_slope_whole_mb_per_h": slope_per_hour(self.samples),
            "rss_samples": self.samples,
            "server_cpu_pct": round(100 * cpu_s / seconds, 1) if cpu_s is not None else None,
            "server_cpu_ms_per_mark": round(1000 * cpu_s / len(self.marks_acked), 3) if cpu_s and self.marks_acked else None,
            "generator_gc": "collected and frozen after start, enabled throughout (a soak churns clients for minutes)",
        }
        result["verify"] = verify.compare(self.stored, {"acked_marks": self.marks_acked,
                                                       "refused_marks": self.marks_refused,
                                                       "unknown_marks": self.marks_unknown})
        result["marks_stored"] = result["verify"]["marks_stored"]
        left = await asyncio.to_thread(self.db.rows_left, self.deleted_ids, self.deleted_codes)
        result["rows_left_for_deleted_rooms"] = sum(left.values())
        result["rows_left_by_table"] = left
        return result


def run(bench, args) -> dict:
    """The soak against one Calmroom worker; `bench` is the caller's Bench
    (its temporary directory and server environment)."""
    seconds = float(args.soak) * 60
    db_url = args.database_url or f"sqlite:///{bench.tmp / f'soak-{uuid.uuid4().hex[:8]}.db'}"
    if args.database_url and not args.database_url.startswith("sqlite"):
        with procs.fresh_postgres_database(args.database_url) as url:
            return _run(bench, args, url, seconds)
    return _run(bench, args, db_url, seconds)


def _run(bench, args, db_url: str, seconds: float) -> dict:
    server = procs.calmroom_worker(0, bench.tmp, database_url=db_url, message_queue=None,
                                   channel=f"calmroom-soak-{uuid.uuid4().hex[:8]}", rate_limit=args.rate_limit,
                                   extra_env=bench.extra_env)
    cfg = {
        "urls": [server.url], "rooms": args.rooms, "observers": 4, "mark_interval_s": args.mark_interval,
        "temp_interval_s": args.temp_interval, "roleplay_s": args.roleplay, "scoring_s": args.scoring,
        "briefing_s": args.briefing, "review_s": args.review, "ack_timeout_s": args.ack_timeout,
        "seed": args.seed, "rounds_per_room": args.soak_rounds, "drop_every_s": args.soak_drop_every,
        "sample_s": args.soak_sample,
    }
    limit = seconds + 3 * args.ack_timeout + 240
    log(f"soak: {args.rooms} rooms of seven for {seconds:.0f} s ({args.soak_rounds} rounds a room, "
        f"then deleted; time limit {limit:.0f} s)")
    db = Database(db_url)
    try:
        procs.start_all([server])
        cfg["server_pids"] = [server.pid]
        soak = Soak(cfg, db)
        result = asyncio.run(asyncio.wait_for(soak.soak(seconds), limit))
        if not server.alive():
            result["errors"] += 1
            result["errors_by_kind"]["server_exited"] = 1
        gc_log = [ln for ln in server.tail(20000).splitlines() if ln.startswith("gc ")]
        if gc_log:
            result["server_gc_log"] = gc_log[-8:]
    finally:
        procs.stop_all([server])
        db.close()
    result["ok"] = (result["verify"]["acked_equals_stored"] and result["rows_left_for_deleted_rooms"] == 0
                    and result["deletes_failed"] == 0)
    v = result["verify"]
    log(f"soak: {result['rooms_churned']} rooms churned, {result['rejoins']} rejoins, acked {v['marks_acked']}, "
        f"stored {v['marks_stored']}, rows left {result['rows_left_for_deleted_rooms']}, "
        f"fds {result['fds_start']} -> {result['fds_end']}, RSS {result['rss_start_mb']} -> {result['rss_end_mb']} MB, "
        f"slope {result['rss_slope_mb_per_h']} MB/h after {result['rss_slope_from_s']:.0f} s")
    return result
