"""Docker does not run on these machines, so docker-compose.yml is checked by
reading it: its services, the environment names the code reads, the ports,
the nginx upstreams, and the PostgreSQL and Redis versions against the ones CI
exercises."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from calmroom.config import Config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def workers(compose: dict) -> dict[str, dict]:
    return {name: svc for name, svc in compose["services"].items() if name.startswith("worker")}


def test_services(compose):
    names = set(compose["services"])
    assert {"postgres", "redis", "nginx"} <= names
    assert len(workers(compose)) >= 2
    assert all(svc.get("healthcheck") for svc in compose["services"].values() if "image" in svc or "build" in svc)
    assert "pgdata" in compose["volumes"]
    assert any(v.startswith("pgdata:") for v in compose["services"]["postgres"]["volumes"])


def test_workers_are_configured_with_names_the_code_reads(compose):
    known = set(Config.ENV.values())
    ids = set()
    for name, svc in workers(compose).items():
        env = svc["environment"]
        assert set(env) <= known, set(env) - known
        assert env["CALMROOM_DATABASE_URL"].startswith("postgresql://")
        assert "@postgres:5432/" in env["CALMROOM_DATABASE_URL"]
        assert env["CALMROOM_MESSAGE_QUEUE"].startswith("redis://redis:6379")
        assert env["CALMROOM_HOST"] == "0.0.0.0"
        ids.add(env["CALMROOM_WORKER_ID"])
        cfg = Config.from_env({k: str(v) for k, v in env.items() if v not in ("", None) and "${" not in str(v)})
        assert cfg.message_queue and cfg.port == 5000
        deps = svc["depends_on"]
        assert deps["postgres"]["condition"] == deps["redis"]["condition"] == "service_healthy"
        assert "/healthz" in " ".join(svc["healthcheck"]["test"])
    assert len(ids) == len(workers(compose)), "each worker needs its own CALMROOM_WORKER_ID"


def test_nginx_fronts_every_worker_with_websocket_upgrade(compose):
    nginx = compose["services"]["nginx"]
    conf_path = next(v.split(":")[0] for v in nginx["volumes"] if v.endswith(":ro") or "nginx" in v)
    conf = (ROOT / conf_path).read_text()
    upstreams = set(re.findall(r"server\s+(\w+):(\d+);", conf))
    assert upstreams == {(name, "5000") for name in workers(compose)}
    assert "proxy_set_header Upgrade $http_upgrade" in conf
    assert "ip_hash" in conf  # long-polling stays on one worker
    assert nginx["ports"] == ["8080:80"]


def test_dockerfile_serves_what_the_workers_expect():
    text = (ROOT / "Dockerfile").read_text()
    assert "CALMROOM_DECKS_DIR=/app/decks" in text and "CALMROOM_CLIENT_DIR=/app/client/dist" in text
    assert "CALMROOM_PORT=5000" in text
    assert 'CMD ["calmroom", "serve"]' in text


def _major(image: str) -> int:
    return int(image.split(":")[1].split(".")[0])


def test_image_versions_match_what_ci_exercises(compose):
    db_url = os.environ.get("CALMROOM_TEST_DATABASE_URL")
    redis_url = os.environ.get("CALMROOM_TEST_REDIS_URL")
    if not (db_url and redis_url):
        pytest.skip("needs CALMROOM_TEST_DATABASE_URL and CALMROOM_TEST_REDIS_URL (CI sets them)")
    import redis
    from sqlalchemy import create_engine, text

    from calmroom.store.db import normalize_url

    eng = create_engine(normalize_url(db_url))
    with eng.connect() as c:
        pg_major = int(c.execute(text("SHOW server_version_num")).scalar()) // 10000
    eng.dispose()
    redis_major = int(redis.Redis.from_url(redis_url).info("server")["redis_version"].split(".")[0])
    assert _major(compose["services"]["postgres"]["image"]) == pg_major
    assert _major(compose["services"]["redis"]["image"]) == redis_major
