"""Thai digits both ways."""

import pytest
from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit

from esa_publish.thai.digits import THAI_DIGITS, to_arabic_digits, to_thai_digits


def test_it_writes_every_arabic_digit_in_thai():
    assert to_thai_digits("0123456789") == "๐๑๒๓๔๕๖๗๘๙"


def test_it_reads_every_thai_digit_as_arabic():
    assert to_arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"


def test_it_accepts_ints():
    assert to_thai_digits(2566) == "๒๕๖๖"
    assert to_thai_digits(0) == "๐"


def test_it_keeps_the_minus_sign_of_negative_numbers():
    assert to_thai_digits(-15) == "-๑๕"
    assert to_arabic_digits("-๑๕") == "-15"


def test_it_leaves_other_text_alone():
    text = "ที่ ศธ 04032/123 ลงวันที่ 15 มี.ค. 2566, 1,234.50 บาท"
    assert to_thai_digits(text) == "ที่ ศธ ๐๔๐๓๒/๑๒๓ ลงวันที่ ๑๕ มี.ค. ๒๕๖๖, ๑,๒๓๔.๕๐ บาท"


def test_it_round_trips():
    text = "เลขที่ 0403/2569 ครั้งที่ 10"
    assert to_arabic_digits(to_thai_digits(text)) == text


def test_it_leaves_mixed_digits_consistent():
    assert to_arabic_digits("1๕/0๓/25๖๖") == "15/03/2566"
    assert to_thai_digits("1๕/0๓/25๖๖") == "๑๕/๐๓/๒๕๖๖"


@pytest.mark.parametrize("empty", ["", None])
def test_it_turns_empty_input_into_an_empty_string(empty):
    assert to_thai_digits(empty) == ""
    assert to_arabic_digits(empty) == ""


def test_it_does_not_touch_other_scripts_digits():
    # Arabic-Indic digits are not Thai digits; only ๐–๙ are converted.
    assert to_arabic_digits("١٢٣") == "١٢٣"


def test_it_matches_pythainlp():
    text = "เป็นจำนวน 123,400.25 บาท ๑๒๓"
    assert to_thai_digits(text) == arabic_digit_to_thai_digit(text)
    assert to_arabic_digits(text) == thai_digit_to_arabic_digit(text)


def test_thai_digits_constant_is_in_order():
    assert [ord(c) - ord("๐") for c in THAI_DIGITS] == list(range(10))
