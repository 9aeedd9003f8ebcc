"""The jurisdiction profile file (``jurisdictions/<name>.yaml``), as pydantic models.

A profile says which documents apply and while when, who the competent
authority is, which calendar counts working days, which penalty article and
items a finding triggers, which responsibility principles hold, which rulesets
it includes, and the values of its parameters (each with a ``reference``, as
OpenFisca parameters carry one).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import vocabulary
from .citation import CitationForm, cite_zh
from .rules.model import PARTY_KEY_PATTERN, RESPONSIBLE_ROLES, Quotation


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Document(Strict):
    title_zh: str
    number: str | None = None
    issuer_zh: str | None = None  # None: the source names none (a draft attachment)
    issued: dt.date | None = None
    status: Literal["draft", "in_force", "trial"]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    validity_clause: str | None = None
    source: str  # the text the rules quote: a file under jurisdictions/sources/
    original: str | None = None  # the document as published, where ``source`` is a cleaned copy of it
    # how a clause of it is cited in Chinese (citation.py): 第二十九条第（三）项, or 五（三）2 in a text without 条
    citation: CitationForm = "article"

    @model_validator(mode="after")
    def _window(self) -> Document:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class PenaltyItem(Strict):
    text_zh: Quotation
    consequence: str | None = None  # overrides the article's consequence


class Penalties(Strict):
    article: str
    document: str
    text_zh: Quotation
    consequence: str
    escalation_zh: str | None = None
    items: dict[str, PenaltyItem]

    def consequence_of(self, item: str | None) -> str | None:
        """What a finding citing ``item`` incurs: the item's own consequence, else the article's
        (None for a rule citing no penalty)."""
        if item is None:
            return None
        found = self.items.get(item)
        return found.consequence if found is not None and found.consequence else self.consequence


class Principle(Strict):
    clause: str
    document: str
    text_zh: Quotation
    summary_en: str


class Party(Strict):
    """How the responsible party of a role is found in a case (or of the rules naming this entry
    in their ``party:``: with no attribute, that fixed body whatever the log names)."""

    attribute: str | None = None  # the case's latest value of this attribute
    name_zh: str | None = None  # otherwise this fixed body (the authority, the platform)

    @field_validator("attribute")
    @classmethod
    def _a_name_column(cls, value: str | None) -> str | None:
        # a misspelt column named no party in any log: findings had responsible_party null, no word said
        if value is None:
            return value
        columns = (*vocabulary.KNOWN_ATTRIBUTES, *vocabulary.PARTY_COLUMNS)
        if value not in columns:
            raise ValueError(f"{value!r} is not an attribute of the vocabulary of docs/contract.md nor one of "
                             f"{', '.join(vocabulary.PARTY_COLUMNS)}{vocabulary.did_you_mean(value, columns)}")
        typed = vocabulary.BOOL_ATTRIBUTES | vocabulary.INT_ATTRIBUTES | vocabulary.TIME_ATTRIBUTES
        if value in typed:
            raise ValueError(f"{value!r} holds a yes/no, number or time, not the name of a party")
        return value


class CalendarRef(Strict):
    regional: str | None = None
    overrides: list[str] = Field(default_factory=list)


class Parameter(Strict):
    value: Any
    reference: str
    description: str

    @model_validator(mode="before")
    @classmethod
    def _one_value(cls, data: Any) -> Any:
        # a value from a date on is not applied by the engine: refused, not silently ignored
        if isinstance(data, dict) and ({"valid_from", "valid_to"} & set(data)):
            raise ValueError("a parameter holds one value for the whole profile (no valid_from / valid_to); "
                             "to compare two values, make a variant profile for each")
        return data


class Mitigation(Strict):
    """Clause 42-style fault tolerance: a flag on the event mitigates, never drops, a finding."""

    clause: str
    document: str
    attribute: str
    text_zh: Quotation

    @field_validator("attribute")
    @classmethod
    def _a_yes_no_attribute(cls, value: str) -> str:
        # the engine reads the flag as a yes/no column: a misspelt one mitigated no finding, silently
        if value not in vocabulary.KNOWN_ATTRIBUTES:
            hint = vocabulary.did_you_mean(value, vocabulary.BOOL_ATTRIBUTES)
            raise ValueError(f"{value!r} is not an attribute of the vocabulary of docs/contract.md{hint}")
        if value not in vocabulary.BOOL_ATTRIBUTES:
            raise ValueError(f"{value!r} is not a yes/no attribute ({', '.join(sorted(vocabulary.BOOL_ATTRIBUTES))})")
        return value


class ProfileFile(Strict):
    name: str
    title_zh: str
    title_en: str
    extends: str | None = None
    documents: dict[str, Document]
    authority_zh: str
    parties: dict[str, Party]
    calendar: CalendarRef = Field(default_factory=CalendarRef)
    penalties: Penalties
    responsibility: list[Principle] = Field(default_factory=list)
    mitigation: Mitigation | None = None
    rulesets: list[str]
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    rule_overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)
    remove_rules: list[str] = Field(default_factory=list)
    # read layer by layer (Profile._load_rules), never from the merged profile, which leaves it out; a field
    # here all the same, so that a misspelt ``add_rule:`` is said with ``add_rules`` meant, not with a list
    # of the fields that lacks it
    add_rules: list[str] = Field(default_factory=list)
    enforce_validity: bool = True

    @model_validator(mode="after")
    def _references(self) -> ProfileFile:
        if self.penalties.document not in self.documents:
            # a check of the whole model has no field of its own (loc is empty): the message names it
            raise ValueError(f"field penalties.document: {self.penalties.document!r} is not a key of documents "
                             f"({', '.join(self.documents)})")
        for key in self.parties:
            # a role's entry, or a body some rule names in its ``party:`` (Profile checks that one does)
            if key not in RESPONSIBLE_ROLES and not re.match(PARTY_KEY_PATTERN, key):
                raise ValueError(f"field parties.{key}: {key!r} is neither a role ({', '.join(RESPONSIBLE_ROLES)}) "
                                 "nor a name a rule's party can give (lower case, digits and _)")
        return self

    def party_for(self, rule: Any) -> tuple[Party | None, bool]:
        """The entry of ``parties`` answering for a rule (its ``party:``, else its obligor_role's) and
        whether an event's own actor acting in the rule's role may name the party: not where the rule
        names a fixed body (an entry without an attribute), to which its text gives the duty by name
        (Guangxi 29（二）: 自治区大数据发展局, whatever lower body a log names). The batch engine, the
        monitor and explain all look it up here."""
        if rule.party is None:
            return self.parties.get(rule.obligor_role), True
        entry = self.parties.get(rule.party)
        return entry, entry is not None and bool(entry.attribute)

    def cite_zh(self, clause: str, document: str | None) -> str:
        """``clause`` of ``document`` (a key of ``documents``) as its text names it in Chinese:
        第二十九条第（三）项, 五（三）2 (``citation.py``)."""
        found = self.documents.get(document) if document is not None else None
        return cite_zh(clause, found.citation if found is not None else "article")

    def cite_penalty_zh(self, item: str) -> str:
        """A penalty item (``47.3``, ``7.4.2``) as its document names it: 第四十七条第（三）项, 七（四）2."""
        return self.cite_zh(item, self.penalties.document)
