"""Server processes for a run: Calmroom workers or the floor, on 127.0.0.1,
each in its own process group, always stopped (a registry kills whatever is
left at exit or on SIGTERM/SIGINT)."""
from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent

_running: list["Proc"] = []
SERVER_SRC: Path | None = None  # --server-ref: a snapshot of the server's source to run instead of the work tree
NICE = 0  # set by --nice: the priority of every process the benchmark starts


def renice(pid: int) -> None:
    if NICE:
        try:
            os.setpriority(os.PRIO_PROCESS, pid, NICE)
        except (PermissionError, OSError) as exc:
            print(f"could not renice {pid} to {NICE}: {exc}", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Proc:
    """One subprocess with its log file."""

    def __init__(self, name: str, argv: list[str], env: dict, log: Path):
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log
        self.popen: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def start(self) -> "Proc":
        self._log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(
            self.argv, env=self.env, cwd=REPO, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        _running.append(self)
        renice(self.popen.pid)
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def tail(self, n: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self, timeout: float = 10) -> None:
        p = self.popen
        if p is not None and p.poll() is None:
            try:
                p.terminate()
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=timeout)
            except ProcessLookupError:
                pass
        if self in _running:
            _running.remove(self)
        if getattr(self, "_log", None):
            self._log.close()


class Server(Proc):
    def __init__(self, name: str, argv: list[str], env: dict, log: Path, port: int):
        super().__init__(name, argv, env, log)
        self.port = port
        self.url = f"http://{HOST}:{port}"

    def wait_healthy(self, timeout: float = 60) -> "Server":
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited during start-up:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    body = json.loads(r.read() or b"{}")
                    if r.status == 200 and body.get("ok"):
                        return self
                    last = str(body)
            except Exception as exc:  # not up yet
                last = str(exc)
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not become healthy in {timeout} s ({last}):\n{self.tail()}")


def calmroom_worker(i: int, tmp: Path, *, database_url: str, message_queue: str | None, channel: str,
                    rate_limit: str, extra_env: dict | None = None) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "CALMROOM_DATABASE_URL": database_url,
        "CALMROOM_HOST": HOST,
        "CALMROOM_PORT": str(port),
        "CALMROOM_RATE_LIMIT": rate_limit,
        "CALMROOM_MAX_CONNECTIONS_PER_ADDRESS": "1000000",  # every load-generator socket comes from 127.0.0.1
        "CALMROOM_WORKER_ID": f"bench-{channel[-8:]}-w{i}",
        "CALMROOM_MESSAGE_QUEUE_CHANNEL": channel,
        **(extra_env or {}),
    }
    env.pop("CALMROOM_MESSAGE_QUEUE", None)
    if message_queue:
        env["CALMROOM_MESSAGE_QUEUE"] = message_queue
    argv = [sys.executable, "-m", "calmroom", "serve", "--host", HOST, "--port", str(port)]
    paths = [str(SERVER_SRC / "server")] if SERVER_SRC else []
    if os.environ.get("BENCH_GC_LOG") or env.get("BENCH_PATCH"):
        # diagnosis or an experiment: the same server, started through bench.serverwrap
        argv[1:3] = ["-m", "bench.serverwrap"]
        paths.append(str(REPO))
    if paths:  # ahead of the editable install
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [*paths, os.environ.get("PYTHONPATH")]))
    return Server(f"calmroom worker {i}", argv, env, tmp / f"calmroom-w{i}-{port}.log", port)


def snapshot(ref: str, dest: Path) -> str:
    """Extract the tree of git `ref` into `dest`; returns the commit id."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout.strip()
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", commit], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return commit


def source_fingerprint(root: Path) -> str:
    """sha256 over the server's Python sources as they are now (12 hex digits)."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted((root / "server" / "calmroom").rglob("*.py")):
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def git_state() -> dict:
    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "HEAD"), "server_changes_not_committed": git("status", "--porcelain", "server").splitlines()}


def floor_worker(i: int, tmp: Path, *, message_queue: str | None, channel: str, gc_mode: str,
                 tweaks: list[str] | tuple[str, ...] = ()) -> Server:
    port = free_port()
    argv = [sys.executable, "-m", "bench.floor", "--port", str(port), "--channel", channel, "--gc", gc_mode]
    for t in tweaks:
        argv += ["--tweak", t]
    if message_queue:
        argv += ["--message-queue", message_queue]
    if os.environ.get("BENCH_GC_LOG"):  # diagnosis: the floor logs its collector's pauses
        argv += ["--gc-log"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return Server(f"floor worker {i}", argv, env, tmp / f"floor-w{i}-{port}.log", port)


def start_all(servers: list[Server], timeout: float = 60) -> None:
    """One after the other: the first one migrates the database alone."""
    for s in servers:
        s.start()
        s.wait_healthy(timeout)


def stop_all(procs: list[Proc]) -> None:
    for p in procs:
        try:
            p.stop()
        except Exception as exc:  # keep stopping the others
            print(f"could not stop {p.name}: {exc}", file=sys.stderr)


def _stop_everything(*_args) -> None:
    for p in list(_running):
        try:
            if p.popen is not None and p.popen.poll() is None:
                os.killpg(p.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _on_signal(signum, _frame) -> None:
    _stop_everything()
    raise SystemExit(128 + signum)


def install_cleanup() -> None:
    atexit.register(_stop_everything)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)


@contextmanager
def fresh_postgres_database(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url` for one run, dropped
    afterwards: runs do not inherit each other's rows (tables that grew over
    earlier runs changed the figures)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from calmroom.store.db import normalize_url

    base = make_url(normalize_url(url))
    name = f"{base.database or 'calmroom'}_run_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_generator(module: str, cfg: dict, tmp: Path, tag: str, limit: float) -> dict:
    """Run a load generator (`python -m module CONFIG OUT`) as its own process
    within `limit` seconds and return what it wrote; killed with the rest on
    Ctrl-C or SIGTERM."""
    cfg_path, out_path = tmp / f"{tag}.json", tmp / f"{tag}-out.json"
    cfg_path.write_text(json.dumps(cfg))
    gen = subprocess.Popen([sys.executable, "-m", module, str(cfg_path), str(out_path)],
                           cwd=REPO, stdin=subprocess.DEVNULL, start_new_session=True)
    renice(gen.pid)
    tracked = Proc("load generator", [], {}, tmp / f"{tag}.log")
    tracked.popen = gen
    _running.append(tracked)
    try:
        gen.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{tag}: the load generator did not finish in {limit:.0f} s")
    finally:
        if gen.poll() is None:
            gen.kill()
            gen.wait(10)
        if tracked in _running:
            _running.remove(tracked)
    if gen.returncode != 0 or not out_path.exists():
        raise RuntimeError(f"{tag}: the load generator failed (exit {gen.returncode})")
    return json.loads(out_path.read_text())
