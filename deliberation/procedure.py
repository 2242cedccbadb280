"""The rules of order for a live council session (民主议事规则), as a pure engine.

No Django, no database, no clock of its own: `apply(rules, state, command)` takes the rule set, the
current state and one command (with the actor and the server's time) and returns the new state and the
events it caused, or raises `ProcedureError` with a stable code. The services load the state under a row
lock, apply, store the records and publish the events.

What it enforces (product.md, "Democratic agenda rules"):
- quorum to open the session and again before every vote (a number, a share of members rounded up, or
  a majority of members: ⌊n/2⌋ + 1);
- a neutral chair: the chair runs the procedure and cannot take the floor on substance;
- one main motion at a time; a stack of motions where a new motion is in order only if it outranks the
  one pending, and the most recent is decided first; seconds before debate; amendments up to the rule
  set's depth;
- the speakers' queue: a point of order first, then members who have not yet spoken on this motion,
  then the side opposite to the last speaker, then order of request; a limit of speeches per member
  per motion and a time limit per speech, timed by the server with a hard stop;
- thresholds computed exactly (fractions): majority of votes cast, two thirds of votes cast, or a
  majority of members present; abstentions not counted; ties fail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import NoReturn


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the services translate it (this module has no Django)."""
    return message


class ProcedureError(Exception):
    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


# --- rule sets ------------------------------------------------------------------------------------

MAJORITY_CAST, TWO_THIRDS_CAST, MAJORITY_PRESENT = "majority_cast", "two_thirds_cast", "majority_present"

# Motion kinds and their rank: a motion is in order only if it outranks the one pending.
RANKS = {"main": 1, "amend": 2, "refer": 3, "postpone": 4, "previous_question": 5, "recess": 6, "adjourn": 7}
DEBATABLE = {"main", "amend", "refer", "postpone"}
APPLIES_TO_PENDING = {"amend", "refer", "postpone", "previous_question"}


@dataclass(frozen=True)
class Rules:
    quorum_kind: str = "majority"  # "number", "share" or "majority"
    quorum_value: Fraction = Fraction(0)
    speech_seconds: int = 120
    speeches_per_member: int = 2
    alternate_sides: bool = True
    first_time_first: bool = True
    seconds_required: bool = True
    amendment_depth: int = 2
    secret_votes: bool = False
    thresholds: tuple = (
        ("main", MAJORITY_CAST),
        ("amend", MAJORITY_CAST),
        ("refer", MAJORITY_CAST),
        ("postpone", MAJORITY_CAST),
        ("previous_question", TWO_THIRDS_CAST),
        ("recess", MAJORITY_CAST),
        ("adjourn", MAJORITY_CAST),
        ("suspend_rule", TWO_THIRDS_CAST),
    )

    def threshold(self, kind: str) -> str:
        return dict(self.thresholds).get(kind, MAJORITY_CAST)

    def quorum(self, members: int) -> int:
        if self.quorum_kind == "number":
            return int(self.quorum_value)
        if self.quorum_kind == "share":
            return math.ceil(Fraction(self.quorum_value) * members)
        return members // 2 + 1


PRESETS = {
    # Robert's Rules: a majority of members is a quorum, 10-minute speeches, two per member per motion.
    "roberts": Rules(speech_seconds=600, speeches_per_member=2),
    # The Nantang community rules: short speeches, alternating sides, first-time speakers first.
    "nantang": Rules(speech_seconds=120, speeches_per_member=2, alternate_sides=True, first_time_first=True),
}


# --- state ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Motion:
    id: int
    kind: str
    mover: str
    text: str
    item: int | None
    seconded_by: str | None = None
    status: str = "awaiting_second"  # awaiting_second → pending (stated, in debate or waiting for a vote)
    depth: int = 0  # amendments: 1 for an amendment, 2 for an amendment to it


@dataclass(frozen=True)
class Request:
    member: str
    side: str  # "for", "against" or "order" (a point of order)
    seq: int
    text: str = ""


@dataclass(frozen=True)
class Speech:
    member: str
    side: str
    motion: int | None
    started_at: float
    limit: int


@dataclass(frozen=True)
class Vote:
    motion: int
    eligible: frozenset[str]
    ballots: tuple[tuple[str, str], ...] = ()  # (member, yes/no/abstain)


@dataclass(frozen=True)
class State:
    members: frozenset[str]
    chair: str
    phase: str = "scheduled"  # scheduled → open ⇄ recess → closed; or not_held
    present: frozenset[str] = frozenset()
    items: tuple[str, ...] = ()
    item: int | None = None
    stack: tuple[Motion, ...] = ()
    queue: tuple[Request, ...] = ()
    speech: Speech | None = None
    spoken: tuple[tuple[int, str, int], ...] = ()  # (motion id, member, speeches so far)
    last_side: tuple[tuple[int, str], ...] = ()  # (motion id, side of the last speaker)
    vote: Vote | None = None
    result: tuple | None = None  # the last closed vote, waiting to be announced
    debate_closed: frozenset[int] = frozenset()  # motions whose debate was closed (previous question)
    next_id: int = 1
    seq: int = 0
    reached_quorum: bool = False

    def spoken_count(self, motion: int, member: str) -> int:
        return next((n for m, who, n in self.spoken if m == motion and who == member), 0)

    @property
    def pending(self) -> Motion | None:
        return self.stack[-1] if self.stack else None

    def pending_stated(self) -> Motion | None:
        top = self.pending
        return top if top is not None and top.status == "pending" else None


def new_session(*, members, chair: str, items=()) -> State:
    members = frozenset(members)
    if chair not in members:
        members = members | {chair}
    return State(members=members, chair=chair, items=tuple(items))


# --- helpers --------------------------------------------------------------------------------------


def _err(code, message, **params) -> NoReturn:
    raise ProcedureError(code, message, **params)


def _need_open(state):
    if state.phase != "open":
        _err("session_not_open", gettext_noop("The session is not open."))


def _need_chair(state, actor):
    if actor != state.chair:
        _err("chair_only", gettext_noop("Only the chair can do this."))


def _need_member_present(state, actor):
    if actor not in state.members:
        _err("not_a_member", gettext_noop("Only members of the council can do this."))
    if actor not in state.present:
        _err("not_checked_in", gettext_noop("Check in first."))


def _quorum_ok(rules, state) -> bool:
    return len(state.present) >= rules.quorum(len(state.members))


def _time_up(state, now) -> bool:
    return state.speech is not None and now >= state.speech.started_at + state.speech.limit


def _end_speech(state, now, reason) -> tuple[State, list[dict]]:
    speech = state.speech
    if speech is None:
        return state, []
    ended_at = min(now, speech.started_at + speech.limit)
    event = {
        "type": "speech_ended",
        "member": speech.member,
        "side": speech.side,
        "motion": speech.motion,
        "started_at": speech.started_at,
        "ended_at": ended_at,
        "reason": reason,
    }
    return replace(state, speech=None), [event]


def next_speaker(rules: Rules, state: State) -> Request | None:
    """Who gets the floor next: a point of order; then members who have not spoken on this motion; among
    them the side opposite to the last speaker if anyone of it waits; then order of request."""
    if not state.queue:
        return None
    orders = [r for r in state.queue if r.side == "order"]
    if orders:
        return min(orders, key=lambda r: r.seq)
    motion = state.pending_stated()
    motion_id = motion.id if motion else None
    candidates = sorted(state.queue, key=lambda r: r.seq)
    if rules.first_time_first and motion_id is not None:
        fresh = [r for r in candidates if state.spoken_count(motion_id, r.member) == 0]
        if fresh:
            candidates = fresh
    if rules.alternate_sides and motion_id is not None:
        last = dict(state.last_side).get(motion_id)
        if last is not None:
            opposite = [r for r in candidates if r.side not in (last, "order")]
            if opposite:
                candidates = opposite
    return candidates[0]


def outcome(rules: Rules, kind: str, ballots: dict[str, str], present: int) -> tuple[bool, dict]:
    """Apply the motion kind's threshold exactly. Abstentions are not counted; ties fail."""
    yes = sum(1 for v in ballots.values() if v == "yes")
    no = sum(1 for v in ballots.values() if v == "no")
    abstain = sum(1 for v in ballots.values() if v == "abstain")
    threshold = rules.threshold(kind)
    if threshold == MAJORITY_PRESENT:
        adopted = Fraction(yes) > Fraction(present, 2)
    elif threshold == TWO_THIRDS_CAST:
        adopted = yes + no > 0 and Fraction(yes, yes + no) >= Fraction(2, 3)
    else:
        adopted = Fraction(yes) > Fraction(yes + no, 2)
    return adopted, {"yes": yes, "no": no, "abstain": abstain, "present": present, "threshold": threshold}


# --- the engine -----------------------------------------------------------------------------------


def apply(rules: Rules, state: State, command: dict) -> tuple[State, list[dict]]:
    """Apply one command. `command` has "type", "actor", "now" (server time in seconds) and arguments."""
    kind, actor, now = command.get("type"), command.get("actor"), float(command.get("now", 0))
    events: list[dict] = []
    if _time_up(state, now):  # a speech past its limit ends at its limit, whatever comes next
        state, events = _end_speech(state, now, "time_up")
    handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        _err("unknown_command", gettext_noop("Unknown command."))
    try:
        state, more = handler(rules, state, actor, now, command)
    except (TypeError, ValueError, KeyError, AttributeError):
        # an argument of the wrong kind from a client ("seconds": "x", a list for a name): refused, not a crash
        _err("command_invalid", gettext_noop("This command is not valid."))
    events = events + more
    state = replace(state, seq=state.seq + len(events))
    return state, events


def _open_session(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.phase != "scheduled":
        _err("already_open", gettext_noop("The session has already been opened."))
    if not _quorum_ok(rules, state):
        _err(
            "no_quorum",
            gettext_noop("There is no quorum: %(present)s present, %(needed)s needed."),
            present=len(state.present),
            needed=rules.quorum(len(state.members)),
        )
    item = 0 if state.items else None
    return replace(state, phase="open", item=item, reached_quorum=True), [
        {"type": "session_opened", "present": sorted(state.present), "quorum": rules.quorum(len(state.members))}
    ]


def _record_not_held(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.phase != "scheduled":
        _err("already_open", gettext_noop("The session has already been opened."))
    if _quorum_ok(rules, state):
        _err("has_quorum", gettext_noop("The session has a quorum: open it instead."))
    return replace(state, phase="not_held"), [{"type": "session_not_held", "present": sorted(state.present)}]


def _check_in(rules, state, actor, now, c):
    if actor not in state.members:
        _err("not_a_member", gettext_noop("Only members of the council can do this."))
    if state.phase in ("closed", "not_held"):
        _err("session_over", gettext_noop("The session is over."))
    if actor in state.present:
        _err("already_present", gettext_noop("You are already checked in."))
    present = state.present | {actor}
    return replace(
        state,
        present=present,
        reached_quorum=state.reached_quorum or _quorum_ok(rules, replace(state, present=present)),
    ), [{"type": "checked_in", "member": actor, "present": len(present)}]


def _check_out(rules, state, actor, now, c):
    if actor not in state.present:
        _err("not_checked_in", gettext_noop("Check in first."))
    events: list[dict] = []
    if state.speech and state.speech.member == actor:
        state, events = _end_speech(state, now, "left")
    queue = tuple(r for r in state.queue if r.member != actor)
    present = state.present - {actor}
    return replace(state, present=present, queue=queue), [
        *events,
        {"type": "checked_out", "member": actor, "present": len(present)},
    ]


def _make_motion(rules, state, actor, now, c):
    _need_open(state)
    _need_member_present(state, actor)
    if actor == state.chair:
        _err("chair_neutral", gettext_noop("The chair does not make motions; hand over the chair first."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    motion_kind = c.get("kind", "main")
    if motion_kind not in RANKS:
        _err("unknown_motion", gettext_noop("Unknown kind of motion."))
    top = state.pending
    if motion_kind == "main":
        if top is not None:
            _err("motion_pending", gettext_noop("Another motion is pending: one main motion at a time."))
        if state.item is None and state.items:
            _err("no_item", gettext_noop("There is no agenda item before the council."))
    else:
        if top is None and motion_kind in APPLIES_TO_PENDING:
            _err("nothing_pending", gettext_noop("There is no pending motion to apply this to."))
        if top is not None and top.status != "pending":
            _err("awaiting_second", gettext_noop("The pending motion still needs a second."))
        if (
            top is not None
            and RANKS[motion_kind] <= RANKS[top.kind]
            and not (motion_kind == "amend" and top.kind == "amend")
        ):
            _err("out_of_order", gettext_noop("This motion does not outrank the one pending."))
        if motion_kind == "amend":
            if top.kind not in ("main", "amend"):
                _err("not_amendable", gettext_noop("Only a main motion or an amendment can be amended."))
            depth = top.depth + 1
            if depth > rules.amendment_depth:
                _err(
                    "amendment_too_deep",
                    gettext_noop("Amendments can go %(depth)s levels deep at most."),
                    depth=rules.amendment_depth,
                )
    text = " ".join(str(c.get("text", "")).split())
    if motion_kind in ("main", "amend") and not text:
        _err("motion_text_missing", gettext_noop("Say what the motion is."))
    depth = (top.depth + 1) if motion_kind == "amend" else 0
    motion = Motion(
        id=state.next_id,
        kind=motion_kind,
        mover=actor,
        text=text,
        item=state.item,
        depth=depth,
        status="awaiting_second" if rules.seconds_required else "pending",
    )
    events = [
        {"type": "motion_made", "motion": motion.id, "kind": motion_kind, "mover": actor, "text": text, "depth": depth}
    ]
    if not rules.seconds_required:
        events.append({"type": "question_stated", "motion": motion.id})
    return replace(state, stack=(*state.stack, motion), next_id=state.next_id + 1), events


def _second(rules, state, actor, now, c):
    _need_open(state)
    _need_member_present(state, actor)
    top = state.pending
    if top is None or top.status != "awaiting_second":
        _err("nothing_to_second", gettext_noop("There is no motion waiting for a second."))
    if actor == top.mover:
        _err("own_motion", gettext_noop("The mover cannot second their own motion."))
    if actor == state.chair:
        _err("chair_neutral", gettext_noop("The chair does not second motions."))
    seconded = replace(top, seconded_by=actor, status="pending")
    return replace(state, stack=(*state.stack[:-1], seconded)), [
        {"type": "seconded", "motion": top.id, "member": actor},
        {"type": "question_stated", "motion": top.id},
    ]


def _withdraw_motion(rules, state, actor, now, c):
    _need_open(state)
    top = state.pending
    if top is None or top.mover != actor:
        _err("not_your_motion", gettext_noop("Only the mover can withdraw the pending motion."))
    if top.status == "pending" and state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    events: list[dict] = []
    if state.speech is not None:
        state, events = _end_speech(state, now, "motion_withdrawn")
    return replace(state, stack=state.stack[:-1], queue=tuple(r for r in state.queue if r.side == "order")), [
        *events,
        {"type": "motion_withdrawn", "motion": top.id},
    ]


def _request_floor(rules, state, actor, now, c):
    _need_open(state)
    _need_member_present(state, actor)
    side = c.get("side")
    if side not in ("for", "against"):
        _err("side_required", gettext_noop("Say whether you speak for or against."))
    if actor == state.chair:
        _err("chair_neutral", gettext_noop("The chair stays neutral; hand over the chair to speak on the substance."))
    motion = state.pending_stated()
    if motion is None or motion.kind not in DEBATABLE:
        _err("nothing_to_debate", gettext_noop("There is no debatable motion before the council."))
    if motion.id in state.debate_closed:
        _err("debate_closed", gettext_noop("Debate on this motion has been closed."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    if any(r.member == actor and r.side != "order" for r in state.queue):
        _err("already_waiting", gettext_noop("You are already waiting for the floor."))
    if state.speech and state.speech.member == actor:
        _err("already_speaking", gettext_noop("You have the floor."))
    if state.spoken_count(motion.id, actor) >= rules.speeches_per_member:
        _err(
            "speech_limit",
            gettext_noop("You have spoken %(n)s times on this motion, the limit."),
            n=rules.speeches_per_member,
        )
    request = Request(member=actor, side=side, seq=state.seq + 1)
    return replace(state, queue=(*state.queue, request)), [{"type": "floor_requested", "member": actor, "side": side}]


def _withdraw_request(rules, state, actor, now, c):
    if not any(r.member == actor for r in state.queue):
        _err("not_waiting", gettext_noop("You are not waiting for the floor."))
    return replace(state, queue=tuple(r for r in state.queue if r.member != actor)), [
        {"type": "request_withdrawn", "member": actor}
    ]


def _point_of_order(rules, state, actor, now, c):
    _need_open(state)
    _need_member_present(state, actor)
    text = " ".join(str(c.get("text", "")).split())
    if not text:
        _err("point_text_missing", gettext_noop("Say what the point of order is."))
    request = Request(member=actor, side="order", seq=state.seq + 1, text=text)
    return replace(state, queue=(*state.queue, request)), [{"type": "point_of_order", "member": actor, "text": text}]


def _grant_floor(rules, state, actor, now, c):
    _need_open(state)
    _need_chair(state, actor)
    chosen = next_speaker(rules, state)
    if chosen is None:
        _err("queue_empty", gettext_noop("Nobody is waiting for the floor."))
    events: list[dict] = []
    if state.speech is not None:
        if chosen.side != "order":
            _err("floor_taken", gettext_noop("Someone has the floor."))
        state, events = _end_speech(state, now, "interrupted")  # a point of order interrupts
    motion = state.pending_stated()
    motion_id = motion.id if motion and chosen.side != "order" else None
    limit = rules.speech_seconds if chosen.side != "order" else 60
    speech = Speech(member=chosen.member, side=chosen.side, motion=motion_id, started_at=now, limit=limit)
    queue = tuple(r for r in state.queue if r != chosen)
    spoken, last_side = state.spoken, state.last_side
    if motion_id is not None:
        count = state.spoken_count(motion_id, chosen.member) + 1
        spoken = (
            *tuple(x for x in spoken if not (x[0] == motion_id and x[1] == chosen.member)),
            (motion_id, chosen.member, count),
        )
        last_side = (*tuple(x for x in last_side if x[0] != motion_id), (motion_id, chosen.side))
    return replace(state, speech=speech, queue=queue, spoken=spoken, last_side=last_side), [
        *events,
        {
            "type": "floor_granted",
            "member": chosen.member,
            "side": chosen.side,
            "motion": motion_id,
            "started_at": now,
            "limit": limit,
            "text": chosen.text,
        },
    ]


def _yield_floor(rules, state, actor, now, c):
    if state.speech is None:
        _err("nobody_speaking", gettext_noop("Nobody has the floor."))
    if actor not in (state.speech.member, state.chair):
        _err("not_your_floor", gettext_noop("Only the speaker or the chair can end the speech."))
    return _end_speech(state, now, "yielded" if actor == state.speech.member else "chair")


def _extend_time(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.speech is None:
        _err("nobody_speaking", gettext_noop("Nobody has the floor."))
    seconds = int(c.get("seconds", 60))
    if not 0 < seconds <= rules.speech_seconds:
        _err("extension_invalid", gettext_noop("An extension is at most one speech's time."))
    speech = replace(state.speech, limit=state.speech.limit + seconds)
    return replace(state, speech=speech), [{"type": "time_extended", "member": speech.member, "limit": speech.limit}]


def _rule_on_point(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.speech is None or state.speech.side != "order":
        _err("no_point_of_order", gettext_noop("No point of order is being heard."))
    upheld = bool(c.get("upheld"))
    state, events = _end_speech(state, now, "ruled")
    return state, [
        *events,
        {"type": "ruling", "upheld": upheld, "member": c.get("member") or "", "note": str(c.get("note", ""))[:500]},
    ]


def _open_vote(rules, state, actor, now, c):
    _need_open(state)
    _need_chair(state, actor)
    motion = state.pending_stated()
    if motion is None:
        _err("nothing_to_vote", gettext_noop("There is no stated motion to vote on."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    if not _quorum_ok(rules, state):
        _err(
            "no_quorum",
            gettext_noop("There is no quorum: %(present)s present, %(needed)s needed."),
            present=len(state.present),
            needed=rules.quorum(len(state.members)),
        )
    if (
        motion.kind in DEBATABLE
        and motion.id not in state.debate_closed
        and any(r.side != "order" for r in state.queue)
    ):
        _err(
            "speakers_waiting",
            gettext_noop("Members are still waiting to speak: close debate first (previous question)."),
        )
    events: list[dict] = []
    if state.speech is not None:
        state, events = _end_speech(state, now, "vote")
    eligible = frozenset(state.present - {state.chair})
    return replace(state, vote=Vote(motion=motion.id, eligible=eligible), queue=()), [
        *events,
        {"type": "vote_opened", "motion": motion.id, "kind": motion.kind, "eligible": len(eligible)},
    ]


def _cast_vote(rules, state, actor, now, c):
    _need_open(state)
    if state.vote is None:
        _err("no_vote", gettext_noop("No vote is open."))
    if actor not in state.vote.eligible:
        _err("not_eligible_to_vote", gettext_noop("Only members present when the vote opened can vote."))
    if any(member == actor for member, _v in state.vote.ballots):
        _err("already_voted", gettext_noop("You have already voted."))
    choice = c.get("choice")
    if choice not in ("yes", "no", "abstain"):
        _err("choice_invalid", gettext_noop("Vote yes, no or abstain."))
    vote = replace(state.vote, ballots=(*state.vote.ballots, (actor, choice)))
    event = {"type": "vote_cast", "motion": vote.motion, "count": len(vote.ballots)}
    if not rules.secret_votes:
        event["member"], event["choice"] = actor, choice
    return replace(state, vote=vote), [event]


def _close_vote(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.vote is None:
        _err("no_vote", gettext_noop("No vote is open."))
    motion = next(m for m in state.stack if m.id == state.vote.motion)
    ballots = dict(state.vote.ballots)
    adopted, counts = outcome(rules, motion.kind, ballots, len(state.vote.eligible))
    result = (motion.id, adopted, tuple(sorted(counts.items())))
    return replace(state, vote=None, result=result), [
        {"type": "vote_closed", "motion": motion.id, "adopted": adopted, **counts}
    ]


def _announce(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.result is None:
        _err("nothing_to_announce", gettext_noop("There is no result to announce."))
    motion_id, adopted, counts = state.result
    motion = next(m for m in state.stack if m.id == motion_id)
    stack = tuple(m for m in state.stack if m.id != motion_id)
    events = [
        {
            "type": "result_announced",
            "motion": motion_id,
            "kind": motion.kind,
            "adopted": adopted,
            "text": motion.text,
            "item": motion.item,
            **dict(counts),
        }
    ]
    phase = state.phase
    if adopted and motion.kind == "previous_question":
        # debate on the motion below ends: its vote comes next
        below = stack[-1].id if stack else None
        events.append({"type": "debate_closed", "motion": below})
        closed = state.debate_closed | ({below} if below is not None else set())
        state = replace(
            state, queue=tuple(r for r in state.queue if r.side == "order"), debate_closed=frozenset(closed)
        )
    elif adopted and motion.kind in ("refer", "postpone"):
        # the motion it applies to leaves the floor with it
        stack = tuple(m for m in stack if m.kind not in ("main", "amend"))
        events.append({"type": "motion_set_aside", "how": motion.kind})
    elif adopted and motion.kind == "recess":
        phase = "recess"
    elif adopted and motion.kind == "adjourn":
        phase, stack = "closed", ()
        events.append({"type": "session_closed", "reason": "adjourned"})
    elif adopted and motion.kind == "amend" and stack:
        below = stack[-1]
        stack = (*stack[:-1], replace(below, text=motion.text))
        events.append({"type": "motion_amended", "motion": below.id, "text": motion.text})
    return replace(state, stack=stack, result=None, phase=phase), events


def _resume(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.phase != "recess":
        _err("not_in_recess", gettext_noop("The session is not in recess."))
    return replace(state, phase="open"), [{"type": "session_resumed"}]


def _next_item(rules, state, actor, now, c):
    _need_open(state)
    _need_chair(state, actor)
    if state.stack:
        _err("motion_pending", gettext_noop("Another motion is pending: one main motion at a time."))
    if state.item is None or state.item + 1 >= len(state.items):
        _err("no_more_items", gettext_noop("This was the last agenda item."))
    return replace(state, item=state.item + 1, queue=()), [
        {"type": "item_opened", "item": state.item + 1, "title": state.items[state.item + 1]}
    ]


def _hand_over_chair(rules, state, actor, now, c):
    _need_chair(state, actor)
    target = c.get("member")
    if target not in state.present or target == actor:
        _err("chair_target_invalid", gettext_noop("Hand the chair to another member who is present."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    return replace(state, chair=target, queue=tuple(r for r in state.queue if r.member != target)), [
        {"type": "chair_handed_over", "from": actor, "to": target}
    ]


def _close_session(rules, state, actor, now, c):
    _need_chair(state, actor)
    if state.phase not in ("open", "recess"):
        _err("session_not_open", gettext_noop("The session is not open."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    events: list[dict] = []
    if state.speech is not None:
        state, events = _end_speech(state, now, "session_closed")
    return replace(state, phase="closed", stack=(), queue=()), [*events, {"type": "session_closed", "reason": "chair"}]


_HANDLERS = {
    "open_session": _open_session,
    "record_not_held": _record_not_held,
    "check_in": _check_in,
    "check_out": _check_out,
    "make_motion": _make_motion,
    "second": _second,
    "withdraw_motion": _withdraw_motion,
    "request_floor": _request_floor,
    "withdraw_request": _withdraw_request,
    "point_of_order": _point_of_order,
    "grant_floor": _grant_floor,
    "yield_floor": _yield_floor,
    "extend_time": _extend_time,
    "rule_on_point": _rule_on_point,
    "open_vote": _open_vote,
    "cast_vote": _cast_vote,
    "close_vote": _close_vote,
    "announce": _announce,
    "resume": _resume,
    "next_item": _next_item,
    "hand_over_chair": _hand_over_chair,
    "close_session": _close_session,
}
COMMANDS = tuple(_HANDLERS)


def check_invariants(rules: Rules, state: State) -> None:
    """What must hold after any sequence of commands (the property-based tests call this)."""
    assert state.present <= state.members
    assert state.chair in state.members
    mains = [m for m in state.stack if m.kind == "main"]
    assert len(mains) <= 1, "one main motion at a time"
    if mains:
        assert state.stack[0].kind == "main"
    for lower, upper in zip(state.stack, state.stack[1:], strict=False):
        assert RANKS[upper.kind] > RANKS[lower.kind] or (upper.kind == lower.kind == "amend"), "stack order"
        assert lower.status == "pending", "only the top motion can await its second"
    assert all(m.depth <= rules.amendment_depth for m in state.stack)
    for _motion, _member, count in state.spoken:
        assert count <= rules.speeches_per_member
    if state.speech is not None:
        assert state.speech.member in state.members
    if state.vote is not None:
        assert any(m.id == state.vote.motion for m in state.stack)
        voters = [member for member, _v in state.vote.ballots]
        assert len(voters) == len(set(voters)) and set(voters) <= state.vote.eligible
        assert state.chair not in state.vote.eligible
    assert len({r.member for r in state.queue if r.side != "order"}) == len(
        [r for r in state.queue if r.side != "order"]
    )
    assert state.phase in ("scheduled", "open", "recess", "closed", "not_held")


# --- storing the state ----------------------------------------------------------------------------


def state_to_json(state: State) -> dict:
    return {
        "members": sorted(state.members),
        "chair": state.chair,
        "phase": state.phase,
        "present": sorted(state.present),
        "items": list(state.items),
        "item": state.item,
        "stack": [m.__dict__ for m in state.stack],
        "queue": [r.__dict__ for r in state.queue],
        "speech": state.speech.__dict__ if state.speech else None,
        "spoken": [list(x) for x in state.spoken],
        "last_side": [list(x) for x in state.last_side],
        "vote": {
            "motion": state.vote.motion,
            "eligible": sorted(state.vote.eligible),
            "ballots": [list(b) for b in state.vote.ballots],
        }
        if state.vote
        else None,
        "result": [state.result[0], state.result[1], [list(x) for x in state.result[2]]] if state.result else None,
        "next_id": state.next_id,
        "seq": state.seq,
        "reached_quorum": state.reached_quorum,
        "debate_closed": sorted(state.debate_closed),
    }


def state_from_json(data: dict) -> State:
    vote = data.get("vote")
    result = data.get("result")
    return State(
        members=frozenset(data["members"]),
        chair=data["chair"],
        phase=data["phase"],
        present=frozenset(data["present"]),
        items=tuple(data["items"]),
        item=data["item"],
        stack=tuple(Motion(**m) for m in data["stack"]),
        queue=tuple(Request(**r) for r in data["queue"]),
        speech=Speech(**data["speech"]) if data["speech"] else None,
        spoken=tuple(tuple(x) for x in data["spoken"]),
        last_side=tuple(tuple(x) for x in data["last_side"]),
        vote=Vote(
            motion=vote["motion"],
            eligible=frozenset(vote["eligible"]),
            ballots=tuple(tuple(b) for b in vote["ballots"]),
        )
        if vote
        else None,
        result=(result[0], result[1], tuple(tuple(x) for x in result[2])) if result else None,
        next_id=data["next_id"],
        seq=data["seq"],
        reached_quorum=data["reached_quorum"],
        debate_closed=frozenset(data.get("debate_closed", [])),
    )


def rules_from_preset(preset: str, overrides: dict | None = None) -> Rules:
    rules = PRESETS.get(preset, PRESETS["nantang"])
    allowed = {
        "speech_seconds",
        "speeches_per_member",
        "alternate_sides",
        "first_time_first",
        "seconds_required",
        "amendment_depth",
        "secret_votes",
        "quorum_kind",
    }
    overrides = overrides or {}
    changes = {k: v for k, v in overrides.items() if k in allowed}
    if "quorum_value" in overrides:
        changes["quorum_value"] = Fraction(str(overrides["quorum_value"]))
    return replace(rules, **changes)
