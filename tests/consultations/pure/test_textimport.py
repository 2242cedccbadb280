"""The importer of drafts: Chinese legal numbering, paragraphs as lines, items, Markdown headings."""

import pytest

from consultations.textimport import (
    MARKDOWN,
    PLAIN,
    NumeralError,
    chinese_number,
    chinese_numeral,
    parse,
    unit_text,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("一百", 100),
        ("一百零三", 103),
        ("一百一十", 110),
        ("一百二十三", 123),
        ("两百", 200),
        ("九百九十九", 999),
        ("一千零一", 1001),
        ("12", 12),
        ("１２", 12),
    ],
)
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "一二", "十百", "百百", "a", "十x"])
def test_not_a_number(text):
    with pytest.raises(NumeralError):
        chinese_number(text)


@pytest.mark.parametrize("n", [1, 9, 10, 11, 20, 21, 100, 103, 110, 123, 999, 1001, 2020])
def test_numerals_round_trip(n):
    assert chinese_number(chinese_numeral(n)) == n


def test_numerals_as_printed():
    assert chinese_numeral(12) == "十二"
    assert chinese_numeral(103) == "一百零三"
    assert chinese_numeral(110) == "一百一十"


def _shape(parsed):
    return [(u.kind, u.number, u.text, u.anchor, u.parent.anchor if u.parent else None) for u in parsed.units]


LAW = """某某小区管理规约（草案）

第一章　总则
第一条 为了维护业主的合法权益，制定本规约。
第二条 本规约适用于本小区。
  本规约对全体业主具有约束力。
第二章 业主的权利和义务
第一节 权利
第三条 业主享有下列权利：
（一）按照规定使用共有部分；
（二）参加业主大会，并具有下列权利：
1. 提出议案；
2、 参加表决；
第二节　义务
第四条 业主应当遵守本规约。
"""


def test_a_law_is_chapters_sections_articles_paragraphs_items_and_subitems():
    parsed = parse(LAW, PLAIN)
    assert _shape(parsed) == [
        ("paragraph", "", "某某小区管理规约（草案）", "p1", None),
        ("chapter", "第一章", "总则", "ch1", None),
        ("article", "第一条", "", "art1", "ch1"),
        ("paragraph", "", "为了维护业主的合法权益，制定本规约。", "art1-p1", "art1"),
        ("article", "第二条", "", "art2", "ch1"),
        ("paragraph", "", "本规约适用于本小区。", "art2-p1", "art2"),
        ("paragraph", "", "本规约对全体业主具有约束力。", "art2-p2", "art2"),
        ("chapter", "第二章", "业主的权利和义务", "ch2", None),
        ("section", "第一节", "权利", "ch2-sec1", "ch2"),
        ("article", "第三条", "", "art3", "ch2-sec1"),
        ("paragraph", "", "业主享有下列权利：", "art3-p1", "art3"),
        ("item", "（一）", "按照规定使用共有部分；", "art3-p1-i1", "art3-p1"),
        ("item", "（二）", "参加业主大会，并具有下列权利：", "art3-p1-i2", "art3-p1"),
        ("subitem", "1.", "提出议案；", "art3-p1-i2-s1", "art3-p1-i2"),
        ("subitem", "2.", "参加表决；", "art3-p1-i2-s2", "art3-p1-i2"),
        ("section", "第二节", "义务", "ch2-sec2", "ch2"),
        ("article", "第四条", "", "art4", "ch2-sec2"),
        ("paragraph", "", "业主应当遵守本规约。", "art4-p1", "art4"),
    ]
    assert parsed.warnings == []


def test_article_numbers_in_the_hundreds_and_in_digits():
    parsed = parse("第一百零二条 甲。\n第一百零三条 乙。\n第104条 丙。", PLAIN)
    articles = [(u.number, u.ordinal, u.anchor) for u in parsed.units if u.kind == "article"]
    assert articles == [("第一百零二条", 102, "art102"), ("第一百零三条", 103, "art103"), ("第104条", 104, "art104")]
    # The first article is 102: a text that starts there is an excerpt, which the importer says.
    assert [w[1] for w in parsed.warnings] == ["number_skipped"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # full-width digits and a full-width full stop
        (
            "第１条 甲\n（一）乙\n１．丙",
            [("article", "第1条"), ("paragraph", ""), ("item", "（一）"), ("subitem", "1.")],
        ),
        # half-width brackets for an item
        ("第一条 甲\n(一) 乙", [("article", "第一条"), ("paragraph", ""), ("item", "（一）")]),
        # stray white space and blank lines, an ideographic space as indent
        ("\n\n   第一条   甲  \n\n\u3000\u3000乙\n\n", [("article", "第一条"), ("paragraph", ""), ("paragraph", "")]),
        # an article line with nothing after its number: its paragraphs follow
        ("第一条\n甲\n乙", [("article", "第一条"), ("paragraph", ""), ("paragraph", "")]),
        # a decimal number is no sub-item
        ("第一条 甲\n1.5米以下的车位", [("article", "第一条"), ("paragraph", ""), ("paragraph", "")]),
        # a sub-item without an item above it is an item
        ("第一条 甲：\n1. 乙\n2. 丙", [("article", "第一条"), ("paragraph", ""), ("item", "1."), ("item", "2.")]),
        # no space between the number and the text
        ("第一条甲", [("article", "第一条"), ("paragraph", "")]),
    ],
)
def test_plain_text_variations(source, expected):
    assert [(u.kind, u.number) for u in parse(source, PLAIN).units] == expected


def test_stray_white_space_is_trimmed_from_the_text():
    parsed = parse("第一条   甲  \n\u3000\u3000乙 ", PLAIN)
    assert [u.text for u in parsed.units] == ["", "甲", "乙"]


def test_numbers_out_of_sequence_and_repeated_are_warned_with_their_line():
    parsed = parse("第一条 甲\n第三条 乙\n第三条 丙\n（一）丁\n（三）戊", PLAIN)
    assert [(w[0], w[1]) for w in parsed.warnings] == [
        (2, "number_skipped"),
        (3, "number_repeated"),
        (5, "number_skipped"),
    ]
    # a repeated number still gets an anchor of its own
    anchors = [u.anchor for u in parsed.units if u.kind == "article"]
    assert anchors == ["art1", "art3", "art3-2"]


def test_item_numbers_restart_in_each_paragraph():
    parsed = parse("第一条 甲：\n（一）乙\n（二）丙\n第二条 丁：\n（一）戊", PLAIN)
    assert parsed.warnings == []


def test_an_empty_article_and_an_item_outside_any_article_are_warned():
    parsed = parse("（一）甲\n第一条\n第二条 乙", PLAIN)
    assert [w[1] for w in parsed.warnings] == ["item_outside_article", "article_empty"]


PLAN = """# 湖滨街道背街小巷整治方案

## 一、整治范围
涉及柳岸路、望湖巷等 6 条背街小巷。

## 二、主要任务
### （一）路面修补
- 修补破损路面；
- 更换井盖：
  - 柳岸路 12 处；
  - 望湖巷 8 处。
### （二）照明提升
1. 增设路灯；
2. 更换老旧灯具。
"""


def test_a_plan_is_headings_paragraphs_and_lists():
    parsed = parse(PLAN, MARKDOWN)
    assert _shape(parsed) == [
        ("heading", "", "湖滨街道背街小巷整治方案", "h1", None),
        ("heading", "", "一、整治范围", "h1-h1", "h1"),
        ("paragraph", "", "涉及柳岸路、望湖巷等 6 条背街小巷。", "h1-h1-p1", "h1-h1"),
        ("heading", "", "二、主要任务", "h1-h2", "h1"),
        ("heading", "", "（一）路面修补", "h1-h2-h1", "h1-h2"),
        ("item", "", "修补破损路面；", "h1-h2-h1-i1", "h1-h2-h1"),
        ("item", "", "更换井盖：", "h1-h2-h1-i2", "h1-h2-h1"),
        ("subitem", "", "柳岸路 12 处；", "h1-h2-h1-i2-s1", "h1-h2-h1-i2"),
        ("subitem", "", "望湖巷 8 处。", "h1-h2-h1-i2-s2", "h1-h2-h1-i2"),
        ("heading", "", "（二）照明提升", "h1-h2-h2", "h1-h2"),
        ("item", "1.", "增设路灯；", "h1-h2-h2-i1", "h1-h2-h2"),
        ("item", "2.", "更换老旧灯具。", "h1-h2-h2-i2", "h1-h2-h2"),
    ]
    assert [u.level for u in parsed.units if u.kind == "heading"] == [1, 2, 2, 3, 3]
    assert parsed.warnings == []


MARKDOWN_LAW = """# 望湖社区居民公约（草案）

## 第一章 总则

第一条 为了建设和谐社区，制定本公约。

第二条 居民应当：
（一）爱护公共环境；
（二）**文明养犬**。

## 第二章 附则

### 第三条 本公约自通过之日起施行。
"""


def test_markdown_headings_with_legal_numbering_are_chapters_and_articles():
    parsed = parse(MARKDOWN_LAW, MARKDOWN)
    assert [(u.kind, u.number, u.anchor) for u in parsed.units] == [
        ("heading", "", "h1"),
        ("chapter", "第一章", "h1-ch1"),
        ("article", "第一条", "art1"),
        ("paragraph", "", "art1-p1"),
        ("article", "第二条", "art2"),
        ("paragraph", "", "art2-p1"),
        ("item", "（一）", "art2-p1-i1"),
        ("item", "（二）", "art2-p1-i2"),
        ("chapter", "第二章", "h1-ch2"),
        ("article", "第三条", "art3"),
        ("paragraph", "", "art3-p1"),
    ]
    # emphasis marks are not part of the text
    assert parsed.units[7].text == "文明养犬。"
    assert parsed.warnings == []


def test_in_plain_text_a_hash_is_just_text():
    parsed = parse("# 标题\n第一条 甲", PLAIN)
    assert next((u.kind, u.text) for u in parsed.units) == ("paragraph", "# 标题")


def test_anchors_are_unique_and_short():
    source = "\n".join(f"第{n}条 甲\n乙\n（一）丙" for n in range(1, 301))
    parsed = parse(source, PLAIN)
    anchors = [u.anchor for u in parsed.units]
    assert len(anchors) == len(set(anchors)) == 1200
    assert max(len(a) for a in anchors) <= 60


def test_anchors_survive_an_edit_elsewhere():
    """The same article keeps its anchor when an earlier article gains a paragraph."""
    before = {u.text: u.anchor for u in parse("第一条 甲\n第二条 乙", PLAIN).units}
    after = {u.text: u.anchor for u in parse("第一条 甲\n甲二\n第二条 乙", PLAIN).units}
    assert before["乙"] == after["乙"] == "art2-p1"


def test_unit_text_reads_the_unit_with_its_contents():
    parsed = parse("第三条 业主享有下列权利：\n（一）使用；\n（二）表决。", PLAIN)
    assert unit_text(parsed.units[0]) == "第三条\n业主享有下列权利：\n（一） 使用；\n（二） 表决。"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        parse("甲", "html")
