"""The detail of an ``invalid`` finding in Chinese, for ``message_zh``.

The engines (batch and monitor) write the detail once, in the English the JSON has always
carried (``missing: reason, legal_basis``); the Chinese message said it in English inside
Chinese text. Attribute names stay as the log's column names; event names become their gloss.
"""

from __future__ import annotations

import re

from .vocabulary import EVENTS

FORMAT_NAMES_ZH = {"cn_id_or_uscc": "身份证号码或统一社会信用代码"}

_MISSING = re.compile(r"^missing: (?P<names>.*)$", re.S)
_NOT_ALLOWED = re.compile(r"^(?P<event>[a-z_.]+) not allowed$")
_TOTAL = re.compile(r"^(?P<name>\S+) in all > (?P<limit>\d+): (?P<total>.*)$", re.S)
_FORMAT = re.compile(r"^(?P<name>\S+) is not a valid (?P<fmt>\S+): (?P<value>.*)$", re.S)


def detail_zh(detail: str) -> str:
    """``missing: reason, legal_basis`` -> ``缺少：reason、legal_basis``; other details alike."""
    if found := _MISSING.match(detail):
        return "缺少：" + "、".join(name.strip() for name in found["names"].split(","))
    if found := _NOT_ALLOWED.match(detail):
        event = found["event"]
        return f"不应办理此环节：{EVENTS.get(event, event)}（{event}）"
    if found := _TOTAL.match(detail):
        return f"{found['name']}合计超过{found['limit']}：{found['total']}"
    if found := _FORMAT.match(detail):
        fmt = FORMAT_NAMES_ZH.get(found["fmt"], found["fmt"])
        return f"{found['name']}不是有效的{fmt}：{found['value']}"
    return detail
