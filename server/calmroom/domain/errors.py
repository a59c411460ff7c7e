"""The one kind of failure the rules raise. `code` is one of the protocol's error
codes; `field` names the input that is wrong, when one is."""
from __future__ import annotations


class RuleError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def fields(self) -> dict[str, str]:
        """The wrong input by name, as the error shape's `fields` says it."""
        if self.field is None:
            return {}
        return {self.field: self.message.split(": ", 1)[-1]}


def conflict(message: str) -> RuleError:
    return RuleError("conflict", message)


def forbidden(message: str) -> RuleError:
    return RuleError("forbidden", message)


def invalid(field: str, message: str) -> RuleError:
    return RuleError("invalid", f"{field}: {message}", field)


def not_found(message: str, field: str | None = None) -> RuleError:
    return RuleError("not_found", message, field)
