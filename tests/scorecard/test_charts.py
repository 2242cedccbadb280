"""The scorecard's SVG charts: pure functions, known input → known bars, labels and text alternative."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from scorecard import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Every chart is well-formed XML: a browser would show a broken one as nothing at all."""
    return ET.fromstring(svg)


def bars(root, css="sc-bar"):
    return [el for el in root.iter(f"{NS}rect") if el.get("class") == css]


def texts(root):
    return [el.text for el in root.iter(f"{NS}text")]


def assert_accessible(root, title, desc, uid):
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{uid}-title {uid}-desc"
    assert root.find(f"{NS}title").text == title and root.find(f"{NS}title").get("id") == f"{uid}-title"
    assert root.find(f"{NS}desc").text == desc and root.find(f"{NS}desc").get("id") == f"{uid}-desc"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
    assert root.get("width") == "100%"  # scales with its container


def test_bar_chart_draws_one_bar_per_row_scaled_to_the_largest_with_its_label_and_value():
    rows = [("柳岸社区", 10, "10"), ("望湖社区", 5, "5"), ("新桥社区", 0, "0")]
    root = parse(charts.bar_chart(rows, title="提案数", desc="柳岸社区: 10; 望湖社区: 5", uid="c1", width=360))
    assert_accessible(root, "提案数", "柳岸社区: 10; 望湖社区: 5", "c1")
    drawn = bars(root)
    assert len(drawn) == 2  # zero draws no bar, only its track and its "0"
    full = 360 - 76 - 4
    assert float(drawn[0].get("width")) == full
    assert float(drawn[1].get("width")) == full / 2
    assert texts(root) == ["柳岸社区", "10", "望湖社区", "5", "新桥社区", "0"]
    assert len(bars(root, "sc-track")) == 3


def test_bar_chart_on_a_fixed_scale_draws_shares_against_100_percent():
    root = parse(charts.bar_chart([("按时答复", Decimal("0.25"), "25%")], title="t", desc="d", uid="s", max_value=1))
    assert float(bars(root)[0].get("width")) == pytest.approx((360 - 80) * 0.25)


def test_bar_chart_with_none_and_all_zero_values_draws_no_bar_and_does_not_divide_by_zero():
    root = parse(charts.bar_chart([("a", None, "—"), ("b", 0, "0")], title="t", desc="d", uid="z"))
    assert bars(root) == []
    assert texts(root) == ["a", "—", "b", "0"]
    empty = parse(charts.bar_chart([], title="t", desc="d", uid="e", empty_text="本期无记录"))
    assert texts(empty) == ["本期无记录"]


def test_text_is_escaped_so_a_name_cannot_break_the_markup():
    root = parse(charts.bar_chart([("<b>&社区", 1, "1")], title='a "t" <x>', desc="d & e", uid="x"))
    assert texts(root)[0] == "<b>&社区"
    assert root.find(f"{NS}title").text == 'a "t" <x>'


def test_share_bar_splits_the_width_by_share_with_a_pattern_and_legend_row_per_part():
    parts = [("居民", 6, "6 · 60%"), ("企业", 3, "3 · 30%"), ("社会组织", 1, "1 · 10%"), ("政府", 0, "0 · 0%")]
    root = parse(charts.share_bar(parts, title="提案来源", desc="居民 60%", uid="sb", width=401))
    assert_accessible(root, "提案来源", "居民 60%", "sb")
    segments = bars(root, "sc-seg")
    assert [float(s.get("width")) for s in segments] == [240.0, 120.0, 40.0]
    # each part its own pattern (colour plus texture), and the legend swatch uses the same one
    fills = [s.get("fill") for s in segments]
    assert fills == ["url(#sb-p0)", "url(#sb-p1)", "url(#sb-p2)"]
    patterns = [p.get("id") for p in root.iter(f"{NS}pattern")]
    assert patterns == ["sb-p0", "sb-p1", "sb-p2", "sb-p3"]
    legend = texts(root)
    assert legend == ["居民", "6 · 60%", "企业", "3 · 30%", "社会组织", "1 · 10%", "政府", "0 · 0%"]


def test_share_bar_with_nothing_to_share_shows_the_empty_text_without_dividing_by_zero():
    root = parse(
        charts.share_bar([("居民", 0, "0"), ("企业", None, "—")], title="t", desc="d", uid="e", empty_text="本期无记录")
    )
    assert bars(root, "sc-seg") == []
    assert "本期无记录" in texts(root)


def test_funnel_narrows_with_the_counts_and_centres_each_bar_with_its_note():
    steps = [("提出", 10, "10"), ("达标", 5, "5"), ("已付款", 0, "0")]
    root = parse(
        charts.funnel(
            steps, title="漏斗", desc="提出 10", uid="f", width=400, notes=["", "上一步的 50%", "上一步的 0%"]
        )
    )
    assert_accessible(root, "漏斗", "提出 10", "f")
    drawn = bars(root)
    assert [float(b.get("width")) for b in drawn] == [400.0, 200.0]
    assert float(drawn[1].get("x")) == 100.0  # centred
    assert texts(root) == ["提出", "10", "达标", "上一步的 50%", "5", "已付款", "上一步的 0%", "0"]


def test_funnel_of_all_zeros_draws_only_the_tracks():
    root = parse(charts.funnel([("提出", 0, "0"), ("达标", 0, "0")], title="t", desc="d", uid="f0"))
    assert bars(root) == [] and len(bars(root, "sc-track")) == 2
