"""The words of a late or overdue finding when no working day has passed since the due day.

``working_days_late`` counts working days: a step done on the Saturday after a Friday due day is
``late`` by 0, as is an obligation still open on that Saturday (``overdue``). "逾期0个工作日" then
contradicts itself; these say what happened. Shared by the batch (``engine.messages``) and the
monitor (``monitor.findings``), whose messages are the same character for character.
"""

# (zh, en), said after "应于D前完成，实际于O" / "due by the end of D, done O"
LATE_ON_DAY_OFF = ("完成（期限届满后的休息日，逾期不足1个工作日）",
                   " (a day off after the due day: less than one working day late)")
# (zh, en), said after "应于D前完成，截至AS_OF" / "due by the end of D, still not done on AS_OF"
OVERDUE_ON_DAY_OFF = ("仍未完成（期限届满后至今均为休息日，逾期不足1个工作日）",
                      " (only days off since the due day: less than one working day overdue)")
