"""python -m bench: play real rooms against Calmroom and, in the same run, the
same load against the framework's floor; print a table and write JSON.

    python -m bench --rooms 300 --seconds 60 --out result.json
    python -m bench --rooms 100 --seconds 30 --closed-loop            # throughput vs the floor
    python -m bench --find-max --seconds 20                           # largest R with p99 ack <= 100 ms
    python -m bench --room-size 300                                   # one room of 300 observers (bench/bigroom.py)
    python -m bench --rooms 300 --workers 2 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench --message-queue redis://127.0.0.1:6379/0

Everything listens on 127.0.0.1; every phase has a timeout; every process
started here is stopped at the end, also after an error or Ctrl-C.
"""
from __future__ import annotations

import argparse
import json
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from . import bigroom, procs, report, soak, verify
from .stats import machine

REQUIRED = ("rooms", "participants", "marks_acked", "marks_stored", "errors", "ack_ms", "deliver_ms",
            "events_per_s", "floor_events_per_s", "ratio_to_floor", "server_rss_mb")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rooms", type=int, default=None,
                   help="rooms of 1 facilitator + 1 customer + 1 agent + 4 observers (default 10; with --soak 60)")
    p.add_argument("--seconds", type=float, default=30, help="length of the measured window (after set-up and warm-up)")
    p.add_argument("--warmup", type=float, default=10,
                   help="seconds of load before the window opens; rooms start their first round during its first 60 %%")
    p.add_argument("--out", type=Path, help="write the JSON result here")
    p.add_argument("--workers", type=int, default=1, help="Calmroom worker processes (clients of a room spread over them)")
    p.add_argument("--database-url", help="default: a fresh SQLite file in a temporary directory for each run")
    p.add_argument("--message-queue", help="e.g. redis://127.0.0.1:6379/0 (needed for --workers > 1)")
    p.add_argument("--closed-loop", action="store_true",
                   help="each observer sends its next mark as soon as the previous ack is back (throughput)")
    p.add_argument("--mark-interval", type=float, default=None,
                   help="open loop: seconds between an observer's marks (mean; default 5, with --room-size 10)")
    p.add_argument("--temp-interval", type=float, default=None,
                   help="seconds between the customer's temperatures (mean; default 10, with --room-size 5)")
    p.add_argument("--room-size", type=int, metavar="N",
                   help="one room of N observers (+ customer, agent, facilitator) instead of --rooms, beside the floor")
    p.add_argument("--no-fishbowl", action="store_true",
                   help="--room-size: make the room a plain room (default: a fishbowl, the format for big rooms)")
    p.add_argument("--batch", type=int, default=50, help="--room-size: observers joining at once (the next batch after their acks)")
    p.add_argument("--seat-timeout", type=float, default=None,
                   help="--room-size: time limit for seating everyone (default max(60, 0.3 s × N))")
    p.add_argument("--phase-timeout", type=float, default=30.0,
                   help="--room-size: time limit for a phase change (or a temperature) to reach every observer")
    p.add_argument("--client-allowance", choices=("browser", "python"), default="browser",
                   help="--room-size: how long a client waits for the server's ping before it drops: "
                        "browser = ping interval + timeout (45 s, as engine.io's browser client); "
                        "python = python-engineio's own 30 s")
    p.add_argument("--floor-marks", choices=("note", "mark"), default="note",
                   help="--room-size: the floor's mark goes to the facilitator only (note) or to the whole room (mark)")
    p.add_argument("--roleplay", type=float, default=60.0, help="seconds of role-play per round (±20 %%)")
    p.add_argument("--scoring", type=float, default=10.0, help="seconds over which observers send their final scores")
    p.add_argument("--briefing", type=float, default=1.0)
    p.add_argument("--review", type=float, default=2.0)
    p.add_argument("--ack-timeout", type=float, default=10.0)
    p.add_argument("--no-floor", action="store_true", help="skip the floor (no ratios)")
    p.add_argument("--pairs", type=int, default=1,
                   help="run the floor and Calmroom this many times, alternating, and report each pair's ratios and "
                        "their median (the machine drifts between runs; a pair is measured minutes apart, not hours)")
    p.add_argument("--floor-only", action="store_true", help="run the floor alone (checking the generator and the machine)")
    p.add_argument("--floor-gc", choices=("server", "freeze", "default", "off", "refreeze"), default="server",
                   help="the floor's GC: server = calmroom.server.tune_gc (default), as the real server")
    p.add_argument("--floor-tweak", action="append", choices=("route", "nomatch", "sync"), default=[],
                   help="experiments on the floor (see bench/floor.py); not the floor any more, for diagnosis")
    p.add_argument("--no-scaling", action="store_true", help="with --workers > 1: skip the one-worker comparison run")
    p.add_argument("--rate-limit", default="1000/second", help="CALMROOM_RATE_LIMIT for the run (out of the way)")
    p.add_argument("--server-ref", metavar="GIT_REF",
                   help="run the Calmroom server from this commit (git archive into the temporary directory) "
                        "instead of the work tree, e.g. HEAD while others edit the files")
    p.add_argument("--server-patch", action="append", default=[], choices=("nomatch", "nolimit"),
                   help="EXPERIMENT: run Calmroom with a proposed change applied from outside (bench/serverwrap.py)")
    p.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for the Calmroom workers (A/B experiments), repeatable")
    p.add_argument("--profile", type=Path,
                   help="py-spy record worker 0 during the window (GIL-holding samples): .svg flame graph, .json speedscope, "
                        "otherwise collapsed stacks plus a top list printed")
    p.add_argument("--profile-setup", action="store_true",
                   help="with --profile: record the set-up (rooms created, sockets connected, hosted and joined) "
                        "instead of the window, counting only samples that hold the GIL (py-spy --gil)")
    p.add_argument("--find-max", action="store_true", help="raise R until the p99 mark ack passes --p99-limit")
    p.add_argument("--start-rooms", type=int, default=100, help="--find-max: first R (then doubled or halved)")
    p.add_argument("--step-rooms", type=int, default=25, help="--find-max: bisect until the bracket is this narrow")
    p.add_argument("--max-rooms", type=int, default=1500, help="--find-max: never beyond")
    p.add_argument("--p99-limit", type=float, default=100.0, help="--find-max: ms")
    p.add_argument("--budget", type=float, default=290.0,
                   help="--find-max: start no step that would end the whole run (floor included) after this many seconds")
    p.add_argument("--nice", type=int, default=0,
                   help="scheduling priority of the servers and the load generator (e.g. -5 on a shared machine; "
                        "negative needs root). Default 0")
    p.add_argument("--loop", choices=("auto", "uvloop", "asyncio"), default="auto",
                   help="the load generator's event loop (auto: uvloop when installed)")
    p.add_argument("--soak", type=float, metavar="MINUTES",
                   help="churn rooms and reconnects for MINUTES against one worker, report the RSS slope (bench/soak.py)")
    p.add_argument("--soak-rounds", type=int, default=2, help="--soak: rounds each room plays before it is deleted")
    p.add_argument("--soak-drop-every", type=float, default=40.0,
                   help="--soak: about one drop-and-rejoin per this many seconds of role-play in each room")
    p.add_argument("--soak-sample", type=float, default=5.0, help="--soak: seconds between RSS samples")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory (logs, SQLite files)")
    args = p.parse_args(argv)
    if args.rooms is None:
        args.rooms = 60 if args.soak else 10
    big = args.room_size is not None
    args.mark_interval = args.mark_interval if args.mark_interval is not None else (10.0 if big else 5.0)
    args.temp_interval = args.temp_interval if args.temp_interval is not None else (5.0 if big else 10.0)
    if big and (args.room_size < 1 or args.batch < 1):
        p.error("--room-size and --batch must be at least 1")
    if big and (args.workers > 1 or args.find_max or args.floor_only or args.closed_loop or args.profile):
        p.error("--room-size runs one worker, open loop, beside the floor (no --workers, --find-max, --floor-only, "
                "--closed-loop, --profile)")
    if big and args.soak:
        p.error("--room-size and --soak are two different runs; choose one")
    if args.workers < 1:
        p.error("--workers must be at least 1")
    if args.pairs < 1:
        p.error("--pairs must be at least 1")
    if args.pairs > 1 and (big or args.soak or args.find_max or args.floor_only or args.no_floor or args.profile
                           or args.workers > 1):
        p.error("--pairs is for the rooms-of-seven run with the floor (no --room-size, --soak, --find-max, "
                "--floor-only, --no-floor, --profile, --workers)")
    if args.workers > 1 and not args.message_queue:
        p.error("--workers > 1 needs --message-queue")
    if args.workers > 1 and (not args.database_url or args.database_url.startswith("sqlite")):
        p.error("--workers > 1 needs a shared --database-url (PostgreSQL)")
    for url in (args.database_url, args.message_queue):
        if url and "://" in url and not url.startswith("sqlite"):
            host = url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1].rsplit(":", 1)[0]
            if host not in ("127.0.0.1", "localhost", "[::1]"):
                p.error(f"everything stays on this machine; {host!r} is not 127.0.0.1")
    return args


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path):
        self.args = args
        self.tmp = tmp
        self.run_no = 0
        self.extra_env = dict(kv.split("=", 1) for kv in args.server_env)
        if args.server_patch:
            self.extra_env["BENCH_PATCH"] = ",".join(args.server_patch)

    # -- one measured run --------------------------------------------------
    def loadgen(self, mode: str, servers: list[procs.Server], rooms: int, seconds: float, label: str,
                profile: Path | None = None) -> dict:
        a = self.args
        self.run_no += 1
        cfg = {
            "mode": mode,
            "urls": [s.url for s in servers],
            "server_pids": [s.pid for s in servers],
            "rooms": rooms,
            "seconds": seconds,
            "warmup_s": a.warmup,
            "mark_interval_s": a.mark_interval,
            "temp_interval_s": a.temp_interval,
            "closed_loop": a.closed_loop,
            "roleplay_s": a.roleplay,
            "scoring_s": a.scoring,
            "briefing_s": a.briefing,
            "review_s": a.review,
            "ack_timeout_s": a.ack_timeout,
            "setup_timeout_s": 60 + rooms * 0.5,
            "seed": a.seed,
            "loop": a.loop,
            "window_marker": str(self.tmp / f"window-{self.run_no}"),
            "setup_marker": str(self.tmp / f"setup-{self.run_no}"),
        }
        cfg_path = self.tmp / f"loadgen-{self.run_no}.json"
        out_path = self.tmp / f"loadgen-{self.run_no}-out.json"
        cfg_path.write_text(json.dumps(cfg))
        limit = cfg["setup_timeout_s"] + a.warmup + seconds + a.ack_timeout * 3 + 60
        log(f"{label}: load generator for {rooms} rooms, {seconds:g} s window (time limit {limit:.0f} s)")
        gen = subprocess.Popen([sys.executable, "-m", "bench.loadgen", str(cfg_path), str(out_path)],
                               cwd=procs.REPO, stdin=subprocess.DEVNULL, start_new_session=True)
        procs.renice(gen.pid)
        tracked = procs.Proc("load generator", [], {}, self.tmp / "loadgen.log")
        tracked.popen = gen
        procs._running.append(tracked)  # killed with the rest on Ctrl-C or SIGTERM
        spy = None
        try:
            if profile is not None and a.profile_setup:
                spy = self._profile_setup(gen, Path(cfg["setup_marker"]), servers[0], profile)
            elif profile is not None:
                spy = self._profile_when_window_opens(gen, Path(cfg["window_marker"]), servers[0], seconds, profile)
            gen.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            gen.kill()
            gen.wait(10)
            raise RuntimeError(f"{label}: the load generator did not finish in {limit:.0f} s")
        finally:
            if gen.poll() is None:
                gen.kill()
                gen.wait(10)
            if tracked in procs._running:
                procs._running.remove(tracked)
            if spy is not None:
                try:
                    spy.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    spy.kill()
        if gen.returncode != 0 or not out_path.exists():
            raise RuntimeError(f"{label}: the load generator failed (exit {gen.returncode})")
        result = json.loads(out_path.read_text())
        for s in servers:
            if not s.alive():
                result["errors"] += 1
                result["errors_by_kind"][f"server_exited:{s.name}"] = 1
                log(f"{s.name} died during the run:\n{s.tail()}")
        result["label"] = label
        return result

    def _profile_setup(self, gen, marker: Path, server: procs.Server, out: Path):
        """py-spy from the generator's start until the set-up is done (its
        marker appears: warm-up follows), GIL-holding samples only:
        where the server's own time goes while everyone connects and joins."""
        fmt = {".svg": "flamegraph", ".json": "speedscope"}.get(out.suffix, "raw")
        exe = Path(sys.executable).parent / "py-spy"
        cmd = [str(exe) if exe.exists() else "py-spy", "record", "--pid", str(server.pid), "--gil",
               "--rate", "500", "--format", fmt, "-o", str(out)]
        log(f"profiling the set-up of {server.name} (pid {server.pid}): {' '.join(cmd)}")
        spy = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(self.tmp / "py-spy.log", "ab"))
        while not marker.exists() and gen.poll() is None:
            time.sleep(0.05)
        spy.send_signal(signal.SIGINT)  # py-spy writes what it has and stops
        return spy

    def _profile_when_window_opens(self, gen, marker: Path, server: procs.Server, seconds: float, out: Path):
        while not marker.exists():
            if gen.poll() is not None:
                return None
            time.sleep(0.1)
        fmt = {".svg": "flamegraph", ".json": "speedscope"}.get(out.suffix, "raw")
        cmd = ["py-spy", "record", "--pid", str(server.pid), "--duration", str(max(1, int(seconds) - 1)),
               "--rate", "200", "--gil", "--format", fmt, "-o", str(out)]
        # (--gil: samples only while the GIL is held, the interpreter's share; without it py-spy
        # counts a thread that is runnable but not running as busy on its line: docs/performance.md)
        exe = Path(sys.executable).parent / "py-spy"
        if exe.exists():
            cmd[0] = str(exe)
        log(f"profiling {server.name} (pid {server.pid}): {' '.join(cmd)}")
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(self.tmp / "py-spy.log", "ab"))

    def floor(self, rooms: int, seconds: float, profile: Path | None = None) -> dict:
        a = self.args
        channel = f"calmroom-bench-floor-{uuid.uuid4().hex[:8]}"
        servers = [procs.floor_worker(i, self.tmp, message_queue=a.message_queue if a.workers > 1 else None,
                                      channel=channel, gc_mode=a.floor_gc, tweaks=a.floor_tweak)
                   for i in range(a.workers)]
        try:
            procs.start_all(servers)
            return self.loadgen("floor", servers, rooms, seconds, f"floor ×{a.workers}", profile)
        finally:
            procs.stop_all(servers)

    def calmroom(self, rooms: int, seconds: float, workers: int, profile: Path | None = None) -> dict:
        a = self.args
        if a.database_url and not a.database_url.startswith("sqlite"):
            with procs.fresh_postgres_database(a.database_url) as db_url:
                return self._calmroom(db_url, rooms, seconds, workers, profile)
        db_url = a.database_url or f"sqlite:///{self.tmp / f'calmroom-{uuid.uuid4().hex[:8]}.db'}"
        return self._calmroom(db_url, rooms, seconds, workers, profile)

    def _calmroom(self, db_url: str, rooms: int, seconds: float, workers: int, profile: Path | None) -> dict:
        a = self.args
        channel = f"calmroom-bench-{uuid.uuid4().hex[:8]}"
        src = procs.SERVER_SRC or procs.REPO
        fingerprint = procs.source_fingerprint(src)
        servers = [procs.calmroom_worker(i, self.tmp, database_url=db_url, message_queue=a.message_queue,
                                         channel=channel, rate_limit=a.rate_limit, extra_env=self.extra_env)
                   for i in range(workers)]
        try:
            procs.start_all(servers)
            result = self.loadgen("calmroom", servers, rooms, seconds, f"calmroom ×{workers}", profile)
        finally:
            procs.stop_all(servers)
        result["server_source"] = {"from": f"git {a.server_ref}" if procs.SERVER_SRC else "work tree",
                                   "sha256_12": fingerprint,
                                   "unchanged_during_run": procs.source_fingerprint(src) == fingerprint}
        result["server_patches"] = a.server_patch  # experiments; [] is the server as it is
        result["server_env"] = a.server_env
        result["database"] = "sqlite" if db_url.startswith("sqlite") else db_url.split("://", 1)[0]
        result["message_queue"] = "redis" if a.message_queue else None
        t = time.monotonic()
        result["verify"] = verify.check(db_url, result)
        result["verify"]["seconds"] = round(time.monotonic() - t, 2)
        result["marks_stored"] = result["verify"]["marks_stored"]
        v = result["verify"]
        log(f"calmroom ×{workers}: acked {v['marks_acked']}, stored {v['marks_stored']}, "
            f"acked = stored: {'yes' if v['acked_equals_stored'] else 'NO'}"
            + (f" ({v['unknown_fate']} of unknown fate, {v['unknown_fate_stored']} of those stored)" if v["unknown_fate"] else ""))
        return result


def slim(result: dict | None) -> dict | None:
    """A run's figures without the per-mark lists."""
    if result is None:
        return None
    return {k: v for k, v in result.items() if k not in ("acked_marks", "refused_marks", "unknown_marks", "room_codes")}


def combine(main: dict, floor: dict | None, one: dict | None) -> dict:
    out = slim(main) or {}
    out["floor"] = slim(floor)
    out["floor_events_per_s"] = floor["events_per_s"] if floor else None
    out["ratio_to_floor"] = round(main["events_per_s"] / floor["events_per_s"], 3) if floor and floor["events_per_s"] else None
    if floor:
        out["ratios_to_floor"] = {
            "events_per_s": out["ratio_to_floor"],
            "ack_p50": _div(main["ack_ms"].get("p50"), floor["ack_ms"].get("p50")),
            "ack_p99": _div(main["ack_ms"].get("p99"), floor["ack_ms"].get("p99")),
            "deliver_p99": _div(main["deliver_ms"].get("p99"), floor["deliver_ms"].get("p99")),
            "server_cpu_ms_per_mark": _div(main.get("server_cpu_ms_per_mark"), floor.get("server_cpu_ms_per_mark")),
            "server_rss_mb": _div(main.get("server_rss_mb"), floor.get("server_rss_mb")),
        }
    if one is not None:
        out["one_worker"] = slim(one)
        out["scaling_factor"] = round(main["events_per_s"] / one["events_per_s"], 3) if one["events_per_s"] else None
        out["scaling_cpu_per_mark"] = _div(main.get("server_cpu_ms_per_mark"), one.get("server_cpu_ms_per_mark"))
    return out


PAIR_RATIOS = ("server_cpu_ms_per_mark", "connect_p50", "ack_p99")


def pair_ratios(main: dict, floor: dict) -> dict:
    """The figures issue 13's targets are stated in, as ratios to the floor of the same pair."""
    return {
        "server_cpu_ms_per_mark": _div(main.get("server_cpu_ms_per_mark"), floor.get("server_cpu_ms_per_mark")),
        "connect_p50": _div(main["connect_ms"].get("p50"), floor["connect_ms"].get("p50")),
        "ack_p99": _div(main["ack_ms"].get("p99"), floor["ack_ms"].get("p99")),
    }


def run_pairs(bench: "Bench", args: argparse.Namespace) -> tuple[dict, bool]:
    """`--pairs N`: floor, Calmroom, floor, Calmroom, ...; each pair's ratios
    and their medians. The result keys are the last pair's, plus `pairs` and
    `median_ratios`."""
    pairs = []
    for i in range(args.pairs):
        log(f"pair {i + 1} of {args.pairs}")
        floor = bench.floor(args.rooms, args.seconds)
        main = bench.calmroom(args.rooms, args.seconds, 1)
        pairs.append((main, floor))
    ratios = [pair_ratios(m, f) for m, f in pairs]
    medians = {k: (statistics.median(v) if (v := [r[k] for r in ratios if r[k] is not None]) else None) for k in PAIR_RATIOS}
    main, floor = pairs[-1]
    out = combine(main, floor, None)
    out["pairs"] = [{"ratios": r, "calmroom": slim(m), "floor": slim(f)} for r, (m, f) in zip(ratios, pairs)]
    out["median_ratios"] = {k: (round(v, 3) if v is not None else None) for k, v in medians.items()}
    print()
    print(report.table([("calmroom ×1", main), ("floor", floor)]))
    print(f"\n{args.pairs} pairs (floor, then Calmroom), ratio to the floor of the same pair:")
    print(f"  {'pair':>4}  {'CPU per mark':>12}  {'connect p50':>11}  {'mark ack p99':>12}  other processes % (calmroom / floor)")
    for i, (r, (m, f)) in enumerate(zip(ratios, pairs), 1):
        print(f"  {i:>4}  {_fmt_ratio(r['server_cpu_ms_per_mark']):>12}  {_fmt_ratio(r['connect_p50']):>11}  "
              f"{_fmt_ratio(r['ack_p99']):>12}  {m.get('other_processes_cpu_pct')} / {f.get('other_processes_cpu_pct')}")
    md = out["median_ratios"]
    print(f"  {'med':>4}  {_fmt_ratio(md['server_cpu_ms_per_mark']):>12}  {_fmt_ratio(md['connect_p50']):>11}  "
          f"{_fmt_ratio(md['ack_p99']):>12}")
    ok = all(m["verify"]["acked_equals_stored"] for m, _ in pairs)
    return out, ok


def _fmt_ratio(x) -> str:
    return "–" if x is None else f"{x:.2f}×"


def _div(a, b):
    return round(a / b, 3) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def held(r: dict, limit_ms: float) -> bool:
    p99 = r["ack_ms"].get("p99")
    return (p99 is not None and p99 <= limit_ms and r["errors"] == 0 and r["verify"]["acked_equals_stored"]
            and r["sockets_connected"] == r["sockets"])


def profile_summary(path: Path, top: int = 25) -> dict:
    """Top functions from py-spy's collapsed stacks: own samples and inclusive samples."""
    own: Counter = Counter()
    incl: Counter = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        n_i = int(n)
        total += n_i
        frames = stack.split(";")
        own[frames[-1]] += n_i
        for f in set(frames):
            incl[f] += n_i
    pct = lambda c: round(100 * c / total, 1) if total else 0.0  # noqa: E731
    return {
        "samples": total,
        "own": [[f, pct(c)] for f, c in own.most_common(top)],
        "inclusive": [[f, pct(c)] for f, c in incl.most_common(top * 2)],
    }


def run(args: argparse.Namespace) -> int:
    t_start = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="calmroom-bench-"))
    bench = Bench(args, tmp)
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    head = {
        "command": "python -m bench " + " ".join(shlex.quote(x) for x in sys.argv[1:]),
        "started": started,
        "machine": machine(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                   if k not in ("database_url", "message_queue")},
        "database": "sqlite (fresh file per run)" if not args.database_url
                    else "postgresql (a fresh database per run on that server)",
        "message_queue": "redis" if args.message_queue else None,
        "generator_gc": "the load generator collects and freezes after set-up and runs with its GC disabled "
                        "during warm-up and measurement",
    }
    head["git"] = procs.git_state()
    if args.server_ref:
        procs.SERVER_SRC = tmp / "server-src"
        head["server_commit"] = procs.snapshot(args.server_ref, procs.SERVER_SRC)
        log(f"server from commit {head['server_commit'][:10]} ({args.server_ref})")
    log(f"temporary directory {tmp}")
    log("the load generator's GC is collected before and disabled during the load phase")
    ok = True
    try:
        if args.room_size is not None:
            out, ok = bigroom.run(bench)
        elif args.soak:
            out = soak.run(bench, args)
            ok = out.pop("ok")
        elif args.find_max:
            out = find_max(bench, args, t_start)
        elif args.pairs > 1:
            out, ok = run_pairs(bench, args)
        elif args.floor_only:
            floor = bench.floor(args.rooms, args.seconds, args.profile)
            out = slim(floor)
            print()
            print(report.table([("floor", floor)], ratio_against=None))
        else:
            floor = None if args.no_floor else bench.floor(args.rooms, args.seconds)
            one = None
            if args.workers > 1 and not args.no_scaling:
                one = bench.calmroom(args.rooms, args.seconds, 1)
            main = bench.calmroom(args.rooms, args.seconds, args.workers, args.profile)
            out = combine(main, floor, one)
            columns = [(f"calmroom ×{args.workers}", main)]
            if one is not None:
                columns.append(("calmroom ×1", one))
            if floor is not None:
                columns.append(("floor", floor))
            print()
            print(report.table(columns))
            if one is not None:
                print(f"\nscaling factor ×{args.workers} over ×1: {out['scaling_factor']} (marks acked per s)"
                      + ("" if args.closed_loop else
                         "; open loop: both carry the same offered load, so this is ~1 by design; "
                         "capacity scaling is measured with --closed-loop"))
            ok = main["verify"]["acked_equals_stored"] and (one is None or one["verify"]["acked_equals_stored"])
        if args.profile and args.profile.exists() and args.profile.suffix not in (".svg", ".json"):
            out["profile"] = profile_summary(args.profile)
            print("\nprofile of worker 0 (py-spy, % of samples)")
            for f, p in out["profile"]["own"][:15]:
                print(f"  own {p:5.1f}%  {f}")
        out.update(head)
        out["elapsed_s"] = round(time.monotonic() - t_start, 1)
        missing = [k for k in REQUIRED if k not in out]
        if missing and not args.soak:
            log(f"note: result lacks {missing}")
        print(f"\n{'acked = stored' if out.get('verify', {}).get('acked_equals_stored', ok) else 'ACKED != STORED'}; "
              f"errors {out.get('errors')}; elapsed {out['elapsed_s']} s; the generator's GC was disabled while measuring")
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(out, indent=2) + "\n")
            log(f"wrote {args.out}")
    except Exception as exc:
        log(f"failed: {exc}")
        ok = False
    finally:
        procs._stop_everything()
        if args.keep_tmp or not ok:
            log(f"kept {tmp} (logs)")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


def find_max(bench: Bench, args: argparse.Namespace, t_start: float) -> dict:
    """Double R while it holds (halve it while it does not), then bisect
    between the largest R that held and the smallest that did not, down to
    --step-rooms, within --budget seconds."""
    results: dict[int, dict] = {}

    def choose() -> int | None:
        held_rs = [n for n, r in results.items() if r["held"]]
        failed = [n for n, r in results.items() if not r["held"]]
        lo, hi = max(held_rs, default=0), min(failed, default=None)
        if not results:
            return max(1, args.start_rooms)
        if hi is None:
            return None if lo >= args.max_rooms else min(args.max_rooms, lo * 2)
        if lo == 0:
            return hi // 2 if hi > 1 else None
        if hi - lo <= args.step_rooms:
            return None
        return (lo + hi) // 2

    per_run_fixed = args.warmup + args.seconds + 15
    floor_reserve = 0 if args.no_floor else args.warmup + args.seconds + 20  # the floor runs at the end
    per_room = 0.15  # seconds of set-up and teardown per room; learnt from each run
    while True:
        rooms = choose()
        if rooms is None or rooms in results:
            break
        estimate = per_run_fixed + per_room * rooms
        if time.monotonic() - t_start + estimate + floor_reserve > args.budget:
            log(f"find-max: not trying R={rooms}: ~{estimate:.0f} s more would pass the {args.budget:g} s budget")
            break
        t = time.monotonic()
        r = bench.calmroom(rooms, args.seconds, args.workers)
        per_room = max(per_room, (time.monotonic() - t - per_run_fixed) / rooms)
        r["held"] = held(r, args.p99_limit)
        results[rooms] = r
        log(f"find-max: R={rooms}: ack p99 {r['ack_ms'].get('p99')} ms, errors {r['errors']}, "
            f"acked = stored {r['verify']['acked_equals_stored']} -> {'held' if r['held'] else 'did not hold'}")
    steps = [results[n] for n in sorted(results)]
    held_rs = [r for r in steps if r["held"]]
    best = held_rs[-1] if held_rs else None
    floor = None
    if best is not None and not args.no_floor:
        floor = bench.floor(best["rooms"], args.seconds)
    print()
    print(report.find_max_table(steps))
    base = best or (steps[0] if steps else None)
    if base is None:
        raise RuntimeError("find-max ran no step")
    out = combine(base, floor, None)
    out["find_max"] = {
        "p99_limit_ms": args.p99_limit,
        "max_rooms_held": best["rooms"] if best else None,
        "max_sockets_held": best["sockets"] if best else None,
        "smallest_rooms_failed": min((r["rooms"] for r in steps if not r["held"]), default=None),
        "steps": [slim(s) for s in steps],
    }
    print(f"\nlargest R that held (p99 mark ack <= {args.p99_limit:g} ms, no errors, acked = stored): "
          f"{best['rooms'] if best else 'none'}")
    if floor is not None:
        print()
        print(report.table([(f"calmroom R={best['rooms']}", best), ("floor", floor)]))
    return out


def main(argv: list[str] | None = None) -> int:
    procs.install_cleanup()
    args = parse_args(argv)
    procs.NICE = args.nice
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
