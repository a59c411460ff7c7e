"""All configuration, read from the environment in one place."""
from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

from .decks import MAX_DECK_BYTES

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DECKS_DIR = PACKAGE_DIR.parent.parent / "decks"
DEFAULT_CLIENT_DIR = PACKAGE_DIR.parent.parent / "client" / "dist"
ASYNC_MODES = ("eventlet", "gevent", "threading")


class ConfigError(ValueError):
    pass


def _worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass
class Config:
    database_url: str = "sqlite:///calmroom.db"
    message_queue: str | None = None
    message_queue_channel: str = "calmroom"  # workers of one deployment share it
    async_mode: str = "eventlet"
    host: str = "127.0.0.1"
    port: int = 5000
    public_url: str | None = None          # base of join links; default: the request's host
    host_key: str | None = None            # bearer needed to create rooms, when set
    admin_token: str | None = None         # bearer needed to upload decks, when set
    decks_dir: Path = DEFAULT_DECKS_DIR
    client_dir: Path = DEFAULT_CLIENT_DIR
    max_connections: int = 10_000          # eventlet's WSGI max_size (its default 1,024 refuses more)
    tcp_nodelay: bool = True               # without it acks after a broadcast wait ~40 ms for Nagle
    rate_limit: str = "20/second;300/minute"  # per connection, for every client event
    guess_limit: str = "30/minute;300/hour"  # failed joins/rejoins/hosts and wrong bearer tokens, per client address
    trusted_proxies: str | None = None     # comma-separated proxy addresses/networks whose X-Forwarded-For is believed
    request_timeout_s: float = 30.0        # a request (headers and body) not finished by then is dropped
    max_connections_per_address: int = 500  # open sockets per peer address, counted at accept
    max_payload_bytes: int = 16_384        # a client event bigger than this gets `too_large`
    max_http_body_bytes: int = MAX_DECK_BYTES  # the largest body is a deck upload (256 KB)
    retention_days: int | None = None
    sqlite_synchronous: str = "NORMAL"
    db_pool_size: int = 20                 # PostgreSQL connections kept per worker (+ half as many more at peaks)
    ping_interval: int = 25
    ping_timeout: int = 20
    fanout_window_ms: int = 50             # membership deltas of one room within this window go out as one `batch`
    aggregate_window_ms: int = 250         # a fishbowl's live aggregate goes out at most once per window per room
    clock_tick_s: float = 1.0              # how often the server checks running clocks for time-up
    gc_freeze: bool = True                 # move start-up objects out of the collector's way
    gc_full_every_s: float = 300.0         # a full collection this often frees what closed connections left (0: never)
    worker_id: str = field(default_factory=_worker_id)
    testing: bool = False

    ENV = {
        "database_url": "CALMROOM_DATABASE_URL",
        "message_queue": "CALMROOM_MESSAGE_QUEUE",
        "message_queue_channel": "CALMROOM_MESSAGE_QUEUE_CHANNEL",
        "async_mode": "CALMROOM_ASYNC_MODE",
        "host": "CALMROOM_HOST",
        "port": "CALMROOM_PORT",
        "public_url": "CALMROOM_PUBLIC_URL",
        "host_key": "CALMROOM_HOST_KEY",
        "admin_token": "CALMROOM_ADMIN_TOKEN",
        "decks_dir": "CALMROOM_DECKS_DIR",
        "client_dir": "CALMROOM_CLIENT_DIR",
        "max_connections": "CALMROOM_MAX_CONNECTIONS",
        "tcp_nodelay": "CALMROOM_TCP_NODELAY",
        "rate_limit": "CALMROOM_RATE_LIMIT",
        "guess_limit": "CALMROOM_GUESS_LIMIT",
        "trusted_proxies": "CALMROOM_TRUSTED_PROXIES",
        "request_timeout_s": "CALMROOM_REQUEST_TIMEOUT_S",
        "max_connections_per_address": "CALMROOM_MAX_CONNECTIONS_PER_ADDRESS",
        "max_payload_bytes": "CALMROOM_MAX_PAYLOAD_BYTES",
        "retention_days": "CALMROOM_RETENTION_DAYS",
        "sqlite_synchronous": "CALMROOM_SQLITE_SYNCHRONOUS",
        "db_pool_size": "CALMROOM_DB_POOL_SIZE",
        "fanout_window_ms": "CALMROOM_FANOUT_WINDOW_MS",
        "aggregate_window_ms": "CALMROOM_AGGREGATE_WINDOW_MS",
        "clock_tick_s": "CALMROOM_CLOCK_TICK_S",
        "gc_freeze": "CALMROOM_GC_FREEZE",
        "gc_full_every_s": "CALMROOM_GC_FULL_EVERY_S",
        "worker_id": "CALMROOM_WORKER_ID",
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Config":
        env = os.environ if env is None else env
        values: dict = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var in cls.ENV.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            values[name] = _parse(var, raw, types[name])
        values.update(overrides)
        cfg = cls(**values)
        cfg.check()
        return cfg

    def check(self) -> None:
        if self.async_mode not in ASYNC_MODES:
            raise ConfigError(f"CALMROOM_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {self.async_mode!r}")
        if self.sqlite_synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ConfigError("CALMROOM_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA")
        if self.retention_days is not None and self.retention_days < 1:
            raise ConfigError("CALMROOM_RETENTION_DAYS must be at least 1")
        for proxy in (self.trusted_proxies or "").split(","):
            try:
                if proxy.strip():
                    ipaddress.ip_network(proxy.strip(), strict=False)
            except ValueError:
                raise ConfigError(f"CALMROOM_TRUSTED_PROXIES: {proxy.strip()!r} is not an address or network") from None
        if self.request_timeout_s <= 0:
            raise ConfigError("CALMROOM_REQUEST_TIMEOUT_S must be above 0")
        if self.max_connections_per_address < 1:
            raise ConfigError("CALMROOM_MAX_CONNECTIONS_PER_ADDRESS must be at least 1")
        if self.gc_full_every_s < 0:
            raise ConfigError("CALMROOM_GC_FULL_EVERY_S must be 0 (never) or more")
        if not 0 <= self.fanout_window_ms <= 1000:
            raise ConfigError("CALMROOM_FANOUT_WINDOW_MS must be between 0 and 1000")
        if not 10 <= self.aggregate_window_ms <= 5000:
            raise ConfigError("CALMROOM_AGGREGATE_WINDOW_MS must be between 10 and 5000")
        if not 1 <= self.port <= 65535:
            raise ConfigError("CALMROOM_PORT must be between 1 and 65535")


def _parse(var: str, raw: str, typ) -> object:
    typ = str(typ)
    try:
        if "bool" in typ:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if "float" in typ:
            return float(raw)
        if "int" in typ:
            return int(raw)
        if "Path" in typ:
            return Path(raw)
    except ValueError:
        raise ConfigError(f"{var}={raw!r} is not a valid {typ.split('|')[0].strip()}") from None
    return raw


@dataclass
class TestConfig(Config):
    """For tests: the app factory gets one of these with a temporary database."""

    __test__ = False  # not a pytest test class

    testing: bool = True
    gc_freeze: bool = False
    fanout_window_ms: int = 0  # every delta at once, so a test sees it right after the call
    guess_limit: str = "100000/minute"  # the refusal tests try many wrong codes; tests/sockets/test_guesses.py sets the real one
