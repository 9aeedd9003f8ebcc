"""Text from a log made safe to print on a terminal: its control characters shown, not obeyed.

A case id or a department's name comes from another department's export. Printed as it is, an
ESC in it is the start of a terminal escape sequence (``\\x1b[2J`` clears the screen, ``\\x1b]8;;URL``
makes a hyperlink, ``\\x1b]0;…`` retitles the window) and a carriage return overwrites the line
already shown; rich passes ESC through. ``visible`` writes each such character as its escape,
``\\x1b``, as the rejected rows' reasons quote a cell (``repr``). Tab and newline are kept: a
table cell or a line of text shows them as what they are. Text without a control character,
every ordinary value, is returned as it is.

The bidirectional controls too (U+202A..U+202E embeddings and overrides, U+2066..U+2069 isolates,
U+200E/U+200F marks, U+061C): a terminal that lays text out both ways obeys them, so a case id
``GX-\\u202e10-SQ`` reads "GX-QS-01" and a right-to-left override in a party's name turns the
columns after it around ("Trojan Source"). They are written ``\\u202e``; no id or name needs one.

The HTML report shows the log's text through ``visible`` too: a browser obeys the bidirectional
controls as a terminal does, and drops a NUL.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls (U+0080..U+009F: U+009B is a CSI,
# U+009D an OSC on terminals that read 8-bit controls); the bidirectional controls (Arabic letter mark,
# left-to-right and right-to-left marks, embeddings, overrides, isolates)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with its control characters (but tab and newline) written as ``\\xNN``, its bidirectional
    controls as ``\\uNNNN``."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
