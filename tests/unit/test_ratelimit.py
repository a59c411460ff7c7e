"""The per-connection rate limiter (fixed windows, `limits` notation)."""
import time

from calmroom.sockets.ratelimit import ConnectionRateLimiter


def test_each_window_is_counted_and_refills(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    rl = ConnectionRateLimiter("3/second;5/minute")
    assert [rl.hit("a") for _ in range(4)] == [True, True, True, False]
    assert rl.hit("b")  # another connection has its own counters
    now[0] += 1.0
    assert [rl.hit("a") for _ in range(3)] == [True, True, False]  # the minute window caps at 5
    now[0] += 60
    assert rl.hit("a")
    rl.forget("a")
    assert "a" not in rl._state


def test_refused_events_do_not_count():
    rl = ConnectionRateLimiter("2/second;3/minute")
    assert [rl.hit("x") for _ in range(10)] == [True, True] + [False] * 8
