"""Percentiles and /proc readings (Linux; no psutil needed)."""
from __future__ import annotations

import math
import os
from typing import Iterable, Sequence

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def summary_ms(values_s: Iterable[float], qs: Sequence[float] = (50, 95, 99)) -> dict:
    """Seconds in, milliseconds out: {p50, p95, p99, max, n} (rounded to 0.01 ms)."""
    v = sorted(values_s)
    out: dict = {}
    for q in qs:
        p = percentile(v, q)
        out[f"p{q:g}"] = None if p is None else round(p * 1000, 2)
    out["max"] = round(v[-1] * 1000, 2) if v else None
    out["n"] = len(v)
    return out


def proc_cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)


def proc_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE / 1e6
    except OSError:
        return None


def machine_busy_ticks() -> int | None:
    """All CPUs' non-idle time since boot (the first line of /proc/stat), in ticks."""
    try:
        with open("/proc/stat") as f:
            parts = f.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in parts[1:9])
    return user + nice + system + irq + softirq + steal


def services_cpu_ticks(names: tuple[str, ...] = ("postgres", "redis-server")) -> int:
    """CPU ticks of every process with one of these command names (the
    database and the message queue: shared services, on this machine ours),
    plus what their exited children used (PostgreSQL forks a process per
    connection; the postmaster's cutime/cstime hold the ones it has reaped,
    which would otherwise vanish from the count and show as "other")."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        if comm in names:
            fields = raw[raw.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total


def ticks_to_s(ticks: int) -> float:
    return ticks / CLK_TCK


def machine() -> dict:
    info: dict = {"nproc": os.cpu_count()}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["mem_total_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        info["loadavg_at_start"] = [float(x) for x in open("/proc/loadavg").read().split()[:3]]
    except OSError:
        pass
    import platform

    info["python"] = platform.python_version()
    info["kernel"] = platform.release()
    return info
