"""Streaming monitor: the batch engine's rules, one event at a time, on event time.

    monitor = profile.monitor()
    found = monitor.push({"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", ...})
    found = monitor.advance("2024-06-30")        # overdue and missing (C4), each reported once
    monitor.push(event, strict=True)             # a refused event raises RejectedEvent (row, reason, case_id)
    data = monitor.snapshot(); monitor = Monitor.restore(profile, data)

See docs/monitor.md.
"""

from __future__ import annotations

from .core import Monitor
from .rejection import RejectedEvent

__all__ = ["Monitor", "RejectedEvent"]
