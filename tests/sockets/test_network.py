"""GET /api/network: where phones can reach the server, for the console's
warning about a join link that points at this computer only; and the
start-up lines of `calmroom serve` that say the same."""
from __future__ import annotations

import ipaddress

import pytest

from calmroom.app import create_app
from calmroom.cli import build_parser, serve_overrides
from calmroom.config import TestConfig
from calmroom.http.network import is_loopback_host, lan_urls, machine_addresses, usable
from calmroom.server import network_lines


@pytest.fixture
def app_on(tmp_path):
    made = []

    def make(host: str, port: int = 5000):
        cfg = TestConfig(database_url=f"sqlite:///{tmp_path / f'n{len(made)}.db'}", async_mode="threading",
                         host=host, port=port)
        app, _ = create_app(cfg)
        made.append(app)
        return app.test_client()

    yield make
    for app in made:
        app.extensions["calmroom"].engine.dispose()


def test_on_loopback_phones_cannot_reach_it_and_no_address_is_offered(app_on):
    res = app_on("127.0.0.1").get("/api/network")
    assert res.status_code == 200
    assert res.get_json() == {"lan_urls": [], "listening_on_lan": False}


def test_on_every_address_the_machines_own_addresses_are_offered(app_on):
    body = app_on("0.0.0.0", 5123).get("/api/network").get_json()
    assert body["listening_on_lan"] is True
    assert body["lan_urls"] == [f"http://{a}:5123" for a in machine_addresses()]
    for url in body["lan_urls"]:
        ip = ipaddress.ip_address(url.removeprefix("http://").rsplit(":", 1)[0])
        assert ip.version == 4 and not ip.is_loopback and not ip.is_link_local


def test_on_one_address_that_address_is_offered(app_on):
    body = app_on("192.0.2.10", 8000).get("/api/network").get_json()
    assert body == {"lan_urls": ["http://192.0.2.10:8000"], "listening_on_lan": True}


def test_addresses_are_told_only_to_a_browser_on_this_machine(app_on):
    http = app_on("192.0.2.10", 8000)
    res = http.get("/api/network", environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert res.get_json() == {"lan_urls": [], "listening_on_lan": True}


def test_the_endpoint_only_reads(app_on):
    res = app_on("127.0.0.1").post("/api/network", json={})
    assert res.status_code == 405
    assert res.get_json()["error"]["code"] == "invalid"


def test_usable_addresses_leave_out_what_no_phone_can_reach():
    got = usable(["127.0.0.1", "169.254.3.4", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "nonsense",
                  "203.0.113.5", "192.168.1.20", "10.0.0.7", "192.168.1.20"])
    assert got == ["10.0.0.7", "192.168.1.20", "203.0.113.5"]  # private first, each once


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "app.localhost"])
def test_loopback_names(host):
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["192.168.1.20", "calmroom.example", "10.0.0.1", "0.0.0.0"])
def test_names_that_are_not_loopback(host):
    assert not is_loopback_host(host)


def test_ipv6_host_is_bracketed():
    assert lan_urls("2001:db8::5", 5000) == ["http://[2001:db8::5]:5000"]


def test_serve_says_how_to_let_phones_in_when_on_loopback():
    lines = network_lines(TestConfig(host="127.0.0.1", port=5000))
    assert "this computer only" in lines[0]
    assert 'make run SERVE_ARGS="--lan"' in lines[1] and "CALMROOM_HOST=0.0.0.0" in lines[1]


def test_serve_lists_the_network_addresses_when_on_every_address():
    lines = network_lines(TestConfig(host="0.0.0.0", port=5000))
    urls = lan_urls("0.0.0.0", 5000)
    if urls:
        assert lines == [f"Network: {u}  (phones on the same network can open this)" for u in urls]
    else:
        assert lines == ["Network: listening on every address, but this machine has none on a network yet "
                         "(is it on the Wi-Fi?)"]


def test_lan_switch_listens_on_every_address_and_excludes_host():
    args = build_parser().parse_args(["serve", "--lan", "--port", "8000"])
    assert serve_overrides(args) == {"host": "0.0.0.0", "port": 8000}
    assert serve_overrides(build_parser().parse_args(["serve"])) == {}  # CALMROOM_HOST decides
    assert serve_overrides(build_parser().parse_args(["serve", "--host", "192.0.2.4"])) == {"host": "192.0.2.4"}
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--lan", "--host", "127.0.0.1"])
