"""Checks a request passes before its route runs: who sent it (a trainer
credential), what it carries (the content type) and from where (another
site's page may not change anything here). Each answers in the one error
shape and changes nothing."""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import current_app, jsonify, request

from ..protocol.base import error_body
from ..services.trainers import TrainerKeys

JSON_TYPES = ("application/json",)
# text/plain is missing on purpose: it is what another site's page may post
# here without asking first (a CORS "simple request")
DECK_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml")
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
SAME_SITE_FETCHES = ("same-origin", "none")


def refuse(code: str, message: str, field: str, status: int):
    return jsonify({"ok": False, "error": error_body(code, message, [(field, message)])}), status


def bearer() -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return None


def trainer_keys() -> TrainerKeys:
    services = current_app.extensions["calmroom"]
    return TrainerKeys(services.sessions, services.config.admin_token, now_ms=services.now_ms)


def is_trainer(token: str | None) -> bool:
    return trainer_keys().is_trainer(token)


def refuse_untrained():
    return refuse("unauthorized", "this needs a trainer credential as a bearer token "
                  "(the sign-in link `calmroom serve` printed, `calmroom trainer-link`, or CALMROOM_ADMIN_TOKEN)",
                  "Authorization", 401)


def require_trainer(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not is_trainer(bearer()):
            return refuse_untrained()
        return view(*args, **kwargs)

    return wrapper


def accepts(*mimetypes: str):
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.mimetype not in mimetypes:
                given = request.mimetype or "none"
                return refuse("invalid", f"the body must be sent as {' or '.join(mimetypes)}, not {given}",
                              "Content-Type", 415)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _origin_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def same_origin():
    """before_request of the API. A browser names the page that sent a request
    in Origin (and Sec-Fetch-Site); a request without them (curl, the CLI, a
    bot) is no page's doing and passes. Against CALMROOM_PUBLIC_URL when set
    (scheme and host); otherwise against the Host the request was sent to
    (host only: a proxy that ends TLS may pass the request on as http)."""
    if request.method not in STATE_CHANGING:
        return None
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site.lower() not in SAME_SITE_FETCHES:
        return refuse("forbidden", f"a request from another site ({fetch_site}) may not change anything here",
                      "Sec-Fetch-Site", 403)
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    public_url = current_app.extensions["calmroom"].config.public_url
    scheme, netloc = _origin_of(origin)
    if public_url:
        ok = (scheme, netloc) == _origin_of(public_url)
    else:
        ok = bool(netloc) and netloc == request.host.lower()
    if not ok:
        return refuse("forbidden", f"a request from another site ({origin}) may not change anything here", "Origin", 403)
    return None
