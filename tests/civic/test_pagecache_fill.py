"""A signed-in page kept with its reader marks is cut at them once per process (`_fill` with a key): each
reader must get exactly the page the scan of its marks gives, whatever their facts, and a page whose html
changed must never be served from the old cut."""

import itertools

import pytest

from civic import pagecache
from civic.pagecache import _fill, _fill_scanning, mark_close, mark_hole, mark_open


def _page() -> str:
    o, c = mark_open, mark_close()
    return (
        "<html>head "
        + mark_hole("menu")
        + " a "
        + o("endorsed", "", False)
        + "you co-signed "
        + o("editable", "12", False)
        + "edit 12 "
        + mark_hole("form")
        + c
        + " after"
        + c
        + o("endorsed", "", True)
        + "co-sign "
        + o("me", "7", False)
        + "mine"
        + c
        + c
        + o("me", "7", True)
        + "not seven"
        + c
        + o("editable", "15", False)
        + c  # an empty segment
        + "<!--rnot-the-key:endorsed::-->typed text"
        + " end</html>"
    )


_FACTS = [
    {"me": me, "endorsed": endorsed, "editable": editable}
    for me, endorsed, editable in itertools.product(
        ["7", "8"], [True, False, None], [set(), {"12"}, {"12", "15"}, lambda value: value == "15"]
    )
]


@pytest.fixture(autouse=True)
def _no_cuts_kept():
    pagecache._SPLITS.clear()
    yield
    pagecache._SPLITS.clear()


@pytest.mark.parametrize("facts", _FACTS)
def test_a_cut_page_is_the_scanned_page_for_every_reader(facts):
    html, filled = _page(), {"menu": "<nav>M</nav>", "form": "<form>F</form>"}
    expected = _fill_scanning(html, facts, filled)
    assert _fill(html, facts, filled, ("page", "signed-in-page")) == expected  # cut now
    assert _fill(html, facts, filled, ("page", "signed-in-page")) == expected  # from the cut kept
    assert ("menu" in expected) is False and "<nav>M</nav>" in expected
    assert ("you co-signed" in expected) == bool(facts["endorsed"])


def test_the_marks_decide_per_reader():
    html, filled = _page(), {"menu": "", "form": "<form>F</form>"}
    key = ("page", "signed-in-page")
    seven = _fill(html, {"me": "7", "endorsed": False, "editable": set()}, filled, key)
    eight = _fill(html, {"me": "8", "endorsed": True, "editable": {"12"}}, filled, key)
    assert "mine" in seven and "not seven" not in seven and "you co-signed" not in seven
    assert "mine" not in eight and "not seven" in eight and "edit 12 <form>F</form>" in eight
    assert "<!--rnot-the-key:endorsed::-->typed text" in seven  # not a mark: text


def test_a_changed_page_under_the_same_key_is_cut_afresh():
    key, facts, filled = ("page", "signed-in-page"), {"me": "7", "endorsed": True}, {"menu": "", "form": ""}
    _fill(_page(), facts, filled, key)
    changed = _page().replace("you co-signed", "you have co-signed")
    assert "you have co-signed" in _fill(changed, facts, filled, key)
    assert _fill(changed, facts, filled, key) == _fill_scanning(changed, facts, filled)


@pytest.mark.parametrize(
    "html",
    [
        "a" + mark_open("endorsed", "", False) + "b",  # never closed: the rest hidden when not held
        "a" + mark_close() + "b" + mark_open("endorsed", "", False) + "c" + mark_close(),
    ],
)
def test_marks_that_do_not_nest_are_scanned(html):
    for facts in ({"endorsed": True}, {"endorsed": False}):
        try:
            expected = _fill_scanning(html, facts, {})
        except IndexError as error:
            with pytest.raises(type(error)):
                _fill(html, facts, {}, ("p", "s"))
        else:
            assert _fill(html, facts, {}, ("p", "s")) == expected


@pytest.mark.parametrize("facts", _FACTS)
def test_the_bytes_sent_are_the_filled_page_encoded(facts):
    """A signed-in reader's kept page goes out as bytes from pieces kept encoded: the same page, byte for
    byte, as the text filled and encoded, whether the kept html was read as bytes or text, and in either
    order the two are asked for."""
    html, filled = _page().replace(" a ", " 提案 "), {"menu": "<nav>我的</nav>", "form": "<form>意见</form>"}
    expected = _fill_scanning(html, facts, filled).encode()
    for kept in (html.encode(), html):
        pagecache._SPLITS.clear()
        assert pagecache._fill_bytes(kept, facts, filled, ("page", "signed-in-page")) == expected
        assert _fill(kept, facts, filled, ("page", "signed-in-page")).encode() == expected
        assert pagecache._fill_bytes(kept, facts, filled, ("page", "signed-in-page")) == expected


def test_a_changed_page_is_sent_from_its_new_cut():
    key, facts, filled = ("page", "signed-in-page"), {"me": "7", "endorsed": True}, {"menu": "", "form": ""}
    pagecache._fill_bytes(_page().encode(), facts, filled, key)
    changed = _page().replace("you co-signed", "你已联署").encode()
    assert (
        pagecache._fill_bytes(changed, facts, filled, key) == _fill_scanning(changed.decode(), facts, filled).encode()
    )


def test_marks_that_do_not_nest_are_sent_as_scanned():
    html = "a" + mark_open("endorsed", "", False) + "b" + mark_close() + mark_close() + "c"
    for facts in ({"endorsed": True}, {"endorsed": False}):
        try:
            expected = _fill_scanning(html, facts, {}).encode()
        except IndexError as error:
            with pytest.raises(type(error)):
                pagecache._fill_bytes(html.encode(), facts, {}, ("p", "s"))
        else:
            assert pagecache._fill_bytes(html.encode(), facts, {}, ("p", "s")) == expected
