"""Text from a log made safe to print on a terminal: its control characters shown, not obeyed.

A case id or a department's name comes from another department's export. Printed as it is, an
ESC in it is the start of a terminal escape sequence (``\\x1b[2J`` clears the screen, ``\\x1b]8;;URL``
makes a hyperlink, ``\\x1b]0;…`` retitles the window) and a carriage return overwrites the line
already shown; rich passes ESC through. ``visible`` writes each such character as its escape,
``\\x1b``, as the rejected rows' reasons quote a cell (``repr``). Tab and newline are kept: a
table cell or a line of text shows them as what they are. Text without a control character,
every ordinary value, is returned as it is.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls (U+0080..U+009F: U+009B is a CSI,
# U+009D an OSC on terminals that read 8-bit controls)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with its control characters (but tab and newline) written as ``\\xNN``."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)
