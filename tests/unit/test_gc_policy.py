"""What closed connections leave for the cyclic collector (issue 13, item 7):
eventlet's per-request environ no longer keeps a finished connection alive,
and the scheduled full collection frees what is left in cycles."""
from __future__ import annotations

import gc
import weakref

import pytest

from calmroom.config import Config, ConfigError
from calmroom.server import collect_on_schedule


def _protocols_alive() -> int:
    import eventlet.wsgi

    return sum(1 for o in gc.get_objects() if isinstance(o, eventlet.wsgi.HttpProtocol))


def test_a_finished_connection_is_freed_without_the_collector():
    eventlet = pytest.importorskip("eventlet")
    import eventlet.wsgi

    from calmroom.listener import UpgradedWithoutDeadline

    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    listener = eventlet.listen(("127.0.0.1", 0))
    server = eventlet.spawn(eventlet.wsgi.server, listener, UpgradedWithoutDeadline(app), log_output=False, debug=False)
    gc.collect()
    gc.disable()  # only reference counting frees anything from here on
    try:
        before = _protocols_alive()
        for _ in range(3):
            c = eventlet.connect(listener.getsockname())
            c.sendall(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            reply = b""
            while chunk := c.recv(4096):
                reply += chunk
            c.close()
            assert reply.startswith(b"HTTP/1.1 200")
        eventlet.sleep(0.2)  # the server's green threads finish their connections
        left = _protocols_alive() - before
    finally:
        gc.enable()
        server.kill()
        listener.close()
    assert left == 0, f"{left} finished connections still held in reference cycles"


class _Stop(Exception):
    pass


def test_the_scheduled_collection_frees_old_cycles():
    class Node:
        pass

    gc.collect()
    gc.disable()
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        sleeps = []

        def sleep(seconds: float) -> None:
            sleeps.append(seconds)
            if len(sleeps) > 1:
                raise _Stop

        with pytest.raises(_Stop):
            collect_on_schedule(sleep, 300.0)
        assert gone() is None
        assert sleeps[0] == 300.0 and sleeps[1] >= 300.0
    finally:
        gc.enable()


def test_a_long_pause_puts_the_next_collection_further_off():
    sleeps = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) > 1:
            raise _Stop

    with pytest.raises(_Stop):
        collect_on_schedule(sleep, 1e-6)  # any real collection pauses longer than a nanosecond
    assert sleeps[0] == 1e-6
    assert sleeps[1] > 1e-6  # a thousand pauses: at most 0.1 % of the time in full collections


def test_the_schedule_is_configurable_and_checked():
    assert Config.from_env({}).gc_full_every_s == 300.0
    assert Config.from_env({"CALMROOM_GC_FULL_EVERY_S": "0"}).gc_full_every_s == 0.0
    with pytest.raises(ConfigError, match="CALMROOM_GC_FULL_EVERY_S"):
        Config.from_env({"CALMROOM_GC_FULL_EVERY_S": "-1"})
    with pytest.raises(ConfigError, match="CALMROOM_GC_FULL_EVERY_S"):
        Config.from_env({"CALMROOM_GC_FULL_EVERY_S": "soon"})
