"""The table printed at the end of a run."""
from __future__ import annotations

from typing import Any


def _g(d: dict | None, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _ratio(a: Any, b: Any) -> str:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b:
        return f"{a / b:.2f}×"
    return ""


ROWS = [
    ("rooms / sockets", lambda r: f"{r['rooms']} / {r.get('sockets_connected', r.get('sockets'))}", None),
    ("workers", lambda r: r.get("workers"), None),
    ("load", lambda r: "closed loop" if r.get("closed_loop") else "open loop", None),
    ("setup s", lambda r: r.get("setup_s"), None),
    ("setup: server CPU s", lambda r: _g(r, "setup_cpu", "server_cpu_s"), "setup_cpu.server_cpu_s"),
    ("setup: generator CPU s", lambda r: _g(r, "setup_cpu", "generator_cpu_s"), None),
    ("connect ms p50", lambda r: _g(r, "connect_ms", "p50"), "connect_ms.p50"),
    ("connect ms p99", lambda r: _g(r, "connect_ms", "p99"), "connect_ms.p99"),
    ("marks acked in window", lambda r: r.get("window_marks_acked"), "window_marks_acked"),
    ("marks acked per s", lambda r: r.get("events_per_s"), "events_per_s"),
    ("mark ack ms p50", lambda r: _g(r, "ack_ms", "p50"), "ack_ms.p50"),
    ("mark ack ms p95", lambda r: _g(r, "ack_ms", "p95"), "ack_ms.p95"),
    ("mark ack ms p99", lambda r: _g(r, "ack_ms", "p99"), "ack_ms.p99"),
    ("mark ack ms max", lambda r: _g(r, "ack_ms", "max"), "ack_ms.max"),
    ("mark→facilitator ms p50", lambda r: _g(r, "deliver_ms", "p50"), "deliver_ms.p50"),
    ("mark→facilitator ms p99", lambda r: _g(r, "deliver_ms", "p99"), "deliver_ms.p99"),
    ("temperature ack ms p99", lambda r: _g(r, "temp_ack_ms", "p99"), "temp_ack_ms.p99"),
    ("errors", lambda r: r.get("errors"), None),
    ("server CPU %", lambda r: r.get("server_cpu_pct"), "server_cpu_pct"),
    ("server CPU ms per mark", lambda r: r.get("server_cpu_ms_per_mark"), "server_cpu_ms_per_mark"),
    ("server RSS MB (end)", lambda r: r.get("server_rss_mb"), "server_rss_mb"),
    ("generator CPU %", lambda r: _g(r, "generator", "cpu_pct"), None),
    ("PostgreSQL + Redis CPU %", lambda r: r.get("db_and_queue_cpu_pct"), None),
    ("other processes CPU %", lambda r: r.get("other_processes_cpu_pct"), None),
    ("rounds played", lambda r: r.get("rounds_played"), None),
    ("acked = stored", lambda r: _g(r, "verify", "acked_equals_stored"), None),
]


def table(columns: list[tuple[str, dict]], ratio_against: str | None = "floor") -> str:
    """columns: (title, run result). A ratio column (first column / the
    `ratio_against` column) is added when that column is present."""
    titles = [t for t, _ in columns]
    ref = dict(columns).get(ratio_against) if ratio_against else None
    first = columns[0][1] if columns else None
    head = ["", *titles] + (["ratio to floor"] if ref is not None and len(columns) > 1 else [])
    lines = [head]
    for label, get, key in ROWS:
        row = [label]
        for _, r in columns:
            try:
                row.append(_fmt(get(r)))
            except Exception:
                row.append("–")
        if ref is not None and len(columns) > 1:
            row.append(_ratio(get(first), get(ref)) if key else "")
        lines.append(row)
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(line)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def find_max_table(steps: list[dict]) -> str:
    head = ["rooms", "sockets", "ack p50", "ack p99", "deliver p99", "marks/s", "errors", "acked=stored", "server CPU %", "held"]
    lines = [head]
    for s in steps:
        lines.append([
            _fmt(s.get("rooms")), _fmt(s.get("sockets_connected")), _fmt(_g(s, "ack_ms", "p50")),
            _fmt(_g(s, "ack_ms", "p99")), _fmt(_g(s, "deliver_ms", "p99")), _fmt(s.get("events_per_s")),
            _fmt(s.get("errors")), _fmt(_g(s, "verify", "acked_equals_stored")), _fmt(s.get("server_cpu_pct")),
            _fmt(s.get("held")),
        ])
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(c).rjust(widths[i]) for i, c in enumerate(line)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
