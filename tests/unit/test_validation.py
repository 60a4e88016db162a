"""ID numbers, phones and their masks (app/validation.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.validation import (
    PHONE_SEPARATORS,
    id_check_character,
    id_number_problem,
    is_valid_id_number,
    is_valid_phone,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    phone_problem,
)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
TODAY = date(2024, 5, 20)


def check_char(body: str) -> str:
    """GB 11643-1999, written out again here so the test does not trust the code under test."""
    assert len(body) == 17
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def make_id(region: str = "330185", birth: str = "19800101", seq: str = "123") -> str:
    body = region + birth + seq
    return body + check_char(body)


# --- ID numbers: valid ----------------------------------------------------------------


def test_known_check_characters():
    assert check_char("11010519491231002") == "X"
    assert check_char("44030419800101123") == "9"  # sum 190, 190 % 11 = 3
    assert id_check_character("11010519491231002") == "X"
    assert id_check_character("44030419800101123") == "9"


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",
        "440304198001011239",
        make_id("330185", "19850615", "042"),
        make_id("510104", "20000229", "318"),  # a leap day
        make_id("650102", "19000101", "001"),  # the earliest birth date accepted
    ],
)
def test_valid_id_numbers(number):
    assert id_number_problem(number, today=TODAY) is None
    assert is_valid_id_number(number, today=TODAY)


def test_lowercase_x_spaces_and_full_width_are_accepted_and_normalized():
    assert is_valid_id_number("11010519491231002x", today=TODAY)
    assert is_valid_id_number(" 110105 19491231 002X ", today=TODAY)
    assert is_valid_id_number("１１０１０５１９４９１２３１００２Ｘ", today=TODAY)
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert normalize_id_number(" 110105 1949\t1231 002x\n") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert normalize_id_number("") == ""
    assert normalize_id_number(None) == ""


def test_id_check_character_refuses_a_bad_body():
    with pytest.raises(ValueError):
        id_check_character("1234")
    with pytest.raises(ValueError):
        id_check_character("1101051949123100A")


# --- ID numbers: each reason for refusal ---------------------------------------------


def test_empty_id_number():
    assert id_number_problem("") == "请填写身份证号码"
    assert id_number_problem("   ") == "请填写身份证号码"
    assert id_number_problem(None) == "请填写身份证号码"
    assert not is_valid_id_number("")


@pytest.mark.parametrize("number", ["1101051949123100", "11010519491231002X0", "330185850615042"])
def test_wrong_length(number):
    assert id_number_problem(number) == f"身份证号码应为18位，当前为{len(number)}位"


def test_wrong_length_counts_after_removing_spaces():
    assert id_number_problem("110105 1949123100") == "身份证号码应为18位，当前为16位"


def test_bad_character_in_the_body():
    problem = id_number_problem("1101A519491231002X", today=TODAY)
    assert problem is not None
    assert "第5位" in problem and "A" in problem and "数字" in problem


def test_x_only_allowed_at_the_end():
    problem = id_number_problem("11010519491231X020", today=TODAY)
    assert problem is not None and "第15位" in problem


def test_bad_last_character():
    problem = id_number_problem("11010519491231002Y", today=TODAY)
    assert problem is not None and "最后一位" in problem and "X" in problem


def test_first_digit_zero():
    body = "01010519491231002"
    assert id_number_problem(body + check_char(body), today=TODAY) == "身份证号码第1位不能为0"


@pytest.mark.parametrize("birth", ["20230230", "19491301", "19490001", "19490132", "21000229"])
def test_birth_date_not_a_real_date(birth):
    body = "330185" + birth + "042"
    number = body + "0"  # the date is checked before the check character
    assert id_number_problem(number, today=date(2200, 1, 1)) == f"出生日期 {birth} 不是有效日期"


def test_birth_date_before_1900():
    problem = id_number_problem(make_id(birth="18991231"), today=TODAY)
    assert problem is not None and "18991231" in problem and "1900" in problem


def test_birth_date_today_is_accepted_tomorrow_is_not():
    today = date(2024, 2, 29)
    assert is_valid_id_number(make_id(birth="20240229"), today=today)
    problem = id_number_problem(make_id(birth="20240301"), today=today)
    assert problem is not None and "20240301" in problem and "晚于今天" in problem


def test_today_may_be_given_as_a_datetime():
    number = make_id(birth="20240301")
    # 2024-02-29 17:00 UTC is already 2024-03-01 in Shanghai.
    assert is_valid_id_number(number, today=datetime(2024, 2, 29, 17, 0, tzinfo=UTC))
    assert not is_valid_id_number(number, today=datetime(2024, 2, 29, 15, 0, tzinfo=UTC))
    assert is_valid_id_number(number, today=datetime(2024, 3, 1, 0, 30))


def test_default_today_is_now():
    assert is_valid_id_number(make_id(birth="19900101"))
    next_year = date.today() + timedelta(days=400)
    assert not is_valid_id_number(make_id(birth=next_year.strftime("%Y%m%d")))


def test_wrong_check_digit_does_not_reveal_the_expected_one():
    good = make_id("330185", "19850615", "042")
    for wrong in "0123456789X":
        if wrong == good[-1]:
            continue
        assert id_number_problem(good[:-1] + wrong, today=TODAY) == "校验位不正确，请逐位核对号码"


@st.composite
def valid_ids(draw):
    region = draw(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return make_id(region, birth.strftime("%Y%m%d"), seq)


@given(valid_ids())
def test_generated_ids_are_valid(number):
    assert id_number_problem(number, today=TODAY) is None


@given(valid_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_caught(number, position, replacement):
    changed = number[:position] + replacement + number[position + 1 :]
    if changed != number:
        assert not is_valid_id_number(changed, today=TODAY)


@given(st.text(max_size=30))
def test_id_problem_never_crashes(s):
    problem = id_number_problem(s, today=TODAY)
    assert problem is None or (isinstance(problem, str) and problem)


# --- Phones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",
        "19912345678",
        "138 0013 8000",
        "138-0013-8000",
        "+86 13800138000",
        "+8613800138000",
        "+86-138-0013-8000",
        "86 13800138000",
        "0086 13800138000",
        "１３８００１３８０００",
        "0571-87654321",
        "0571 87654321",
        "057187654321",
        "010-62345678",
        "021-5432 1234",
        "0571-8765-4321",
        "0574-8765432",
        "(0571)87654321",
        "（0571）87654321",
        "0571-87654321-123",
        "0571-87654321转123",
        "0571-87654321 转 8001",
        "  13800138000  ",
    ],
)
def test_valid_phones(phone):
    assert phone_problem(phone) is None
    assert is_valid_phone(phone)


def test_empty_phone():
    assert phone_problem("") == "请填写联系电话"
    assert phone_problem(None) == "请填写联系电话"
    assert phone_problem("  ") == "请填写联系电话"


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("1380013800", "手机号应为11位，以1开头，当前为10位"),
        ("138001380001", "手机号应为11位，以1开头，当前为12位"),
        ("+86 1380013800", "手机号应为11位，以1开头，当前为10位"),
        ("12800138000", "手机号第2位应为3至9，请核对"),
        ("87654321", "座机号请包含区号，例如 0571-87654321"),
        ("8765-4321", "座机号请包含区号，例如 0571-87654321"),
        ("0111-2345678", "区号不正确，例如 010、021、0571"),
        ("0012-2345678", "区号不正确，例如 010、021、0571"),
        ("0571-876543", "座机号区号后的号码应为7至8位，当前为6位"),
        ("0571-876543210", "座机号区号后的号码应为7至8位，当前为9位"),
        ("0571-07654321", "座机号区号后的号码不能以0或1开头，请核对"),
        ("010-12345678", "座机号区号后的号码不能以0或1开头，请核对"),
        ("0571-87654321-1234567", "分机号应为1至6位数字"),
        ("0571-87654321转", "分机号应为1至6位数字"),
        ("13800138000转1", "手机号不能带分机号"),
        ("+1 4155550100", "仅支持中国大陆号码（+86）"),
    ],
)
def test_phone_problems(phone, expected):
    assert phone_problem(phone) == expected
    assert not is_valid_phone(phone)


@pytest.mark.parametrize("phone", ["138abc38000", "138.0013.8000", "tel:13800138000", "电话"])
def test_phone_with_bad_characters(phone):
    problem = phone_problem(phone)
    assert problem is not None and "无效字符" in problem


def test_landline_with_plus86_explains_itself():
    problem = phone_problem("+86 571 87654321")
    assert problem is not None and "手机号" in problem and "区号" in problem


def test_mobile_with_doubled_separators():
    problem = phone_problem("138--0013-8000")
    assert problem is not None and "分隔" in problem


@given(st.text(alphabet="0123456789 -+转()x", max_size=25))
def test_phone_problem_never_crashes(s):
    problem = phone_problem(s)
    assert problem is None or (isinstance(problem, str) and problem)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_shape_is_valid(number):
    assert is_valid_phone(number)
    assert is_valid_phone(f"{number[:3]} {number[3:7]} {number[7:]}")
    assert is_valid_phone("+86 " + number)


# --- Masking ----------------------------------------------------------------------------


def test_mask_id_number_examples():
    assert mask_id_number("11010519491231123X") == "110***********123X"
    assert mask_id_number("11010519491231002x") == "110***********002x"
    assert mask_id_number("330185850615042") == "330********5042"  # a 15-digit old number
    assert mask_id_number("1101051") == "*******"
    assert mask_id_number("123456789") == "*********"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""


def test_mask_phone_examples():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0571-87654321") == "057*-****4321"
    assert mask_phone("138 0013 8000") == "138 **** 8000"
    assert mask_phone("138-0013-8000") == "138-****-8000"
    assert mask_phone("057187654321") == "057*****4321"
    assert mask_phone("010-6234567") == "010-***4567"
    assert mask_phone("0571-87654321转123") == "057*-*******1转123"
    assert mask_phone("+86 13800138000") == "+86 1******8000"
    assert mask_phone("(0571)87654321") == "(057*)****4321"


def test_mask_phone_too_short_or_not_a_phone():
    assert mask_phone("87654321") == "********"
    assert mask_phone("110") == "***"
    assert mask_phone("张三的电话") == "*****"
    assert mask_phone("tel 13812345678") == "*** 138****5678"
    assert mask_phone("") == ""
    assert mask_phone(None) == ""


@given(st.text(max_size=40))
def test_masked_id_reveals_at_most_head_and_tail(s):
    masked = mask_id_number(s)
    assert len(masked) == len(s)
    revealed = [i for i, ch in enumerate(masked) if ch != "*"]
    assert len(revealed) <= 7
    for i in revealed:
        assert masked[i] == s[i]
        assert i < 3 or i >= len(s) - 4


phone_like = st.text(alphabet="0123456789０１２ -+()转abc*#.", max_size=30)


@given(st.one_of(st.text(max_size=40), phone_like))
def test_masked_phone_reveals_at_most_first_3_and_last_4_digits(s):
    masked = mask_phone(s)
    assert len(masked) == len(s)
    digit_positions = [i for i, ch in enumerate(s) if ch.isdecimal()]
    allowed = set(digit_positions[:3]) | set(digit_positions[-4:])
    revealed = 0
    for i, ch in enumerate(masked):
        if ch == "*":
            continue
        assert ch == s[i]
        if ch.isdecimal():
            assert i in allowed
            revealed += 1
        else:
            assert ch in PHONE_SEPARATORS
            assert not ch.isalnum() or ch == "转"
    assert revealed <= 7
    # Too few digits to hide at least three: nothing but "*".
    if len(digit_positions) < 10:
        assert set(masked) <= {"*"}


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_mobile_shape(number):
    assert mask_phone(number) == number[:3] + "****" + number[-4:]
