"""Thai text into search words: normalization, segmentation, compound parts, query terms.

No database: these are the rules both the index and the query go through, so a difference
between two spellings of the same text shows up here first.
"""

from __future__ import annotations

import pytest

from catalog.search import segment
from catalog.search.segment import Term, index_text, normalize, query_terms, words


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ทำ", "ท\u0e4d\u0e32"),  # sara am as one character / as nikhahit + sara aa
        ("น้ำ", "น\u0e4d\u0e49\u0e32"),  # … with the tone mark typed between them
        ("ปี ๒๕๖๙", "ปี 2569"),  # Thai digits
        ("ITA Online", "ita online"),  # Latin case
        ("ＩＴＡ", "ita"),  # full-width forms from phone keyboards
        ("ประชา\u200bสัมพันธ์", "ประชาสัมพันธ์"),  # zero-width space pasted from Word
        ("แผน\u00adงาน", "แผนงาน"),  # soft hyphen
        ("\ufeffข่าว", "ข่าว"),  # byte-order mark
        ("กี่", "ก\u0e48\u0e35"),  # tone mark typed before the vowel
        ("ดี", "ดีี"),  # vowel typed twice
        ("100,000 บาท", "100000 บาท"),  # digit grouping
        ("ต่างๆ", "ต่าง ๆ"),  # mai yamok
    ],
)
def test_equivalent_spellings_normalize_alike(one, other):
    assert normalize(one) == normalize(other)
    assert index_text(one) == index_text(other)


def test_punctuation_and_symbols_become_separators():
    assert normalize('สพป.ฉะเชิงเทรา "เขต" ๑ (NEAR) a*b^c-d') == "สพป ฉะเชิงเทรา เขต 1 near a b c d"


def test_emoji_and_control_characters_vanish_between_words():
    assert normalize("ข่าว🎉\tกิจกรรม\x00\x1b") == "ข่าว กิจกรรม"


def test_unspaced_thai_is_cut_into_words_and_numbers_kept():
    assert words("แผนปฏิบัติการประจำปี๒๕๖๙") == ["แผน", "ปฏิบัติการ", "ประจำปี", "2569"]


def test_whitespace_never_becomes_a_token():
    assert words("  ข่าว \n\t กิจกรรม  ") == ["ข่าว", "กิจกรรม"]
    assert words("   ") == []
    assert words("") == []


def test_compounds_are_indexed_with_their_parts():
    # "ข่าวประชาสัมพันธ์" is one dictionary word; its parts must be findable on their own.
    assert segment.expand("ข่าวประชาสัมพันธ์") == (
        "ข่าวประชาสัมพันธ์",
        "ข่าว",
        "ประชาสัมพันธ์",
        "ประชา",
        "สัมพันธ์",
    )
    assert "ประชาสัมพันธ์" in index_text("ข่าวประชาสัมพันธ์กิจกรรม").split()


@pytest.mark.parametrize("word", ["ฉะเชิงเทรา", "บุคลากร", "นโยบาย", "ทุจริต"])
def test_real_words_are_not_cut_into_syllables(word):
    assert segment.split(word) is None


def test_latin_words_are_never_split():
    assert segment.split("internationalization") is None


def test_query_terms_ask_for_the_word_or_all_its_parts():
    terms = query_terms("จัดซื้อจัดจ้าง ")
    assert terms == [Term("จัดซื้อจัดจ้าง", ("จัด", "ซื้อ", "จ้าง"))]
    assert terms[0].alternatives == [(("จัดซื้อจัดจ้าง",), False), (("จัด", "ซื้อ", "จ้าง"), False)]


def test_function_words_are_not_required_as_parts():
    """Nearly every document holds การ; requiring it filters nothing and slows ranking."""
    terms = query_terms("แผนปฏิบัติการ ")
    assert terms == [Term("แผน", ("แผน",)), Term("ปฏิบัติการ", ("ปฏิบัติ",))]
    assert terms[1].alternatives == [(("ปฏิบัติการ",), False), (("ปฏิบัติ",), False)]
    assert query_terms("การ ") == [Term("การ", ("การ",))]  # typed alone, it is searched for


def test_unfinished_last_word_is_a_prefix_joined_to_the_word_before():
    assert query_terms("ประชาสัม") == [Term("ประชาสัม", ("ประชาสัม",), prefix=True)]
    # No dictionary word starts with เสนอรา: เสนอ stays a word, รา is the prefix.
    assert [(t.word, t.prefix) for t in query_terms("การเสนอรา")] == [
        ("การ", False),
        ("เสนอ", False),
        ("รา", True),
    ]
    assert query_terms("ข่าว กิจกร") == [
        Term("ข่าว", ("ข่าว",)),
        Term("กิจกร", ("กิจกร",), prefix=True),  # a two-letter leftover
    ]
    assert query_terms("ita onl")[-1] == Term("onl", ("onl",), prefix=True)  # alone in its run
    assert query_terms("256")[-1].prefix is True  # a year being typed
    assert query_terms("ประชาสัม ")[-1].prefix is False  # finished with a space
    assert query_terms("a")[-1].prefix is False  # one letter would match everything


def test_finished_words_and_years_are_matched_whole():
    assert query_terms("การ")[-1].prefix is False
    assert query_terms("แผนปฏิบัติการ")[-1].prefix is False
    assert query_terms("รายงาน 2568")[-1].prefix is False


def test_repeated_query_words_count_once():
    assert [t.word for t in query_terms("ข่าว ข่าว กิจกรรม")] == ["ข่าว", "กิจกรรม"]


def test_query_is_bounded():
    long_query = " ".join(f"คำ{n}" for n in range(500))
    assert len(query_terms(long_query)) <= segment.MAX_TERMS
    assert query_terms("ก" * 10_000) is not None


@pytest.mark.parametrize("query", ["", "   ", "!!!", '"*"', "\u200b\u200b", "🎉🎉", "ๆฯ"])
def test_queries_without_words_have_no_terms(query):
    assert query_terms(query) == []


def test_index_rows_is_plain_data_for_worker_processes():
    rows = segment.index_rows([(7, "ประกาศนโยบาย", "", "ภาพ\nประกาศ")])
    assert rows == [(7, "ประกาศ นโยบาย", "", "ภาพ ประกาศ")]


def test_segmenting_is_fast_enough_for_100k_items():
    """About 300 characters per item must take well under 6 ms (100,000 items in 10 minutes),
    even when no phrase repeats (the chunk cache is emptied before every item).

    CPU time, so that a busy CI machine does not fail it.
    """
    import time

    text = (
        "รายงานผลการดำเนินงานตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๙ "
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑ ได้ดำเนินการจัดซื้อจัดจ้าง"
        "ตามระเบียบกระทรวงการคลัง เพื่อเผยแพร่ประชาสัมพันธ์ให้ผู้รับบริการได้รับทราบ"
    )
    index_text(text)  # the dictionary loads once
    start = time.process_time()
    for _ in range(50):
        segment._cut.cache_clear()
        segment._index_chunk.cache_clear()
        segment.split.cache_clear()
        segment.expand.cache_clear()
        index_text(text)
    per_item = (time.process_time() - start) / 50
    assert per_item < 0.006
