"""Serves the built browser client (client/dist) at /, /join/<code>, /host/<code>,
/host (the facilitator's dashboard of every room this browser hosts) and
/report/<code> (the printable report of a room; it fetches the results itself
with the facilitator key this browser holds) and /studio (the trainer's decks,
opened with the sign-in link `calmroom serve` prints) and /me/<code> (a
participant's own summary, read with the token their browser holds)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

client = Blueprint("client", __name__)

NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Calmroom</title>
<body>
<h1>Calmroom is running</h1>
<p>The browser client has not been built yet. The server, its Socket.IO protocol and
its JSON API (<a href="/api/decks">/api/decks</a>, <a href="/healthz">/healthz</a>) work.</p>
</body></html>"""


def _dist() -> Path:
    return current_app.extensions["calmroom"].config.client_dir


@client.get("/")
@client.get("/join/<code>")
@client.get("/host/<code>")
@client.get("/host")
@client.get("/report/<code>")
@client.get("/studio")
@client.get("/studio/deck/<code>")
@client.get("/me/<code>")
def index(code: str | None = None):
    dist = _dist()
    if (dist / "index.html").is_file():
        return send_from_directory(dist, "index.html", max_age=0)
    return NOT_BUILT


@client.get("/assets/<path:name>")
def assets(name: str):
    dist = _dist() / "assets"
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, name, max_age=31536000)
