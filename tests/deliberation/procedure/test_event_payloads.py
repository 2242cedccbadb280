"""Every event the engine emits matches its schema in deliberation.events, and a scripted session emits
every event type there is."""

from deliberation import events
from deliberation.procedure import Rules, apply, check_invariants, new_session

RULES = Rules(speech_seconds=120, speeches_per_member=2)
MEMBERS = ["chair", "a", "b", "c", "d", "e", "f"]


class Script:
    def __init__(self, rules=RULES):
        self.rules, self.now, self.emitted = rules, 0.0, []
        self.state = new_session(members=MEMBERS, chair="chair", items=("加装电梯", "停车位划线"))

    def do(self, command, actor, **args):
        self.now += 5
        applied = apply(self.rules, self.state, {"type": command, "actor": actor, "now": self.now, **args})
        self.state = applied.state
        check_invariants(self.rules, self.state)
        self.emitted += applied.events
        return applied.events

    def vote(self, *, chair="chair", voters=("a", "b", "c", "d"), choice="yes"):
        self.do("open_vote", chair)
        for voter in voters:
            self.do("cast_vote", voter, choice=choice)
        self.do("close_vote", chair)
        self.do("announce", chair)


def scripted_session(rules=RULES) -> list[dict]:
    s = Script(rules)
    for member in ("chair", "a", "b", "c", "d"):
        s.do("check_in", member)
    s.do("open_session", "chair")
    s.do("make_motion", "a", kind="main", text="同意加装电梯")
    s.do("second", "b")
    s.do("request_floor", "c", side="for")
    s.do("request_floor", "d", side="against")
    s.do("withdraw_request", "c")
    s.do("grant_floor", "chair")
    s.do("extend_time", "chair", seconds=30)
    s.do("point_of_order", "b", text="发言偏离议题")
    s.do("grant_floor", "chair")  # the point of order interrupts the speech
    s.do("rule_on_point", "chair", upheld=True, member="b", note="请回到议题")
    s.do("make_motion", "b", kind="amend", text="同意加装两部电梯")
    s.do("second", "c")
    s.vote()  # the amendment is adopted: the main motion is amended
    s.do("make_motion", "c", kind="previous_question")
    s.do("second", "d")
    s.vote()  # debate closed
    s.vote()  # the main motion
    s.do("next_item", "chair")
    s.do("make_motion", "a", kind="main", text="划线")
    s.do("withdraw_motion", "a")
    s.do("make_motion", "a", kind="main", text="重新划线")
    s.do("second", "b")
    s.do("make_motion", "c", kind="refer", text="")
    s.do("second", "d")
    s.vote()  # referred: the main motion is set aside
    s.do("make_motion", "a", kind="recess")
    s.do("second", "b")
    s.vote()
    s.do("resume", "chair")
    s.do("hand_over_chair", "chair", member="a")
    s.do("check_out", "d")
    s.do("close_session", "a")
    not_held = Script(rules)
    not_held.do("check_in", "chair")
    not_held.do("record_not_held", "chair")
    return s.emitted + not_held.emitted


def test_every_event_of_a_scripted_session_matches_its_schema():
    emitted = scripted_session()
    assert [p for event in emitted for p in events.problems(event)] == []


def test_the_scripted_session_emits_every_event_type():
    assert {event["type"] for event in scripted_session()} == set(events.EVENTS)


def test_votes_by_name_and_secret_votes_both_match():
    secret = Rules(speech_seconds=120, speeches_per_member=2, secret_votes=True)
    cast = [e for e in scripted_session(secret) if e["type"] == "vote_cast"]
    assert cast and all("member" not in e and events.problems(e) == [] for e in cast)


def test_the_checker_finds_what_is_wrong():
    assert events.problems({"type": "checked_in", "member": "a", "present": True}) != []
    assert events.problems({"type": "checked_in", "member": "a"}) != []
    assert events.problems({"type": "checked_in", "member": "a", "present": 1, "extra": 1}) != []
    assert events.problems({"type": "nonsense"}) != []
    assert events.problems({"type": "checked_in", "member": "a", "present": 1, "seq": 3}) == []
