"""Text in UTF-16 without a byte order mark, and in UTF-32: what the first bytes of a text log say.

Windows tools write UTF-16 without its mark (PowerShell's ``Out-File -Encoding unicode`` piped on,
.NET exporters given ``new UnicodeEncoding(false, false)``, SQL Server's ``bcp -w``). Read as UTF-8
or GB18030 such a file gave its header as ``c a s e _ i d`` (a NUL after each letter), or failed in
GB18030's codec, and the officer was told columns were missing.

The evidence is the NUL bytes. Every log holds ASCII (the delimiters, the line breaks, the digits of its
times, JSON's braces and quotes), and in UTF-16 an ASCII character is its byte and a NUL: the NUL second
in little-endian (LE), first in big-endian (BE). Chinese characters hold no NUL but for those whose low byte
is 00, a NUL on the other side of their pair (一 U+4E00, 开 U+5F00: 1 in 70 characters of a Chinese text, as
common as 一 is), so a header of Chinese names alone still shows the pattern in its delimiters and line end.
UTF-8 and GB18030 text holds no NUL at all, except a stray one. So a head is taken for UTF-16 when its pairs
read, in one byte order, as a log's ASCII (a NUL beside a line end, a delimiter, a digit: ``_STRUCTURE``) at
least ``_ONE_SIDE`` times as often as they read so in the other order, or as NUL (the bytes a CJK character
sets beside its NUL are no such ASCII, so a log's long Chinese remarks do not blur the pattern); and
not from a few NULs (``_FEW`` where the head reads as UTF-8 too: a UTF-8 file with a stray NUL or a few is no
UTF-16; and ``_EIGHT_BIT_SHARE`` of the pairs where it reads as UTF-8 or GB18030 and shows no rows with their
times' digits: a fixed-width export with a NUL in each row is no UTF-16), and read so when its text, decoded
in that byte order, is text (no NUL, hardly a control character or a broken surrogate pair).
A head showing the pattern whose text is not text is refused by name; so is UTF-32 by its mark (no export tool an
officer meets writes it by default): its mark ``FF FE 00 00`` starts as UTF-16 LE's, and the file was
read as UTF-16 with a NUL after each character (``columns found: c a s e _ i d``).
"""

from __future__ import annotations

import codecs

BOMLESS = ("utf-16-le", "utf-16-be")  # Python's names, which Arrow's transcoding takes too
_NAMES = {"utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}
_FEW = 16  # NULs on the UTF-16 side fewer than which a head that reads as UTF-8 is UTF-8
# of the byte pairs, the NULs on the UTF-16 side fewer than which a head that reads as UTF-8 or GB18030 is that
# when its NULs do not show a log's rows (``_shows_rows``): a fixed-width export whose rows of one length hold a
# NUL each (a terminator or pad) has them all on one side, but one in 20 pairs or fewer (a row of a time, an id
# and an event: 40 bytes), and in UTF-16's reading a row of it holds one ASCII character, the NUL's neighbour
_EIGHT_BIT_SHARE = 0.1
_ONE_SIDE = 8  # a log's characters in one byte order per character of the other order's (or NUL) in it


def _byte_table(members: bytes) -> bytes:
    """A ``bytes.translate`` table mapping ``members`` to 0 and every other byte to 1."""
    return bytes(0 if byte in members else 1 for byte in range(256))


# What a log's ASCII is made of beside its letters: white space, line ends, its delimiters, the quotes, dashes,
# dots and colons of its values, the digits 1-9 of its times. In UTF-16 each is its byte and a NUL, so such a pair
# shows its byte order; read in the other order it is a character no log holds (U+0A00, U+2C00, U+3100-U+3B00).
# Other bytes are left out: those beside the NUL of a CJK character whose low byte is 00 (一 U+4E00, 开 U+5F00, 刀
# U+5200: some 1 in 70 characters of a Chinese text), and 0 (0x30), / (0x2F) and % (0x25) too, for U+3000 (the
# ideographic space, common in Chinese text), U+2F00 (⼀, which text copied from a PDF holds for 一) and U+2500
# (─, text tables).
_STRUCTURE = _byte_table(b"\t\n\r \",-.123456789:;")
_STRUCTURE_OR_NUL = _byte_table(b"\x00\t\n\r \",-.123456789:;")
_NUL = _byte_table(b"\x00")
_LF, _CR = _byte_table(b"\n"), _byte_table(b"\r")
_DIGITS = _byte_table(b"0123456789")
_DIGITS_A_ROW = 3  # digits a row of a log holds at least, beside its line end: its time's (2024-05-06 09:00: 12)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # looked for before UTF-16's: FF FE 00 00 starts with FF FE
_CONTROLS_KEPT = "\t\n\r\f\v\x1b"  # the control characters a text file may hold (as spool.is_text allows)


def _nuls(side: bytes) -> int:
    """One side of the head's byte pairs as a whole number whose byte is 0 where the side holds a NUL (``_pairs``)."""
    return int.from_bytes(side.translate(_NUL), "little")


def _pairs(nuls: int, other_side: bytes, other_table: bytes) -> int:
    """How many byte pairs hold a NUL on one side (``_nuls`` of it) and, beside it on ``other_side``, a byte
    ``other_table`` maps to 0: the two sides' flags OR'ed as whole numbers, the zero bytes counted (a quarter
    of a millisecond for a 64 KiB head, where a loop over its pairs in Python took several)."""
    flags = nuls | int.from_bytes(other_side.translate(other_table), "little")
    return flags.to_bytes(len(other_side), "little").count(0)


def nul_byte_order(head: bytes) -> str | None:
    """The UTF-16 byte order (``BOMLESS``) whose ASCII the head's NUL bytes show, or None.

    In that order the head's pairs read as a log's ASCII (``_STRUCTURE``: its line ends, delimiters, digits) at
    least ``_ONE_SIDE`` times as often, and twice at least, as they read as the other order's ASCII or as NUL.
    All NULs on one side against all on the other, as this was first told, was broken by Chinese text: 1 in 70
    of its characters holds a NUL on the other side (一, 开), and a log whose rows carry 190 characters of
    remarks or more (or one remark of 1,000 near its top) was taken for no UTF-16, then for no text at all."""
    pairs = len(head) // 2
    if not pairs or b"\x00" not in head:
        return None
    even, odd = head[0:pairs * 2:2], head[1:pairs * 2:2]
    sides, nuls = {"even": even, "odd": odd}, {"even": _nuls(even), "odd": _nuls(odd)}
    for order, nul_side, ascii_side in (("utf-16-le", "odd", "even"), ("utf-16-be", "even", "odd")):
        shown = _pairs(nuls[nul_side], sides[ascii_side], _STRUCTURE)
        if shown < max(2, _ONE_SIDE * _pairs(nuls[ascii_side], sides[nul_side], _STRUCTURE_OR_NUL)):
            continue
        side = sides[nul_side].count(0)
        # a few NULs in a head that reads as UTF-8 (a short log with a value or two padded by a database):
        # UTF-8, as it was read before; a UTF-16 log with a row holds more (the digits of one time: 16)
        if side < _FEW and _reads_as(head, "utf-8"):
            return None
        # a NUL in each row of a fixed-width 8-bit export: read as it was before, not as UTF-16 garbage
        if side < _EIGHT_BIT_SHARE * pairs and not _shows_rows(nuls[nul_side], sides[ascii_side]) and (
                _reads_as(head, "utf-8") or _reads_as(head, "gb18030")):
            return None
        return order
    return None


def _shows_rows(nuls: int, ascii_side: bytes) -> bool:
    """Whether the head read in this byte order (``nuls`` of its UTF-16 side) holds line ends, and beside them
    the digits of a log's rows (its times: ``_DIGITS_A_ROW`` a line at least). UTF-16 with long Chinese remarks
    may read as GB18030, and its NULs are rare (a row of 22 ASCII characters and 200 Chinese: one pair in 10).
    An 8-bit export with a NUL in each row (a fixed-width field's terminator or pad, an empty cell written as a
    NUL) holds in that reading the NULs' neighbours alone (a line end, a comma), not a time's digits."""
    lines = max(_pairs(nuls, ascii_side, _LF), _pairs(nuls, ascii_side, _CR))
    return 0 < lines * _DIGITS_A_ROW <= _pairs(nuls, ascii_side, _DIGITS)


def _reads_as(head: bytes, codec: str) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(head, final=False)  # the head may end inside a character
    except UnicodeDecodeError:
        return False
    return True


def is_plain_text(text: str) -> bool:
    """No NUL, and hardly a character that decoded to nothing (U+FFFD) or a control character."""
    if "\x00" in text:
        return False
    odd = sum(ch == "\ufffd" or (ord(ch) < 0x20 and ch not in _CONTROLS_KEPT) for ch in text)
    return odd <= max(2, len(text) // 100)


def head_text(head: bytes, codec: str) -> str:
    """The head's text in ``codec``; the head may end inside a character (the decoder allows that)."""
    return codecs.getincrementaldecoder(codec)("replace").decode(head, final=False)


def bomless_utf16(head: bytes) -> str | None:
    """The codec of a head in UTF-16 without a byte order mark (``BOMLESS``) whose text reads, or None."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    order = nul_byte_order(head)
    return order if order is not None and is_plain_text(head_text(head, order)) else None


def utf16_codec(head: bytes) -> str | None:
    """The codec a text log's head is read in when it is UTF-16: ``utf-16`` by its byte order mark (UTF-32's
    LE mark starts so too: ``wide_text_refusal`` says it, before the read), the byte order its NULs show
    (``bomless_utf16``), else None. What the CSV, JSON and standard input readers ask alike."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return bomless_utf16(head)


def undecided_utf16(head: bytes) -> str | None:
    """The byte order (``BOMLESS``) in which a head its NULs did not show to be UTF-16 (``bomless_utf16``) still
    reads as text, the more ASCII of the two where both do (a NUL beside each of its ASCII characters), or None.
    A file the readers then found no text in (UTF-8 and GB18030 read it neither) was said to hold "no text ...
    an image, an archive or a document?": bytes that read as UTF-16 are no image, and the officer can save
    them with a byte order mark. Only asked once a file is refused, so its cost (two decodings) is no matter."""
    if b"\x00" not in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if nul_byte_order(head) is not None:  # shown, its text no text: wide_text_refusal says so
        return None
    found: tuple[str | None, int] = (None, 0)
    for order in BOMLESS:
        text = head_text(head, order)
        ascii_count = sum(ch < "\x80" for ch in text)
        # a line end too, or JSON's start: a log has lines (a binary file's bytes may read as UTF-16 characters)
        lines = "\n" in text or "\r" in text or text.lstrip(" \t").startswith(("{", "["))
        if ascii_count > found[1] and lines and is_plain_text(text):
            found = order, ascii_count
    return found[0]


def undecided_utf16_hint(order: str) -> tuple[str, str]:
    """What a file ``undecided_utf16`` found text in is said to be, and what to do (English, Chinese)."""
    name = _NAMES[order]
    return (f"looks like {name} text without a byte order mark, which its bytes do not show beyond doubt: save it "
            "as UTF-8, or UTF-16 with its byte order mark",
            f"看似不带字节顺序标记的 {name} 文本，但其字节不足以确定：请另存为 UTF-8，或带字节顺序标记的 UTF-16")


def wide_text_refusal(head: bytes) -> tuple[str, str] | None:
    """Why a text log's head is not read (English, Chinese; the file's name goes before them): UTF-32 by
    its byte order mark, or NULs in UTF-16's pattern whose text does not read as UTF-16. None otherwise."""
    if head.startswith(_UTF32_BOMS):
        order = "LE" if head.startswith(codecs.BOM_UTF32_LE) else "BE"
        return (f"UTF-32 {order} text (by its byte order mark), which is not read: save it as UTF-8, "
                "or UTF-16 with its byte order mark",
                f"UTF-32 {order} 文本（据其字节顺序标记），无法读取：请另存为 UTF-8，或带字节顺序标记的 UTF-16")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    order = nul_byte_order(head)
    if order is None or is_plain_text(head_text(head, order)):
        return None
    name = _NAMES[order]
    return (f"looks like {name} without a byte order mark (a NUL byte beside each ASCII character), but its text "
            f"does not read as {name}: save it as UTF-8, or UTF-16 with its byte order mark",
            f"看似不带字节顺序标记的 {name} 文本（每个 ASCII 字符旁有一个 NUL 字节），但无法按 {name} 读取："
            "请另存为 UTF-8，或带字节顺序标记的 UTF-16")
