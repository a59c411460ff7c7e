"""The JSON API of PROTOCOL.md ("HTTP"). Errors have the sockets' shape:
{"ok": false, "error": {code, message, fields?}}."""
from __future__ import annotations

import hmac
import logging
import time

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..decks import DeckError, deck_to_dict
from ..domain.errors import RuleError
from ..protocol.base import error_body, validation_error_body
from ..protocol.events import CODE_ALPHABET
from ..protocol.http import HTTP_STATUS, CreateRoom
from ..store import repository as repo
from . import bodies

log = logging.getLogger(__name__)
api = Blueprint("api", __name__)


def _services():
    return current_app.extensions["calmroom"]


def error(code: str, message: str, fields: list[tuple[str, str]] | None = None, status: int | None = None, **extra):
    body = {"ok": False, "error": error_body(code, message, fields), **extra}
    return jsonify(body), status or HTTP_STATUS[code]


@api.errorhandler(RuleError)
def _rule_error(err: RuleError):
    return error(err.code, err.message, [(err.field, err.message.split(": ", 1)[-1])] if err.field else None)


@api.errorhandler(ValidationError)
def _validation_error(err: ValidationError):
    return jsonify({"ok": False, "error": validation_error_body(err)}), 400


@api.errorhandler(SQLAlchemyError)
def _db_error(err: SQLAlchemyError):
    log.exception("database error")
    return error("unavailable", "the database could not be reached; nothing was changed, please try again")


def _bearer() -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return None


def _require_secret(secret: str | None, what: str) -> None:
    if secret is None:
        return
    given = _bearer()
    if given is None or not hmac.compare_digest(given.encode(), secret.encode()):
        raise RuleError("unauthorized", f"this needs the {what} as a bearer token")


def _code(code: str) -> str:
    code = code.upper()
    if len(code) != 6 or any(c not in CODE_ALPHABET for c in code):
        raise RuleError("not_found", f"there is no room {code}", "code")
    return code


def _json_body() -> dict:
    return bodies.json_object(request)


# -- rooms --------------------------------------------------------------
@api.post("/api/rooms")
def create_room():
    cfg = _services().config
    _require_secret(cfg.host_key, "host key")
    data = CreateRoom().load(_json_body())
    made = _services().rooms.create_room(data["deck"], data.get("title"), data.get("duration_s"))
    base = (cfg.public_url or request.host_url).rstrip("/")
    return jsonify({**made, "join_url": f"{base}/join/{made['code']}"}), 201


@api.get("/api/rooms/<code>")
def room_summary(code: str):
    return jsonify(_services().rooms.summary(_code(code)))


@api.get("/api/rooms/<code>/results")
def room_results(code: str):
    code = _code(code)
    _services().rooms.check_facilitator(code, _bearer())
    return jsonify(_services().results.results(code))


@api.get("/api/rooms/<code>/results.csv")
def room_results_csv(code: str):
    code = _code(code)
    _services().rooms.check_facilitator(code, _bearer())
    # Spreadsheets in a Dutch locale split on semicolons: ?sep=semicolon
    sep = request.args.get("sep", "comma")
    if sep not in ("comma", "semicolon"):
        raise RuleError("invalid", "sep: must be comma or semicolon", "sep")
    body = _services().results.csv(code, ";" if sep == "semicolon" else ",")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="calmroom-{code}.csv"'},
        content_type="text/csv; charset=utf-8",
    )


@api.delete("/api/rooms/<code>")
def delete_room(code: str):
    code = _code(code)
    outcome = _services().rooms.delete_room(code, _bearer())
    _services().gateway.perform(outcome)
    return "", 204


# -- decks ----------------------------------------------------------------
def _deck_summary(row) -> dict:
    body = row.body
    return {
        "id": row.deck_id,
        "version": row.version,
        "title": row.title,
        "language": row.language,
        "description": body.get("description"),
        "steps": len(body["steps"]),
        "cards": len(body["cards"]),
    }


@api.get("/api/decks")
def list_decks():
    with _services().sessions() as session:
        return jsonify({"decks": [_deck_summary(r) for r in repo.latest_decks(session)]})


@api.get("/api/decks/<deck_id>")
def get_deck(deck_id: str):
    with _services().sessions() as session:
        row = repo.latest_deck(session, deck_id)
        if row is None:
            raise RuleError("not_found", f"there is no deck {deck_id!r}", "deck")
        return jsonify({**row.body, "version": row.version})


def _deck_from_body():
    try:
        return bodies.deck(request, _services().offload)
    except DeckError as err:
        problems = [p.as_dict() for p in err.problems]
        return error(
            "invalid", str(err.problems[0]), [(p["path"], p["message"]) for p in problems], status=422, errors=problems
        )


@api.post("/api/decks/validate")
def validate_deck():
    deck = _deck_from_body()
    if isinstance(deck, tuple):
        return deck
    return jsonify({"ok": True, "id": deck.id, "title": deck.title, "language": deck.language,
                    "steps": len(deck.steps), "cards": len(deck.cards)})


@api.post("/api/decks")
def upload_deck():
    cfg = _services().config
    _require_secret(cfg.admin_token, "admin token")
    deck = _deck_from_body()
    if isinstance(deck, tuple):
        return deck
    with _services().sessions() as session, session.begin():
        row, created = repo.store_deck(session, deck, int(time.time() * 1000))
        body = {**deck_to_dict(deck), "version": row.version}
    return jsonify(body), 201 if created else 200


# -- health -----------------------------------------------------------------
@api.get("/healthz")
def healthz():
    services = _services()
    try:
        with services.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError as exc:
        database = f"error: {type(exc).__name__}"
    queue = services.message_queue_health()
    ok = database == "ok" and queue in ("ok", "not configured")
    return jsonify({"ok": ok, "database": database, "message_queue": queue}), 200 if ok else 503
