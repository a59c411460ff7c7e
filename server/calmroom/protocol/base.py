"""Shared pieces of every wire schema: strict fields, plain error messages, and
the one error shape (code, message, fields) used by sockets and HTTP alike."""
from __future__ import annotations

import numbers
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from .problems import Coded

ERROR_CODES = (
    "invalid",
    "unauthorized",
    "forbidden",
    "not_found",
    "conflict",
    "room_locked",
    "rate_limited",
    "too_large",
    "unavailable",  # added: the database or another dependency failed; nothing was changed, try again
)


class StrictSchema(Schema):
    """Unknown fields are refused; messages are short and lower-case so they read
    well after a path (`cards[2].title: required`)."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": Coded("unknown_field", "unknown field"), "type": Coded("not_mapping", "must be an object (a mapping)")}


_BASE_MESSAGES = {"required": Coded("required", "required"), "null": Coded("null", "must not be empty (null)")}
_NOT_MAPPING = Coded("not_mapping", "must be an object (a mapping)")


class _TextLength(validate.Length):
    """The length rule of a text; an empty one has the same message and a
    code of its own (`text_empty`: the studio says "fill this in")."""

    def __call__(self, value):
        if value == "" and self.min:
            raise ValidationError(Coded("text_empty", str(self.error), min=self.min, max=self.max))
        return super().__call__(value)


class Str(fields.String):
    default_error_messages = {
        **_BASE_MESSAGES,
        "invalid": Coded("not_string", "must be a string"),
        # a lone surrogate ("\\ud800" in JSON) is no character: it cannot be
        # stored, hashed or written as UTF-8
        "half_character": Coded("half_character", "has half a character (a lone UTF-16 surrogate), which is not text"),
    }

    def __init__(self, *, min_len: int = 1, max_len: int, strip: bool = True, **kw: Any):
        self.strip = strip
        validators = list(kw.pop("validate", []))
        validators.insert(
            0,
            _TextLength(
                min=min_len,
                max=max_len,
                error=Coded("text_length", f"must be {min_len} to {max_len} characters", min=min_len, max=max_len)
                if min_len
                else Coded("text_max", f"must be at most {max_len} characters", max=max_len),
            ),
        )
        super().__init__(validate=validators, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise self.make_error("half_character") from None
        return value.strip() if self.strip else value


class Int(fields.Integer):
    """An integer that really is one: no bools, no floats, no numeric strings."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": Coded("not_integer", "must be a whole number")}

    def __init__(self, *, low: int | None = None, high: int | None = None, **kw: Any):
        validators = list(kw.pop("validate", []))
        if low is not None or high is not None:  # one bound alone still holds
            if high is None:
                error = Coded("number_min", f"must be at least {low}", min=low)
            elif low is None:
                error = Coded("number_max", f"must be at most {high}", max=high)
            else:
                error = Coded("number_range", f"must be between {low} and {high}", min=low, max=high)
            validators.insert(0, validate.Range(low, high, error=error))
        # no `strict=True`: marshmallow reads it only in the _deserialize replaced below
        super().__init__(validate=validators, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise self.make_error("invalid")
        return int(value)


class Bool(fields.Boolean):
    default_error_messages = {**_BASE_MESSAGES, "invalid": Coded("not_boolean", "must be true or false")}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class List(fields.List):
    default_error_messages = {**_BASE_MESSAGES, "invalid": Coded("not_list", "must be a list")}

    def __init__(self, inner, *, min_items: int = 0, max_items: int, **kw: Any):
        validators = list(kw.pop("validate", []))
        validators.insert(
            0,
            validate.Length(min=min_items, max=max_items, error=Coded("list_length", f"must have {min_items} to {max_items} items", min=min_items, max=max_items)),
        )
        super().__init__(inner, validate=validators, **kw)


class Nested(fields.Nested):
    default_error_messages = {**_BASE_MESSAGES, "type": _NOT_MAPPING}


class Dict(fields.Dict):
    """Errors are reported at the entry (`labels.7`), not at marshmallow's
    internal `labels.7.key` / `labels.7.value`."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": _NOT_MAPPING}

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as err:
            if isinstance(err.messages, dict):
                flat = {
                    k: [m for part in v.values() for m in (part if isinstance(part, list) else [part])]
                    if isinstance(v, dict)
                    else v
                    for k, v in err.messages.items()
                }
                raise ValidationError(flat, valid_data=err.valid_data) from None
            raise


def flatten_errors(messages: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Turn marshmallow's nested error dict into (path, message) pairs:
    {'cards': {2: {'customer': {'start_temperature': [...]}}}} becomes
    ('cards[2].customer.start_temperature', ...)."""
    out: list[tuple[str, str]] = []
    if isinstance(messages, dict):
        for key, sub in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            out.extend(flatten_errors(sub, path))
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            out.extend(flatten_errors(item, prefix))
    else:
        out.append((prefix, messages if isinstance(messages, str) else str(messages)))
    return out


def error_body(code: str, message: str, errors: list[tuple[str, str]] | None = None) -> dict:
    """The one error shape: {code, message, fields?} where fields maps a path to
    its message(s)."""
    assert code in ERROR_CODES, code
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        fields_: dict[str, str] = {}
        for path, msg in errors:
            key = path or "_"
            fields_[key] = f"{fields_[key]}; {msg}" if key in fields_ else msg
        body["fields"] = fields_
    return body


def validation_error_body(err: ValidationError) -> dict:
    pairs = flatten_errors(err.messages)
    first = f"{pairs[0][0]}: {pairs[0][1]}" if pairs and pairs[0][0] else (pairs[0][1] if pairs else "invalid input")
    return error_body("invalid", first, pairs)
