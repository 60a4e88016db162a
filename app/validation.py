"""Validators and masking for what a citizen tells the counter: ID numbers and phones.

Pure Python, shared by the client and the server. Every ``*_problem`` function returns
``None`` when the value is fine, else one Chinese sentence (an :class:`app.text.Text`)
telling the clerk exactly what is wrong; the ``is_valid_*`` functions are the same test as
a bool.

Masking (脱敏) is for lists, notifications and logs: never more than the first 3 and the
last 4 characters (digits, for phones) of the original are shown.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.text import Text

__all__ = [
    "id_check_character",
    "id_number_problem",
    "is_valid_id_number",
    "is_valid_phone",
    "mask_id_number",
    "mask_phone",
    "normalize_id_number",
    "normalize_phone",
    "phone_problem",
]

HALL_TZ = ZoneInfo("Asia/Shanghai")

# ---------------------------------------------------------------------------------------
# Resident identity card number (GB 11643-1999)
# ---------------------------------------------------------------------------------------

ID_LENGTH = 18
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)
_ASCII_DIGITS = frozenset("0123456789")

# What a Chinese input method types in full width, as ASCII.
_FULLWIDTH = {0xFF10 + i: str(i) for i in range(10)} | {
    ord("Ｘ"): "X",
    ord("ｘ"): "x",
    ord("＋"): "+",
    ord("－"): "-",
    ord("—"): "-",
    ord("–"): "-",
    ord("（"): "(",
    ord("）"): ")",
    ord("\u3000"): " ",
}


def normalize_id_number(s: str | None) -> str:
    """What the intake form stores: no whitespace, ASCII digits, an upper-case ``X``."""
    if not s:
        return ""
    return "".join(str(s).translate(_FULLWIDTH).split()).replace("x", "X")


def id_check_character(body: str) -> str:
    """The check character (``0``–``9`` or ``X``) for the first 17 digits of an ID number."""
    if len(body) != ID_LENGTH - 1 or not set(body) <= _ASCII_DIGITS:
        raise ValueError("the body of an ID number is 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _hall_today(today: date | None) -> date:
    if today is None:
        return datetime.now(HALL_TZ).date()
    if isinstance(today, datetime):  # a datetime is a date too; compare dates only
        return (today.astimezone(HALL_TZ) if today.tzinfo else today).date()
    return today


def id_number_problem(s: str | None, *, today: date | None = None) -> Text | None:
    """``None`` when *s* is a valid 18-character resident ID number, else what is wrong.

    Whitespace is ignored and a lower-case ``x`` counts as ``X`` (see
    :func:`normalize_id_number`). The birth date must be a real date from 1900-01-01 up to
    *today* (default: today in Asia/Shanghai). The expected check character is never told.
    """
    n = normalize_id_number(s)
    if not n:
        return Text("请填写身份证号码")
    if len(n) != ID_LENGTH:
        return Text("身份证号码应为18位，当前为{length}位", length=len(n))
    for position, ch in enumerate(n[:-1], start=1):
        if ch not in _ASCII_DIGITS:
            return Text("身份证号码第{position}位“{ch}”不是数字，前17位应全部为数字",
                        position=position, ch=ch)
    if n[-1] not in _ASCII_DIGITS and n[-1] != "X":
        return Text("身份证号码最后一位“{ch}”无效，应为数字或X", ch=n[-1])
    if n[0] == "0":
        return Text("身份证号码第1位不能为0")
    digits = n[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return Text("出生日期 {digits} 不是有效日期", digits=digits)
    if birth < _EARLIEST_BIRTH:
        return Text("出生日期 {digits} 早于1900年1月1日，请核对", digits=digits)
    if birth > _hall_today(today):
        return Text("出生日期 {digits} 晚于今天，请核对", digits=digits)
    if id_check_character(n[:-1]) != n[-1]:
        return Text("校验位不正确，请逐位核对号码")
    return None


def is_valid_id_number(s: str | None, *, today: date | None = None) -> bool:
    return id_number_problem(s, today=today) is None


# ---------------------------------------------------------------------------------------
# Phone numbers: mainland mobiles and landlines with an area code
# ---------------------------------------------------------------------------------------

# Mobile: optional +86 / 0086 / 86, then 1[3-9] and nine digits; one space or hyphen may
# stand between any two digits ("138 0013 8000", "+86 138-0013-8000").
_MOBILE = re.compile(r"(?:(?:\+86|0086|86)[ -]?)?1[ -]?[3-9](?:[ -]?\d){9}")
# Area codes: 010 and 020–029 are three characters, 03xx–09xx are four. The subscriber
# number has 7 or 8 digits and starts with 2–9, optionally split before its last four
# digits; an extension follows "-" or "转".
_AREA = r"010|02\d|0[3-9]\d\d"
_LANDLINE = re.compile(rf"(?:{_AREA})[ -]?[2-9]\d{{2,3}}[ -]?\d{{4}}(?:(?:-| ?转 ?)\d{{1,6}})?")
_PHONE_CHARS = re.compile(r"[0-9 +\-转]*")

MOBILE_HINT = Text("手机号应为11位，以1开头")
LANDLINE_HINT = Text("座机号请包含区号，例如 0571-87654321")


def normalize_phone(s: str | None) -> str:
    """ASCII digits, single spaces, no spaces around hyphens, ``(0571)`` as ``0571-``."""
    if not s:
        return ""
    t = " ".join(str(s).translate(_FULLWIDTH).split())
    t = re.sub(r" ?- ?", "-", t)
    return re.sub(r"^\((0\d{2,3})\) ?", r"\1-", t)


def phone_problem(s: str | None) -> Text | None:
    """``None`` for a mainland mobile or a landline with its area code, else what is wrong.

    Accepted: ``13800138000``, ``138 0013 8000``, ``+86 13800138000``, ``0571-87654321``,
    ``057187654321``, ``(0571) 87654321``, ``010-62345678``, ``0571-87654321-123``,
    ``0571-87654321转123``. Full-width digits count as digits.
    Subscriber numbers never start with 0 or 1, so ``010-12345678`` is refused.
    """
    t = normalize_phone(s)
    if not t:
        return Text("请填写联系电话")
    if not _PHONE_CHARS.fullmatch(t):
        bad = next(ch for ch in t if not _PHONE_CHARS.fullmatch(ch))
        return Text("电话号码含有无效字符“{ch}”，只能填写数字、空格和连字符（-）", ch=bad)
    if _MOBILE.fullmatch(t) or _LANDLINE.fullmatch(t):
        return None

    if "+" in t:
        if not t.startswith("+86") or t.count("+") > 1:
            return Text("仅支持中国大陆号码（+86）")
        return _mobile_problem(re.sub(r"[ -]", "", t)[3:])
    compact = re.sub(r"[ -]", "", t)
    for prefix, length in (("0086", 15), ("86", 13)):
        if compact.startswith(prefix) and len(compact) == length and compact[len(prefix)] == "1":
            return _mobile_problem(compact[len(prefix) :])
    if compact[:1] == "1":
        return Text("手机号不能带分机号") if "转" in compact else _mobile_problem(compact)
    if compact[:1] == "0":
        return _landline_problem(t)
    return LANDLINE_HINT


def _mobile_problem(digits: str) -> Text:
    if not digits.isdigit() or digits[0] != "1":
        return Text("带+86的只能是11位手机号；座机号请直接填写区号，例如 0571-87654321")
    if len(digits) != 11:
        return Text("{hint}，当前为{length}位", hint=MOBILE_HINT, length=len(digits))
    if digits[1] not in "3456789":
        return Text("手机号第2位应为3至9，请核对")
    return Text("手机号格式不正确，数字之间最多用一个空格或连字符分隔")


def _landline_problem(t: str) -> Text:
    area = re.match(_AREA, t)
    if area is None:
        return Text("区号不正确，例如 010、021、0571")
    rest = t[area.end() :]
    if rest[:1] in (" ", "-"):
        rest = rest[1:]
    main, has_ext, ext = rest.partition("转")
    if not has_ext:
        split = re.fullmatch(r"(.*\d)-(\d+)", main)
        if split and len(re.sub(r"\D", "", split[1])) in (7, 8):
            main, has_ext, ext = split[1], "-", split[2]
    subscriber = re.sub(r"\D", "", main)
    if not subscriber:
        return LANDLINE_HINT
    if subscriber[0] in "01":
        return Text("座机号区号后的号码不能以0或1开头，请核对")
    if len(subscriber) not in (7, 8):
        return Text("座机号区号后的号码应为7至8位，当前为{length}位", length=len(subscriber))
    if has_ext and not re.fullmatch(r"\d{1,6}", ext.strip()):
        return Text("分机号应为1至6位数字")
    return Text("座机号格式不正确，例如 0571-87654321 或 0571-87654321转123")


def is_valid_phone(s: str | None) -> bool:
    return phone_problem(s) is None


# ---------------------------------------------------------------------------------------
# Masking (脱敏)
# ---------------------------------------------------------------------------------------

KEEP_HEAD = 3
KEEP_TAIL = 4
MIN_HIDDEN = 3  # fewer than this many hidden: the value is masked in full
# Characters a masked phone keeps in place: they carry no digits.
PHONE_SEPARATORS = frozenset(" -+()（）－转\u3000")


def mask_id_number(s: str | None) -> str:
    """``110105194912310021`` → ``110***********0021``: first 3 and last 4 characters.

    Works on the string as given (same length out); a string too short to hide at least
    three characters comes back as ``*`` only.
    """
    if not s:
        return ""
    n = len(s)
    if n < KEEP_HEAD + KEEP_TAIL + MIN_HIDDEN:
        return "*" * n
    return s[:KEEP_HEAD] + "*" * (n - KEEP_HEAD - KEEP_TAIL) + s[-KEEP_TAIL:]


def mask_phone(s: str | None) -> str:
    """``13856785678`` → ``138****5678``; ``0571-87654321`` → ``057*-****4321``.

    The first 3 and last 4 digits stay, separators stay in place, every other character
    becomes ``*``. With fewer than 10 digits the whole string is ``*``.
    """
    if not s:
        return ""
    total = sum(ch.isdecimal() for ch in s)
    if total < KEEP_HEAD + KEEP_TAIL + MIN_HIDDEN:
        return "*" * len(s)
    out = []
    seen = 0
    for ch in s:
        if ch.isdecimal():
            seen += 1
            out.append(ch if seen <= KEEP_HEAD or seen > total - KEEP_TAIL else "*")
        elif ch in PHONE_SEPARATORS:
            out.append(ch)
        else:
            out.append("*")
    return "".join(out)


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE_IN_TEXT = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")


def mask_numbers_in(text: str) -> str:
    """Free text (a subject, a note) with any ID number or phone in it masked, for lists,
    notifications and logs; a Text keeps its template and has its filled-in parts masked."""
    if isinstance(text, Text):  # its template is ours: only what was filled in can hold one
        return Text(text.template, **{k: mask_numbers_in(v) if isinstance(v, str) else v
                                      for k, v in text.params.items()})
    text = _ID_IN_TEXT.sub(lambda found: mask_id_number(found.group()), text)
    text = _MOBILE_IN_TEXT.sub(lambda found: mask_phone(found.group()), text)
    return _LANDLINE_IN_TEXT.sub(lambda found: mask_phone(found.group()), text)
