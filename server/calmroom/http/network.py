"""Which addresses phones on the local network can use to reach this server:
for the start-up message of `calmroom serve` and for the console, which
warns when its join link points at a name only this computer knows.

The addresses are read from the machine's own interfaces (Linux: one ioctl
per interface) and from what its host name resolves to; nothing is sent
anywhere to find them."""
from __future__ import annotations

import ipaddress
import socket
import struct
import time
from typing import Iterable

from flask import Blueprint, current_app, jsonify, request

network = Blueprint("network", __name__)

ANY_HOSTS = {"0.0.0.0", "::", ""}
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address
_CACHE_S = 10.0
_cache: tuple[float, list[str]] | None = None


def is_loopback_host(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def usable(addresses: Iterable[str]) -> list[str]:
    """The IPv4 addresses another device could reach: not loopback, not
    link-local (169.254/16 is what a machine gives itself without a network),
    not unspecified; private ones first, each once."""
    out: list[str] = []
    for text in addresses:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            continue
        if ip.version != 4 or ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast:
            continue
        if text not in out:
            out.append(text)
    return sorted(out, key=lambda a: (not ipaddress.ip_address(a).is_private, ipaddress.ip_address(a)))


def _interface_addresses() -> list[str]:
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        return []
    found: list[str] = []
    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # never bound, never sends
        for name in names:
            packed = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, packed)
            except OSError:  # down, no IPv4 address, or not Linux
                continue
            found.append(socket.inet_ntoa(answer[20:24]))
    return found


def _host_name_addresses() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return []
    return [info[4][0] for info in infos]


def machine_addresses() -> list[str]:
    """This machine's usable IPv4 addresses, read again at most every 10 s
    (a laptop may join the Wi-Fi after the server started)."""
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > _CACHE_S:
        found = _interface_addresses()
        if not usable(found):  # no interface list on this system: ask the host name
            found += _host_name_addresses()
        _cache = (now, usable(found))
    return list(_cache[1])


def listening_on_lan(host: str) -> bool:
    return host in ANY_HOSTS or not is_loopback_host(host)


def lan_urls(host: str, port: int) -> list[str]:
    """Base URLs that devices on the network can open, for a server
    listening on `host`: none on loopback, the address itself when it is one,
    every machine address when listening on all of them."""
    if not listening_on_lan(host):
        return []
    if host in ANY_HOSTS:
        return [f"http://{a}:{port}" for a in machine_addresses()]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}"]


def _from_this_machine() -> bool:
    addr = request.remote_addr or ""
    try:
        return ipaddress.ip_address(addr).is_loopback
    except ValueError:
        return False


@network.get("/api/network")
def network_info():
    """The machine's network addresses are told only to a browser on the
    machine itself: that is the facilitator whose join link points at
    127.0.0.1. Anyone else already reached the server by an address that works,
    and a server behind a proxy should not show its inner addresses."""
    config = current_app.extensions["calmroom"].config
    urls = lan_urls(config.host, config.port) if _from_this_machine() else []
    return jsonify({"lan_urls": urls, "listening_on_lan": listening_on_lan(config.host)})
