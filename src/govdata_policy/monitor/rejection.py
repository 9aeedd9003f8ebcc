"""An event the monitor refuses: the reasons it gives of its own, and the error ``push(event, strict=True)`` raises.

A refused event is recorded in ``monitor.rejected`` and counted either way; ``push`` returns ``[]`` for it unless
``strict=True``. An empty list alone left a platform unable to tell a refusal from an event with nothing to report
(a whole feed of ``df.iterrows()`` rows, each a Series and none a mapping, went by without a word), short of
comparing ``stats()`` before and after every push.
"""

from __future__ import annotations

from typing import Any

from ..errors import BilingualError


class RejectedEvent(BilingualError):
    """An event ``push(event, strict=True)`` refused. ``rejection`` is the record ``monitor.rejected`` keeps for
    it, ``{"row": push number, "reason": ..., "case_id": ...}``; ``row``, ``reason`` and ``case_id`` (None when
    the event named no case) are its fields. A ``ValueError``, as bad input is; ``zh`` says it in Chinese."""

    def __init__(self, rejection: dict[str, Any]) -> None:
        from ..reasons_zh import reason_zh

        self.rejection = dict(rejection)
        self.row: int = rejection["row"]
        self.reason: str = rejection["reason"]
        self.case_id: str | None = rejection.get("case_id")
        case_en = f" (case {self.case_id!r})" if self.case_id is not None else ""
        case_zh = f"（案件 {self.case_id}）" if self.case_id is not None else ""
        super().__init__(f"event {self.row}{case_en} rejected: {self.reason}",
                         zh=f"第 {self.row} 个事件{case_zh}未被接受：{reason_zh(self.reason)}")

    def __reduce__(self) -> tuple[Any, ...]:
        # across processes the record travels whole (Bilingual's own would pass the message as the record)
        return type(self), (self.rejection,)


def out_of_order_reason(iso: Any, t: int, now: int) -> str:
    return (f"time: {iso(t)} is before the monitor's current time {iso(now)}: out of order "
            "(a monitor only moves forward; push each source in time order)")


def too_far_ahead_reason(iso: Any, t: int, now: int, days: int | None) -> str:
    return (f"time: {iso(t)} is more than {days} days after the monitor's current time {iso(now)}: too far ahead "
            "(a mistyped year?); if it is right, advance the monitor to it first")


def calendar_reason(seq: int, day: int, margin: int) -> str:
    """The batch's own reason for an event off the calendar (engine.calendar_rows.outside_calendar)."""
    import pandas as pd

    from ..engine.calendar_rows import outside_calendar

    _, rejected = outside_calendar(pd.DataFrame({"row": [seq], "day": [day]}), margin)
    return rejected[0]["reason"]
