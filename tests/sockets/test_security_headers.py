"""Every screen and every API answer carries the security headers."""
from __future__ import annotations

import pytest

HTML_ROUTES = ["/", "/join/ABCDEF", "/host/ABCDEF", "/host", "/report/ABCDEF", "/studio", "/me/ABCDEF"]


def _csp(res) -> dict[str, str]:
    parts = [p.strip() for p in res.headers["Content-Security-Policy"].split(";") if p.strip()]
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] if " " in p else "" for p in parts}


@pytest.mark.parametrize("path", HTML_ROUTES)
def test_every_html_route_has_the_headers(http, path):
    res = http.get(path)
    assert res.status_code == 200 and res.mimetype == "text/html"
    csp = _csp(res)
    assert csp["frame-ancestors"] == "'none'" and csp["script-src"] == "'self'"
    assert "unsafe-inline" not in res.headers["Content-Security-Policy"]
    assert csp["img-src"] == "'self' data:" and csp["connect-src"] == "'self'"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"] == "no-referrer"
    assert res.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in res.headers  # plain http: no HSTS, no redirect to https


def test_api_answers_have_them_too_and_https_gets_hsts(http):
    res = http.get("/api/decks")
    assert res.status_code == 200
    assert res.headers["X-Content-Type-Options"] == "nosniff" and res.headers["Referrer-Policy"] == "no-referrer"
    assert _csp(res)["frame-ancestors"] == "'none'"
    secure = http.get("/api/decks", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200 and secure.headers["Strict-Transport-Security"].startswith("max-age=")
