"""Deck format: schema, loading from YAML or JSON, validation with paths."""
from .bounds import MAX_DECK_BYTES
from .loader import DeckError, Problem, check_deck, load_deck_file, load_deck_text, parse_deck_text, read_json_request
from .schema import DeckSchema, deck_to_dict

__all__ = [
    "DeckError",
    "DeckSchema",
    "Problem",
    "check_deck",
    "read_json_request",
    "MAX_DECK_BYTES",
    "deck_to_dict",
    "load_deck_file",
    "load_deck_text",
    "parse_deck_text",
]
