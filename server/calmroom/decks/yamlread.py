"""YAML text to plain data in one pass over the parser's events, counting as
it goes.

PyYAML's composer builds the whole node tree (recursively: 600 levels raise
RecursionError) before anything can look at it, and its pure-Python version
took a minute for a 900 KB list. Here the parser's event stream (libyaml's
when present) is walked with an explicit stack and the plain values are built
directly, so a file over a limit is refused at the event that crosses it.
Scalars are resolved and constructed exactly as yaml.safe_load does. PyYAML
keeps the last of two equal keys without a word; here repeated keys, aliases
and merge keys are reported with the path they sit at."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from ..protocol.problems import Coded
from .bounds import MAX_DEPTH, MAX_KEY_CHARS, MAX_KEYS, MAX_NODES, MAX_NUMBER_CHARS, TOO_MANY_KEYS, TOO_MANY_VALUES, BoundError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~25x faster

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_BAD_KEY = object()  # a key that was reported; its value is read and dropped
_NO_KEY = object()   # a mapping waiting for its next key (None is a valid key)

ALIAS_MESSAGE = Coded("yaml_alias", "YAML anchors and aliases (&name, *name) are not supported; write the value out")


class YamlSyntaxError(ValueError):
    """The text is not YAML; message says where."""


@dataclass
class _Frame:
    path: str
    value: dict | list
    line: int
    key: Any = _NO_KEY         # mapping: the key waiting for its value
    key_raw: str = ""
    first_line: dict = field(default_factory=dict)


def read_yaml(text: str, report: Callable[[str, str], None], loader_class=Loader) -> Any:
    """The one document in text as plain data. report(path, message) gets
    every repeated key, alias, merge key and refused tag or scalar; a
    limit raises BoundError as (path, message) at once."""
    loader = loader_class(text)
    try:
        return _walk(loader, report)
    except yaml.MarkedYAMLError as exc:
        where = ""
        if exc.problem_mark is not None:
            where = f" at line {exc.problem_mark.line + 1}, column {exc.problem_mark.column + 1}"
        raise YamlSyntaxError(f"{exc.problem or exc.context or 'cannot be read'}{where}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc).splitlines()[0] if str(exc) else "cannot be read") from None
    except UnicodeError:  # lone surrogates in a str given by a caller, not from decoded bytes
        raise YamlSyntaxError("contains characters that are not valid Unicode") from None
    finally:
        loader.dispose()


def _walk(loader, report) -> Any:
    stack: list[_Frame] = []
    nodes = 0
    documents = 0
    result: Any = None
    while loader.check_event():
        ev = loader.get_event()
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise BoundError(("", Coded("many_documents", f"has more than one YAML document (a second starts at line {ev.start_mark.line + 1})", line=ev.start_mark.line + 1)))
            continue
        if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done = stack.pop()
            if not stack:
                result = done.value
            else:
                _place(stack[-1], done.value, report)
            continue
        if not isinstance(ev, yaml.NodeEvent):
            continue  # stream and document boundaries
        nodes += 1
        parent = stack[-1] if stack else None
        path = _child_path(parent)
        if nodes > MAX_NODES:
            raise BoundError((path, TOO_MANY_VALUES))
        if isinstance(ev, yaml.AliasEvent):
            report(path, ALIAS_MESSAGE)
            value: Any = None
            if parent is not None and _expects_key(parent):
                value = _BAD_KEY
        elif isinstance(ev, yaml.ScalarEvent):
            value = _scalar(loader, ev, path, parent, report)
        else:
            if len(stack) >= MAX_DEPTH:
                raise BoundError((path, Coded("too_deep", f"is nested deeper than {MAX_DEPTH} levels", max=MAX_DEPTH)))
            is_map = isinstance(ev, yaml.MappingStartEvent)
            tag = ev.tag
            if tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
                report(path, Coded("yaml_tag", f"YAML tags ({tag}) are not supported", tag=tag))
            if parent is not None and _expects_key(parent):
                report(parent.path, Coded("key_not_plain", f"a key at line {ev.start_mark.line + 1} is not a plain value"))
            stack.append(_Frame(path, {} if is_map else [], ev.start_mark.line + 1))
            continue
        if parent is None:
            result = value
        else:
            _place(parent, value, report, ev)
    if documents == 0:
        return None
    return result


def _expects_key(frame: _Frame) -> bool:
    return isinstance(frame.value, dict) and frame.key is _NO_KEY


def _child_path(parent: _Frame | None) -> str:
    if parent is None:
        return ""
    if isinstance(parent.value, list):
        return f"{parent.path}[{len(parent.value)}]"
    if parent.key is _NO_KEY:  # a key itself sits at its mapping's path
        return parent.path
    return f"{parent.path}.{parent.key_raw}" if parent.path else parent.key_raw


def _place(parent: _Frame, value: Any, report, ev=None) -> None:
    """Put a finished value into its parent list or mapping."""
    if isinstance(parent.value, list):
        parent.value.append(value)
        return
    if parent.key is _NO_KEY:  # this value is a key
        if isinstance(value, (dict, list)):
            value = _BAD_KEY  # reported when it started
        parent.key = value
        parent.key_raw = "" if ev is None else str(ev.value)
        return
    key, parent.key = parent.key, _NO_KEY
    if key is not _BAD_KEY:
        parent.value[key] = value


def _scalar(loader, ev, path: str, parent: _Frame | None, report) -> Any:
    tag = ev.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    as_key = parent is not None and _expects_key(parent)
    line = ev.start_mark.line + 1
    if as_key:
        return _key(parent, ev, tag, line, loader, report)
    return _construct(loader, ev, tag, path, report)


def _key(parent: _Frame, ev, tag: str, line: int, loader, report) -> Any:
    if tag == _MERGE_TAG:
        report(parent.path, Coded("yaml_merge", "YAML merge keys (<<) are not supported"))
        return _BAD_KEY
    if len(ev.value) > MAX_KEY_CHARS:
        report(parent.path, Coded("key_too_long", f"the key at line {line} is {len(ev.value):,} characters long; at most {MAX_KEY_CHARS}", max=MAX_KEY_CHARS))
        return _BAD_KEY
    if len(parent.first_line) >= MAX_KEYS:
        raise BoundError((parent.path, TOO_MANY_KEYS))
    key = _construct(loader, ev, tag, parent.path, report)
    try:
        hash(key)
    except TypeError:
        report(parent.path, Coded("key_not_plain", f"a key at line {line} is not a plain value"))
        return _BAD_KEY
    child = f"{parent.path}.{ev.value}" if parent.path else str(ev.value)
    if key in parent.first_line:
        report(child, Coded("repeated_field", f"repeated key at line {line} (first at line {parent.first_line[key]}); each key may appear once"))
        return _BAD_KEY
    parent.first_line[key] = line
    return key


def _construct(loader, ev, tag: str, path: str, report) -> Any:
    if tag == _STR_TAG:  # most values; what SafeConstructor.construct_yaml_str returns
        return ev.value
    if tag in (_INT_TAG, _FLOAT_TAG) and len(ev.value) > MAX_NUMBER_CHARS:
        report(path, Coded("number_too_long", f"is a number with {len(ev.value):,} characters; at most {MAX_NUMBER_CHARS} are allowed", max=MAX_NUMBER_CHARS))
        return None
    make = loader.yaml_constructors.get(tag)
    if make is None:
        report(path, Coded("yaml_tag", f"YAML tags ({tag}) are not supported", tag=tag))
        return None
    node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, style=ev.style)
    try:
        return make(loader, node)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        message = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        report(path, Coded("unreadable_value", f"cannot be read as {tag.rsplit(':', 1)[-1]}: {message}", tag=tag.rsplit(":", 1)[-1]))
        return None
