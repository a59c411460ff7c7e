"""A room member that calls `sync` in a loop while something else loads the
server (hostile bodies, a trainer typing): the latencies show whether the one
event loop stalled."""
from __future__ import annotations

import threading
import time


class SyncWatch:
    """`with SyncWatch(client) as watch:` syncs every 10 ms until the block
    ends; `watch.latencies` (seconds) and `watch.failures` (refused or
    timed-out acks) are what it saw."""

    def __init__(self, client):
        self.client = client
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            t0 = time.monotonic()
            try:
                ack = self.client.call("sync")
            except Exception as exc:  # a frozen loop: the 10 s ack timeout
                ack = {"ok": False, "error": repr(exc)}
            self.latencies.append(time.monotonic() - t0)
            if not ack["ok"]:
                self.failures.append(str(ack))
            time.sleep(0.01)

    def __enter__(self) -> "SyncWatch":
        self._thread.start()
        time.sleep(0.3)  # a few quiet syncs first
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
