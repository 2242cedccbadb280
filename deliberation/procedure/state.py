"""The state of a session under the rules of order, and its JSON form (stored on the session row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .rules import Choice, MotionKind, MotionStatus, Phase, Side


@dataclass(frozen=True)
class Motion:
    id: int
    kind: MotionKind
    mover: str
    text: str
    item: int | None
    seconded_by: str | None = None
    status: MotionStatus = MotionStatus.AWAITING_SECOND  # awaiting_second → pending
    depth: int = 0  # amendments: 1 for an amendment, 2 for an amendment to it


@dataclass(frozen=True)
class Request:
    member: str
    side: Side
    seq: int
    text: str = ""
    motion: int | None = None  # the motion the member asks to speak on (None: a point of order, or an old record)


@dataclass(frozen=True)
class Speech:
    member: str
    side: Side
    motion: int | None
    started_at: float
    limit: int


@dataclass(frozen=True)
class Vote:
    motion: int
    eligible: frozenset[str]
    ballots: tuple[tuple[str, Choice], ...] = ()  # (member, yes/no/abstain)
    present: int | None = None  # members present when it opened (None in old records: the eligible)
    casting: Choice | None = None  # the chair's vote, counted only where it decides (chair_mode casting)

    @property
    def members_present(self) -> int:
        return len(self.eligible) if self.present is None else self.present


# The last closed vote, waiting to be announced: (motion id, adopted, sorted (name, count) pairs).
Result = tuple[int, bool, tuple[tuple[str, Any], ...]]


@dataclass(frozen=True)
class State:
    members: frozenset[str]
    chair: str
    phase: Phase = Phase.SCHEDULED  # scheduled → open ⇄ recess → closed; or not_held
    present: frozenset[str] = frozenset()
    items: tuple[str, ...] = ()
    item: int | None = None
    stack: tuple[Motion, ...] = ()
    queue: tuple[Request, ...] = ()
    speech: Speech | None = None
    spoken: tuple[tuple[int, str, int], ...] = ()  # (motion id, member, speeches so far)
    last_side: tuple[tuple[int, Side], ...] = ()  # (motion id, side of the last speaker)
    vote: Vote | None = None
    result: Result | None = None
    debate_closed: frozenset[int] = frozenset()  # motions whose debate was closed (previous question)
    next_id: int = 1
    seq: int = 0
    reached_quorum: bool = False
    # A speech a point of order interrupted, waiting for the ruling: `limit` is the seconds it had left.
    interrupted: Speech | None = None

    def spoken_count(self, motion: int, member: str) -> int:
        return next((n for m, who, n in self.spoken if m == motion and who == member), 0)

    @property
    def pending(self) -> Motion | None:
        return self.stack[-1] if self.stack else None

    def pending_stated(self) -> Motion | None:
        top = self.pending
        return top if top is not None and top.status == MotionStatus.PENDING else None


def new_session(
    *, members: Iterable[str], chair: str, items: Iterable[str] = (), chair_is_member: bool = True
) -> State:
    """A scheduled session. The chair is one of the members unless the rules say the chair is not a
    member (`chair_is_member` False: ChairMode.OUTSIDE), even if the chair also holds a seat."""
    everyone = frozenset(members)
    everyone = everyone | {chair} if chair_is_member else everyone - {chair}
    return State(members=everyone, chair=chair, items=tuple(items))


# --- storing the state ----------------------------------------------------------------------------
# Enum members are strings, so the stored JSON is the same as before the enums existed.


def state_to_json(state: State) -> dict[str, Any]:
    return {
        "members": sorted(state.members),
        "chair": state.chair,
        "phase": str(state.phase),
        "present": sorted(state.present),
        "items": list(state.items),
        "item": state.item,
        "stack": [_plain(asdict(m)) for m in state.stack],
        "queue": [_plain(asdict(r)) for r in state.queue],
        "speech": _plain(asdict(state.speech)) if state.speech else None,
        "spoken": [list(x) for x in state.spoken],
        "last_side": [[motion, str(side)] for motion, side in state.last_side],
        "vote": {
            "motion": state.vote.motion,
            "eligible": sorted(state.vote.eligible),
            "ballots": [[member, str(choice)] for member, choice in state.vote.ballots],
            "present": state.vote.present,
            "casting": str(state.vote.casting) if state.vote.casting else None,
        }
        if state.vote
        else None,
        "result": [state.result[0], state.result[1], [list(x) for x in state.result[2]]] if state.result else None,
        "next_id": state.next_id,
        "seq": state.seq,
        "reached_quorum": state.reached_quorum,
        "debate_closed": sorted(state.debate_closed),
        "interrupted": _plain(asdict(state.interrupted)) if state.interrupted else None,
    }


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, str) else value for key, value in data.items()}


def _motion(data: dict[str, Any]) -> Motion:
    return Motion(**{**data, "kind": MotionKind(data["kind"]), "status": MotionStatus(data["status"])})


def _request(data: dict[str, Any]) -> Request:
    return Request(**{**data, "side": Side(data["side"])})


def _speech(data: dict[str, Any]) -> Speech:
    return Speech(**{**data, "side": Side(data["side"])})


def state_from_json(data: dict[str, Any]) -> State:
    vote = data.get("vote")
    result = data.get("result")
    return State(
        members=frozenset(data["members"]),
        chair=data["chair"],
        phase=Phase(data["phase"]),
        present=frozenset(data["present"]),
        items=tuple(data["items"]),
        item=data["item"],
        stack=tuple(_motion(m) for m in data["stack"]),
        queue=tuple(_request(r) for r in data["queue"]),
        speech=_speech(data["speech"]) if data["speech"] else None,
        spoken=tuple((int(m), str(who), int(n)) for m, who, n in data["spoken"]),
        last_side=tuple((int(m), Side(side)) for m, side in data["last_side"]),
        vote=Vote(
            motion=vote["motion"],
            eligible=frozenset(vote["eligible"]),
            ballots=tuple((member, Choice(choice)) for member, choice in vote["ballots"]),
            present=vote.get("present"),
            casting=Choice(vote["casting"]) if vote.get("casting") else None,
        )
        if vote
        else None,
        result=(result[0], result[1], tuple(tuple(x) for x in result[2])) if result else None,
        next_id=data["next_id"],
        seq=data["seq"],
        reached_quorum=data["reached_quorum"],
        debate_closed=frozenset(data.get("debate_closed", [])),
        interrupted=_speech(data["interrupted"]) if data.get("interrupted") else None,
    )
