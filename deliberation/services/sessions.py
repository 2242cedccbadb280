"""Councils and live sessions: commands applied by the rules-of-order engine under the session's row lock,
recorded append-only and published after commit."""

import json
import math
import time
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, error_for_code
from civic.events import group_send
from civic.models import User
from civic.selectors import is_eligible
from civic.services import audit_record, require_perm, timeline_record

from .. import commands, procedure
from ..models import AgendaItem, Council, CouncilMember, Minutes, RulePreset, Session, SessionRecord
from ..selectors.sessions import session_rules


def session_group(session_id: int) -> str:
    return f"session.{session_id}"


# The settings of a rule set as people read them (the refusals of procedure.check_overrides name them).
SETTING_LABELS = {
    "chair_mode": gettext_lazy("the chair"),
    "quorum_kind": gettext_lazy("the kind of quorum"),
    "quorum_value": gettext_lazy("the quorum"),
    "speech_seconds": gettext_lazy("the length of a speech"),
    "speeches_per_member": gettext_lazy("speeches per member on one motion"),
    "alternate_sides": gettext_lazy("sides alternate"),
    "first_time_first": gettext_lazy("first-time speakers first"),
    "seconds_required": gettext_lazy("motions need a second"),
    "amendment_depth": gettext_lazy("levels of amendment"),
    "secret_votes": gettext_lazy("secret votes"),
    "thresholds": gettext_lazy("thresholds"),
}


def council_rules_checked(*, preset: str, overrides: object) -> dict[str, Any]:
    """A council's preset and adjustments, checked by the engine's rules (procedure.check_overrides): the
    adjustments in their stored form, or InvalidInput `preset_unknown` / `rules_invalid` (translated, with
    the setting to blame as its field). The admin, the settings page and the API all ask this."""
    if preset not in RulePreset.values:
        raise InvalidInput("preset_unknown", _("Choose one of the rule sets offered."), field="preset")
    try:
        return procedure.check_overrides(overrides if overrides is not None else {})
    except procedure.RulesError as error:
        if "setting" in error.params:
            error.params["setting"] = str(SETTING_LABELS.get(error.params["setting"], error.params["setting"]))
        raise InvalidInput(error.code, _translated(error), field=error.field) from error


@transaction.atomic
def council_rules_set(*, actor: User, council: Council, preset: str, overrides: object) -> Council:
    """Change a council's rules of order. Sessions already opened keep the rules they opened under."""
    council = Council.objects.select_for_update().select_related("area").get(pk=council.pk)
    require_perm(
        actor,
        "deliberation.manage_council",
        council.area,
        _("Only organisers and officials of this area can change the council's rules."),
    )
    before = {"preset": council.preset, "overrides": council.overrides}
    council.overrides = council_rules_checked(preset=preset, overrides=overrides)
    council.preset = preset
    council.save(update_fields=["preset", "overrides"])
    audit_record(
        actor=actor,
        action="council.rules_changed",
        obj=council,
        area=council.area,
        before=before,
        after={"preset": council.preset, "overrides": council.overrides},
    )
    return council


@transaction.atomic
def council_create(*, actor, area, name: str, preset: str = "nantang", overrides=None) -> Council:
    require_perm(
        actor,
        "deliberation.manage_council",
        area,
        _("Only organisers and officials of this area can set up a council."),
    )
    name = " ".join((name or "").split())
    if len(name) < 2:
        raise InvalidInput("name_missing", _("A council needs a name."), field="name")
    overrides = council_rules_checked(preset=preset, overrides=overrides)
    council = Council.objects.create(area=area, name=name[:80], preset=preset, overrides=overrides)
    audit_record(actor=actor, action="council.created", obj=council, area=area)
    return council


@transaction.atomic
def council_member_add(*, actor, council, user, organisation=None) -> CouncilMember:
    """A seat for a verified resident of the area, or for the representative of an organisation serving it."""
    from civic.services import organisation_acting_for

    require_perm(actor, "deliberation.manage_council", council.area)
    organisation = organisation_acting_for(user=user, organisation=organisation)
    if organisation is None and not is_eligible(user, council.area):
        raise InvalidInput(
            "not_eligible", _("%(person)s is not a verified resident of this area.") % {"person": user.public_name}
        )
    try:
        with transaction.atomic():
            member = CouncilMember.objects.create(council=council, user=user, organisation=organisation)
    except IntegrityError as error:
        raise Conflict("already_member", _("%(person)s is already a member.") % {"person": user.public_name}) from error
    audit_record(actor=actor, action="council.member_added", obj=member, area=council.area)
    return member


@transaction.atomic
def session_schedule(
    *, actor, council, title: str, starts_at, place: str = "", public: bool = True, items=()
) -> Session:
    """Schedule a session chaired by `actor` with its agenda: (title, proposal or None, minutes) items."""
    from proposals.services import proposal_schedule

    require_perm(
        actor,
        "deliberation.manage_council",
        council.area,
        _("Only organisers and officials of this area can call a session."),
    )
    items = list(items)
    if not items:
        raise InvalidInput("agenda_empty", _("A session needs at least one agenda item."))
    members = [str(pk) for pk in council.members.values_list("user_id", flat=True)]
    outside = procedure.rules_from_preset(council.preset, council.overrides).chair_mode == procedure.ChairMode.OUTSIDE
    state = procedure.new_session(
        members=members,
        chair=str(actor.pk),
        items=[t or p.title for t, p, _m in items],
        chair_is_member=not outside,
    )
    session = Session.objects.create(
        council=council,
        title=" ".join((title or "").split())[:120] or council.name,
        starts_at=starts_at,
        place=place[:120],
        public=public,
        chair=actor,
        state=procedure.state_to_json(state),
    )
    for position, (item_title, proposal, minutes) in enumerate(items):
        if proposal is not None:
            if not council.area.contains(proposal.area):
                raise InvalidInput(
                    "proposal_elsewhere", _("Only proposals of this area can be on its council's agenda.")
                )
            proposal_schedule(proposal=proposal, actor=actor, where=session.title)
        AgendaItem.objects.create(
            session=session,
            position=position,
            title=(item_title or proposal.title)[:200],
            proposal=proposal,
            planned_minutes=minutes or 20,
        )
    audit_record(actor=actor, action="session.scheduled", obj=session, area=council.area)
    from civic.services import notify

    for member in council.members.select_related("user"):
        notify(
            recipient=member.user,
            kind="session.scheduled",
            title=gettext_lazy("%(council)s meets on %(when)s: %(title)s"),
            params={
                "council": council.name,
                "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
                "title": session.title,
            },
            body=place,
            url=reverse("deliberation:session-live", args=[session.pk]),
        )
    return session


def session_agenda_order(*, actor: User, session: Session, order: list[int]) -> list[AgendaItem]:
    """Put the agenda in the order the organiser sets: `order` lists every item's id, first item first.
    Only before the session opens; the live agenda (the engine's items) follows."""
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("council__area").get(pk=session.pk)
        require_perm(
            actor,
            "deliberation.manage_council",
            session.council.area,
            _("Only organisers and officials of this area can set the agenda."),
        )
        if session.phase != procedure.Phase.SCHEDULED:
            raise Conflict("agenda_fixed", _("The agenda can no longer be changed: the session has opened."))
        items = {item.pk: item for item in session.items.all()}
        if len(order) != len(set(order)) or set(order) != set(items):
            raise InvalidInput(
                "agenda_order_invalid", _("Give every item of this agenda its place, each once."), field="order"
            )
        # two steps, so that the unique position of each item holds after every statement
        AgendaItem.objects.filter(session=session).update(position=F("position") + len(order))
        for position, pk in enumerate(order):
            AgendaItem.objects.filter(pk=pk).update(position=position)
        state = procedure.state_from_json(session.state)
        titles = tuple(items[pk].title for pk in order)
        session.state = procedure.state_to_json(replace(state, items=titles))
        session.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="session.agenda_ordered",
            obj=session,
            area=session.council.area,
            after={"order": list(order)},
        )
    return list(session.items.order_by("position"))


def _translated(error: procedure.ProcedureError) -> str:
    message = _(error.message)
    try:
        return message % error.params if error.params else message
    except (KeyError, TypeError, ValueError):
        return message


def session_command(
    *, user: User, session: Session, command: object, expected_seq: int | None = None
) -> list[procedure.Event]:
    """Apply one command of the rules of order and return its events, numbered.

    The command is parsed first (deliberation.commands: a malformed one is refused before anything is
    locked); the session row is then locked, so two chairs pressing at once are applied one after the
    other, and a client that names the sequence number it saw is refused if the state has moved on. The
    accepted command and its events are recorded, their consequences for proposals followed, the turning
    points audited, and the events published after commit."""
    parsed = commands.parse(command)
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("council__area").get(pk=session.pk)
        if expected_seq is not None and expected_seq != session.seq:
            raise Conflict("stale_state", _("The session has moved on; your screen is being updated. Try again."))
        payload = parsed.for_engine(actor=str(user.pk), now=time.time())
        applied = _apply(session, payload)
        numbered = _record(session, payload, applied)
        _follow_proposals(user=user, session=session, events=applied.events)
        _audit(user=user, session=session, events=applied.events)
        transaction.on_commit(partial(_publish, session, numbered))
    return numbered


def _apply(session: Session, payload: dict[str, Any]) -> procedure.Applied:
    """The engine's answer under the session's rules (frozen when it opened; until then the council's);
    a refusal becomes the DomainError its code calls for (civic.errors). The command that opens the
    session, or records it as not held, freezes the rules it was judged by."""
    rules = session_rules(session)
    state = procedure.state_from_json(session.state)
    if state.phase == procedure.Phase.SCHEDULED:  # the chair counted as the council's rules say now
        state = procedure.seat_chair(rules, state)
    try:
        applied = procedure.apply(rules, state, payload)
    except procedure.ProcedureError as error:
        raise error_for_code(error.code, _translated(error)) from error
    if not session.rules and any(e["type"] in ("session_opened", "session_not_held") for e in applied.events):
        session.rules = procedure.rules_to_json(rules)
    return applied


def _record(session: Session, payload: dict[str, Any], applied: procedure.Applied) -> list[procedure.Event]:
    """Store the command and its numbered events (append-only) and the new state; the numbered events."""
    seq = session.seq
    records = [SessionRecord(session=session, seq=seq, kind="command", payload=payload)]
    numbered = []
    for event in applied.events:
        seq += 1
        numbered.append({**event, "seq": seq})
        records.append(SessionRecord(session=session, seq=seq, kind="event", payload=event))
    SessionRecord.objects.bulk_create(records)
    for record in records:  # what SessionRecord.objects.create would have told the rest of the platform
        post_save.send(
            sender=SessionRecord, instance=record, created=True, update_fields=None, raw=False, using=record._state.db
        )
    session.state, session.seq, session.phase = procedure.state_to_json(applied.state), seq, applied.state.phase
    session.speech_deadline = speech_deadline_at(applied.state)
    session.save(update_fields=["state", "seq", "phase", "rules", "speech_deadline"])
    return numbered


def speech_deadline_at(state: procedure.State) -> datetime | None:
    """The engine's deadline of the current speech as the stored column (rounded up to the microsecond,
    so a deadline the database finds due is due for the engine too)."""
    deadline = procedure.speech_deadline(state)
    if deadline is None:
        return None
    return datetime.fromtimestamp(math.ceil(deadline * 1_000_000) / 1_000_000, tz=UTC)


# --- the server's clock -----------------------------------------------------------------------------
# A speech ends at its limit without anyone pressing anything: each WebSocket server process runs a
# deadline loop (deliberation.consumers.DeadlineLoop) that calls speeches_time_up, and `manage.py tick`
# calls it as the backstop when no such process runs (docs/live-protocol.md, "Time").


def speech_time_up(*, session: Session, now: float | None = None) -> list[procedure.Event]:
    """End the session's speech if it is past its limit, under the session's row lock, and return the
    numbered events (`speech_ended`, reason time_up); [] when there was nothing to end (a command, another
    process or an earlier call did it already, or the limit is still ahead)."""
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        return _time_up(locked, time.time() if now is None else now)


def speeches_time_up(*, now: float | None = None) -> int:
    """End every speech past its limit and return how many ended. Each due session is claimed with
    `select_for_update(skip_locked=True)` in its own transaction, so processes running this at once
    share the work without waiting on one another, and the time-up is applied under that row lock: a
    claimant that comes second finds it done. Recorded before it is published, so a time-up while the
    channel layer is down reaches the screens through `hello`."""
    ended, claimed = 0, set[int]()
    while True:
        current = time.time() if now is None else now
        due = Session.objects.filter(speech_deadline__lte=datetime.fromtimestamp(current, tz=UTC)).exclude(
            pk__in=claimed
        )
        if not due.exists():  # the usual answer, found without a transaction or a lock
            return ended
        with transaction.atomic():
            session = due.select_for_update(skip_locked=True, of=("self",)).order_by("speech_deadline").first()
            if session is None:
                return ended
            claimed.add(session.pk)
            if _time_up(session, current):
                ended += 1


def _time_up(session: Session, now: float) -> list[procedure.Event]:
    """The engine's time-up step on a locked session: recorded as the server's own command (no actor),
    numbered like any command's events and published after commit."""
    applied = procedure.time_up(procedure.state_from_json(session.state), now)
    if not applied.events:
        deadline = speech_deadline_at(applied.state)
        if session.speech_deadline != deadline:
            session.speech_deadline = deadline
            session.save(update_fields=["speech_deadline"])
        return []
    numbered = _record(session, {"type": "time_up", "actor": "", "now": now}, applied)
    transaction.on_commit(partial(_publish, session, numbered))
    return numbered


def _follow_proposals(*, user: User, session: Session, events: list[procedure.Event]) -> None:
    """A proposal on the agenda is adopted or not by the announced result of its main motion, and goes
    back to waiting when the session is not held."""
    from proposals.services import proposal_decide, proposal_unschedule

    if not any(e["type"] in ("result_announced", "session_not_held") for e in events):
        return
    items = {i.position: i for i in session.items.select_related("proposal")}
    for event in events:
        if event["type"] == "result_announced" and event["kind"] == "main" and event.get("item") is not None:
            item = items.get(event["item"])
            if item and item.proposal and item.proposal.state == "scheduled":
                proposal_decide(
                    proposal=item.proposal,
                    adopted=event["adopted"],
                    actor=user,
                    by="session",
                    where=session.title,
                )
        if event["type"] == "session_not_held":
            for item in items.values():
                if item.proposal and item.proposal.state == "scheduled":
                    proposal_unschedule(
                        proposal=item.proposal,
                        actor=user,
                        not_held=session.title,
                    )


_AUDITED = ("session_opened", "session_closed", "session_not_held", "vote_closed")


def _audit(*, user: User, session: Session, events: list[procedure.Event]) -> None:
    for event in events:
        if event["type"] in _AUDITED:
            audit_record(
                actor=user,
                action=f"session.{event['type']}",
                obj=session,
                area=session.council.area,
                after={"seq": session.seq},
            )


def _publish(session: Session, numbered: list[procedure.Event]) -> None:
    """After commit: the events to every screen of the session. The public view is computed once per
    command and travels with the events, so a thousand watching screens need no query of their own;
    members fetch only their own buttons; the session is the one the command locked and saved, so this reads
    only the names. The command is recorded already: if the channel layer cannot
    be reached (Redis down) this is logged by civic.events.group_send, and the screens catch up from the
    record by sequence number (docs/live-protocol.md, "Reconnecting")."""
    if not numbered or get_channel_layer() is None:
        return
    from django.contrib.auth.models import AnonymousUser

    from ..selectors import session_snapshot

    # `session` is the row as this transaction wrote it under its lock, now committed: read it again and
    # the view would be the same
    public = session_snapshot(session, AnonymousUser())
    # Encoded here, once: every screen is sent these very characters (SessionConsumer.session_events), so a
    # thousand screens cost one encoding, not a thousand.
    text = json.dumps({"type": "events", "events": numbered, "state": public})
    group_send(session_group(session.pk), {"type": "session.events", "text": text})


@transaction.atomic
def minutes_publish(*, actor: User, session: Session, summary: str) -> Minutes:
    session = Session.objects.select_for_update(of=("self",)).select_related("council__area").get(pk=session.pk)
    require_perm(
        actor,
        "deliberation.publish_minutes",
        session,
        _("Only the chair or the area's organisers can publish the minutes."),
    )
    if session.phase not in ("closed", "not_held"):
        raise Conflict("session_not_over", _("Minutes are published after the session has ended."))
    summary = (summary or "").strip()
    if len(summary) < 5:
        raise InvalidInput("summary_missing", _("Write a short summary for the minutes."), field="summary")
    if Minutes.objects.filter(session=session).exists():
        raise Conflict("minutes_published", _("The minutes are already published."))
    minutes = Minutes.objects.create(session=session, summary=summary, published_by=actor)
    audit_record(actor=actor, action="session.minutes_published", obj=session, area=session.council.area)
    timeline_record(
        subject=session,
        verb="session.minutes",
        params={"title": session.title},
        url=reverse("deliberation:session-minutes", args=[session.pk]),
        actor=actor,
        area=session.council.area,
    )
    return minutes
