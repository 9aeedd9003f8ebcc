"""`compare --log --format table` printed each differing case with rich's highlighter on, which only adds
colours: to a file or a pipe (no colours) it was two thirds of each line's time, 60 s of the table of a 1M-event
log. ``print_lines`` skips it there, and writes a line that fits as it is (rich parsed, measured and wrapped each
of 513,646 lines: 210 s); what is written is the same as ``console.print`` of the escaped line, line by line."""

from __future__ import annotations

import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from govdata_policy.cli.plain_lines import cells, print_lines

PIECES = st.sampled_from([
    "- YZ-SQ-00015070 · deadline → share.provider_reviewed [category=conditional] (yz-18.2): ", "late under a ",
    "(10 wd from share.requested, due 2024-05-20, 3 wd late, clause 18.2)", "; ", "no finding under b",
    "'quoted'", '"x"', "http://example.org/a?b=1", "0x1F", "True", "None", "1.5e3", "[bold]", "第十八条", "ＡＢ",
    " ", "  ", "\t", "{'k': [1, 2]}", "<tag attr=1>", "@user", "=HYPERLINK(1)", "12:30:00", "#N/A", "…",
    ":smile:", ":thumbs_up:", "\\", "[/]", "\\[b]", "😄", "👩‍💻", "e\u0301", "\u3000", "\u200b", "\xa0", "\n", "ﾊﾝｶｸ",
    "南宁市人社局", "x" * 60,
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=12).map("".join), max_size=8), st.integers(20, 200),
       st.sampled_from([None, "standard", "truecolor"]))
def test_print_lines_writes_what_print_writes(lines: list[str], width: int, colours: str | None) -> None:
    expected, got = io.StringIO(), io.StringIO()
    plain = Console(file=expected, width=width, color_system=colours, force_terminal=colours is not None, emoji=False)
    for line in lines:  # as text, not markup; with colours, those of rich's highlighter as before (numbers…)
        plain.print(line, markup=False)
    print_lines(Console(file=got, width=width, color_system=colours, force_terminal=colours is not None,
                        emoji=False), lines)
    assert got.getvalue() == expected.getvalue()


# wrapping: words, runs of spaces, wide and zero-width characters, a combining accent (a character rich counts
# toward the width in characters, not cells, when it drops spaces at a line's end), widths down to one cell
LETTERS = st.sampled_from([*"ab  南宁,.-·:😄", "e\u0301", "\u3000", "xyz ", "   ", "ﾊ", "\u200b", "👩\u200d💻", "\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(LETTERS, max_size=200).map("".join), max_size=4), st.integers(1, 60))
@example(["aaaae\u0301xyz "], 9)  # fits in 9 cells; 10 characters, so rich drops the space
def test_print_lines_wraps_as_print_wraps(lines: list[str], width: int) -> None:
    expected, got = io.StringIO(), io.StringIO()
    plain = Console(file=expected, width=width, color_system=None, emoji=False)
    for line in lines:
        plain.print(Text(line), highlight=False)
    print_lines(Console(file=got, width=width, color_system=None, emoji=False), lines)
    assert got.getvalue() == expected.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.lists(LETTERS | st.characters(exclude_categories=["Cc", "Cs"]), max_size=80).map("".join))
def test_cells_is_richs_cell_len(text: str) -> None:
    assert cells(text) == cell_len(text)
