"""Rules as data: the pydantic models every rule file is validated against.

A closed set of seven kinds covers every row of the clause inventory:

- ``deadline``     trigger -> fulfilment within a period (optional approved extension,
                   or a due date carried by an attribute such as ``rectify_by``)
- ``waiting``      an act not before trigger + period (publicity before going offline)
- ``lead_time``    an act at least a period before a date attribute
- ``precondition`` an act needs an earlier act in the case
- ``required``     an event must carry attributes / valid values under a condition
- ``prohibited``   a forbidden act
- ``retention``    an act not before a date attribute + a period (log kept 3 years)

Conditions are declarative (``equals``, ``in``, ``not_in``, ``present``,
``absent``): a rule file holds no code.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictInt, ValidationInfo, field_validator, model_validator

from .. import vocabulary
from .conditions import Condition, EventMatch, Strict, known_attribute, typed_attribute  # noqa: F401

CLAUSE_PATTERN = r"^(R\.)?[0-9]+(\.[0-9]+)*$"
PARTY_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"  # a key of a profile's parties: a role, or a body a rule names
RESPONSIBLE_ROLES = (*vocabulary.ROLES, "actor")
TOPICS = (
    "sharing", "quality", "catalog", "catalog_offline", "resource_offline", "open_data",
    "public_objection", "security", "conduct", "retention", "rectification",
)
FORMATS = ("cn_id_or_uscc",)

# A CJK character or a full-width mark (CJK punctuation, full-width forms); not the
# ideographic space U+3000, which is whitespace itself.
_WIDE = r"[\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
_FOLD_SPACE = re.compile(rf"\s+(?={_WIDE})|(?<={_WIDE})\s+")


def unfold(text: str) -> str:
    """A quotation as its source writes it: no whitespace beside a Chinese character or mark.

    Chinese text has no spaces between words, but YAML's folded blocks (``>-``) join the
    lines of a long quotation with one: "更新政务数据目录， 并报…". Such spaces, and the
    line breaks of a source copied in, are dropped; a space between two Latin letters or
    digits ("GB/T 35273") is kept.
    """
    return _FOLD_SPACE.sub("", text).strip()


# The text of a clause, quoted: compared with its source by tests/test_quotes.py.
Quotation = Annotated[str, AfterValidator(unfold)]


# The longest period of each unit. 10**30 days overflowed C integers (exit 3); a period must end on the
# calendar (2004 .. 2035, 11,688 days: calendar_margin keeps 1.5 N + 30 days of it free for N working days),
# and a retention's end must be a pandas time (before 2262) when the creation date is as late as 2199.
LONGEST = {"working_days": 5000, "calendar_days": 10000, "years": 60, "none": 0}


class Period(Strict):
    """A period: N working days, N calendar days, N years, or none (C4: presence only).

    ``param`` names the profile parameter that may replace it (a reading a
    drafter can change without touching the rule).
    """

    unit: Literal["working_days", "calendar_days", "years", "none"]
    # strict: ``days: true`` is no 1; 1 or more: "within 0 working days" has no day to end on (a Saturday
    # request was due that Saturday, and the first working day's answer one day late)
    days: StrictInt | None = Field(default=None, ge=1)
    param: str | None = None

    @model_validator(mode="after")
    def _days_match_unit(self) -> Period:
        if self.unit == "none" and self.days is not None:
            raise ValueError("a period of unit 'none' (C4) carries no days")
        if self.unit != "none" and self.days is None:
            raise ValueError(f"a period in {self.unit} needs days")
        if self.days is not None and self.days > LONGEST[self.unit]:
            room = ("a retention ends before 2262, pandas' last time" if self.unit == "years"
                    else "a period must end on the working-day calendar, 2004 .. 2035")
            raise ValueError(f"days: {self.days} {self.unit.replace('_', ' ')} is too long: at most "
                             f"{LONGEST[self.unit]} ({room})")
        return self

    def describe(self, lang: str = "en", short: bool = True) -> str:
        """"10个工作日" / "10 wd" ("10 working days" when not ``short``)."""
        names = {
            "working_days": ("个工作日", "wd", "working days"), "calendar_days": ("天", "cd", "calendar days"),
            "years": ("年", "years", "years"),
        }
        if self.unit == "none":
            return "及时（无时限）" if lang == "zh" else "no period (C4)"
        zh, en_short, en_long = names[self.unit]
        return f"{self.days}{zh}" if lang == "zh" else f"{self.days} {en_short if short else en_long}"


class Extension(Strict):
    """An approved extension that moves the due date, counted on top of the period."""

    event: EventMatch
    attribute: str = "extra_working_days"
    max_working_days: StrictInt = Field(ge=0, le=LONGEST["working_days"])  # added to the period: bounded as one

    @field_validator("attribute")
    @classmethod
    def _number_attribute(cls, value: str) -> str:
        return typed_attribute(value, vocabulary.INT_ATTRIBUTES, "number")


class Reading(Strict):
    """A named reading of ambiguous text; the profile parameter picks an option."""

    param: str
    summary: str
    default: str
    options: dict[str, dict[str, Any]]

    @model_validator(mode="after")
    def _default_is_option(self) -> Reading:
        if self.default not in self.options:
            raise ValueError(f"default {self.default!r} is not one of the options {sorted(self.options)}")
        return self


class RuleBase(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    clause: str
    also: list[str] = Field(default_factory=list, description="other clauses saying the same")
    document: str
    topic: Literal[TOPICS]  # type: ignore[valid-type]
    title_zh: str
    text_zh: Quotation = Field(min_length=4)
    summary_en: str = Field(min_length=4)
    obligor_role: Literal[RESPONSIBLE_ROLES]  # type: ignore[valid-type]
    # the key of the profile's parties naming the responsible party, where it is not the obligor_role's
    # entry (Guangxi 29（二）: the region bureau by name, while the role's column names 本级 bodies)
    party: str | None = Field(default=None, pattern=PARTY_KEY_PATTERN)
    penalty: str | None
    readings: list[Reading] = Field(default_factory=list)
    note: str | None = None

    @field_validator("party")
    @classmethod
    def _party_not_the_default(cls, value: str | None, info: ValidationInfo) -> str | None:
        # the obligor_role's entry is the default: named again, a fixed body's entry would stop reading
        # the event's actor (docs/rules-format.md, parties), which the default does not
        if value is not None and value == info.data.get("obligor_role"):
            raise ValueError(f"{value!r} is the rule's obligor_role, whose entry of the profile's parties is the "
                             "default: leave party out")
        return value

    @field_validator("clause")
    @classmethod
    def _a_clause_path(cls, value: str) -> str:
        # pydantic's "String should match pattern '^(R\.)?...'" left a drafter writing 第四条 to decode it
        if not re.match(CLAUSE_PATTERN, value):
            raise ValueError(f"{value!r} is not a clause path: write the numbers with dots (第二十九条（三） -> 29.3, "
                             "五（三）2 -> 5.3.2; R.2.4.4 for a second document's 二（四）4)")
        return value

    @field_validator("also")
    @classmethod
    def _also_are_clauses(cls, value: list[str]) -> list[str]:
        for clause in value:
            if not re.match(CLAUSE_PATTERN, clause):
                raise ValueError(f"{clause!r} is not a clause path like 29.3 or R.2.4.4")
        return value


class DeadlineRule(RuleBase):
    kind: Literal["deadline"]
    trigger: EventMatch
    fulfil: EventMatch
    # further events that also answer the obligation (Yongzhou 18.2 read as "会同…提出意见并反馈": the authority's
    # rejection at 初审 is the reply too); the first of fulfil and these at or after the trigger answers it
    also_fulfilled_by: list[EventMatch] = Field(default_factory=list)
    period: Period | None = None
    due_attribute: str | None = Field(default=None, description="due at the end of this date attribute's day")
    extension: Extension | None = None

    @property
    def answers(self) -> list[EventMatch]:
        """Every match that answers the obligation: ``fulfil`` first, then ``also_fulfilled_by``."""
        return [self.fulfil, *self.also_fulfilled_by]

    @field_validator("also_fulfilled_by")
    @classmethod
    def _each_says_something(cls, value: list[EventMatch], info: ValidationInfo) -> list[EventMatch]:
        # a repeat of fulfil or of another entry changes no verdict: most likely a copy meant to differ
        fulfil = info.data.get("fulfil")
        for number, match in enumerate(value):
            if match == fulfil or match in value[:number]:
                what = "fulfil" if match == fulfil else "an earlier entry"
                raise ValueError(f"entry {number} ({match.event}) repeats {what}: it answers nothing more")
        return value

    @field_validator("period")
    @classmethod
    def _units(cls, value: Period | None) -> Period | None:
        # a deadline in years was counted by nothing: the batch raised, the monitor read it as C4
        return value if value is None else _period_units(value, ("working_days", "calendar_days", "none"), "deadline")

    @model_validator(mode="after")
    def _one_due(self) -> DeadlineRule:
        if (self.period is None) == (self.due_attribute is None):
            raise ValueError("a deadline needs exactly one of period / due_attribute")
        if self.due_attribute and self.due_attribute not in vocabulary.TIME_ATTRIBUTES:
            raise ValueError(f"due_attribute {self.due_attribute!r} is not a time attribute")
        return self


def _period_units(period: Period, allowed: tuple[str, ...], kind: str) -> Period:
    # checked at load, so a parameter cannot turn a period into one the kind cannot count
    if period.unit not in allowed:
        raise ValueError(f"a {kind} period is counted in {' or '.join(allowed)}, not {period.unit}")
    return period


class WaitingRule(RuleBase):
    kind: Literal["waiting"]
    trigger: EventMatch
    act: EventMatch
    period: Period
    require_trigger: bool = True

    @field_validator("period")
    @classmethod
    def _units(cls, value: Period) -> Period:
        return _period_units(value, ("working_days", "calendar_days"), "waiting")


class LeadTimeRule(RuleBase):
    kind: Literal["lead_time"]
    act: EventMatch
    date_attribute: str
    period: Period
    mode: Literal["at_least", "at_most"] = "at_least"

    @field_validator("date_attribute")
    @classmethod
    def _time_attribute(cls, value: str) -> str:
        return typed_attribute(value, vocabulary.TIME_ATTRIBUTES, "time")

    @field_validator("period")
    @classmethod
    def _units(cls, value: Period) -> Period:
        return _period_units(value, ("working_days",), "lead_time")


class PreconditionRule(RuleBase):
    kind: Literal["precondition"]
    act: EventMatch
    requires: EventMatch
    since: EventMatch | None = None
    finding: Literal["prohibited", "premature", "invalid"] = "prohibited"


class Requirement(Strict):
    all_present: list[str] | None = None
    any_present: list[str] | None = None
    maximum: dict[str, StrictInt] | None = None
    # the attribute summed over the case's acts so far (several extensions: "延长期限最长不得超过15个工作日")
    maximum_total: dict[str, StrictInt] | None = None
    valid_format: dict[str, Literal[FORMATS]] | None = None  # type: ignore[valid-type]
    # ``maximum`` of each act (act, the default) or summed over the case's acts so far (case, as
    # maximum_total): a reading can switch it without restating the limit, which another reading may set
    per: Literal["act", "case"] | None = None

    @property
    def each_limits(self) -> dict[str, int]:
        """The limits each act is held to on its own."""
        return {} if self.per == "case" else dict(self.maximum or {})

    @property
    def total_limits(self) -> dict[str, int]:
        """The limits the case's acts so far are held to together."""
        return {**(self.maximum_total or {}), **(dict(self.maximum or {}) if self.per == "case" else {})}

    def describe(self) -> str:
        """``all_present: [reason, legal_basis]`` as "reason and legal_basis present", ``any_present`` with
        "or" (no Python reprs)."""
        parts = []
        for kind, value in self.model_dump(exclude_none=True).items():
            if kind in ("all_present", "any_present"):
                last = " and " if kind == "all_present" else " or "
                names = value[0] if len(value) == 1 else ", ".join(value[:-1]) + last + value[-1]
                parts.append(f"{names} present")
            elif kind == "per":
                continue
            elif kind in ("maximum", "maximum_total"):
                total = " in all" if kind == "maximum_total" or self.per == "case" else ""
                parts.append(", ".join(f"{name} ≤ {limit}{total}" for name, limit in value.items()))
            else:
                parts.append(", ".join(f"{name} a valid {fmt}" for name, fmt in value.items()))
        return "; ".join(parts)

    @model_validator(mode="after")
    def _exactly_one(self) -> Requirement:
        kinds = ("all_present", "any_present", "maximum", "maximum_total", "valid_format")
        if len([n for n in kinds if getattr(self, n)]) != 1:
            raise ValueError("a requirement needs exactly one of " + " / ".join(kinds))
        if self.per is not None and not self.maximum:
            raise ValueError("per (act or case) goes with maximum")
        for kind in kinds:
            for attribute in getattr(self, kind) or ():
                known_attribute(attribute, kind)
        for kind in ("maximum", "maximum_total"):  # a limit is on a number (text never compares)
            for attribute in getattr(self, kind) or ():
                typed_attribute(attribute, vocabulary.INT_ATTRIBUTES, "number")
        return self


class RequiredRule(RuleBase):
    kind: Literal["required"]
    act: EventMatch
    require: Requirement


class ProhibitedRule(RuleBase):
    kind: Literal["prohibited"]
    act: EventMatch
    # invalid: an act done the wrong way rather than forbidden (Guangxi 21.4: a mounted catalog's
    # offline request instead of the data-offline process); its detail says "<event> not allowed"
    finding: Literal["prohibited", "invalid"] = "prohibited"


class RetentionRule(RuleBase):
    kind: Literal["retention"]
    act: EventMatch
    created_attribute: str
    period: Period
    # instant: kept until the creation instant N years (days) on, the act compared with it (CLAUSES.md
    # XJ 15: "less than 3 years earlier"); day: a period of years or days as 民法典 第二百零一、二百零二条
    # count one, the day of creation not counted and the last day (the corresponding day) kept to its end
    kept_through: Literal["instant", "day"] = "instant"

    @field_validator("period")
    @classmethod
    def _units(cls, value: Period) -> Period:
        return _period_units(value, ("years", "calendar_days"), "retention")

    @field_validator("created_attribute")
    @classmethod
    def _time_attribute(cls, value: str) -> str:
        return typed_attribute(value, vocabulary.TIME_ATTRIBUTES, "time")


Rule = Annotated[
    DeadlineRule | WaitingRule | LeadTimeRule | PreconditionRule | RequiredRule | ProhibitedRule | RetentionRule,
    Field(discriminator="kind"),
]
KINDS = ("deadline", "waiting", "lead_time", "precondition", "required", "prohibited", "retention")


class RuleFile(Strict):
    """One file of ``rules/<jurisdiction>/``: a chapter or topic of one document."""

    jurisdiction: str
    document: str | None = None
    title: str
    rules: list[Rule]
