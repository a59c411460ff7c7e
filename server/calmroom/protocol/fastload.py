"""Loading a client event's payload with its marshmallow schema, cheaper
for the payloads that are valid.

`Schema.load` wraps the fields' own work (each field's `deserialize`: its
type check, conversion and validators) in machinery an event's flat schema
does not use: an error store, a closure and a try per field, the hook
lists, the set of known keys built anew on every load. On the live path
that machinery was ~11 % of the server's time (docs/performance.md).
`loader(schema)` calls each field's `deserialize` itself,
as `Schema._deserialize` does, and gives the same dict; at the first sign of
anything off (a missing required field, an unknown key, any field's
ValidationError, a payload that is not a mapping) it hands the payload to
`schema.load`, which then reports exactly what it always reported. So the
schema stays the one definition of an event's fields and of its errors.

Only schemas the shortcut is sure to agree with get it: no hooks
(`pre_load`, `post_load`, `validates`, `validates_schema`), no dotted
attributes, the `unknown` policy RAISE or EXCLUDE, plain dicts. The others
are loaded by marshmallow as before. tests/unit/test_fastload.py checks that
both give the same result, or the same refusal, for every event's schema on
generated payloads."""
from __future__ import annotations

from typing import Any, Callable

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, missing


def _eligible(schema: Schema) -> bool:
    if any(schema._hooks.get(tag) for tag in schema._hooks):
        return False
    if schema.many or schema.partial or schema.dict_class is not dict or schema.unknown not in (RAISE, EXCLUDE):
        return False
    for name, field in schema.load_fields.items():
        if "." in (field.attribute or name) or (field.data_key is not None and field.data_key != name):
            return False
    return True


def loader(schema: Schema) -> Callable[[Any], dict]:
    """`load(payload)`: `schema.load(payload)`, the valid payloads without
    marshmallow's per-load machinery."""
    if not _eligible(schema):
        return schema.load
    fields = [(name, field, field.attribute or name) for name, field in schema.load_fields.items()]
    names = frozenset(name for name, _, _ in fields)
    refuse_unknown = schema.unknown == RAISE

    def load(payload: Any) -> dict:
        if type(payload) is not dict or (refuse_unknown and not names.issuperset(payload)):
            return schema.load(payload)
        out: dict = {}
        try:
            for name, field, key in fields:
                value = field.deserialize(payload.get(name, missing), name, payload)
                if value is not missing:
                    out[key] = value
        except ValidationError:
            return schema.load(payload)  # it says what is wrong, as it always did
        return out

    return load
