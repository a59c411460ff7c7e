"""Diagnosis: what the cyclic garbage collector costs a server process.

``install()`` adds a gc callback that, every 10 s, prints to stderr how often
each generation was collected, how long those collections stopped the
process and how many objects they freed; once (after ~20 s) it also keeps
one collection's garbage (DEBUG_SAVEALL) and prints which types were in
reference cycles, i.e. what makes the collector work.

Used by the floor (``--gc-log``) and by ``bench.serverwrap`` for Calmroom
(set BENCH_GC_LOG=1 for ``python -m bench``). No threads, no imports beyond
the standard library: safe before monkey-patching.
"""
from __future__ import annotations

import gc
import sys
import time
from collections import Counter


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
            kinds = Counter(type(o).__module__ + "." + type(o).__qualname__ for o in gc.garbage)
            funcs = Counter(f"{o.__code__.co_filename.rsplit('site-packages/', 1)[-1]}:{o.__code__.co_firstlineno} "
                            f"{o.__qualname__}" for o in gc.garbage if type(o).__name__ == "function")
            gc.set_debug(0)
            n = len(gc.garbage)
            gc.garbage.clear()
            state["tally"] = "done"
            top = ", ".join(f"{k} {v}" for k, v in kinds.most_common(25))
            print(f"gc garbage of one gen{info['generation']} collection ({n} objects): {top}", file=sys.stderr, flush=True)
            print("gc garbage functions (closures in cycles): "
                  + ", ".join(f"{k} {v}" for k, v in funcs.most_common(10)), file=sys.stderr, flush=True)
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
