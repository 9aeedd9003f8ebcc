"""A clause path (``29.3``, ``5.3.2``, ``R.2.4.4``) cited in Chinese in its own document's form.

Clauses are stored as dot paths of Arabic numbers (CLAUSES.md): ``29.3`` for
第二十九条（三）, ``5.3.2`` for Xinzhou's 五（三）2, ``R.2.4.4`` for the Guangxi
reform plan's 二（四）4. The machine fields (``clause``, ``penalty_clause``) keep
the path; what a reader sees in Chinese names the place as the document writes
it, so that it can be looked up. Each document of a profile says its form
(``documents: {KEY: {citation: article | outline}}``):

``article`` (the default): a document of 条 whose items are （一）（二）…, as the
Guangxi 调度管理办法, Yongzhou and Xinjiang write them: ``29`` -> 第二十九条,
``29.3`` -> 第二十九条第（三）项, ``29.3.2`` -> 第二十九条第（三）项第2目.

``outline``: a document without 条, numbered 一、 / （一） / 1. as Xinzhou's
实施意见 and the Guangxi reform plan are: ``5`` -> 五, ``5.3`` -> 五（三）,
``5.3.2`` -> 五（三）2, ``R.2.4.4`` -> 二（四）4 (a letter before the numbers only
says which document the path belongs to, and is not part of the citation).
"""

from __future__ import annotations

import re
from typing import Literal

CitationForm = Literal["article", "outline"]
CITATION_FORMS: tuple[str, ...] = ("article", "outline")
_DIGITS = "零一二三四五六七八九"
_PATH = re.compile(r"^(?:[A-Za-z]+\.)?(\d+(?:\.\d+)*)$")


def chinese_number(n: int) -> str:
    """A whole number from 1 to 9999 in Chinese numerals, as article numbers are written:
    10 -> 十, 29 -> 二十九, 101 -> 一百零一, 110 -> 一百一十."""
    if not 0 < n < 10_000:
        raise ValueError(f"{n} is not a number from 1 to 9999")
    if n < 20:
        return ("十" + _DIGITS[n % 10].rstrip("零")) if n >= 10 else _DIGITS[n]
    text, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            text += ("零" if zero else "") + _DIGITS[digit] + unit
            zero = False
        elif text:
            zero = True
    return text


# each numeral's value, as a number written in Chinese is read (〇 and 两 as well)
_VALUES = {**{char: value for value, char in enumerate(_DIGITS)}, "〇": 0, "两": 2}


def number_of_chinese(text: str) -> int | None:
    """``chinese_number`` read back: ``"15"``, ``"十五"``, ``"二十"``, ``"一百二十"`` as a number
    (the counts a quotation gives its periods in: rules.loader); None if it is none."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _VALUES:
            digit = _VALUES[char]
        elif char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def cite_zh(clause: str, form: str = "article") -> str:
    """``clause`` as a Chinese reader looks it up in a document of ``form``; a text that is not a
    clause path is returned as it is."""
    found = _PATH.match(str(clause))
    if found is None:
        return str(clause)
    numbers = [int(part) for part in found.group(1).split(".")]
    if form == "outline":
        return _outline(numbers)
    if form != "article":
        raise ValueError(f"citation form {form!r} is not one of {', '.join(CITATION_FORMS)}")
    return _article(numbers)


def _article(numbers: list[int]) -> str:
    text = f"第{chinese_number(numbers[0])}条"
    if len(numbers) > 1:
        text += f"第（{chinese_number(numbers[1])}）项"
    if len(numbers) > 2:
        text += f"第{numbers[2]}目"
    return text + "".join(f"（{n}）" for n in numbers[3:])


def _outline(numbers: list[int]) -> str:
    text = chinese_number(numbers[0])
    if len(numbers) > 1:
        text += f"（{chinese_number(numbers[1])}）"
    if len(numbers) > 2:
        text += str(numbers[2])
    return text + "".join(f"（{n}）" for n in numbers[3:])
