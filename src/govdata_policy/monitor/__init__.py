"""Streaming monitor: the batch engine's rules, one event at a time, on event time.

    monitor = profile.monitor()
    found = monitor.push({"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", ...})
    found = monitor.advance("2024-06-30")        # overdue and missing (C4), each reported once
    data = monitor.snapshot(); monitor = Monitor.restore(profile, data)

See docs/monitor.md.
"""

from __future__ import annotations

from .core import Monitor

__all__ = ["Monitor"]
