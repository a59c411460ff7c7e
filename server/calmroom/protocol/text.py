"""Text people show each other: names and room titles are what they look like,
free text carries no control characters.

A name is shown on every screen of a room and is how the facilitator tells
people apart, so it is normalised (NFKC: fullwidth `Ｂｒａｍ` is `Bram`),
loses what does not render (control and format characters: zero-width
spaces, bidi overrides and isolates, the BOM, line and paragraph separators,
and the blank fillers that pass for letters), has each run of white space
made one space, and is refused when nothing visible is left. Two names are
the same when their keys are (`name_key`: the casefolded normal form).

Not caught: whole-script look-alikes such as Cyrillic `Вгаm` beside Latin
`Bram`. UTS #39 "skeletons" would catch them, but no maintained library on
PyPI computes them (`confusables` was last released in 2021,
`confusable-homoglyphs` detects mixed scripts but computes no skeleton, and
its mixed-script test would refuse ordinary Japanese names); the facilitator
sees every name and can remove a participant."""
from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

from marshmallow import ValidationError

from .base import Str

# Zero-width joiners that make text, not hide it: ZWJ inside an emoji
# sequence (👩‍⚕️), ZWNJ between letters (Persian, Indic scripts).
ZWJ, ZWNJ = "\u200d", "\u200c"
# Letters and symbols that render as nothing: Hangul fillers (a known way to
# an "invisible" player name), the combining grapheme joiner, Khmer inherent
# vowels, Mongolian variation selectors, the blank Braille pattern.
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800")
_DROP = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_VISIBLE = ("L", "N", "P", "S")  # a name needs at least one of these categories
KEY_MAX = 40  # the width of participants.name_key


def _keep_joiner(c: str, before: str, after: str) -> bool:
    if c == ZWJ:
        return bool(before) and unicodedata.category(after or " ") == "So"
    if c == ZWNJ:
        return unicodedata.category(before or " ")[0] == "L" and unicodedata.category(after or " ")[0] == "L"
    return False


def normalise_name(value: str) -> str:
    """NFKC, white space made single spaces, invisible characters dropped."""
    text = unicodedata.normalize("NFKC", value)
    out: list[str] = []
    for i, c in enumerate(text):
        if c.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if c in BLANK:
            continue
        if unicodedata.category(c) in _DROP:
            before = out[-1] if out and out[-1] != " " else ""
            if not _keep_joiner(c, before, text[i + 1] if i + 1 < len(text) else ""):
                continue
        out.append(c)
    return "".join(out).strip(" ")


def is_visible(text: str) -> bool:
    return any(unicodedata.category(c).startswith(_VISIBLE) for c in text)


def name_key(name: str) -> str:
    """What two names share when a reader cannot tell them apart (as far as
    NFKC and case go). Casefolding can lengthen a name (`ß` is `ss`); a key
    wider than its column is replaced by a digest, which still compares."""
    bare = "".join(c for c in name if c not in (ZWJ, ZWNJ))
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", bare).casefold())
    if len(key) <= KEY_MAX:
        return key
    return "#" + hashlib.sha256(key.encode()).hexdigest()[: KEY_MAX - 1]


class VisibleText(Str):
    """A name or a title: normalised as above; the length limit counts the
    normalised text (NFKC can turn one character into several)."""

    default_error_messages = {**Str.default_error_messages, "blank": "must contain a visible character"}

    def __init__(self, *, max_len: int, **kw: Any):
        super().__init__(max_len=max_len, **kw)
        self.max_len = max_len

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if len(value) > self.max_len * 8:  # bounds the work before normalising
            raise ValidationError(f"must be 1 to {self.max_len} characters")
        text = normalise_name(value)
        if not is_visible(text):
            raise self.make_error("blank")
        return text


# Control characters other than tab and newline: nothing a person types, and
# PostgreSQL refuses NUL in text outright.
_CONTROL_KEEP = frozenset("\t\n")


def strip_controls(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if c in _CONTROL_KEEP or unicodedata.category(c) not in ("Cc", "Cs"))


class FreeText(Str):
    """Notes, comments, reasons, reflections: kept as typed (format
    characters too: bidi marks belong in Arabic or Hebrew text), without
    control characters other than tab and newline."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return strip_controls(value).strip() if self.strip else strip_controls(value)
