"""A rule's conditions and event matches: which events a rule counts, tested on their attributes.

``Condition`` is one declarative test (equals, in, not_in, present, absent) on one attribute;
``EventMatch`` an event name with conditions on the event itself (``when``) and on what its case
knows at that moment (``case_when``). Values are checked against the attribute's type and its
allowed values when a rule file loads (rules/model.py holds the rules built from these).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import vocabulary


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(Strict):
    """One test on one attribute. Exactly one of the fields is set."""

    equals: str | bool | int | None = None
    in_: list[str | bool | int] | None = Field(default=None, alias="in")
    not_in: list[str | bool | int] | None = None
    present: bool | None = None
    absent: bool | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # ``outcome: refused`` means equals; ``category: [a, b]`` means in.
        if isinstance(value, list):
            return {"in": value}
        if not isinstance(value, dict):
            return {"equals": value}
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        chosen = [n for n in ("equals", "in_", "not_in", "present", "absent") if getattr(self, n) is not None]
        if len(chosen) != 1:
            raise ValueError("a condition needs exactly one of equals / in / not_in / present / absent")
        return self

    def values(self) -> list[Any]:
        if self.equals is not None:
            return [self.equals]
        return list(self.in_ or self.not_in or [])


Conditions = dict[str, Condition]


def known_attribute(attribute: str, field: str) -> str:
    """An attribute of the CONTRACT.md vocabulary, or a ValueError naming the one meant: a rule
    testing ``categroy`` would never fire and no log could tell."""
    if attribute not in vocabulary.KNOWN_ATTRIBUTES:
        hint = vocabulary.did_you_mean(attribute, vocabulary.KNOWN_ATTRIBUTES)
        raise ValueError(f"{field}: {attribute!r} is not an attribute of the vocabulary of docs/contract.md{hint}")
    return attribute


def typed_attribute(attribute: str, allowed: frozenset[str], what: str) -> str:
    """An attribute a rule reads as a time or a number: one of the vocabulary's of that type."""
    if attribute not in allowed:
        raise ValueError(f"{attribute!r} is not a {what} attribute ({', '.join(sorted(allowed))})")
    return attribute


def _check_conditions(event: str, conditions: Conditions, own: bool) -> None:
    part = "when" if own else "case_when"
    for attribute, condition in conditions.items():
        known_attribute(attribute, part)
        for value in condition.values():
            wrong = _wrong_type(attribute, value)
            if wrong:
                raise ValueError(f"{part}.{attribute}: {wrong}")
        allowed = vocabulary.allowed_values(attribute, event if own and event != "*" else None)
        if allowed is None:
            continue
        for value in condition.values():
            if value not in allowed:
                raise ValueError(f"{part}.{attribute}: {value!r} is not one of {', '.join(allowed)}")


def _wrong_type(attribute: str, value: Any) -> str | None:
    """Why a condition's value can never equal the attribute's values, or None.

    The log's columns are typed (docs/input.md): a yes/no attribute holds booleans, a
    number attribute whole numbers, the others text. A value of another type matched no
    row, silently: ``classified: "true"`` never fired, ``not_in: ["true"]`` took every row,
    and YAML reads an unquoted ``yes`` as a boolean.
    """
    if attribute in vocabulary.BOOL_ATTRIBUTES:
        return None if isinstance(value, bool) else f"{value!r} is not a yes/no value: write true or false, unquoted"
    if attribute in vocabulary.INT_ATTRIBUTES:
        whole = isinstance(value, int) and not isinstance(value, bool)
        return None if whole else f"{value!r} is not a whole number: write it unquoted"
    if attribute in vocabulary.TIME_ATTRIBUTES:
        return f"{value!r}: a time attribute is tested by present or absent, not by its value"
    if isinstance(value, str):
        return None
    return (f"{value!r} is not text: quote it (YAML reads an unquoted yes, no, on, off, true or false "
            "as a boolean and digits as a number)")


class EventMatch(Strict):
    """Which events count: an event name plus conditions.

    ``when`` tests the event's own attributes; ``case_when`` tests what the case
    knows at that moment (the latest value of the attribute at or before the
    event in the same case), e.g. the category given on the request.
    """

    event: str
    when: Conditions = Field(default_factory=dict)
    case_when: Conditions = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, value: Any) -> Any:
        return {"event": value} if isinstance(value, str) else value

    @field_validator("event")
    @classmethod
    def _known_event(cls, value: str) -> str:
        if value != "*" and value not in vocabulary.EVENTS:
            hint = vocabulary.did_you_mean(value, vocabulary.EVENTS)
            raise ValueError(f"unknown event {value!r} (not in the vocabulary of docs/contract.md){hint}")
        return value

    @model_validator(mode="after")
    def _known_values(self) -> EventMatch:
        _check_conditions(self.event, self.when, own=True)
        _check_conditions(self.event, self.case_when, own=False)
        return self
