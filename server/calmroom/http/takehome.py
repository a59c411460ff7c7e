"""A participant's own summary (GET /api/rooms/<code>/me), read with their own
token. The API's guards hold here too: a refused token or an unknown code
counts as a guess (services/guesses.py) and a guesser is refused before any
room is looked up; errors have the one shape."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from ..domain.errors import RuleError
from ..services.takehome import TakeHomeService
from . import api
from .guards import bearer

takehome = Blueprint("takehome", __name__)
# the API blueprint's hooks are its own; this one borrows the same ones
takehome.before_request(api._refuse_guessers)
takehome.after_request(api._count_failed_guesses)
takehome.register_error_handler(RuleError, api._rule_error)
takehome.register_error_handler(ValidationError, api._validation_error)
takehome.register_error_handler(SQLAlchemyError, api._db_error)


@takehome.get("/api/rooms/<code>/me")
def my_summary(code: str):
    services = current_app.extensions["calmroom"]
    body = TakeHomeService(services.sessions, services.results).summary(api._code(code), bearer())
    response = jsonify(body)
    # it holds what observers wrote about this one person: no shared cache may keep it
    response.headers["Cache-Control"] = "no-store"
    return response
