"""Councils and live sessions: commands applied by the rules-of-order engine under the session's row lock,
recorded append-only and published after commit."""

import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.selectors import is_eligible
from civic.services import audit_record, require_perm, timeline_record

from .. import procedure
from ..models import AgendaItem, Council, CouncilMember, RulePreset, Session, SessionRecord

User = get_user_model()


def session_group(session_id: int) -> str:
    return f"session.{session_id}"


@transaction.atomic
def council_create(*, actor, area, name: str, preset: str = "nantang", overrides=None) -> Council:
    require_perm(
        actor, "deliberation.manage_council", area, _("Only organisers and officials of this area can set up a council.")
    )
    name = " ".join((name or "").split())
    if len(name) < 2:
        raise InvalidInput("name_missing", _("A council needs a name."), field="name")
    if preset not in RulePreset.values:
        raise InvalidInput("preset_unknown", _("Choose one of the rule sets offered."), field="preset")
    council = Council.objects.create(area=area, name=name[:80], preset=preset, overrides=overrides or {})
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
    state = procedure.new_session(members=members, chair=str(actor.pk), items=[t or p.title for t, p, _m in items])
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
            url=f"/sessions/{session.pk}/",
        )
    return session


def _translated(error: procedure.ProcedureError) -> str:
    message = _(error.message)
    try:
        return message % error.params if error.params else message
    except (KeyError, TypeError, ValueError):
        return message


def session_command(*, user, session, command: dict, expected_seq: int | None = None) -> list[dict]:
    """Apply one command of the rules of order. The session row is locked, so two chairs pressing at once
    are applied one after the other; a client that names the sequence number it saw is refused if the
    state has moved on. Accepted commands and their events are recorded, then published after commit."""
    from proposals.services import proposal_decide, proposal_unschedule

    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("council__area").get(pk=session.pk)
        if expected_seq is not None and expected_seq != session.seq:
            raise Conflict("stale_state", _("The session has moved on; your screen is being updated. Try again."))
        rules = procedure.rules_from_preset(session.council.preset, session.council.overrides)
        state = procedure.state_from_json(session.state)
        now = time.time()
        clean = {k: v for k, v in command.items() if k not in ("actor", "now")}
        try:
            state, events = procedure.apply(rules, state, {**clean, "actor": str(user.pk), "now": now})
        except procedure.ProcedureError as error:
            raise Conflict(error.code, _translated(error)) from error
        seq = session.seq
        records = [
            SessionRecord(
                session=session, seq=seq, kind="command", payload={**clean, "actor": str(user.pk), "now": now}
            )
        ]
        numbered = []
        for event in events:
            seq += 1
            numbered.append({**event, "seq": seq})
            records.append(SessionRecord(session=session, seq=seq, kind="event", payload=event))
        SessionRecord.objects.bulk_create(records)
        session.state, session.seq, session.phase = procedure.state_to_json(state), seq, state.phase
        session.save(update_fields=["state", "seq", "phase"])
        items = {i.position: i for i in session.items.select_related("proposal")}
        for event in events:
            if event["type"] == "result_announced" and event["kind"] == "main" and event.get("item") is not None:
                item = items.get(event["item"])
                if item and item.proposal and item.proposal.state == "scheduled":
                    proposal_decide(
                        proposal=item.proposal,
                        adopted=event["adopted"],
                        actor=user,
                        how=_("(council session “%(title)s”)") % {"title": session.title},
                    )
            if event["type"] == "session_not_held":
                for item in items.values():
                    if item.proposal and item.proposal.state == "scheduled":
                        proposal_unschedule(
                            proposal=item.proposal,
                            actor=user,
                            why=_("the session “%(title)s” was not held (no quorum)") % {"title": session.title},
                        )
            if event["type"] in ("session_opened", "session_closed", "session_not_held", "vote_closed"):
                audit_record(
                    actor=user,
                    action=f"session.{event['type']}",
                    obj=session,
                    area=session.council.area,
                    after={"seq": seq},
                )

        def publish():
            # The public view is computed once per command and travels with the events, so a thousand
            # watching screens need no query of their own; members fetch only their own buttons.
            layer = get_channel_layer()
            if layer is not None and numbered:
                from django.contrib.auth.models import AnonymousUser

                from ..selectors import session_snapshot

                public = session_snapshot(Session.objects.select_related("council").get(pk=session.pk), AnonymousUser())
                async_to_sync(layer.group_send)(
                    session_group(session.pk), {"type": "session.events", "events": numbered, "state": public}
                )

        transaction.on_commit(publish)
    return numbered


def session_replay(session) -> procedure.State:
    """Rebuild a session's state from its recorded commands (every state is reconstructible)."""
    session = Session.objects.select_related("council").get(pk=session.pk)
    rules = procedure.rules_from_preset(session.council.preset, session.council.overrides)
    first = session.items.order_by("position")
    members = [str(pk) for pk in session.council.members.values_list("user_id", flat=True)]
    state = procedure.new_session(members=members, chair=str(session.chair_id), items=[i.title for i in first])
    for record in session.records.filter(kind="command").order_by("seq", "id"):
        state, _events = procedure.apply(rules, state, record.payload)
    return state


@transaction.atomic
def minutes_publish(*, actor, session, summary: str):
    from ..models import Minutes

    session = Session.objects.select_for_update(of=("self",)).select_related("council__area").get(pk=session.pk)
    if actor.pk != session.chair_id and not actor.has_perm("deliberation.manage_council", session.council.area):
        raise NotAllowed("not_allowed", _("Only the chair or the area's organisers can publish the minutes."))
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
        url=f"/sessions/{session.pk}/minutes/",
        actor=actor,
        area=session.council.area,
    )
    return minutes


def can_watch(user, session: Session) -> bool:
    if session.public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.pk == session.chair_id
        or session.council.members.filter(user=user).exists()
        or user.has_perm("deliberation.manage_council", session.council.area)
    )
