"""The JSON API of PROTOCOL.md ("HTTP"). Errors have the sockets' shape:
{"ok": false, "error": {code, message, fields?}}."""
from __future__ import annotations

import hmac
import logging
from typing import Callable

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..decks import DeckError
from ..domain.deck_views import full_deck, public_deck
from ..domain.errors import RuleError
from ..protocol.base import error_body, validation_error_body
from ..protocol.events import CODE_ALPHABET
from ..protocol.http import HTTP_STATUS, CreateRoom
from ..services.exports import LANGUAGES
from ..services.guesses import GUESS_CODES
from . import bodies, guards
from .deck_views import deck_summary

log = logging.getLogger(__name__)
GUESS_STATUSES = {HTTP_STATUS[code] for code in GUESS_CODES}  # 401 and 404
api = Blueprint("api", __name__)
api.before_request(guards.same_origin)


def _services():
    return current_app.extensions["calmroom"]


def error(code: str, message: str, fields: list[tuple[str, str]] | None = None, status: int | None = None, **extra):
    body = {"ok": False, "error": error_body(code, message, fields), **extra}
    return jsonify(body), status or HTTP_STATUS[code]


def _guessing() -> bool:
    """A request that tries a room code or a bearer secret (services/guesses.py)."""
    return request.path.startswith("/api/rooms/") or "Authorization" in request.headers


def refuse_guessers(guessing: Callable[[], bool]):
    """before_request: an address with too many failed guesses is refused before anything is looked up."""

    def check():
        wait = _services().guesses.retry_after(request.remote_addr) if guessing() else None
        if wait is not None:
            body, status = error("rate_limited", f"too many failed attempts from your network; try again in {wait} s")
            body.headers["Retry-After"] = str(wait)
            return body, status
        return None

    return check


def count_failed_guesses(guessing: Callable[[], bool], statuses: set[int]):
    """after_request: every refusal counts, whether a route raised it or a guard answered it."""

    def count(response):
        if response.status_code in statuses and guessing():
            _services().guesses.failed(request.remote_addr)
        return response

    return count


def _rule_error(err: RuleError):
    return error(err.code, err.message, [(err.field, err.message.split(": ", 1)[-1])] if err.field else None)


def _validation_error(err: ValidationError):
    return jsonify({"ok": False, "error": validation_error_body(err)}), 400


def _db_error(err: SQLAlchemyError):
    log.exception("database error")
    return error("unavailable", "the database could not be reached; nothing was changed, please try again")


def deck_problems(err: DeckError):
    """422 with every problem of a deck, as `errors` and in the error object."""
    problems = [p.as_dict() for p in err.problems]
    return error("invalid", str(err.problems[0]), [(p["path"], p["message"]) for p in problems], status=422,
                 errors=problems)


def answer_errors(bp: Blueprint) -> None:
    """The one error shape for what a route raises."""
    bp.register_error_handler(RuleError, _rule_error)
    bp.register_error_handler(ValidationError, _validation_error)
    bp.register_error_handler(SQLAlchemyError, _db_error)
    bp.register_error_handler(DeckError, deck_problems)


_refuse_guessers = refuse_guessers(_guessing)
_count_failed_guesses = count_failed_guesses(_guessing, GUESS_STATUSES)
api.before_request(_refuse_guessers)
api.after_request(_count_failed_guesses)
answer_errors(api)


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
_CREATE_ROOM = CreateRoom()  # (a schema holds no state between loads; making one copies all its fields)


@api.post("/api/rooms")
@guards.accepts(*guards.JSON_TYPES)
def create_room():
    cfg = _services().config
    _require_secret(cfg.host_key, "host key")
    data = _CREATE_ROOM.load(_json_body())
    made = _services().rooms.create_room(data["deck"], data.get("title"), data.get("duration_s"), data.get("options"))
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
    # headers and labels in the facilitator's language: ?lang=nl
    lang = request.args.get("lang", "en")
    if lang not in LANGUAGES:
        raise RuleError("invalid", f"lang: must be one of {', '.join(LANGUAGES)}", "lang")
    body = _services().results.csv(code, ";" if sep == "semicolon" else ",", lang)
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
@api.get("/api/decks")
def list_decks():
    return jsonify({"decks": [deck_summary(r) for r in _services().decks.listed()]})


@api.get("/api/decks/<deck_id>")
def get_deck(deck_id: str):
    """The public view to anyone; the full deck to a trainer; with ?room=CODE
    the version that room plays, in full, to a trainer or that room's
    facilitator."""
    token = guards.bearer()
    code = request.args.get("room")
    # checked before the deck is read: on SQLite a second session inside the first would wait for its lock
    trainer = guards.is_trainer(token)
    decks = _services().decks
    if code is not None:
        row = decks.of_room(_code(code), deck_id, token, trainer)
        return jsonify(full_deck(row.body, row.version))
    row = decks.latest(deck_id)
    if token is None:
        return jsonify(public_deck(row.body, row.version))
    if not trainer:
        raise RuleError("unauthorized", "Authorization: not a trainer credential (leave it out for the public view)",
                        "Authorization")
    return jsonify(full_deck(row.body, row.version))


def _deck_from_body():
    return _services().decks.read_file(bodies.deck_bytes(request), bodies.deck_filename(request))


@api.post("/api/decks/validate")
@guards.accepts(*guards.DECK_TYPES)
def validate_deck():
    deck = _deck_from_body()
    return jsonify({"ok": True, "id": deck.id, "title": deck.title, "language": deck.language,
                    "steps": len(deck.steps), "cards": len(deck.cards)})


@api.post("/api/decks")
@guards.require_trainer
@guards.accepts(*guards.DECK_TYPES)
def upload_deck():
    body, created = _services().decks.upload(_deck_from_body())
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
