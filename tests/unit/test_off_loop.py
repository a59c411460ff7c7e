"""Deck parses run off the event loop one at a time: a pool thread holds the
GIL while it parses, and with two or three parses at once the loop waited
behind each of them (another room's `sync` over 100 ms during parallel
hostile uploads). Checked in an eventlet-patched process, as the server runs."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

from calmroom.app import one_at_a_time

PATCHED = textwrap.dedent("""
    import eventlet
    eventlet.monkey_patch()
    import threading, time
    from eventlet.patcher import original
    from calmroom.app import off_loop_runner

    real_time = original("time")
    offload = off_loop_runner("eventlet")
    lock = original("threading").Lock()
    running, most = [0], [0]

    def parse():  # runs in a pool thread
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        real_time.sleep(0.05)
        with lock:
            running[0] -= 1

    ticks = []
    def loop_ticks():  # the event loop keeps running meanwhile
        for _ in range(20):
            ticks.append(1)
            eventlet.sleep(0.01)

    pool = [eventlet.spawn(offload, parse) for _ in range(4)] + [eventlet.spawn(loop_ticks)]
    for g in pool:
        g.wait()
    print(most[0], len(ticks))
""")


def test_offloaded_parses_run_one_at_a_time_and_the_loop_keeps_going():
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", PATCHED], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    most, ticks = map(int, out.stdout.split())
    assert most == 1
    assert ticks == 20


def test_one_at_a_time_keeps_the_answer_and_the_error():
    calls: list[int] = []
    active, most = [0], [0]

    def work(n: int) -> int:
        active[0] += 1
        most[0] = max(most[0], active[0])
        time.sleep(0.01)
        active[0] -= 1
        calls.append(n)
        if n == 3:
            raise ValueError("not a deck")
        return n * 2

    run = one_at_a_time(lambda fn, *args: fn(*args), threading.Lock())
    results: dict[int, object] = {}

    def call(n: int) -> None:
        try:
            results[n] = run(work, n)
        except ValueError as exc:
            results[n] = exc

    threads = [threading.Thread(target=call, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1 and sorted(calls) == [0, 1, 2, 3, 4]
    assert [results[n] for n in (0, 1, 2, 4)] == [0, 2, 4, 8] and isinstance(results[3], ValueError)
