"""Reads of councils and sessions: the snapshot a screen draws, the actions in order now, the minutes."""

import time

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civic.selectors import Decision, decision_rows
from civic.validators import as_pks

from .. import procedure
from ..models import Minutes, Session, SessionRecord, SpeechSide, VoteThreshold
from ..models import MotionKind as MotionKindLabel

User = get_user_model()

# What a screen may offer, with the arguments a dry run needs; the engine decides what is in order.
CANDIDATES = [
    ("check_in", {}),
    ("check_out", {}),
    ("open_session", {}),
    ("record_not_held", {}),
    ("make_motion:main", {"type": "make_motion", "kind": "main", "text": "x"}),
    ("make_motion:amend", {"type": "make_motion", "kind": "amend", "text": "x"}),
    ("make_motion:previous_question", {"type": "make_motion", "kind": "previous_question"}),
    ("make_motion:refer", {"type": "make_motion", "kind": "refer"}),
    ("make_motion:postpone", {"type": "make_motion", "kind": "postpone"}),
    ("make_motion:recess", {"type": "make_motion", "kind": "recess"}),
    ("make_motion:adjourn", {"type": "make_motion", "kind": "adjourn"}),
    ("second", {}),
    ("withdraw_motion", {}),
    ("request_floor:for", {"type": "request_floor", "side": "for"}),
    ("request_floor:against", {"type": "request_floor", "side": "against"}),
    ("withdraw_request", {}),
    ("point_of_order", {"text": "x"}),
    ("grant_floor", {}),
    ("yield_floor", {}),
    ("extend_time", {"seconds": 60}),
    ("rule_on_point", {"upheld": True}),
    ("open_vote", {}),
    ("cast_vote", {"choice": "yes"}),
    ("close_vote", {}),
    ("announce", {}),
    ("resume", {}),
    ("next_item", {}),
    ("close_session", {}),
]


def allowed_actions(rules, state, member: str | None, now: float) -> list[str]:
    if member is None:
        return []
    allowed = []
    for name, args in CANDIDATES:
        command = {"type": name.split(":")[0], **args, "actor": member, "now": now}
        try:
            procedure.apply(rules, state, command)
        except procedure.ProcedureError:
            continue
        allowed.append(name)
    return allowed


# What the rules expect next, in order of precedence: the first of these that is in order now is the
# primary button of the person's page. Closing the session, adjourning and recording it as not held are
# never expected of anyone: they cannot be undone, and the page asks for confirmation first. Moving to
# the next agenda item is the chair's judgement (the state does not say whether this one is done).
EXPECTED_OF_CHAIR = (
    "check_in",
    "open_session",
    "resume",
    "close_vote",
    "announce",
    "rule_on_point",
    "grant_floor",
    "open_vote",
)
EXPECTED_OF_MEMBER = ("check_in", "yield_floor", "cast_vote", "second")


def expected_action(state: procedure.State, allowed: list[str], member: str | None) -> str | None:
    """The action the rules expect of this person next (one of `allowed`), or None when nothing is."""
    if member is None:
        return None
    for name in EXPECTED_OF_CHAIR if member == state.chair else EXPECTED_OF_MEMBER:
        if name not in allowed:
            continue
        if name == "close_vote" and state.vote is not None and len(state.vote.ballots) < len(state.vote.eligible):
            continue  # votes are still coming in
        if name == "open_vote" and state.speech is not None:
            continue  # someone is speaking: the vote comes after
        if name == "cast_vote" and state.vote is not None and member in dict(state.vote.ballots):
            continue
        return name
    return None


def public_sessions():
    """Sessions open to watch, latest first, each with `has_minutes` (whether its minutes are published)."""
    return (
        Session.objects.filter(public=True)
        .select_related("council__area")
        .annotate(has_minutes=Exists(Minutes.objects.filter(session=OuterRef("pk"))))
        .order_by("-starts_at", "-id")
    )


def session_rules(session: Session) -> procedure.Rules:
    """The rules a session runs under: frozen when it opened; until then its council's as they are now."""
    if session.rules:
        return procedure.rules_from_json(session.rules)
    return procedure.rules_from_preset(session.council.preset, session.council.overrides)


def session_snapshot(session: Session, viewer) -> dict:
    """Everything a screen shows, for this viewer, at this sequence number (one query for names)."""
    state = procedure.state_from_json(session.state)
    rules = session_rules(session)
    if state.phase == procedure.Phase.SCHEDULED:  # the chair counted as the council's rules say now
        state = procedure.seat_chair(rules, state)
    names = {str(pk): name for pk, name in _names(state.members | {state.chair})}
    me = str(viewer.pk) if getattr(viewer, "is_authenticated", False) else None
    role = "chair" if me == state.chair else "member" if me in state.members else "public"
    now = time.time()
    allowed = allowed_actions(rules, state, me, now) if role != "public" else []
    vote = None
    if state.vote:
        mine = dict(state.vote.ballots).get(me) if me else None
        vote = {
            "motion": state.vote.motion,
            "cast": len(state.vote.ballots),
            "eligible": len(state.vote.eligible),
            "mine": mine,
        }
    return {
        "session": session.pk,
        "seq": session.seq,
        "server_now": now,
        "phase": state.phase,
        "role": role,
        "me": me,
        "chair": {"id": state.chair, "name": names.get(state.chair, "")},
        "members": len(state.members),
        "present": [{"id": m, "name": names.get(m, m)} for m in sorted(state.present, key=lambda m: names.get(m, m))],
        "quorum": rules.quorum(len(state.members)),
        "items": list(state.items),
        "item": state.item,
        "stack": [
            {
                "id": m.id,
                "kind": m.kind,
                "text": m.text,
                "mover": names.get(m.mover, m.mover),
                "seconded_by": names.get(m.seconded_by, "") if m.seconded_by else "",
                "status": m.status,
                "debate_closed": m.id in state.debate_closed,
            }
            for m in state.stack
        ],
        "queue": [
            {"id": r.member, "name": names.get(r.member, r.member), "side": r.side}
            for r in sorted(procedure.waiting(rules, state), key=lambda r: r.seq)
        ],
        "next": (lambda r: {"name": names.get(r.member, r.member), "side": r.side} if r else None)(
            procedure.next_speaker(rules, state)
        ),
        "speech": {
            "id": state.speech.member,
            "name": names.get(state.speech.member, ""),
            "side": state.speech.side,
            "started_at": state.speech.started_at,
            "limit": state.speech.limit,
        }
        if state.speech
        else None,
        "vote": vote,
        "allowed": allowed,
        "expected": expected_action(state, allowed, me),
        "rules": {"speech_seconds": rules.speech_seconds, "speeches_per_member": rules.speeches_per_member},
    }


def session_replay(session: Session) -> procedure.State:
    """Rebuild a session's state from its recorded commands (every state is reconstructible)."""
    session = Session.objects.select_related("council").get(pk=session.pk)
    rules = session_rules(session)
    titles = [item.title for item in session.items.order_by("position")]
    members = [str(pk) for pk in session.council.members.values_list("user_id", flat=True)]
    state = procedure.new_session(
        members=members,
        chair=str(session.chair_id),
        items=titles,
        chair_is_member=rules.chair_mode != procedure.ChairMode.OUTSIDE,
    )
    for record in session.records.filter(kind="command").order_by("seq", "id"):
        if record.payload["type"] == "time_up":  # the server's clock ended a speech at its limit
            state = procedure.time_up(state, record.payload["now"]).state
        else:
            state = procedure.apply(rules, state, record.payload).state
    return state


def next_speech_deadline() -> float | None:
    """The earliest limit of a speech under way in any session (server time in seconds), or None."""
    deadline = Session.objects.filter(speech_deadline__isnull=False).aggregate(first=Min("speech_deadline"))["first"]
    return deadline.timestamp() if deadline is not None else None


def _names(ids):
    return User.objects.filter(pk__in=as_pks(ids)).values_list("pk", "display_name")


def events_since(session: Session, last_seq: int, limit: int = 200) -> list[dict] | None:
    """The events after `last_seq`, or None when too many were missed (the client takes a snapshot)."""
    rows = list(
        SessionRecord.objects.filter(session=session, kind="event", seq__gt=last_seq)
        .order_by("seq")
        .values_list("seq", "payload")[: limit + 1]
    )
    if len(rows) > limit:
        return None
    return [{**payload, "seq": seq} for seq, payload in rows]


_MINUTES_EVENTS = frozenset(
    {
        "motion_made",
        "seconded",
        "speech_ended",
        "vote_closed",
        "result_announced",
        "point_of_order",
        "ruling",
        "motion_withdrawn",
        "motion_amended",
        "debate_closed",
    }
)


def _duration(seconds: int) -> str:
    """A speech's length as people say it: 45 秒, 2 分 05 秒."""
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": seconds}
    return _("%(minutes)s min %(seconds)s s") % {"minutes": seconds // 60, "seconds": f"{seconds % 60:02d}"}


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def minutes(session: Session) -> dict:
    """The minutes, generated from the record: attendance (each person once: who came, who left before the
    end), quorum, each item, motions with their kind, mover and seconder, amendments, speeches (speaker,
    side, real duration: a speech a point of order interrupted is one speech with both its parts), votes
    with the threshold applied, and results."""
    records = list(
        SessionRecord.objects.filter(session=session, kind="event").order_by("seq").values_list("payload", flat=True)
    )
    state = procedure.state_from_json(session.state)
    resumes = session_rules(session).revision >= 2  # a ruling resumes the interrupted speech (revision 2)
    names = {str(pk): name for pk, name in _names(state.members | {state.chair})}
    name = lambda m: names.get(str(m), str(m))  # noqa: E731
    items = [{"title": title, "entries": []} for title in state.items]
    current, opened = 0 if items else None, None
    came: list[str] = []  # in order of first check-in, each once
    here: set[str] = set()
    interrupted: dict[str, dict] = {}  # member → the entry of their interrupted speech
    resuming: set[str] = set()
    previous = None
    for event in records:
        kind = event["type"]
        if kind == "checked_in":
            if event["member"] not in came:
                came.append(event["member"])
            here.add(event["member"])
        elif kind == "checked_out":
            here.discard(event["member"])
        elif kind == "session_opened":
            opened = {"present": [name(m) for m in event["present"]], "quorum": event["quorum"]}
        elif kind == "item_opened":
            current = event["item"]
        elif kind == "floor_granted" and resumes and previous == "ruling" and event["member"] in interrupted:
            resuming.add(event["member"])
        elif current is not None and kind in _MINUTES_EVENTS:
            entry = dict(event)
            for key in ("mover", "member"):
                if key in entry:
                    entry[key] = name(entry[key])
            if "kind" in entry:
                entry["kind_label"] = _label(MotionKindLabel, entry["kind"])
            if "threshold" in entry:
                entry["threshold_label"] = _label(VoteThreshold, entry["threshold"])
            if kind == "speech_ended":
                seconds = round(event["ended_at"] - event["started_at"])
                if event["member"] in resuming:  # the rest of an interrupted speech: one speech
                    resuming.discard(event["member"])
                    first = interrupted.pop(event["member"])
                    first["seconds"] += seconds
                    first["duration"] = _duration(first["seconds"])
                    first["reason"], first["resumed"] = event["reason"], True
                    previous = kind
                    continue
                entry["side_label"] = _label(SpeechSide, entry["side"])
                entry["seconds"], entry["duration"] = seconds, _duration(seconds)
                if event["reason"] == "interrupted":
                    interrupted[event["member"]] = entry
            items[current]["entries"].append(entry)
        previous = kind
    not_held = any(e["type"] == "session_not_held" for e in records)
    return {
        "attendance": [{"name": name(m), "left": m not in here} for m in came],
        "came": len(came),
        "at_end": len(here),
        "opened": opened,
        "items": items,
        "not_held": not_held,
        "members": len(state.members),
    }


def session_decisions(path: str, pk=None, unpublished=True):
    """Closed council sessions of the area at `path` and below that decided something, as decisions to
    publish as notices (see civic.registry.NoticeKind); decided when the session closed."""
    event = Q(records__kind="event")
    rows = (
        Session.objects.filter(council__area__path__startswith=path, phase="closed")
        .select_related("council__area")
        .annotate(
            decisions=Count(
                "records", filter=event & Q(records__payload__type="result_announced", records__payload__kind="main")
            ),
            closed_at=Coalesce(
                Max("records__created_at", filter=event & Q(records__payload__type="session_closed")),
                Max("records__created_at"),
                "starts_at",
            ),
            has_minutes=Exists(Minutes.objects.filter(session=OuterRef("pk"))),
        )
        .filter(decisions__gt=0)
    )
    rows = decision_rows(rows, "session", pk=pk, unpublished=unpublished)
    for session in rows.order_by():
        yield Decision(
            kind="session",
            source_key=f"session:{session.pk}",
            title=Truncator(_("Decisions of the council session “%(title)s”") % {"title": session.title}).chars(120),
            summary=_("%(count)s decision(s) taken; see the minutes.") % {"count": session.decisions},
            decided_at=session.closed_at,
            area_path=session.council.area.path,
            # the minutes once they are published; until then the session's page, which says they are to come
            source_url=reverse(
                "deliberation:session-minutes" if session.has_minutes else "deliberation:session-live",
                args=[session.pk],
            ),
        )
