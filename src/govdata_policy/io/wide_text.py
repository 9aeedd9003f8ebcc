"""Text in UTF-16 without a byte order mark, and in UTF-32: what the first bytes of a text log say.

Windows tools write UTF-16 without its mark (PowerShell's ``Out-File -Encoding unicode`` piped on,
.NET exporters given ``new UnicodeEncoding(false, false)``, SQL Server's ``bcp -w``). Read as UTF-8
or GB18030 such a file gave its header as ``c a s e _ i d`` (a NUL after each letter), or failed in
GB18030's codec, and the officer was told columns were missing.

The evidence is the NUL bytes. Every log holds ASCII (the delimiters, the line breaks, the digits of its
times, JSON's braces and quotes), and in UTF-16 an ASCII character is its byte and a NUL: the NUL second
in little-endian (LE), first in big-endian (BE). Chinese characters hold no NUL but for the 1 in 256
whose low byte is 00 (一 U+4E00), so a header of Chinese names alone still shows the pattern in its
delimiters and line end. UTF-8 and GB18030 text holds no NUL at all, except a stray one. So a head is
taken for UTF-16 when NULs lie on one side of the byte pairs (at least ``_ONE_SIDE`` times as many as on
the other) and not rare (at least ``_SHARE`` of the pairs, and two; and ``_FEW`` where the head reads as
UTF-8 too: a UTF-8 file with a stray NUL or a few is no UTF-16; and ``_EIGHT_BIT_SHARE`` of the pairs where it
reads as UTF-8 or GB18030: a fixed-width export with a NUL in each row is no UTF-16), and read so when its
text, decoded in that byte order, is text (no NUL, hardly a control character or a broken surrogate pair).
A head showing the pattern whose text is not text is refused by name; so is UTF-32 by its mark (no export tool an
officer meets writes it by default): its mark ``FF FE 00 00`` starts as UTF-16 LE's, and the file was
read as UTF-16 with a NUL after each character (``columns found: c a s e _ i d``).
"""

from __future__ import annotations

import codecs

BOMLESS = ("utf-16-le", "utf-16-be")  # Python's names, which Arrow's transcoding takes too
_NAMES = {"utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}
_FEW = 16  # NULs on the UTF-16 side fewer than which a head that reads as UTF-8 is UTF-8
# of the byte pairs, the NULs on the UTF-16 side fewer than which a head that reads as UTF-8 or GB18030 is that:
# UTF-16 reading so is ASCII all but a few characters (its Chinese breaks both codecs within some dozens), a
# NUL beside each; an 8-bit log whose rows of one length hold a NUL each (a fixed-width export's terminator or
# pad) has them all on one side, but one in 20 pairs or fewer (a row of a time, an id and an event: 40 bytes)
_EIGHT_BIT_SHARE = 0.1
# of the head's byte pairs that hold a NUL on the UTF-16 side: an ASCII-only log, every one; a log of Chinese
# names and long Chinese remarks, its delimiters, line ends and the digits of its times (a row of 16 + 6 ASCII
# characters and 400 Chinese: 5%)
_SHARE = 0.02
_ONE_SIDE = 8  # NULs on the UTF-16 side per NUL on the other (Chinese whose low byte is 00, U+0000)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # looked for before UTF-16's: FF FE 00 00 starts with FF FE
_CONTROLS_KEPT = "\t\n\r\f\v\x1b"  # the control characters a text file may hold (as spool.is_text allows)


def nul_byte_order(head: bytes) -> str | None:
    """The UTF-16 byte order (``BOMLESS``) whose ASCII the head's NUL bytes show, or None."""
    pairs = len(head) // 2
    if not pairs or b"\x00" not in head:
        return None
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    for order, side, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if side >= max(2, _SHARE * pairs) and side >= _ONE_SIDE * other:  # two: a stray NUL is no pattern
            # a few NULs in a head that reads as UTF-8 (a short log with a value or two padded by a database):
            # UTF-8, as it was read before; a UTF-16 log with a row holds more (the digits of one time: 16)
            if side < _FEW and _reads_as(head, "utf-8"):
                return None
            # a NUL in each row of a fixed-width 8-bit export: read as it was before, not as UTF-16 garbage
            if side < _EIGHT_BIT_SHARE * pairs and (_reads_as(head, "utf-8") or _reads_as(head, "gb18030")):
                return None
            return order
    return None


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
