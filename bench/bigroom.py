"""python -m bench --room-size N: one room of N observers (plus a customer,
an agent and a facilitator) against `calmroom serve` and, in the same run,
the floor (bench/floor.py) with one room of N; ratios to the floor per figure.

The load generator is bench/bigroom_gen.py, one process per run. Figures:
seating (all N joined, `--batch` at a time), join ack, each phase change
until every observer has it, the temperature until every observer has it,
mark ack, server CPU per mark and RSS, sockets dropped, acked = stored.
"""
from __future__ import annotations

import argparse
import time
import uuid
from typing import Any

from . import procs, verify
from .report import _fmt, _g

GENERATOR = "bench.bigroom_gen"


def log(msg: str) -> None:
    import sys

    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def limits(args: argparse.Namespace) -> dict:
    seat = args.seat_timeout if args.seat_timeout is not None else max(60.0, 0.3 * args.room_size)
    return {"seat_timeout_s": seat, "phase_timeout_s": args.phase_timeout, "ack_timeout_s": max(args.ack_timeout, 30.0),
            "settle_timeout_s": args.phase_timeout, "connect_timeout_s": 30.0}


def total_limit(cfg: dict) -> float:
    """Every phase of the generator has its own limit; this is their sum and some."""
    return (60 + cfg["seat_timeout_s"] + cfg["settle_timeout_s"] + 5 * cfg["phase_timeout_s"]
            + 2 * cfg["ack_timeout_s"] + cfg["warmup_s"] + cfg["seconds"] + 30)


def one_run(bench, mode: str, servers: list[procs.Server]) -> dict:
    a = bench.args
    bench.run_no += 1
    cfg = {"mode": mode, "url": servers[0].url, "server_pids": [s.pid for s in servers], "observers": a.room_size,
           "batch": a.batch, "seconds": a.seconds, "warmup_s": a.warmup, "mark_interval_s": a.mark_interval,
           "temp_interval_s": a.temp_interval, "floor_marks": a.floor_marks, "client_allowance": a.client_allowance,
           "seed": a.seed, "fishbowl": not a.no_fishbowl, **limits(a)}
    limit = total_limit(cfg)
    kind = "a fishbowl" if cfg["fishbowl"] else "a plain room"
    log(f"{mode}: one room ({kind}) of {a.room_size} observers, {a.seconds:g} s window (time limit {limit:.0f} s)")
    result = procs.run_generator(GENERATOR, cfg, bench.tmp, f"bigroom-{bench.run_no}-{mode}", limit)
    for s in servers:
        if not s.alive():
            result["errors"] += 1
            result["errors_by_kind"][f"server_exited:{s.name}"] = 1
            log(f"{s.name} died during the run:\n{s.tail()}")
    result["limits"] = {k: v for k, v in cfg.items() if k.endswith("timeout_s")}
    return result


def floor_run(bench) -> dict:
    server = procs.floor_worker(0, bench.tmp, message_queue=None, channel=f"calmroom-bench-floor-{uuid.uuid4().hex[:8]}",
                                gc_mode=bench.args.floor_gc)
    try:
        procs.start_all([server])
        return one_run(bench, "floor", [server])
    finally:
        procs.stop_all([server])


def calmroom_run(bench) -> dict:
    a = bench.args
    if a.database_url and not a.database_url.startswith("sqlite"):
        with procs.fresh_postgres_database(a.database_url) as db_url:
            return _calmroom_run(bench, db_url)
    return _calmroom_run(bench, a.database_url or f"sqlite:///{bench.tmp / f'calmroom-{uuid.uuid4().hex[:8]}.db'}")


def _calmroom_run(bench, db_url: str) -> dict:
    a = bench.args
    src = procs.SERVER_SRC or procs.REPO
    fingerprint = procs.source_fingerprint(src)
    server = procs.calmroom_worker(0, bench.tmp, database_url=db_url, message_queue=None,
                                   channel=f"calmroom-bench-{uuid.uuid4().hex[:8]}", rate_limit=a.rate_limit,
                                   extra_env=bench.extra_env)
    try:
        procs.start_all([server])
        result = one_run(bench, "calmroom", [server])
    finally:
        procs.stop_all([server])
    result["server_source"] = {"from": f"git {a.server_ref}" if procs.SERVER_SRC else "work tree",
                               "sha256_12": fingerprint,
                               "unchanged_during_run": procs.source_fingerprint(src) == fingerprint}
    result["server_env"] = a.server_env
    result["database"] = "sqlite" if db_url.startswith("sqlite") else db_url.split("://", 1)[0]
    result["verify"] = verify.check(db_url, result)
    result["marks_stored"] = result["verify"]["marks_stored"]
    v = result["verify"]
    log(f"calmroom: acked {v['marks_acked']}, stored {v['marks_stored']}, "
        f"acked = stored: {'yes' if v['acked_equals_stored'] else 'NO'}")
    return result


def phase_ms(r: dict, command: str) -> Any:
    p = _g(r, "phases", command)
    if p is None:
        return None
    return p["reach_all_ms"] if p["reach_all_ms"] is not None else f"{p['reached']}/{p['observers']} reached"


# (label, getter, key for the ratio to the floor or None)
ROWS = [
    ("observers seated / N", lambda r: f"{r['seated']} / {r['observers']}", None),
    ("sockets dropped", lambda r: r.get("sockets_dropped"), None),
    ("seating s (all joined)", lambda r: r.get("seating_s"), "seating"),
    ("seating settled s (quiet)", lambda r: r.get("settled_s"), "settled"),
    ("connect ms p50", lambda r: _g(r, "connect_ms", "p50"), "connect_p50"),
    ("join ack ms p50", lambda r: _g(r, "join_ack_ms", "p50"), "join_ack_p50"),
    ("join ack ms p99", lambda r: _g(r, "join_ack_ms", "p99"), "join_ack_p99"),
    ("server CPU s while seating", lambda r: _g(r, "seating_cpu", "server_cpu_s"), "seating_cpu"),
    ("start_round → all ms", lambda r: phase_ms(r, "start_round"), "start_round"),
    ("begin_roleplay → all ms", lambda r: phase_ms(r, "begin_roleplay"), "begin_roleplay"),
    ("end_roleplay → all ms", lambda r: phase_ms(r, "end_roleplay"), "end_roleplay"),
    ("reveal_results → all ms", lambda r: phase_ms(r, "reveal_results"), "reveal_results"),
    ("temperature → all ms p50", lambda r: _g(r, "temperature_to_all_ms", "p50"), "temp_p50"),
    ("temperature → all ms p99", lambda r: _g(r, "temperature_to_all_ms", "p99"), "temp_p99"),
    ("temperatures reached all / sent",
     lambda r: f"{_g(r, 'temperature_to_all_ms', 'reached_all')} / {_g(r, 'temperature_to_all_ms', 'sent')}", None),
    ("marks acked in window", lambda r: r.get("window_marks_acked"), None),
    ("mark ack ms p50", lambda r: _g(r, "ack_ms", "p50"), "ack_p50"),
    ("mark ack ms p99", lambda r: _g(r, "ack_ms", "p99"), "ack_p99"),
    ("mark → facilitator ms p99", lambda r: _g(r, "deliver_ms", "p99"), "deliver_p99"),
    ("server CPU % (window)", lambda r: r.get("server_cpu_pct"), "server_cpu_pct"),
    ("server CPU ms per mark", lambda r: r.get("server_cpu_ms_per_mark"), "server_cpu_ms_per_mark"),
    ("server RSS MB (window end)", lambda r: r.get("server_rss_mb"), "server_rss_mb"),
    ("server RSS MB peak", lambda r: r.get("server_rss_peak_mb"), None),
    ("generator CPU % seating / window",
     lambda r: f"{_fmt(_g(r, 'generator', 'cpu_pct_seating'))} / {_fmt(_g(r, 'generator', 'cpu_pct_window'))}", None),
    ("other processes CPU % (window)", lambda r: _g(r, "window_cpu", "other_processes_cpu_pct"), None),
    ("errors", lambda r: r.get("errors"), None),
    ("acked = stored", lambda r: _g(r, "verify", "acked_equals_stored"), None),
]


def ratios(main: dict, floor: dict) -> dict:
    out = {}
    for _label, get, key in ROWS:
        if key is None:
            continue
        a, b = get(main), get(floor)
        ok = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
        out[key] = round(a / b, 3) if ok and b else None
    return out


def table(columns: list[tuple[str, dict]], rat: dict | None) -> str:
    head = ["", *(t for t, _ in columns)] + (["ratio to floor"] if rat else [])
    lines = [head]
    for label, get, key in ROWS:
        row = [label]
        for _t, r in columns:
            try:
                row.append(_fmt(get(r)))
            except (KeyError, TypeError):
                row.append("–")
        if rat:
            v = rat.get(key) if key else None
            row.append(f"{v:.2f}×" if v is not None else "")
        lines.append(row)
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(line)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def targets(main: dict, rat: dict | None) -> dict:
    """Issue 13's targets for one big room, as ratios in this run."""
    phases = [_g(main, "phases", c, "reach_all_ms") for c in ("start_round", "begin_roleplay", "end_roleplay", "reveal_results")]
    return {
        "everyone_seated_none_dropped": main.get("seated") == main.get("observers") and main.get("sockets_dropped") == 0,
        "seating_within_2x_floor": None if not rat or rat.get("seating") is None else rat["seating"] <= 2,
        "phase_change_to_all_within_1s": all(p is not None and p <= 1000 for p in phases),
        "mark_ack_p99_within_2x_floor": None if not rat or rat.get("ack_p99") is None else rat["ack_p99"] <= 2,
        "acked_equals_stored": bool(_g(main, "verify", "acked_equals_stored")),
    }


def run(bench) -> tuple[dict, bool]:
    a = bench.args
    floor = None if a.no_floor else floor_run(bench)
    main = calmroom_run(bench)
    slim = {k: v for k, v in main.items() if k not in ("acked_marks", "refused_marks", "unknown_marks")}
    out = {**slim, "room_size": a.room_size, "rooms": 1, "fishbowl": not a.no_fishbowl, "floor_events_per_s": floor and floor["events_per_s"],
           "ratio_to_floor": None}
    rat = None
    columns = [("calmroom", main)]
    if floor is not None:
        out["floor"] = {k: v for k, v in floor.items() if k not in ("acked_marks", "refused_marks", "unknown_marks")}
        rat = ratios(main, floor)
        out["ratios_to_floor"] = rat
        out["ratio_to_floor"] = round(main["events_per_s"] / floor["events_per_s"], 3) if floor["events_per_s"] else None
        columns.append(("floor", floor))
    out["targets"] = targets(main, rat)
    print()
    print("the room: " + ("a fishbowl (options.fishbowl)" if out["fishbowl"] else "a plain room (--no-fishbowl)"))
    print(table(columns, rat))
    print("\ntargets (issue 13): " + ", ".join(f"{k} {_fmt(v)}" for k, v in out["targets"].items()))
    if main.get("stalled"):
        print(f"calmroom: {main['stalled']}")
    if floor is not None and floor.get("stalled"):
        print(f"floor: {floor['stalled']}")
    print("the generator (one asyncio process) shares the 2 cores with the server: its CPU is in the table")
    return out, bool(main["verify"]["acked_equals_stored"])
