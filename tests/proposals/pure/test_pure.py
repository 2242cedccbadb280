"""The pure parts: the state machine, the Chinese search tokens, safe Markdown."""

import pytest

from proposals.lifecycle import MACHINE
from proposals.models import ProposalState as S
from proposals.search import query_tokens, tokens, tsquery
from proposals.text import plain_text, render_markdown


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.DRAFT, S.PUBLISHED, True),
        (S.DRAFT, S.QUALIFIED, False),
        (S.PUBLISHED, S.QUALIFIED, True),
        (S.PUBLISHED, S.SCHEDULED, False),
        (S.PUBLISHED, S.EXPIRED, True),
        (S.QUALIFIED, S.SCHEDULED, True),
        (S.QUALIFIED, S.EXPIRED, False),
        (S.SCHEDULED, S.WITHDRAWN, False),
        (S.SCHEDULED, S.ADOPTED, True),
        (S.ADOPTED, S.IN_IMPLEMENTATION, True),
        (S.ADOPTED, S.DONE, False),
        (S.IN_IMPLEMENTATION, S.DONE, True),
        (S.DECLINED, S.PUBLISHED, False),
        (S.EXPIRED, S.QUALIFIED, False),
        (S.DONE, S.ADOPTED, False),
    ],
)
def test_transitions(current, target, allowed):
    assert MACHINE.can(current, target) is allowed


def test_every_state_has_a_row_and_ends_are_final():
    assert set(MACHINE.table) == set(S.values)
    for final in (S.DONE, S.NOT_ADOPTED, S.EXPIRED, S.WITHDRAWN, S.DECLINED):
        assert MACHINE.targets(final) == set()
        assert MACHINE.final(final)


def test_the_table_is_the_one_the_stages_rely_on():
    assert MACHINE.table == {
        S.DRAFT: {S.PUBLISHED, S.WITHDRAWN},
        S.PUBLISHED: {S.QUALIFIED, S.EXPIRED, S.WITHDRAWN, S.DECLINED},
        S.QUALIFIED: {S.SCHEDULED, S.ADOPTED, S.NOT_ADOPTED, S.WITHDRAWN, S.DECLINED},
        S.SCHEDULED: {S.ADOPTED, S.NOT_ADOPTED, S.QUALIFIED},
        S.ADOPTED: {S.IN_IMPLEMENTATION},
        S.IN_IMPLEMENTATION: {S.DONE},
        S.NOT_ADOPTED: set(),
        S.DONE: set(),
        S.EXPIRED: set(),
        S.WITHDRAWN: set(),
        S.DECLINED: set(),
    }


def test_tokens_cover_single_characters_pairs_and_words():
    assert tokens("路灯坏了 LED") == ["路", "灯", "坏", "了", "路灯", "灯坏", "坏了", "led"]


@pytest.mark.parametrize(
    ("query", "needed"),
    [
        ("灯", ["灯"]),
        ("路灯", ["路灯"]),
        ("老旧小区", ["老旧", "旧小", "小区"]),
        ("LED 路灯", ["led", "路灯"]),
        ("!!", []),
    ],
)
def test_query_tokens(query, needed):
    assert query_tokens(query) == needed


def test_a_query_matches_every_text_that_contains_it():
    text = "望湖路背街小巷垃圾堆放整治"
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert set(query_tokens(text[start:end])) <= set(tokens(text))


def test_tsquery_is_an_and_of_quoted_tokens():
    assert tsquery("老旧小区") == "'老旧' & '旧小' & '小区'"
    assert tsquery("it's") == "'it' & 's'"


@pytest.mark.parametrize(
    ("source", "absent", "present"),
    [
        ("<script>alert(1)</script>好", "<script", "好"),
        ("[点我](javascript:alert(1))", "javascript:", "点我"),
        ('<img src=x onerror="alert(1)">', "onerror", ""),
        ("[链接](https://example.org)", "target=", 'rel="nofollow noopener ugc"'),
        ("# 大标题", "<h1>", "<h3>大标题</h3>"),
        ('<a href="https://x.org" onclick="x()">x</a>', "onclick", 'href="https://x.org"'),
    ],
)
def test_markdown_is_sanitised(source, absent, present):
    html = render_markdown(source)
    assert absent not in html
    assert present in html


def test_lists_after_a_line_render_as_lists():
    assert "<li>一</li>" in render_markdown("建议：\n- 一\n- 二")
    assert plain_text("**粗**体") == "粗体"
