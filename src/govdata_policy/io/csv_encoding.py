"""A CSV whose bytes its encoding cannot all read: a value cut inside a character (a field limited in
bytes), or exports in two encodings joined (UTF-8 above, GBK below).

Arrow reads a file in one encoding. A UTF-8 file failing further down was read again as GB18030,
which is right for a GBK file whose first 64 KiB are ASCII, but garbled a file whose Chinese text
above was UTF-8: each of its rows misread (an event word that no longer matched, a provider's name
passed on as mojibake), or the whole file refused by GB18030's codec ("cannot read: 'gb18030' codec
can't decode byte 0x8e in position 171100"), as was a GBK file holding one value cut inside a
character. Now such a file is read by Python's csv module in its own encoding (``csv_decoded``), its
unreadable bytes kept as surrogate escapes, and each row holding some is refused, naming them
(``unreadable_bytes``): the other rows are read, none of them garbled. So is a UTF-16 file holding half a
surrogate pair (a value cut between the two units of a character beyond the BMP, by a length counted in
units) or an odd byte at its end: the whole file was refused for it ("'utf-16-le' codec can't decode bytes
in position 5776-5777: illegal UTF-16 surrogate").
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import numpy as np

# how a byte the codec could not read is kept in the text: U+DC00 + the byte (``_ESCAPE``), as Python's
# "surrogateescape" keeps a byte from 0x80, which it alone can (UTF-16's half pair D8 00 holds a 00)
_ESCAPE = "govdata-policy-escape"
_ESCAPED = re.compile("[\udc00-\udcff]+")
_SHOWN_BYTES = 16
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GB18030 (GBK)", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}


def _escape_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Each byte a decoder could not read as U+DC00 + the byte; decoding goes on after them."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(0xDC00 + byte) for byte in exc.object[exc.start:exc.end]), exc.end


codecs.register_error(_ESCAPE, _escape_bytes)


def utf8_above_bad_bytes(data: bytes, bad: int) -> bool:
    """Whether the UTF-8 text above byte ``bad`` (the first that is not UTF-8) holds a character beyond
    ASCII (a BOM not counted): the file is UTF-8, and ``bad`` starts a broken value or another encoding,
    not a GBK file whose first lines are ASCII."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    above = np.frombuffer(data, dtype=np.uint8, count=bad)[start:]
    return bool(above.size) and int(above.max()) >= 0x80


def csv_decoded(path: Path, encoding: str) -> tuple[str, str]:
    """A CSV file's text for Python's csv module, and the codec it was read in (``ENCODING_NAMES``):
    ``encoding`` as Arrow was told (utf8: with or without a BOM); a UTF-8 file whose first bytes that
    are not UTF-8 follow ASCII alone in GB18030 (a GBK file, as Arrow's read falls back). Bytes the codec
    cannot read are kept as escapes (U+DC00 + the byte), for ``unreadable_bytes`` to find."""
    data = path.read_bytes()
    codec = "utf-8-sig" if encoding == "utf8" else encoding
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        if codec == "utf-8-sig" and not utf8_above_bad_bytes(data, exc.start):
            codec = "gb18030"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        pass
    if codec == "utf-16":  # by its byte order mark: named by its byte order (UTF-16 LE), the mark no text
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        data = data[len(codecs.BOM_UTF16_LE):]
    return data.decode(codec, errors=_ESCAPE), codec


def unreadable_bytes(fields: list[str], codec: str) -> tuple[list[str], str | None]:
    """A record's fields with the bytes its codec could not read (surrogate escapes) as U+FFFD, and the
    reason refusing it, naming them; the fields as they are and None when it has none."""
    found = [match.group() for field in fields for match in _ESCAPED.finditer(field)]
    if not found:
        return fields, None
    # the first run of them (runs joined would show bytes the file does not hold together)
    raw = bytes(ord(escaped) - 0xDC00 for escaped in found[0])
    shown = repr(raw[:_SHOWN_BYTES]) + ("…" if len(raw) > _SHOWN_BYTES or len(found) > 1 else "")
    name = ENCODING_NAMES.get(codec, codec)
    reason = (f"csv: the row holds bytes that are not {name} text, as the file is ({shown}: a value cut inside "
              "a character, or files in two encodings joined?)")
    return [_ESCAPED.sub("\ufffd", field) for field in fields], reason


def holds_unreadable_bytes(text: str) -> bool:
    """Whether a file's text (``csv_decoded``) holds bytes its codec could not read: one pass, so a clean
    file's records are not searched one by one."""
    return _ESCAPED.search(text) is not None
