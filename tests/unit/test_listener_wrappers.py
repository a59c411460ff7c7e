"""listener.py's wrappers forward what eventlet's server asks of the socket:
a method once looked up stays on the wrapper, an attribute the socket lacks
is remembered as lacking (eventlet asks for `do_handshake` on every
request), and `close` still gives the address's slot back."""
from __future__ import annotations

import socket

from calmroom.listener import CappedListener, _Counted


class Probe:
    """A socket stand-in that counts the lookups that reach it."""

    def __init__(self):
        self.asked: list[str] = []
        self._real = socket.socket()

    def __getattr__(self, name):
        self.asked.append(name)
        return getattr(self._real, name)


def test_a_lacking_attribute_is_asked_for_once():
    probe = Probe()
    listener = CappedListener(probe, cap=2)
    assert not any(hasattr(listener, "do_handshake") for _ in range(50))
    assert probe.asked.count("do_handshake") == 1
    assert listener.getsockname() == probe._real.getsockname()  # the rest is forwarded as before
    probe._real.close()


def test_a_counted_socket_keeps_its_methods_and_gives_its_slot_back():
    probe = Probe()
    released = []
    counted = _Counted(probe, lambda: released.append(1))
    for _ in range(20):
        counted.settimeout(3.0)
        assert counted.gettimeout() == 3.0
    assert probe.asked.count("settimeout") == 1 and probe.asked.count("gettimeout") == 1
    assert "settimeout" in vars(counted) and counted not in [getattr(v, "__self__", None) for v in vars(counted).values()]
    counted.close()
    assert released == [1] and probe._real.fileno() == -1
