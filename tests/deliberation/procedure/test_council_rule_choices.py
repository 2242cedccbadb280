"""The rules a council chooses: thresholds per kind of motion, whether the chair is a member, and the
behaviour of revision 2 (a point of order suspends the speech it interrupts; speakers wait with their
motion through a failed vote; a vote is opened only on the immediately pending question)."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deliberation.events import problems
from deliberation.procedure import (
    COMMANDS,
    ChairMode,
    ProcedureError,
    Rules,
    RulesError,
    Threshold,
    apply,
    check_invariants,
    check_overrides,
    new_session,
    next_speaker,
    outcome,
    passes,
    rules_from_json,
    rules_from_preset,
    rules_to_json,
    state_from_json,
    state_to_json,
    waiting,
)

SEATS = ["a", "b", "c", "d", "e", "f", "g"]


def rules(**changes):
    return Rules(**{"speech_seconds": 120, "speeches_per_member": 2, **changes})


RULES = rules()


class Meeting:
    def __init__(self, rules=None, seats=SEATS, chair="chair"):
        rules = rules or RULES
        self.rules, self.now, self.events = rules, 0.0, []
        self.state = new_session(
            members=seats, chair=chair, items=("加装电梯",), chair_is_member=rules.chair_mode != ChairMode.OUTSIDE
        )

    def do(self, command, actor, **args):
        applied = apply(self.rules, self.state, {"type": command, "actor": actor, "now": self.now, **args})
        self.state = applied.state
        check_invariants(self.rules, self.state)
        self.events += applied.events
        return applied.events

    def refuse(self, command, actor, **args):
        with pytest.raises(ProcedureError) as raised:
            self.do(command, actor, **args)
        return raised.value.code

    def open(self, present):
        for member in present:
            self.do("check_in", member)
        self.do("open_session", "chair")
        return self

    def motion(self, kind="main", mover="a", seconder="b", text="同意加装电梯"):
        self.do("make_motion", mover, kind=kind, text=text)
        self.do("second", seconder)
        return self.state.pending.id

    def vote(self, choices, chair=None):
        self.do("open_vote", "chair")
        for voter, choice in choices.items():
            self.do("cast_vote", voter, choice=choice)
        if chair is not None:
            self.do("cast_vote", "chair", choice=chair)
        closed = self.do("close_vote", "chair")[-1]
        self.do("announce", "chair")
        return closed


def ballots(yes, no, abstain=0):
    return (
        {f"y{i}": "yes" for i in range(yes)}
        | {f"n{i}": "no" for i in range(no)}
        | {f"a{i}": "abstain" for i in range(abstain)}
    )


# --- thresholds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "yes", "no", "abstain", "present", "members", "adopted"),
    [
        ("majority_cast", 3, 2, 4, 9, 11, True),
        ("majority_cast", 2, 2, 0, 4, 11, False),  # a tie fails
        ("majority_cast", 0, 0, 5, 5, 11, False),  # nobody voted yes or no
        ("majority_present", 4, 0, 5, 9, 11, False),  # 4 of 9 present is not more than half
        ("majority_present", 5, 0, 4, 9, 11, True),
        ("majority_present", 4, 4, 0, 8, 11, False),
        ("majority_members", 5, 0, 0, 9, 11, False),  # 5 of 11 members
        ("majority_members", 6, 3, 0, 9, 11, True),
        ("majority_members", 5, 0, 0, 9, 10, False),  # exactly half of the members is not a majority
        ("two_thirds_cast", 4, 2, 3, 9, 11, True),  # exactly two thirds
        ("two_thirds_cast", 3, 2, 0, 5, 11, False),
        ("two_thirds_cast", 0, 0, 3, 3, 11, False),
        ("two_thirds_present", 6, 0, 3, 9, 11, True),
        ("two_thirds_present", 5, 0, 4, 9, 11, False),
        ("two_thirds_members", 7, 0, 2, 9, 11, False),  # 7 < 22/3
        ("two_thirds_members", 8, 1, 0, 9, 11, True),
    ],
)
def test_every_threshold_kind_exactly(threshold, yes, no, abstain, present, members, adopted):
    chosen = rules(thresholds=(("main", Threshold(threshold)),))
    result, counts = outcome(chosen, "main", ballots(yes, no, abstain), present, members=members)
    assert result is adopted
    assert counts == {"yes": yes, "no": no, "abstain": abstain, "present": present, "threshold": threshold}


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(list(Threshold)),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 20),
    st.integers(0, 40),
)
def test_the_adopted_flag_agrees_with_the_threshold_arithmetic(threshold, yes, no, abstain, extra_present, extra):
    present = yes + no + abstain + extra_present
    members = present + extra
    base = {"cast": yes + no, "present": present, "members": members}[threshold.split("_")[-1]]
    two_thirds = base > 0 and yes > 0 and 3 * yes >= 2 * base
    expected = two_thirds if threshold.startswith("two_thirds") else 2 * yes > base
    chosen = rules(thresholds=(("refer", threshold),))
    assert outcome(chosen, "refer", ballots(yes, no, abstain), present, members=members)[0] is expected
    assert passes(threshold, yes=yes, no=no, present=present, members=members) is expected


def test_a_council_chooses_a_threshold_per_kind_of_motion_and_the_events_name_it():
    chosen = rules_from_preset("nantang", {"thresholds": {"main": "two_thirds_present", "refer": "majority_members"}})
    assert (
        chosen.threshold("main") == "two_thirds_present" and chosen.threshold("previous_question") == "two_thirds_cast"
    )
    m = Meeting(chosen).open(["chair", "a", "b", "c", "d", "e", "f"])
    m.motion()
    closed = m.vote({"a": "yes", "b": "yes", "c": "yes", "d": "yes", "e": "no", "f": "abstain"})
    # 4 yes of 7 present (the chair is a member present) is short of two thirds: 4 < 14/3
    assert (closed["adopted"], closed["threshold"], closed["present"]) == (False, "two_thirds_present", 7)
    announced = next(e for e in reversed(m.events) if e["type"] == "result_announced")
    assert announced["threshold"] == "two_thirds_present"


# --- the chair -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "seats", "chair_seated", "counted"),
    [
        ("member", 7, False, 8),
        ("casting", 7, False, 8),
        ("outside", 7, False, 7),
        ("outside", 7, True, 6),  # a seated member who presides is not counted while presiding
        ("member", 7, True, 7),
    ],
)
def test_quorum_counts_the_chair_only_when_the_chair_is_a_member(mode, seats, chair_seated, counted):
    chosen = rules(chair_mode=ChairMode(mode))
    people = [f"m{i}" for i in range(seats)]
    chair = people[0] if chair_seated else "chair"
    m = Meeting(chosen, seats=people, chair=chair)
    assert len(m.state.members) == counted
    needed = chosen.quorum(counted)
    others = [p for p in people if p != chair]
    for member in others[: needed - 1]:
        m.do("check_in", member)
    if mode == "outside":
        assert m.refuse("check_in", chair) == "not_a_member"
        assert m.refuse("open_session", "chair" if not chair_seated else chair) == "no_quorum"
        m.do("check_in", others[needed - 1])
    else:
        m.do("check_in", chair)
    opened = m.do("open_session", chair)[-1]
    assert opened["quorum"] == needed and len(opened["present"]) == needed


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(ChairMode)), st.integers(2, 40), st.booleans(), st.sampled_from(["majority", "share"]))
def test_quorum_is_computed_from_the_members_with_each_chair_mode(mode, seats, seated, kind):
    chosen = rules(chair_mode=mode, quorum_kind=kind, quorum_value=Fraction(2, 3))
    people = [f"m{i}" for i in range(seats)]
    chair = people[0] if seated else "chair"
    state = new_session(members=people, chair=chair, chair_is_member=mode != ChairMode.OUTSIDE)
    counted = seats - (1 if seated else 0) if mode == ChairMode.OUTSIDE else seats + (0 if seated else 1)
    assert len(state.members) == counted
    for member in sorted(state.members):  # everyone counted checks in; an outside chair cannot
        state = apply(chosen, state, {"type": "check_in", "actor": member, "now": 0}).state
    opened = apply(chosen, state, {"type": "open_session", "actor": chair, "now": 0})
    assert opened.events[-1]["quorum"] == chosen.quorum(counted)


def test_a_council_that_changes_to_an_outside_chair_before_the_session_opens_counts_without_the_chair():
    m = Meeting(rules(chair_mode=ChairMode.CASTING))  # scheduled when the chair was a member
    m.do("check_in", "chair")
    for member in "abc":
        m.do("check_in", member)
    m.rules = rules(chair_mode=ChairMode.OUTSIDE)  # the rules frozen at the opening
    assert m.refuse("open_session", "chair") == "no_quorum"  # 3 of 7 members; the chair is not one
    m.do("check_in", "d")
    m.do("open_session", "chair")
    assert "chair" not in m.state.members and "chair" not in m.state.present


@pytest.mark.parametrize(
    ("others", "chair", "adopted", "counted"),
    [
        ({"a": "yes", "b": "no"}, "yes", True, (2, 1)),  # the chair breaks a tie
        ({"a": "yes", "b": "yes", "c": "no"}, "no", False, (2, 2)),  # the chair makes a tie: lost
        ({"a": "yes", "b": "yes", "c": "no"}, "yes", True, (2, 1)),  # not decisive: not counted
        ({"a": "yes", "b": "no", "c": "no"}, "yes", False, (1, 2)),  # a yes that decides nothing
        ({"a": "yes", "b": "no"}, None, False, (1, 1)),  # the chair did not vote: a tie fails
    ],
)
def test_a_casting_chair_votes_only_where_it_decides(others, chair, adopted, counted):
    m = Meeting(rules(chair_mode=ChairMode.CASTING)).open(["chair", "a", "b", "c", "d"])
    m.motion()
    closed = m.vote(others, chair=chair)
    assert closed["adopted"] is adopted and (closed["yes"], closed["no"]) == counted


def test_a_casting_chair_votes_once_a_member_chair_votes_as_everyone_an_outside_chair_never():
    m = Meeting(rules(chair_mode=ChairMode.CASTING)).open(["chair", "a", "b", "c", "d"])
    m.motion()
    opened = m.do("open_vote", "chair")[-1]
    assert opened["eligible"] == 4
    cast = m.do("cast_vote", "chair", choice="yes")[-1]
    assert cast == {"type": "vote_cast", "motion": 1, "count": 0, "member": "chair", "choice": "yes"}
    assert m.refuse("cast_vote", "chair", choice="no") == "already_voted"

    m = Meeting(rules(chair_mode=ChairMode.MEMBER)).open(["chair", "a", "b", "c", "d"])
    m.motion()
    assert m.do("open_vote", "chair")[-1]["eligible"] == 5
    for voter, choice in {"chair": "yes", "a": "yes", "b": "no", "c": "no", "d": "yes"}.items():
        m.do("cast_vote", voter, choice=choice)
    assert m.do("close_vote", "chair")[-1]["yes"] == 3

    m = Meeting(rules(chair_mode=ChairMode.OUTSIDE)).open(["a", "b", "c", "d"])
    m.motion()
    assert m.do("open_vote", "chair")[-1]["eligible"] == 4
    assert m.refuse("cast_vote", "chair", choice="yes") == "not_eligible_to_vote"


# --- a point of order and the interrupted speaker -------------------------------------------------


def test_after_the_ruling_the_interrupted_speaker_resumes_with_the_time_left():
    m = Meeting().open(["chair", "a", "b", "c", "d"])
    motion = m.motion()
    m.do("request_floor", "c", side="for")
    m.do("grant_floor", "chair")  # c speaks from 0, 120 s
    m.now = 50.0
    m.do("point_of_order", "d", text="发言偏离议题")
    m.do("grant_floor", "chair")
    assert m.events[-2] == {
        "type": "speech_ended",
        "member": "c",
        "side": "for",
        "motion": motion,
        "started_at": 0.0,
        "ended_at": 50.0,
        "reason": "interrupted",
    }
    assert (m.state.interrupted.member, m.state.interrupted.limit) == ("c", 70)
    m.now = 65.0
    events = m.do("rule_on_point", "chair", upheld=False, member="d")
    assert [e["type"] for e in events] == ["speech_ended", "ruling", "floor_granted"]
    assert events[-1] == {
        "type": "floor_granted",
        "member": "c",
        "side": "for",
        "motion": motion,
        "started_at": 65.0,
        "limit": 70,
        "text": "",
    }
    assert m.state.speech.started_at + m.state.speech.limit == 135.0 and m.state.interrupted is None
    assert m.state.spoken_count(motion, "c") == 1  # the interruption is not another speech
    assert [problem for e in m.events for problem in problems(e)] == []  # every event as documented
    m.now = 200.0
    m.do("check_in", "e")  # the resumed speech ends at its limit
    assert m.events[-2]["reason"] == "time_up" and m.events[-2]["ended_at"] == 135.0
    m.do("request_floor", "c", side="for")  # c's second speech, as the limit of two allows
    m.do("grant_floor", "chair")
    m.do("yield_floor", "c")
    assert m.refuse("request_floor", "c", side="for") == "speech_limit"


@pytest.mark.parametrize(
    ("between", "code"),
    [
        ([("yield_floor", "d", {})], None),  # the point's speaker stops: the ruling is still due
        (
            [("request_floor", "e", {"side": "against"}), ("yield_floor", "d", {}), ("grant_floor", "chair", {})],
            "ruling_pending",
        ),
        ([("check_out", "c", {})], "gone"),  # the interrupted speaker left: nobody resumes
    ],
)
def test_the_ruling_comes_before_anyone_else_speaks(between, code):
    m = Meeting().open(["chair", "a", "b", "c", "d", "e"])
    m.motion()
    m.do("request_floor", "c", side="for")
    m.do("grant_floor", "chair")
    m.now = 30.0
    m.do("point_of_order", "d", text="程序问题")
    m.do("grant_floor", "chair")
    for command, actor, args in between[:-1]:
        m.do(command, actor, **args)
    command, actor, args = between[-1]
    if code == "ruling_pending":
        assert m.refuse(command, actor, **args) == "ruling_pending"
        return
    m.do(command, actor, **args)
    m.now = 40.0
    events = m.do("rule_on_point", "chair", upheld=True, member="d")
    resumed = [e for e in events if e["type"] == "floor_granted"]
    if code == "gone":
        assert resumed == [] and m.state.speech is None
    else:
        assert resumed[0]["member"] == "c" and resumed[0]["limit"] == 90


# --- the speakers' queue through a vote on a subsidiary motion ------------------------------------


@pytest.mark.parametrize(
    ("kind", "result", "queue_after"),
    [
        ("previous_question", "no", ["c", "d"]),  # debate goes on, the queue as it was
        ("previous_question", "yes", []),  # debate closed: nobody waits
        ("refer", "no", ["c", "d"]),
        ("refer", "yes", []),  # the main motion leaves the floor with its speakers
        ("postpone", "no", ["c", "d"]),
        ("postpone", "yes", []),
    ],
)
def test_a_failed_vote_on_a_subsidiary_motion_returns_to_the_debate_as_it_was(kind, result, queue_after):
    m = Meeting().open(["chair", "a", "b", "c", "d", "e", "f"])
    main = m.motion()
    m.do("request_floor", "c", side="for")
    m.do("request_floor", "d", side="against")
    m.motion(kind=kind, mover="e", seconder="f", text="")
    if kind != "previous_question":  # debatable: its own speakers, apart from the main motion's
        assert waiting(m.rules, m.state) == () and next_speaker(m.rules, m.state) is None
        m.do("request_floor", "c", side="against")  # c may speak on the referral although waiting on main
        m.do("grant_floor", "chair")
        m.do("yield_floor", "c")
    m.vote(dict.fromkeys("abcdef", result))
    assert [r.member for r in waiting(m.rules, m.state)] == queue_after
    if queue_after:
        assert m.state.pending.id == main and next_speaker(m.rules, m.state).member == "c"
        assert m.refuse("open_vote", "chair") == "speakers_waiting"


def test_open_vote_names_only_the_immediately_pending_question():
    m = Meeting().open(["chair", "a", "b", "c", "d"])
    main = m.motion()
    amendment = m.motion(kind="amend", mover="c", seconder="d", text="加装电梯，费用分摊")
    assert m.refuse("open_vote", "chair", motion=main) == "not_pending_question"
    assert m.state.vote is None
    assert m.refuse("open_vote", "chair", motion=99) == "not_pending_question"
    assert m.do("open_vote", "chair", motion=amendment)[-1]["motion"] == amendment


# --- sessions held under revision 1 keep their behaviour ------------------------------------------


def test_a_session_frozen_before_revisions_keeps_the_old_behaviour():
    old = rules_from_json({"speech_seconds": 120, "speeches_per_member": 2})
    assert old.revision == 1 and old.chair_mode == ChairMode.CASTING
    m = Meeting(old).open(["chair", "a", "b", "c", "d", "e", "f"])
    m.motion()
    m.do("request_floor", "c", side="for")
    m.do("grant_floor", "chair")
    m.do("point_of_order", "d", text="程序问题")
    m.do("grant_floor", "chair")
    events = m.do("rule_on_point", "chair", upheld=True)
    assert [e["type"] for e in events] == ["speech_ended", "ruling"] and m.state.speech is None
    m.do("request_floor", "e", side="against")
    m.motion(kind="previous_question", mover="a", seconder="b", text="")
    closed = m.vote(dict.fromkeys("abcdef", "no"))
    assert closed["present"] == 6  # revision 1: the eligible, the chair excepted
    assert m.state.queue == ()  # revision 1: the vote cleared the queue


# --- settings, their check and their storage ------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"speech_minutes": 3}, "speech_minutes"),
        ({"speech_seconds": 0}, "speech_seconds"),
        ({"speech_seconds": "120"}, "speech_seconds"),
        ({"speeches_per_member": True}, "speeches_per_member"),
        ({"secret_votes": "yes"}, "secret_votes"),
        ({"chair_mode": "president"}, "chair_mode"),
        ({"quorum_kind": "most"}, "quorum_kind"),
        ({"quorum_kind": "share"}, "quorum_value"),
        ({"quorum_kind": "share", "quorum_value": "3/2"}, "quorum_value"),
        ({"quorum_kind": "share", "quorum_value": "x"}, "quorum_value"),
        ({"quorum_kind": "number", "quorum_value": 0}, "quorum_value"),
        ({"quorum_value": 3}, "quorum_value"),
        ({"thresholds": {"main": "unanimous"}}, "thresholds"),
        ({"thresholds": {"dance": "majority_cast"}}, "thresholds"),
        ({"thresholds": ["main"]}, "thresholds"),
    ],
)
def test_overrides_are_checked_and_the_setting_to_blame_is_named(overrides, field):
    with pytest.raises(RulesError) as refused:
        check_overrides(overrides)
    assert refused.value.code == "rules_invalid" and refused.value.field == field


def test_good_overrides_are_kept_in_their_stored_form():
    assert check_overrides(
        {
            "quorum_kind": "share",
            "quorum_value": "0.5",
            "chair_mode": "outside",
            "thresholds": {"main": "majority_members", "adjourn": "majority_present"},
            "speech_seconds": 180,
            "secret_votes": True,
        }
    ) == {
        "quorum_kind": "share",
        "quorum_value": "1/2",
        "chair_mode": "outside",
        "thresholds": {"main": "majority_members", "adjourn": "majority_present"},
        "speech_seconds": 180,
        "secret_votes": True,
    }
    assert check_overrides({"quorum_kind": "number", "quorum_value": "5"})["quorum_value"] == 5


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["nantang", "roberts"]),
    st.sampled_from(list(ChairMode)),
    st.dictionaries(
        st.sampled_from(["main", "amend", "refer", "postpone", "adjourn"]), st.sampled_from(list(Threshold))
    ),
    st.integers(10, 3600),
    st.booleans(),
)
def test_frozen_rules_survive_storage(preset, mode, thresholds, seconds, secret):
    overrides = check_overrides(
        {"chair_mode": mode, "thresholds": thresholds, "speech_seconds": seconds, "secret_votes": secret}
    )
    chosen = rules_from_preset(preset, overrides)
    assert rules_from_json(rules_to_json(chosen)) == chosen
    assert all(chosen.threshold(kind) == threshold for kind, threshold in thresholds.items())


def test_a_stored_state_of_the_old_shape_still_loads():
    old = {
        "members": ["1", "2", "3"],
        "chair": "1",
        "phase": "open",
        "present": ["1", "2", "3"],
        "items": ["一"],
        "item": 0,
        "stack": [
            {
                "id": 1,
                "kind": "main",
                "mover": "2",
                "text": "x",
                "item": 0,
                "seconded_by": "3",
                "status": "pending",
                "depth": 0,
            }
        ],
        "queue": [{"member": "2", "side": "for", "seq": 4, "text": ""}],
        "speech": None,
        "spoken": [],
        "last_side": [],
        "vote": {"motion": 1, "eligible": ["2", "3"], "ballots": [["2", "yes"]]},
        "result": None,
        "next_id": 2,
        "seq": 5,
        "reached_quorum": True,
    }
    state = state_from_json(old)
    assert state.queue[0].motion is None and state.vote.members_present == 2 and state.interrupted is None
    assert state_from_json(state_to_json(state)) == state


# --- random sequences under every chair mode and both revisions -----------------------------------

actors = st.sampled_from(["chair", "a", "b", "c", "d", "e", "stranger"])
commands = st.fixed_dictionaries(
    {"type": st.sampled_from(COMMANDS), "actor": actors},
    optional={
        "kind": st.sampled_from(["main", "amend", "refer", "postpone", "previous_question", "recess", "adjourn"]),
        "text": st.sampled_from(["", "同意"]),
        "side": st.sampled_from(["for", "against"]),
        "choice": st.sampled_from(["yes", "no", "abstain"]),
        "member": actors,
        "upheld": st.booleans(),
        "motion": st.integers(1, 4),
    },
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(list(ChairMode)),
    st.sampled_from([1, 2]),
    st.lists(st.tuples(commands, st.integers(min_value=0, max_value=90)), max_size=60),
)
def test_random_sequences_keep_every_invariant_under_every_chair_mode(mode, revision, sequence):
    chosen = rules(chair_mode=mode, revision=revision, thresholds=(("main", Threshold.MAJORITY_PRESENT),))
    state = new_session(members="abcde", chair="chair", items=("一",), chair_is_member=mode != ChairMode.OUTSIDE)
    for member in ("chair", "a", "b", "c", "d"):
        try:
            state = apply(chosen, state, {"type": "check_in", "actor": member, "now": 0}).state
        except ProcedureError:
            assert mode == ChairMode.OUTSIDE and member == "chair"
    state = apply(chosen, state, {"type": "open_session", "actor": "chair", "now": 0}).state
    now = 0.0
    for command, step in sequence:
        now += step
        try:
            applied = apply(chosen, state, {**command, "now": now})
        except ProcedureError as error:
            assert error.code and error.message
            continue
        state = applied.state
        check_invariants(chosen, state)
        assert state_from_json(state_to_json(state)) == state
