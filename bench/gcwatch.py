"""Diagnosis: what the cyclic garbage collector costs a server process.

``install()`` adds a gc callback that, every 10 s, prints to stderr how often
each generation was collected, how long those collections stopped the
process and how many objects they freed; once (after ~20 s) it also keeps
one collection's garbage (DEBUG_SAVEALL) and prints which types were in
reference cycles, i.e. what makes the collector work. On SIGUSR1 (the soak
sends it at its end, after every room is deleted) it runs one full collection
that keeps its garbage and prints what it was: what the connections left
behind for the old generations.

Used by the floor (``--gc-log``) and by ``bench.serverwrap`` for Calmroom
(set BENCH_GC_LOG=1 for ``python -m bench``). No threads, no imports beyond
the standard library: safe before monkey-patching.
"""
from __future__ import annotations

import gc
import signal
import sys
import time
from collections import Counter


def _tally(objects: list) -> tuple[str, str]:
    kinds = Counter(type(o).__module__ + "." + type(o).__qualname__ for o in objects)
    funcs = Counter(f"{o.__code__.co_filename.rsplit('site-packages/', 1)[-1]}:{o.__code__.co_firstlineno} "
                    f"{o.__qualname__}" for o in objects if type(o).__name__ == "function")
    return (", ".join(f"{k} {v}" for k, v in kinds.most_common(40)),
            ", ".join(f"{k} {v}" for k, v in funcs.most_common(20)))


def full_tally(_signum=None, _frame=None) -> None:
    gc.set_debug(gc.DEBUG_SAVEALL)
    t = time.perf_counter()
    gc.collect()
    d = time.perf_counter() - t
    gc.set_debug(0)
    n = len(gc.garbage)
    kinds, funcs = _tally(gc.garbage)
    gc.garbage.clear()
    gc.collect()
    print(f"gc full collection on request: {1000 * d:.0f} ms, {n} objects in cycles: {kinds}", file=sys.stderr, flush=True)
    print(f"gc full collection on request, functions: {funcs}", file=sys.stderr, flush=True)


def install(period_s: float = 10.0, tally_after_s: float = 20.0) -> None:
    stats = {g: [0, 0.0, 0.0, 0, 0] for g in range(3)}  # count, total s, max s, freed, pauses > 20 ms
    state = {"start": 0.0, "last": time.monotonic(), "t0": time.monotonic(), "tally": "waiting"}

    def callback(phase: str, info: dict) -> None:
        now = time.perf_counter()
        if phase == "start":
            state["start"] = now
            return
        d = now - state["start"]
        st = stats[info["generation"]]
        st[0] += 1
        st[1] += d
        st[2] = max(st[2], d)
        st[3] += info.get("collected", 0)
        st[4] += d > 0.020
        mono = time.monotonic()
        if state["tally"] == "saving":
            top, funcs = _tally(gc.garbage)
            gc.set_debug(0)
            n = len(gc.garbage)
            gc.garbage.clear()
            state["tally"] = "done"
            print(f"gc garbage of one gen{info['generation']} collection ({n} objects): {top}", file=sys.stderr, flush=True)
            print(f"gc garbage functions (closures in cycles): {funcs}", file=sys.stderr, flush=True)
        elif state["tally"] == "waiting" and mono - state["t0"] > tally_after_s:
            gc.set_debug(gc.DEBUG_SAVEALL)
            state["tally"] = "saving"
        if mono - state["last"] >= period_s:
            span = mono - state["last"]
            state["last"] = mono
            line = "; ".join(f"gen{g}: {c} x ({long} > 20 ms), {1000 * t:.0f} ms, max {1000 * m:.1f} ms, {f} freed"
                             for g, (c, t, m, f, long) in stats.items())
            print(f"gc {span:.0f} s: {line}; frozen {gc.get_freeze_count()}", file=sys.stderr, flush=True)
            for s in stats.values():
                s[:] = [0, 0.0, 0.0, 0, 0]

    gc.callbacks.append(callback)
    signal.signal(signal.SIGUSR1, full_tally)
