"""Lines of text (a log's case ids, duties, reasons) written to a file or a pipe as rich's ``console.print``
writes them, without rich's per-print work.

Issue 5: ``compare --log`` writes a line per case that differs, 513,646 of them for a 1M-event log under
three profiles. ``console.print`` of each took 160-210 s there: rich parses, measures, wraps and renders
every line into styled segments, though without colours nothing but the wrapped text reaches the file. The
same text is made here by rich's own line-breaking (``rich._wrap.divide_line``, which ``Text.wrap`` calls),
then the two steps ``Text.wrap`` takes after it: whitespace beyond the width dropped at the end of each piece
(``Text.rstrip_end``, counted in characters as rich counts it) and a piece still wider cut to the width
(``Text.truncate``). A line with a tab, a newline or another character that is not printable goes to rich as
before (tabs are expanded, control characters measured otherwise); so does every line when colours are on,
or if a rich release no longer has ``divide_line``. tests/test_compare_table_lines.py checks the output
against ``console.print`` on random text and widths.
"""

from __future__ import annotations

import re
from typing import Any

_END_SPACE = re.compile(r"\s+$")  # what Text.rstrip_end removes
_NOT_ASCII = re.compile(r"[^\x20-\x7e]+")


def _divide_line() -> Any:
    try:
        from rich._wrap import divide_line
    except ImportError:  # a private helper of rich: its absence only costs time
        return None
    return divide_line


def print_lines(console: Any, lines: list[str]) -> None:
    """Each line of text (not markup: a ``Text``, so neither "[b]" nor ":smile:" nor a last backslash, which
    rich's ``escape`` doubles for good, is read as more than its characters) as ``console.print`` prints it.

    With colours rich prints it, with its highlighter's colours (``highlighted``; without colours they show
    nothing, and were two thirds of a line's time)."""
    from rich.text import Text

    colours = bool(console.color_system)
    divide_line = _divide_line() if console.color_system is None and not console.is_terminal else None
    width = console.width
    sink = console.file
    for line in lines:
        pieces = wrapped(line, width, divide_line) if divide_line is not None else None
        if pieces is None:
            console.print(highlighted(console, Text(line)) if colours else Text(line))
        else:
            sink.write("\n".join(pieces) + "\n")


def highlighted(console: Any, text: Any) -> Any:
    """``text`` (a rich ``Text``) with the colours rich's highlighter gives a printed str (numbers, dates,
    quoted values…) under its own styles, as ``console.print`` showed the same line written as markup. A
    ``Text`` is printed without them: the log's text as Text, not markup, lost them on a colour terminal."""
    shown = console.render_str(text.plain, markup=False, emoji=False)  # highlighted as the console highlights
    if text.style:
        shown.stylize(text.style)  # a style of the whole line, over the highlighter's as markup's [dim]…[/] was
    shown.copy_styles(text)
    shown.justify, shown.overflow, shown.no_wrap, shown.end = text.justify, text.overflow, text.no_wrap, text.end
    return shown


def wrapped(line: str, width: int, divide_line: Any) -> list[str] | None:
    """``line`` as the lines rich wraps it into at ``width`` cells, or None where rich is left to do it."""
    from rich.cells import set_cell_size

    if not line.isprintable():  # a tab, a newline, a control character, a separator other than a space
        return None
    # a line that fits is not divided (most are: the time of divide_line saved), but still stripped below:
    # rich counts the excess in characters, so "aaaae\u0301xyz " (9 cells, 10 characters) loses its space at 9
    breaks = [] if cells(line) <= width else divide_line(line, width, fold=True)
    pieces = []
    for start, end in zip([0, *breaks], [*breaks, len(line)], strict=True):
        piece = line[start:end]
        if len(piece) > width:
            space = _END_SPACE.search(piece)
            if space is not None:
                piece = piece[:len(piece) - min(len(space.group()), len(piece) - width)]
        if cells(piece) > width:
            piece = set_cell_size(piece, width)
        pieces.append(piece)
    return pieces


def cells(text: str) -> int:
    """``rich.cells.cell_len(text)`` of printable text, sooner: a printable ASCII character is a cell, and
    without a zero-width joiner or a variation selector (which join a character to the one before) rich adds
    up the characters' widths one by one, in Python; so only the other characters are handed to it (a few
    "·", "→" and Chinese words per line, measured once each in its cache)."""
    from rich.cells import cell_len

    if "\u200d" in text or "\ufe0f" in text:
        return cell_len(text)
    other = "".join(_NOT_ASCII.findall(text))
    return len(text) - len(other) + (cell_len(other) if other else 0)
