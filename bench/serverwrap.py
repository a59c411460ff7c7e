"""Run ``calmroom serve`` unchanged, or with experiments applied from the
outside, to measure what a proposed server change would bring before anyone
makes it. The benchmark uses this only when asked (``--server-patch``,
BENCH_GC_LOG=1); a normal run starts ``python -m calmroom serve`` itself.

    python -m bench.serverwrap serve --port P      (env BENCH_PATCH=nomatch,nolimit; BENCH_GC_LOG=1)

Experiments (each names a change recommended in docs/performance.md):

- ``nomatch``: Flask builds no URL adapter for Socket.IO requests, so the
  request context Flask-SocketIO pushes around every event does no URL
  matching (werkzeug's matcher leaves a reference cycle per match, and a
  failed match a NotFound with its traceback: ~50 cyclic objects per event).
- ``nolimit``: no per-event rate limiting (what the `limits` MemoryStorage
  costs: a timer green thread re-armed every 10 ms that scans every key).
"""
from __future__ import annotations

import os
import sys

PATCHES = ("nomatch", "nolimit")


def apply(names: list[str]) -> None:
    if "nomatch" in names:
        import flask

        original = flask.Flask.create_url_adapter

        def create_url_adapter(self, request):
            if request is not None and request.path.startswith("/socket.io"):
                return None
            return original(self, request)

        flask.Flask.create_url_adapter = create_url_adapter
    if "nolimit" in names:
        from calmroom.sockets import handlers

        init = handlers.SocketGateway.__init__

        def __init__(self, *args, **kwargs):
            init(self, *args, **kwargs)
            self.limits = []

        handlers.SocketGateway.__init__ = __init__


def main() -> int:
    if os.environ.get("BENCH_GC_LOG"):
        from .gcwatch import install

        install()
    names = [n for n in os.environ.get("BENCH_PATCH", "").split(",") if n]
    unknown = set(names) - set(PATCHES)
    if unknown:
        print(f"unknown experiment(s): {sorted(unknown)}", file=sys.stderr)
        return 2
    from calmroom.server import patch_for

    patch_for(os.environ.get("CALMROOM_ASYNC_MODE") or "eventlet")  # before flask is imported
    apply(names)
    if names:
        print(f"bench.serverwrap: experiments applied: {', '.join(names)}", file=sys.stderr, flush=True)
    from calmroom.cli import main as calmroom_main

    return calmroom_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
