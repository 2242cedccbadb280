"""The character-level diff that proposed wordings and the final text are shown with."""

from consultations.textdiff import char_diff, diff_html


def test_a_changed_character_in_chinese_is_marked_alone():
    assert char_diff("业主应当按时缴纳物业费。", "业主应当按月缴纳物业费。") == [
        ("equal", "业主应当按"),
        ("delete", "时"),
        ("insert", "月"),
        ("equal", "缴纳物业费。"),
    ]


def test_insertions_and_deletions():
    assert char_diff("甲乙", "甲丙乙") == [("equal", "甲"), ("insert", "丙"), ("equal", "乙")]
    assert char_diff("甲丙乙", "甲乙") == [("equal", "甲"), ("delete", "丙"), ("equal", "乙")]
    assert char_diff("", "新") == [("insert", "新")]
    assert char_diff("旧", "") == [("delete", "旧")]
    assert char_diff("同", "同") == [("equal", "同")]


def test_html_is_escaped_and_marked():
    html = diff_html("限速<5>公里", "限速<10>公里&")
    assert html == "限速&lt;<del>5</del><ins>10</ins>&gt;公里<ins>&amp;</ins>"
    assert "<script>" not in diff_html("a", "<script>alert(1)</script>")


def test_common_characters_are_not_junk_in_long_texts():
    old = "的" * 300 + "甲" + "的" * 300
    new = "的" * 300 + "乙" + "的" * 300
    assert char_diff(old, new) == [("equal", "的" * 300), ("delete", "甲"), ("insert", "乙"), ("equal", "的" * 300)]
