"""The deck studio's routes (docs/studio-api.md), all under the trainer
credential. The use cases are the decks service's (services/decks.py) and
its trials (services/deck_trials.py); here are only the requests and
answers. Deck-changing requests keep the API's guards (same origin, content
type) and every answer has the one error shape."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from ..decks import DeckError, deck_to_dict
from ..domain.errors import RuleError
from ..protocol.http import StudioArchive, StudioCopy, StudioPreview, StudioRestore, StudioTestRoom, StudioTranslate
from . import bodies, guards
from .api import answer_errors, count_failed_guesses, refuse_guessers

studio = Blueprint("studio", __name__, url_prefix="/api/studio")
studio.before_request(guards.same_origin)
# every studio request carries the credential; only a refused one is a guess
# (a trainer looking up a deck id that does not exist guesses nothing)
studio.before_request(refuse_guessers(lambda: True))
studio.after_request(count_failed_guesses(lambda: True, {401}))
answer_errors(studio)
JSON = guards.JSON_TYPES
MAX_VERSION = 999_999_999  # the largest `from`/`to` _version_arg takes (9 digits)


@studio.before_request
def _trainer_only():
    if not guards.is_trainer(guards.bearer()):
        return guards.refuse_untrained()
    return None


def _decks():
    return current_app.extensions["calmroom"].decks


def _trials():
    return current_app.extensions["calmroom"].trials


def _offload():
    return current_app.extensions["calmroom"].offload


def _small(schema) -> dict:
    return schema().load(bodies.json_object(request))


def _with_deck(schema=None) -> tuple[dict, dict]:
    names = tuple(schema().fields) if schema else ()
    data = bodies.with_deck(request, _offload(), optional=names)
    extras = {k: v for k, v in data.items() if k != "deck"}
    return data["deck"], (schema().load(extras) if schema else {})


# -- reading ----------------------------------------------------------------------------
@studio.get("/decks")
def list_decks():
    return jsonify({"decks": _decks().studio_list()})


@studio.get("/decks/<deck_id>")
def get_deck(deck_id: str):
    return jsonify(_decks().studio_get(deck_id))


@studio.get("/decks/<deck_id>/versions")
def versions(deck_id: str):
    return jsonify({"versions": _decks().versions(deck_id)})


@studio.get("/decks/<deck_id>/versions/<int:number>")
def version(deck_id: str, number: int):
    if number > MAX_VERSION:  # no database integer holds 10**30; no deck has that many versions
        raise RuleError("not_found", f"deck {deck_id!r} has no version {number}", "version")
    return jsonify(_decks().version(deck_id, number))


def _version_arg(name: str) -> int:
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit()) or len(value) > 9:  # "²".isdigit() too
        raise RuleError("invalid", f"{name}: must be a version number", name)
    return int(value)


@studio.get("/decks/<deck_id>/diff")
def diff(deck_id: str):
    return jsonify(_decks().diff(deck_id, _version_arg("from"), _version_arg("to")))


@studio.get("/decks/<deck_id>/parity/<other_id>")
def parity(deck_id: str, other_id: str):
    return jsonify(_decks().parity(deck_id, other_id))


@studio.get("/decks/<deck_id>/export")
def export(deck_id: str):
    text = _decks().export(deck_id)
    return Response(text, content_type="text/yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{deck_id}.yaml"'})


# -- checking without saving ------------------------------------------------------------
@studio.post("/validate")
@guards.accepts(*JSON)
def validate():
    try:
        deck, _ = _with_deck()
    except DeckError as err:  # a limit crossed inside the deck is one of its problems
        return jsonify({"ok": False, "problems": [p.as_dict() for p in err.problems], "summary": {"cards": 0, "steps": 0}})
    return jsonify(_decks().validate(deck))


@studio.post("/import")
@guards.accepts(*guards.DECK_TYPES)
def import_deck():
    deck = _decks().read_file(bodies.deck_bytes(request), bodies.deck_filename(request))
    return jsonify({"deck": deck_to_dict(deck)})


@studio.post("/preview")
@guards.accepts(*JSON)
def preview():
    deck, extras = _with_deck(StudioPreview)
    return jsonify(_trials().preview(deck, extras["card"]))


# -- changing ---------------------------------------------------------------------------
@studio.post("/decks")
@guards.accepts(*JSON)
def create():
    deck, _ = _with_deck()
    return jsonify(_decks().create(deck)), 201


@studio.put("/decks/<deck_id>")
@guards.accepts(*JSON)
def update(deck_id: str):
    deck, _ = _with_deck()
    body, _created = _decks().update(deck_id, deck)
    return jsonify(body), 200


@studio.post("/decks/<deck_id>/copy")
@guards.accepts(*JSON)
def copy(deck_id: str):
    data = _small(StudioCopy)
    return jsonify(_decks().copy(deck_id, data["id"], data.get("title"))), 201


@studio.post("/decks/<deck_id>/translate")
@guards.accepts(*JSON)
def translate(deck_id: str):
    data = _small(StudioTranslate)
    return jsonify(_decks().translate(deck_id, data["id"], data["language"])), 201


@studio.post("/decks/<deck_id>/restore")
@guards.accepts(*JSON)
def restore(deck_id: str):
    body, created = _decks().restore(deck_id, _small(StudioRestore)["version"])
    return jsonify(body), 201 if created else 200


@studio.post("/decks/<deck_id>/archive")
@guards.accepts(*JSON)
def archive(deck_id: str):
    return jsonify(_decks().archive(deck_id, _small(StudioArchive)["archived"]))


@studio.delete("/decks/<deck_id>")
def delete(deck_id: str):
    _decks().delete(deck_id)
    return "", 204


@studio.post("/test-room")
@guards.accepts(*JSON)
def test_room():
    deck, extras = _with_deck(StudioTestRoom)
    made = _trials().test_room(deck, extras.get("title"), extras.get("duration_s"))
    cfg = current_app.extensions["calmroom"].config
    base = (cfg.public_url or request.host_url).rstrip("/")
    console = f"{base}/host/{made['code']}#key={made['facilitator_token']}"
    return jsonify({**made, "console_url": console, "join_url": f"{base}/join/{made['code']}"}), 201
