"""`compare --log --format table` printed each differing case with rich's highlighter on, which only adds
colours: to a file or a pipe (no colours) it was two thirds of each line's time, 60 s of the table of a 1M-event
log. ``print_lines`` skips it there; what is written is the same as ``console.print`` line by line."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import escape

from govdata_policy.cli.compare_cmd import print_lines

PIECES = st.sampled_from([
    "- YZ-SQ-00015070 · deadline → share.provider_reviewed [category=conditional] (yz-18.2): ", "late under a ",
    "(10 wd from share.requested, due 2024-05-20, 3 wd late, clause 18.2)", "; ", "no finding under b",
    "'quoted'", '"x"', "http://example.org/a?b=1", "0x1F", "True", "None", "1.5e3", "[bold]", "第十八条", "ＡＢ",
    " ", "  ", "\t", "{'k': [1, 2]}", "<tag attr=1>", "@user", "=HYPERLINK(1)", "12:30:00", "#N/A", "…",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=12).map("".join), max_size=8), st.integers(20, 200),
       st.sampled_from([None, "standard", "truecolor"]))
def test_print_lines_writes_what_print_writes(lines: list[str], width: int, colours: str | None) -> None:
    lines = [escape(line) for line in lines]
    expected, got = io.StringIO(), io.StringIO()
    plain = Console(file=expected, width=width, color_system=colours, force_terminal=colours is not None)
    for line in lines:
        plain.print(line)
    print_lines(Console(file=got, width=width, color_system=colours, force_terminal=colours is not None), lines)
    assert got.getvalue() == expected.getvalue()
