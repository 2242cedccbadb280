"""The rules of order for a live council session (民主议事规则), as a pure engine.

No Django, no database, no clock of its own: `apply(rules, state, command)` takes the rule set, the
current state and one command (with the actor and the server's time) and returns an `Applied` (the new
state and the events it caused), or raises `ProcedureError` with a stable code. The command is
well-formed: `deliberation.commands` parses what clients send before it gets here, so a TypeError or
KeyError in a handler is a bug and surfaces as one. The services load the state under a row lock, apply,
store the records and publish the events.

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
- thresholds computed exactly (fractions), chosen per kind of motion: a majority or two thirds of the
  votes cast, of the members present or of all the members; abstentions are not votes cast; ties fail;
- the chair as the rules set say: a full member, a member who votes only where the vote decides the
  result (a casting vote: it breaks or makes a tie), or not a member at all (not counted for quorum);
- a point of order interrupts a speech; after the ruling the speaker resumes with the time left, and the
  resumption is not another speech; a speaker's request waits with the motion it was made on, so a
  failed vote on closing debate, referral or postponement returns to the debate below as it was.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from .rules import (
    APPLIES_TO_PENDING,
    DEBATABLE,
    RANKS,
    ChairMode,
    Choice,
    MotionKind,
    MotionStatus,
    Phase,
    ProcedureError,
    Rules,
    Side,
    gettext_noop,
    passes,
)
from .state import Motion, Request, Speech, State, Vote

Event = dict[str, Any]
# A command as the engine reads it: "type", "actor", "now" (server time in seconds) and its arguments.
Command = Mapping[str, Any]
Step = tuple[State, list[Event]]
Handler = Callable[[Rules, State, str, float, Command], Step]

_MOTION_KINDS = frozenset(MotionKind)
_CHOICES = frozenset(Choice)


@dataclass(frozen=True)
class Applied:
    """What one command did: the new state and the events it caused, in order."""

    state: State
    events: list[Event]


def _err(code: str, message: str, **params: Any) -> NoReturn:
    raise ProcedureError(code, message, **params)


def _need_open(state: State) -> None:
    if state.phase != Phase.OPEN:
        _err("session_not_open", gettext_noop("The session is not open."))


def _need_chair(state: State, actor: str) -> None:
    if actor != state.chair:
        _err("chair_only", gettext_noop("Only the chair can do this."))


def _need_member_present(state: State, actor: str) -> None:
    if actor not in state.members:
        _err("not_a_member", gettext_noop("Only members of the council can do this."))
    if actor not in state.present:
        _err("not_checked_in", gettext_noop("Check in first."))


def _scoped(rules: Rules) -> bool:
    """Revision 2 on: requests wait with their motion, and a point of order suspends the speech."""
    return rules.revision >= 2


def waiting(rules: Rules, state: State) -> tuple[Request, ...]:
    """The requests for the floor that count now: points of order, and the requests to speak on the
    motion before the council (a request made on a motion below waits until that motion is back)."""
    if not _scoped(rules):
        return state.queue
    top = state.pending_stated()
    current = top.id if top is not None else None
    return tuple(r for r in state.queue if r.side == Side.ORDER or r.motion is None or r.motion == current)


def _quorum_ok(rules: Rules, state: State) -> bool:
    return len(state.present) >= rules.quorum(len(state.members))


def _time_up(state: State, now: float) -> bool:
    return state.speech is not None and now >= state.speech.started_at + state.speech.limit


def speech_deadline(state: State) -> float | None:
    """When the current speech reaches its limit (server time in seconds), or None when nobody speaks."""
    return state.speech.started_at + state.speech.limit if state.speech is not None else None


def time_up(state: State, now: float) -> Applied:
    """The server's clock: a speech past its limit ends at its limit (`speech_ended`, reason time_up).
    Nothing happens when nobody speaks or the limit is still ahead, so a second claimant of the same
    deadline, or one that comes after a command already ended the speech, finds it done."""
    if not _time_up(state, now):
        return Applied(state=state, events=[])
    state, events = _end_speech(state, now, "time_up")
    return Applied(state=replace(state, seq=state.seq + len(events)), events=events)


def _end_speech(state: State, now: float, reason: str) -> Step:
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
    queue = waiting(rules, state)
    if not queue:
        return None
    orders = [r for r in queue if r.side == Side.ORDER]
    if orders:
        return min(orders, key=lambda r: r.seq)
    motion = state.pending_stated()
    motion_id = motion.id if motion else None
    candidates = sorted(queue, key=lambda r: r.seq)
    if rules.first_time_first and motion_id is not None:
        fresh = [r for r in candidates if state.spoken_count(motion_id, r.member) == 0]
        if fresh:
            candidates = fresh
    if rules.alternate_sides and motion_id is not None:
        last = dict(state.last_side).get(motion_id)
        if last is not None:
            opposite = [r for r in candidates if r.side not in (last, Side.ORDER)]
            if opposite:
                candidates = opposite
    return candidates[0]


def outcome(
    rules: Rules,
    kind: str,
    ballots: Mapping[str, str],
    present: int,
    members: int | None = None,
    casting: str | None = None,
) -> tuple[bool, dict[str, Any]]:
    """Apply the motion kind's threshold exactly (rules.passes). Abstentions are not counted; ties fail.
    `present`: members present when the vote opened; `members`: all the members (default: present).
    `casting`: the chair's casting vote, counted only when it changes the result."""
    threshold = rules.threshold(kind)
    total = present if members is None else members

    def count(choices: list[str]) -> tuple[bool, dict[str, Any]]:
        yes, no = choices.count("yes"), choices.count("no")
        adopted = passes(threshold, yes=yes, no=no, present=present, members=total)
        return adopted, {
            "yes": yes,
            "no": no,
            "abstain": choices.count("abstain"),
            "present": present,
            "threshold": threshold,
        }

    choices = [str(v) for v in ballots.values()]
    adopted, counts = count(choices)
    if casting is not None:
        decided, with_chair = count([*choices, str(casting)])
        if decided != adopted:
            return decided, with_chair
    return adopted, counts


# --- the engine -----------------------------------------------------------------------------------


def apply(rules: Rules, state: State, command: Command) -> Applied:
    """Apply one command: "type", "actor", "now" (server time in seconds) and the command's arguments."""
    kind, actor, now = command.get("type"), str(command.get("actor", "")), float(command.get("now", 0))
    events: list[Event] = []
    if _time_up(state, now):  # a speech past its limit ends at its limit, whatever comes next
        speaker = state.speech.member if state.speech else ""
        state, events = _end_speech(state, now, "time_up")
        if kind == "yield_floor" and actor in (speaker, state.chair):
            # the speaker (or the chair) ends a speech whose time is up: it ended at its limit
            return Applied(state=replace(state, seq=state.seq + len(events)), events=events)
    handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        _err("unknown_command", gettext_noop("Unknown command."))
    state, more = handler(rules, state, actor, now, command)
    events = events + more
    return Applied(state=replace(state, seq=state.seq + len(events)), events=events)


def seat_chair(rules: Rules, state: State) -> State:
    """The members as the rules count them: with the chair, or without (ChairMode.OUTSIDE)."""
    if rules.chair_mode == ChairMode.OUTSIDE:
        return replace(state, members=state.members - {state.chair}, present=state.present - {state.chair})
    return replace(state, members=state.members | {state.chair})


def _open_session(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    if state.phase != Phase.SCHEDULED:
        _err("already_open", gettext_noop("The session has already been opened."))
    state = seat_chair(rules, state)
    if not _quorum_ok(rules, state):
        _err(
            "no_quorum",
            gettext_noop("There is no quorum: %(present)s present, %(needed)s needed."),
            present=len(state.present),
            needed=rules.quorum(len(state.members)),
        )
    item = 0 if state.items else None
    return replace(state, phase=Phase.OPEN, item=item, reached_quorum=True), [
        {"type": "session_opened", "present": sorted(state.present), "quorum": rules.quorum(len(state.members))}
    ]


def _record_not_held(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    if state.phase != Phase.SCHEDULED:
        _err("already_open", gettext_noop("The session has already been opened."))
    state = seat_chair(rules, state)
    if _quorum_ok(rules, state):
        _err("has_quorum", gettext_noop("The session has a quorum: open it instead."))
    return replace(state, phase=Phase.NOT_HELD), [{"type": "session_not_held", "present": sorted(state.present)}]


def _check_in(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    if actor not in state.members:
        _err("not_a_member", gettext_noop("Only members of the council can do this."))
    if state.phase in (Phase.CLOSED, Phase.NOT_HELD):
        _err("session_over", gettext_noop("The session is over."))
    if actor in state.present:
        _err("already_present", gettext_noop("You are already checked in."))
    present = state.present | {actor}
    return replace(
        state,
        present=present,
        reached_quorum=state.reached_quorum or _quorum_ok(rules, replace(state, present=present)),
    ), [{"type": "checked_in", "member": actor, "present": len(present)}]


def _check_out(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    if actor not in state.present:
        _err("not_checked_in", gettext_noop("Check in first."))
    events: list[Event] = []
    if state.speech and state.speech.member == actor:
        state, events = _end_speech(state, now, "left")
    queue = tuple(r for r in state.queue if r.member != actor)
    present = state.present - {actor}
    interrupted = state.interrupted if state.interrupted is None or state.interrupted.member != actor else None
    return replace(state, present=present, queue=queue, interrupted=interrupted), [
        *events,
        {"type": "checked_out", "member": actor, "present": len(present)},
    ]


def _make_motion(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    _need_member_present(state, actor)
    if actor == state.chair:
        _err("chair_neutral", gettext_noop("The chair does not make motions; hand over the chair first."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    raw_kind = c.get("kind", "main")
    if raw_kind not in _MOTION_KINDS:
        _err("unknown_motion", gettext_noop("Unknown kind of motion."))
    motion_kind = MotionKind(raw_kind)
    top = state.pending
    if motion_kind == "main":
        if top is not None:
            _err("motion_pending", gettext_noop("Another motion is pending: one main motion at a time."))
        if state.item is None and state.items:
            _err("no_item", gettext_noop("There is no agenda item before the council."))
    else:
        if top is None and motion_kind in APPLIES_TO_PENDING:
            _err("nothing_pending", gettext_noop("There is no pending motion to apply this to."))
        if top is not None and top.status != MotionStatus.PENDING:
            _err("awaiting_second", gettext_noop("The pending motion still needs a second."))
        if (
            top is not None
            and RANKS[motion_kind] <= RANKS[top.kind]
            and not (motion_kind == "amend" and top.kind == "amend")
        ):
            _err("out_of_order", gettext_noop("This motion does not outrank the one pending."))
        if motion_kind == MotionKind.AMEND:
            if top is None or top.kind not in (MotionKind.MAIN, MotionKind.AMEND):
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
    depth = (top.depth + 1) if motion_kind == MotionKind.AMEND and top is not None else 0
    motion = Motion(
        id=state.next_id,
        kind=motion_kind,
        mover=actor,
        text=text,
        item=state.item,
        depth=depth,
        status=MotionStatus.AWAITING_SECOND if rules.seconds_required else MotionStatus.PENDING,
    )
    events = [
        {"type": "motion_made", "motion": motion.id, "kind": motion_kind, "mover": actor, "text": text, "depth": depth}
    ]
    if not rules.seconds_required:
        events.append({"type": "question_stated", "motion": motion.id})
    return replace(state, stack=(*state.stack, motion), next_id=state.next_id + 1), events


def _second(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    _need_member_present(state, actor)
    top = state.pending
    if top is None or top.status != MotionStatus.AWAITING_SECOND:
        _err("nothing_to_second", gettext_noop("There is no motion waiting for a second."))
    if actor == top.mover:
        _err("own_motion", gettext_noop("The mover cannot second their own motion."))
    if actor == state.chair:
        _err("chair_neutral", gettext_noop("The chair does not second motions."))
    seconded = replace(top, seconded_by=actor, status=MotionStatus.PENDING)
    return replace(state, stack=(*state.stack[:-1], seconded)), [
        {"type": "seconded", "motion": top.id, "member": actor},
        {"type": "question_stated", "motion": top.id},
    ]


def _withdraw_motion(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    top = state.pending
    if top is None or top.mover != actor:
        _err("not_your_motion", gettext_noop("Only the mover can withdraw the pending motion."))
    if top.status == MotionStatus.PENDING and state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    events: list[Event] = []
    if state.speech is not None:
        state, events = _end_speech(state, now, "motion_withdrawn")
    if _scoped(rules):  # the requests made on the motion go with it; those on the motion below wait on
        queue = tuple(r for r in state.queue if r.motion != top.id)
    else:
        queue = tuple(r for r in state.queue if r.side == Side.ORDER)
    return replace(state, stack=state.stack[:-1], queue=queue, interrupted=None), [
        *events,
        {"type": "motion_withdrawn", "motion": top.id},
    ]


def _request_floor(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    _need_member_present(state, actor)
    raw_side = c.get("side")
    if raw_side not in (Side.FOR, Side.AGAINST):
        _err("side_required", gettext_noop("Say whether you speak for or against."))
    side = Side(raw_side)
    if actor == state.chair:
        _err("chair_neutral", gettext_noop("The chair stays neutral; hand over the chair to speak on the substance."))
    motion = state.pending_stated()
    if motion is None or motion.kind not in DEBATABLE:
        _err("nothing_to_debate", gettext_noop("There is no debatable motion before the council."))
    if motion.id in state.debate_closed:
        _err("debate_closed", gettext_noop("Debate on this motion has been closed."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    if any(r.member == actor and r.side != Side.ORDER for r in waiting(rules, state)):
        _err("already_waiting", gettext_noop("You are already waiting for the floor."))
    if state.speech and state.speech.member == actor:
        _err("already_speaking", gettext_noop("You have the floor."))
    if state.spoken_count(motion.id, actor) >= rules.speeches_per_member:
        _err(
            "speech_limit",
            gettext_noop("You have spoken %(n)s times on this motion, the limit."),
            n=rules.speeches_per_member,
        )
    request = Request(member=actor, side=side, seq=state.seq + 1, motion=motion.id if _scoped(rules) else None)
    return replace(state, queue=(*state.queue, request)), [{"type": "floor_requested", "member": actor, "side": side}]


def _withdraw_request(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    if not any(r.member == actor for r in state.queue):
        _err("not_waiting", gettext_noop("You are not waiting for the floor."))
    return replace(state, queue=tuple(r for r in state.queue if r.member != actor)), [
        {"type": "request_withdrawn", "member": actor}
    ]


def _point_of_order(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    _need_member_present(state, actor)
    text = " ".join(str(c.get("text", "")).split())
    if not text:
        _err("point_text_missing", gettext_noop("Say what the point of order is."))
    request = Request(member=actor, side=Side.ORDER, seq=state.seq + 1, text=text)
    return replace(state, queue=(*state.queue, request)), [{"type": "point_of_order", "member": actor, "text": text}]


def _grant_floor(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    _need_chair(state, actor)
    chosen = next_speaker(rules, state)
    if chosen is None:
        _err("queue_empty", gettext_noop("Nobody is waiting for the floor."))
    events: list[Event] = []
    if state.speech is not None:
        if chosen.side != Side.ORDER:
            _err("floor_taken", gettext_noop("Someone has the floor."))
        interrupted = state.speech
        state, events = _end_speech(state, now, "interrupted")  # a point of order interrupts
        if _scoped(rules) and interrupted.side != Side.ORDER:  # the speaker resumes after the ruling
            left = math.ceil(interrupted.started_at + interrupted.limit - now)
            state = replace(state, interrupted=replace(interrupted, limit=max(1, left)))
    elif chosen.side != Side.ORDER:
        if state.vote is not None:
            _err("vote_in_progress", gettext_noop("A vote is in progress."))
        if state.interrupted is not None:
            _err("ruling_pending", gettext_noop("Rule on the point of order first."))
    motion = state.pending_stated()
    motion_id = motion.id if motion and chosen.side != Side.ORDER else None
    limit = rules.speech_seconds if chosen.side != Side.ORDER else 60
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


def _yield_floor(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    if state.speech is None:
        _err("nobody_speaking", gettext_noop("Nobody has the floor."))
    if actor not in (state.speech.member, state.chair):
        _err("not_your_floor", gettext_noop("Only the speaker or the chair can end the speech."))
    return _end_speech(state, now, "yielded" if actor == state.speech.member else "chair")


def _extend_time(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    if state.speech is None:
        _err("nobody_speaking", gettext_noop("Nobody has the floor."))
    seconds = int(c.get("seconds", 60))
    if not 0 < seconds <= rules.speech_seconds:
        _err("extension_invalid", gettext_noop("An extension is at most one speech's time."))
    speech = replace(state.speech, limit=state.speech.limit + seconds)
    return replace(state, speech=speech), [{"type": "time_extended", "member": speech.member, "limit": speech.limit}]


def _rule_on_point(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    heard = state.speech is not None and state.speech.side == Side.ORDER
    if not heard and not (state.speech is None and state.interrupted is not None):
        _err("no_point_of_order", gettext_noop("No point of order is being heard."))
    upheld = bool(c.get("upheld"))
    state, events = _end_speech(state, now, "ruled")
    events.append(
        {"type": "ruling", "upheld": upheld, "member": c.get("member") or "", "note": str(c.get("note", ""))[:500]}
    )
    resumed = state.interrupted
    if resumed is None:
        return state, events
    # the interrupted speaker resumes with the time left; it is the same speech, not another one
    speech = replace(resumed, started_at=now)
    events.append(
        {
            "type": "floor_granted",
            "member": speech.member,
            "side": speech.side,
            "motion": speech.motion,
            "started_at": now,
            "limit": speech.limit,
            "text": "",
        }
    )
    return replace(state, speech=speech, interrupted=None), events


def _open_vote(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    _need_chair(state, actor)
    motion = state.pending_stated()
    if motion is None:
        _err("nothing_to_vote", gettext_noop("There is no stated motion to vote on."))
    named = c.get("motion")
    if named is not None and named != motion.id:
        _err(
            "not_pending_question",
            gettext_noop("Only the immediately pending question (motion %(motion)s) can be put to the vote."),
            motion=motion.id,
        )
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
        and any(r.side != Side.ORDER for r in waiting(rules, state))
    ):
        _err(
            "speakers_waiting",
            gettext_noop("Members are still waiting to speak: close debate first (previous question)."),
        )
    events: list[Event] = []
    if state.speech is not None:
        state, events = _end_speech(state, now, "vote")
    if rules.chair_mode == ChairMode.MEMBER:
        eligible = frozenset(state.present)
    else:
        eligible = frozenset(state.present - {state.chair})
    if _scoped(rules):  # members waiting to speak keep their places for when the debate goes on
        present, queue = len(state.present & state.members), tuple(r for r in state.queue if r.side != Side.ORDER)
    else:
        present, queue = len(eligible), ()
    vote = Vote(motion=motion.id, eligible=eligible, present=present)
    return replace(state, vote=vote, queue=queue, interrupted=None), [
        *events,
        {"type": "vote_opened", "motion": motion.id, "kind": motion.kind, "eligible": len(eligible)},
    ]


def _cast_vote(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    if state.vote is None:
        _err("no_vote", gettext_noop("No vote is open."))
    casting = actor == state.chair and rules.chair_mode == ChairMode.CASTING and actor in state.members
    if actor not in state.vote.eligible and not casting:
        _err("not_eligible_to_vote", gettext_noop("Only members present when the vote opened can vote."))
    if any(member == actor for member, _v in state.vote.ballots) or (casting and state.vote.casting is not None):
        _err("already_voted", gettext_noop("You have already voted."))
    raw_choice = c.get("choice")
    if raw_choice not in _CHOICES:
        _err("choice_invalid", gettext_noop("Vote yes, no or abstain."))
    choice = Choice(raw_choice)
    if casting:  # the chair's vote is counted only where it decides the result (see outcome)
        vote = replace(state.vote, casting=choice)
    else:
        vote = replace(state.vote, ballots=(*state.vote.ballots, (actor, choice)))
    # `count` is of the eligible members' ballots (cast out of `eligible`); a casting vote is not among them
    event: Event = {"type": "vote_cast", "motion": vote.motion, "count": len(vote.ballots)}
    if not rules.secret_votes:
        event["member"], event["choice"] = actor, choice
    return replace(state, vote=vote), [event]


def _close_vote(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    if state.vote is None:
        _err("no_vote", gettext_noop("No vote is open."))
    motion = next(m for m in state.stack if m.id == state.vote.motion)
    ballots = dict(state.vote.ballots)
    adopted, counts = outcome(
        rules,
        motion.kind,
        ballots,
        state.vote.members_present,
        members=len(state.members),
        casting=state.vote.casting,
    )
    result = (motion.id, adopted, tuple(sorted(counts.items())))
    return replace(state, vote=None, result=result), [
        {"type": "vote_closed", "motion": motion.id, "adopted": adopted, **counts}
    ]


def _announce(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
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
        if _scoped(rules):
            queue = tuple(r for r in state.queue if r.side == Side.ORDER or r.motion not in (below, None))
        else:
            queue = tuple(r for r in state.queue if r.side == Side.ORDER)
        state = replace(state, queue=queue, debate_closed=frozenset(closed))
    elif adopted and motion.kind in ("refer", "postpone"):
        # the motion it applies to leaves the floor with it
        stack = tuple(m for m in stack if m.kind not in ("main", "amend"))
        events.append({"type": "motion_set_aside", "how": motion.kind})
    elif adopted and motion.kind == "recess":
        phase = Phase.RECESS
    elif adopted and motion.kind == "adjourn":
        phase, stack = Phase.CLOSED, ()
        events.append({"type": "session_closed", "reason": "adjourned"})
    elif adopted and motion.kind == "amend" and stack:
        amended = stack[-1]
        stack = (*stack[:-1], replace(amended, text=motion.text))
        events.append({"type": "motion_amended", "motion": amended.id, "text": motion.text})
    if _scoped(rules):  # requests on motions that are decided or set aside go with them
        on_floor = {m.id for m in stack}
        state = replace(state, queue=tuple(r for r in state.queue if r.motion is None or r.motion in on_floor))
    return replace(state, stack=stack, result=None, phase=phase), events


def _resume(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    if state.phase != Phase.RECESS:
        _err("not_in_recess", gettext_noop("The session is not in recess."))
    return replace(state, phase=Phase.OPEN), [{"type": "session_resumed"}]


def _next_item(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_open(state)
    _need_chair(state, actor)
    if state.stack:
        _err("motion_pending", gettext_noop("Another motion is pending: one main motion at a time."))
    if state.item is None or state.item + 1 >= len(state.items):
        _err("no_more_items", gettext_noop("This was the last agenda item."))
    return replace(state, item=state.item + 1, queue=(), interrupted=None), [
        {"type": "item_opened", "item": state.item + 1, "title": state.items[state.item + 1]}
    ]


def _hand_over_chair(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    target = c.get("member")
    if target not in state.present or target == actor:
        _err("chair_target_invalid", gettext_noop("Hand the chair to another member who is present."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    interrupted = state.interrupted if state.interrupted is None or state.interrupted.member != target else None
    queue = tuple(r for r in state.queue if r.member != target)
    return replace(state, chair=target, queue=queue, interrupted=interrupted), [
        {"type": "chair_handed_over", "from": actor, "to": target}
    ]


def _close_session(rules: Rules, state: State, actor: str, now: float, c: Command) -> Step:
    _need_chair(state, actor)
    if state.phase not in (Phase.OPEN, Phase.RECESS):
        _err("session_not_open", gettext_noop("The session is not open."))
    if state.vote is not None:
        _err("vote_in_progress", gettext_noop("A vote is in progress."))
    events: list[Event] = []
    if state.speech is not None:
        state, events = _end_speech(state, now, "session_closed")
    return replace(state, phase=Phase.CLOSED, stack=(), queue=(), interrupted=None), [
        *events,
        {"type": "session_closed", "reason": "chair"},
    ]


_HANDLERS: dict[str, Handler] = {
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
COMMANDS: tuple[str, ...] = tuple(_HANDLERS)


def check_invariants(rules: Rules, state: State) -> None:
    """What must hold after any sequence of commands (the property-based tests call this)."""
    assert state.present <= state.members
    if rules.chair_mode != ChairMode.OUTSIDE:
        assert state.chair in state.members or state.phase == Phase.SCHEDULED
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
        if rules.chair_mode != ChairMode.MEMBER:
            assert state.chair not in state.vote.eligible
    live = [r for r in waiting(rules, state) if r.side != Side.ORDER]
    assert len({r.member for r in live}) == len(live), "one request per member for the debate at hand"
    if state.interrupted is not None:
        assert state.interrupted.member in state.present and state.interrupted.limit >= 1
        assert state.speech is None or state.speech.side == Side.ORDER
    assert state.phase in tuple(Phase)
