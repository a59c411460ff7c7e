"""Problems with a machine code: the validator's messages stay English
sentences (the CLI, the API), and each also carries a stable `code` and its
parameters, so that the studio can say it in the trainer's language.

A `Coded` message is a `str` (marshmallow keeps it as it is through its
error dicts); CODES lists every code the deck validator and its readers can
produce, with the names of its parameters; the client has a text for each
(a unit test checks both locales)."""
from __future__ import annotations

from typing import Any

CODES: dict[str, tuple[str, ...]] = {
    # any field (protocol/base.py)
    "required": (),
    "null": (),
    "not_string": (),
    "half_character": (),
    "not_integer": (),
    "not_boolean": (),
    "not_list": (),
    "not_mapping": (),
    "unknown_field": (),
    "text_length": ("min", "max"),
    "text_empty": ("min", "max"),
    "text_max": ("max",),
    "number_range": ("min", "max"),
    "number_min": ("min",),
    "number_max": ("max",),
    "list_length": ("min", "max"),
    # the deck format (decks/schema.py)
    "label_key": (),
    "scale_order": ("min",),
    "label_outside": ("point", "min", "max"),
    "id_form": ("min", "max"),
    "key_form": ("min", "max"),
    "language_form": (),
    "one_of": ("allowed",),
    "empty_block": (),
    "repeated_id": ("value", "other"),
    "repeated_key": ("value", "other"),
    "not_a_step": ("value",),
    "not_card_step": ("value",),
    "id_fixed": ("value",),
    "same_language": ("value",),
    # two decks that should have one structure (decks/comparison.py, parity)
    "parity": ("here", "there", "other"),
    # reading a deck text (decks/loader.py, yamlread.py, jsonread.py)
    "too_large": ("limit_kb",),
    "export_too_large": ("limit_kb",),
    "not_utf8": ("byte",),
    "empty": (),
    "binary": (),
    "not_json": ("line", "column"),
    "not_yaml": (),
    "not_deck": (),
    "many_documents": ("line",),
    "too_many_values": ("max",),
    "too_many_keys": ("max",),
    "too_deep": ("max",),
    "key_too_long": ("max",),
    "repeated_field": (),
    "key_not_plain": (),
    "number_too_long": ("max",),
    "yaml_alias": (),
    "yaml_merge": (),
    "yaml_tag": ("tag",),
    "unreadable_value": ("tag",),
    "more_problems": ("omitted",),
    "no_file": (),
    "not_a_file": (),
}


class Coded(str):
    """An English message that also has a code and parameters."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, message: str, **params: Any) -> "Coded":
        assert code in CODES, code
        assert set(params) == set(CODES[code]), (code, sorted(params))
        self = super().__new__(cls, message)
        self.code = code
        self.params = params
        return self

    def format(self, *args: Any, **kwargs: Any) -> "Coded":
        # marshmallow formats error messages with the value ({input}); ours
        # are complete sentences already, and the value is not repeated
        return self

    def __reduce__(self):  # copies (deepcopy of a schema's fields) keep the code
        return (_coded, (self.code, str(self), self.params))


def _coded(code: str, message: str, params: dict[str, Any]) -> Coded:
    return Coded(code, message, **params)


def code_of(message: Any) -> tuple[str | None, dict[str, Any]]:
    """The code and parameters of a message (None and {} for a plain one)."""
    if isinstance(message, Coded):
        return message.code, dict(message.params)
    return None, {}
