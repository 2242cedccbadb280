"""The action the rules expect next of each person: the primary button of the session page."""

from deliberation import procedure
from deliberation.selectors import allowed_actions, expected_action

RULES = procedure.Rules(speech_seconds=120)


class Meeting:
    def __init__(self):
        self.state = procedure.new_session(members=["chair", "a", "b", "c", "d"], chair="chair", items=["一", "二"])

    def do(self, command, actor, **args):
        self.state = procedure.apply(RULES, self.state, {"type": command, "actor": actor, "now": 10.0, **args}).state
        return self

    def expected(self, who):
        return expected_action(self.state, allowed_actions(RULES, self.state, who, 10.0), who)


def test_what_the_rules_expect_next_through_a_motion():
    m = Meeting()
    assert m.expected("chair") == "check_in" and m.expected("a") == "check_in"
    m.do("check_in", "chair").do("check_in", "a")
    assert m.expected("chair") is None  # no quorum (3 of 5) yet; recording "not held" is never primary
    m.do("check_in", "b")
    assert m.expected("chair") == "open_session"
    m.do("check_in", "c")
    m.do("open_session", "chair")
    assert m.expected("chair") is None and m.expected("a") is None
    m.do("make_motion", "a", kind="main", text="同意")
    assert m.expected("b") == "second" and m.expected("a") is None  # not the mover's own motion
    m.do("second", "b")
    assert m.expected("chair") == "open_vote"  # nobody waits to speak
    m.do("request_floor", "c", side="for")
    assert m.expected("chair") == "grant_floor"
    m.do("grant_floor", "chair")
    assert m.expected("c") == "yield_floor"
    assert m.expected("chair") is None  # someone is speaking: the vote comes after
    m.do("yield_floor", "c").do("open_vote", "chair")
    assert m.expected("a") == "cast_vote"
    m.do("cast_vote", "a", choice="yes")
    assert m.expected("a") is None
    assert m.expected("chair") is None  # votes are still coming in
    m.do("cast_vote", "b", choice="yes").do("cast_vote", "c", choice="no")
    assert m.expected("chair") == "close_vote"
    m.do("close_vote", "chair")
    assert m.expected("chair") == "announce"
    m.do("announce", "chair")
    assert m.expected("chair") is None  # the next item, or closing the session, is the chair's call


def test_a_point_of_order_comes_first():
    m = Meeting()
    for who in ("chair", "a", "b", "c"):
        m.do("check_in", who)
    m.do("open_session", "chair").do("make_motion", "a", kind="main", text="同意").do("second", "b")
    m.do("request_floor", "c", side="for").do("grant_floor", "chair")
    m.do("point_of_order", "a", text="偏离议题")
    assert m.expected("chair") == "grant_floor"
    m.do("grant_floor", "chair")
    assert m.expected("chair") == "rule_on_point"


def test_nobody_outside_the_council_is_expected_to_do_anything():
    m = Meeting()
    assert expected_action(m.state, [], None) is None
