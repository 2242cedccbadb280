"""Ballot boxes: every write in one transaction; one ballot per person by a unique constraint; results
computed once by deliberation/counting.py when the box has closed."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal

import rules
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, prefetch_related_objects
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import pagecache, rows
from civic.errors import Conflict, InvalidInput, NotAllowed, NotFound
from civic.money import parse_amount
from civic.selectors import eligible_people, people_identify
from civic.services import assisted_channel, audit_record, require_perm, timeline_record
from civic.text import clean_text

from .. import pabulib, pages
from ..models import (
    Ballot,
    BallotBox,
    BallotOption,
    BoxKind,
    BoxState,
    BudgetRule,
    Channel,
    PaperBatch,
    Participation,
    TurnoutShare,
)

# Reads (the count, the check of a ballot's choices, receipts) live in the selectors; they are called
# through the module so that a test can stand in for one of them.
from ..selectors import ballots as ballot_selectors
from ..selectors.ballots import receipt_hash

__all__ = [
    "box_close_now",
    "box_create",
    "box_held",
    "box_schedule",
    "box_tally",
    "option_add",
    "paper_batch_enter",
    "pb_import",
    "tally_closed_boxes",
    "vote_allowed",
    "vote_cast",
]

User = get_user_model()
QUESTION_OPTIONS = [("yes", "yes"), ("no", "no"), ("abstain", "abstain")]


def _locked(box) -> BallotBox:
    """The box's row, locked until the commit against every other change of it (and every first ballot's
    turnout). FOR NO KEY UPDATE: a ballot on its way may still write its own rows, which point at the box,
    and then waits here at its turnout (`_turnout_add`) — never holding something this lock's holder waits
    for."""
    return BallotBox.objects.select_for_update(of=("self",), no_key=True).select_related("area").get(pk=box.pk)


RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 signs, none read as another (no 0/O, 1/I)


def _new_receipt() -> str:
    """12 signs drawn uniformly from RECEIPT_ALPHABET (60 bits), grouped by four: a byte's low 5 bits
    index it (256 is a multiple of 32, so no sign is likelier than another)."""
    raw = "".join(RECEIPT_ALPHABET[byte & 31] for byte in secrets.token_bytes(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# --- preparing a box ------------------------------------------------------------------------------


@transaction.atomic
def box_create(
    *,
    actor,
    area,
    kind: str,
    title: str,
    description: str = "",
    secret: bool = True,
    allow_change: bool = True,
    budget=None,
    rule: str = BudgetRule.MES_ADD1,
    min_choices: int = 0,
    max_choices: int = 0,
    quorum_share=0,
    threshold: str = "1/2",
) -> BallotBox:
    require_perm(
        actor, "deliberation.manage_box", area, _("Only organisers and officials of this area can prepare a vote.")
    )
    title = clean_text(title, field="title", limit=120, single_line=True)
    if len(title) < 4:
        raise InvalidInput("title_too_short", _("The title needs at least 4 characters."), field="title")
    description = clean_text(description, field="description", limit=10000)
    if kind not in BoxKind.values:
        raise InvalidInput("kind_invalid", _("Choose the kind of vote."), field="kind")
    if kind == BoxKind.BUDGET:
        budget = parse_amount(budget, field="budget")
        if not budget:
            raise InvalidInput("budget_missing", _("A participatory budget needs its budget in yuan."), field="budget")
        if rule not in BudgetRule.values:
            raise InvalidInput("rule_invalid", _("Choose a counting rule."), field="rule")
    else:
        budget = None
    quorum = Decimal(str(quorum_share or 0))
    if not Decimal(0) <= quorum <= Decimal(1):
        raise InvalidInput("quorum_invalid", _("The turnout needed is a share between 0 and 1."), field="quorum_share")
    if max_choices and min_choices > max_choices:
        raise InvalidInput("choices_invalid", _("The fewest choices cannot exceed the most."), field="min_choices")
    box = BallotBox.objects.create(
        area=area,
        area_path=area.path,
        kind=kind,
        title=title,
        description=description,
        secret=secret,
        allow_change=allow_change,
        budget=budget,
        rule=rule,
        min_choices=min_choices,
        max_choices=max_choices,
        quorum_share=quorum,
        threshold=threshold,
        created_by=actor,
    )
    if kind == BoxKind.QUESTION:
        for position, (pid, _label) in enumerate(QUESTION_OPTIONS):
            BallotOption.objects.create(box=box, title=pid, project_id=pid, position=position)
    audit_record(actor=actor, action="ballot.created", obj=box, area=area)
    return box


@transaction.atomic
def option_add(*, actor, box, title: str = "", description: str = "", cost=None, proposal=None) -> BallotOption:
    box = _locked(box)
    require_perm(actor, "deliberation.manage_box", box.area)
    if box.state != BoxState.DRAFT:
        raise Conflict("box_not_draft", _("Options can be changed only while the vote is being prepared."))
    if box.kind == BoxKind.QUESTION:
        raise InvalidInput("question_has_fixed_options", _("A yes/no question has its own options."))
    if proposal is not None:
        if proposal.state not in ("qualified", "scheduled") or not box.area.contains(proposal.area):
            raise InvalidInput(
                "proposal_not_qualified",
                _("Only qualified proposals of this area can be put to the vote."),
                field="proposal",
            )
        title = title or proposal.title
        description = description or proposal.body[:2000]
    title = clean_text(title, field="title", limit=200, single_line=True)
    if not title:
        raise InvalidInput("title_missing", _("An option needs a title."), field="title")
    description = clean_text(description, field="description", limit=10000)
    amount = None
    if box.kind == BoxKind.BUDGET:
        amount = parse_amount(cost, field="cost")
        if amount is None:
            raise InvalidInput("cost_invalid", _("Enter the project's cost in yuan."), field="cost")
    position = box.options.count()
    return BallotOption.objects.create(
        box=box,
        title=title,
        description=description,
        cost=amount,
        proposal=proposal,
        project_id=str(position + 1),
        position=position,
    )


@transaction.atomic
def box_schedule(*, actor, box, opens_at, closes_at) -> BallotBox:
    box = _locked(box)
    require_perm(actor, "deliberation.manage_box", box.area)
    if box.state != BoxState.DRAFT:
        raise Conflict("box_not_draft", _("This vote is already announced."))
    if not opens_at or not closes_at or closes_at <= opens_at:
        raise InvalidInput("dates_invalid", _("The vote must close after it opens."), field="closes_at")
    if closes_at <= timezone.now():
        raise InvalidInput("dates_invalid", _("The closing time must be in the future."), field="closes_at")
    count = box.options.count()
    if box.kind != BoxKind.QUESTION and count < 2:
        raise InvalidInput("options_missing", _("Add at least two options first."))
    box.opens_at, box.closes_at, box.state = opens_at, closes_at, BoxState.SCHEDULED
    box.save(update_fields=["opens_at", "closes_at", "state"])
    audit_record(
        actor=actor,
        action="ballot.scheduled",
        obj=box,
        area=box.area,
        after={"opens": opens_at.isoformat(), "closes": closes_at.isoformat()},
    )
    timeline_record(
        subject=box,
        verb="ballot.scheduled",
        params={"title": box.title},
        url=box.get_absolute_url(),
        actor=actor,
        area=box.area,
    )
    return box


@transaction.atomic
def box_close_now(*, actor, box) -> BallotBox:
    """Close an open vote early and count it, in one transaction: never a box closed but left uncounted."""
    box = _locked(box)
    require_perm(actor, "deliberation.manage_box", box.area)
    if box.phase() != "open":
        raise Conflict("box_not_open", _("This vote is not open."))
    box.closes_at = timezone.now()
    box.save(update_fields=["closes_at"])
    audit_record(actor=actor, action="ballot.closed_early", obj=box, area=box.area)
    return box_tally(box=box, actor=actor)


# --- voting ---------------------------------------------------------------------------------------


def vote_allowed(*, user, box) -> None:
    """Who may vote in this box, asked before anything the voter sent is read (pages, API, service).

    Asked of the rule itself: Django's has_perm lets a superuser do anything, but an administrator is no
    voter unless verified in the area. The refusal keeps its documented code `not_eligible`."""
    if not rules.has_perm("deliberation.vote", user, box):
        raise NotAllowed(
            "not_eligible", _("Only residents verified in %(area)s can vote here.") % {"area": box.area.name}
        )


@contextmanager
def box_held(*, viewer, pk) -> Iterator[BallotBox]:
    """A ballot's transaction, opened by reading the box `pk` with its area once, under the shared lock that
    `vote_cast` takes first (`box_share_locked`): for a caller that asks who may vote and reads the voter's
    choices before casting (the API), so that a ballot reads its box once. NotFound if `viewer` may not
    see the box. `vote_cast` inside the block casts in this transaction, with the box as read."""
    with transaction.atomic():
        box = ballot_selectors.box_for(viewer, pk, share_lock=True)
        if box is None:
            raise NotFound("not_found", _("Not found."))
        box._held = True
        try:
            yield box
        finally:
            box._held = False


def vote_cast(
    *, user, box, choices: list[str], receipt: str | None = None, assisted_by=None
) -> tuple[Ballot, str | None]:
    """Cast or change a ballot. Returns the ballot and, for a new ballot, its receipt code (shown once).

    `box` may be as the caller read it with its area, even before it was announced: who may vote (its
    area) and the options cannot change once it is announced, so they are checked against it, and a bare
    reference is read first. Its phase and secrecy are read once, under a shared lock of its row taken
    first (`box_share_locked`; already taken where the box comes from `box_held`), and a box that is not
    open refuses before anything else.

    The shared lock conflicts only with what changes the box (closing it, counting it, paper batches), never
    with another voter's: a close waits for the ballots holding it to commit (and counts them), and a ballot
    that asks after the close reads the box closed. The turnout is raised in one of the box's TurnoutShare
    rows, so no voter waits on another's commit (`_turnout_add`). Every statement is a prepared one where
    connections are kept (`rows.prepared_cursor`), and the pages it changes are bumped in one.

    `assisted_by`: the staff member at the side of `user`, who marks their own choice on the staff member's
    device (代办). The participation records it; the ballot does not (see Participation)."""
    held = getattr(box, "_held", False)
    if not BallotBox._meta.get_field("area").is_cached(box):  # a bare reference (BallotBox(pk=…)): read it
        box = BallotBox.objects.select_related("area").get(pk=box.pk)
    refusal: NotAllowed | InvalidInput | None = None
    try:
        channel = assisted_channel(resident=user, assisted_by=assisted_by)  # "online" or "assisted"
        vote_allowed(user=user, box=box)
        chosen = ballot_selectors.ballot_choices_check(box, choices)
    except (NotAllowed, InvalidInput) as error:
        refusal = error
    area = box.area
    with transaction.atomic(savepoint=not held), pagecache.bumps_together() as bumps:  # held: box_held's
        # first: while waiting for it, this ballot holds nothing a close waits for
        locked = box if held else ballot_selectors.box_share_locked(box.pk)
        if locked is None or locked.phase() != "open":
            raise Conflict("box_not_open", _("This vote is not open."))
        if refusal is not None:
            raise refusal
        if _participation_add(box, user, channel, assisted_by):
            if assisted_by is not None:  # who voted with whose help: never what was chosen, nor the receipt
                audit_record(actor=user, action="ballot.voted", obj=box, area=area, assisted_by=assisted_by)
            code = _new_receipt()
            ballot = Ballot(
                box=box,
                choices=chosen,
                receipt_hash=receipt_hash(code),
                voter=None if locked.secret else user,
                channel=Channel.ONLINE,
            )
            with rows.pipelined():  # three writes that need no answer: one round trip
                rows.insert(ballot)  # nothing listens to a ballot's saving: one plain statement
                _turnout_add(box)
                pages.ballot_cast(box.pk)  # the box's page shows the turnout live: one inserted row, no lock
                bumps.send()  # with the participation's (its scorecards)
            return ballot, code
        # A second ballot of the same person: change it, if the box allows.
        if Participation.objects.filter(box=box, user=user, channel=Channel.PAPER).exists():
            raise Conflict("voted_on_paper", _("You voted on paper; you cannot also vote online."))
        return _change(locked, user, chosen, receipt), None


def _participation_add(box, user, channel: str, assisted_by) -> bool:
    """Record that `user` takes part in `box`; False if they already had (the unique constraint decides,
    also between two requests of the same person at once: the second waits for the first to commit).
    One statement, without the savepoint a caught IntegrityError would need."""
    table = connection.ops.quote_name(Participation._meta.db_table)
    now = timezone.now()
    with rows.prepared_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (box_id, user_id, channel, assisted_by_id, created_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id",
            [
                box.pk,
                user.pk,
                channel,
                getattr(assisted_by, "pk", None),
                connection.ops.adapt_datetimefield_value(now),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    # what Participation.objects.create would have told the rest of the platform (the scorecards count it)
    post_save.send(
        sender=Participation,
        instance=Participation(
            pk=row[0],
            box_id=box.pk,
            user_id=user.pk,
            channel=channel,
            assisted_by_id=getattr(assisted_by, "pk", None),
            created_at=now,
        ),
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
    return True


def _turnout_add(box) -> None:
    """Add one to the box's turnout: to one of its TurnoutShare rows, chosen at random (one statement, the
    row created by the first ballot that picks it). Two ballots wait on each other only when they pick the
    same row, one time in `TurnoutShare.SLOTS`; the box's own row is not written."""
    table = connection.ops.quote_name(TurnoutShare._meta.db_table)
    with rows.prepared_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (box_id, slot, n) VALUES (%s, %s, 1) "
            f"ON CONFLICT (box_id, slot) DO UPDATE SET n = {table}.n + 1",
            [box.pk, secrets.randbelow(TurnoutShare.SLOTS)],
        )


def _change(box, user, chosen, receipt) -> Ballot:
    if not box.allow_change:
        raise Conflict("already_voted", _("You have already voted; this vote does not allow changes."))
    if box.secret:
        if not receipt:
            raise Conflict(
                "receipt_needed",
                _("You have already voted. To change a secret ballot, enter its receipt code."),
                field="receipt",
            )
        ballot = (
            Ballot.objects.select_for_update()
            .filter(box=box, receipt_hash=receipt_hash(receipt), channel=Channel.ONLINE)
            .first()
        )
        if ballot is None:
            raise InvalidInput("receipt_unknown", _("No ballot in this vote has this receipt code."), field="receipt")
    else:
        ballot = Ballot.objects.select_for_update().filter(box=box, voter=user).first()
        if ballot is None:  # voted on paper: nothing to change online
            raise Conflict("already_voted", _("You have already voted."))
    ballot.choices = chosen
    ballot.save(update_fields=["choices"])
    return ballot


@transaction.atomic
def paper_batch_enter(*, actor, box, label: str, voters, ballots: list[list[str]]) -> PaperBatch:
    """Paper ballots cast in person: the people who voted are marked (so they cannot also vote online)
    and, separately, the batch's choices are entered; nothing links a person to a ballot. `voters` are
    people, or the lines a polling officer typed (an e-mail address, a mobile number, or "name, grid cell,
    last four ID characters" of a resident registered in person: civic.selectors.people_identify)."""
    box = _locked(box)
    require_perm(
        actor,
        "deliberation.manage_box",
        box.area,
        _("Only organisers and officials of this area can enter paper ballots."),
    )
    if box.phase() not in ("open", "closed"):
        raise Conflict(
            "box_not_open", _("Paper ballots can be entered while the vote is open or before it is counted.")
        )
    voters = list(voters)
    if voters and all(isinstance(v, str) for v in voters):
        voters = people_identify(voters, box.area)
    if not voters or len(voters) != len(ballots):
        raise InvalidInput(
            "batch_mismatch",
            _("A batch needs as many ballots as people who voted (%(people)s people, %(ballots)s ballots).")
            % {"people": len(voters), "ballots": len(ballots)},
        )
    eligible = set(eligible_people(box.area).filter(pk__in=[p.pk for p in voters]).values_list("pk", flat=True))
    for person in voters:
        if person.pk not in eligible:
            raise InvalidInput(
                "not_eligible",
                _("%(person)s is not a verified resident of this area.") % {"person": person.public_name},
            )
    prefetch_related_objects([box], "options")  # every ballot is checked against the same options
    chosen = [ballot_selectors.ballot_choices_check(box, b) for b in ballots]
    batch = PaperBatch.objects.create(
        box=box,
        entered_by=actor,
        label=clean_text(label, field="label", limit=60, single_line=True)
        or timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        ballots=len(chosen),
    )
    if len({p.pk for p in voters}) != len(voters):
        raise InvalidInput("voter_twice", _("The same person is named twice in this batch."), field="voters")
    already = [
        p.user.public_name for p in Participation.objects.filter(box=box, user__in=voters).select_related("user")
    ]
    if already:  # online, assisted or in an earlier batch: one ballot per person
        raise Conflict(
            "already_voted",
            _("Already voted in this vote: %(people)s.") % {"people": ", ".join(sorted(already))},
            field="voters",
        )
    try:
        with transaction.atomic():
            Participation.objects.bulk_create([Participation(box=box, user=p, channel=Channel.PAPER) for p in voters])
    except IntegrityError as error:
        raise Conflict("already_voted", _("Someone in this batch has already voted.")) from error
    rows = [Ballot(box=box, choices=c, channel=Channel.PAPER, batch=batch) for c in chosen]
    secrets.SystemRandom().shuffle(rows)  # the batch's order says nothing about who voted first
    Ballot.objects.bulk_create(rows)
    BallotBox.objects.filter(pk=box.pk).update(turnout=F("turnout") + len(rows))
    pages.ballots_entered(box)
    audit_record(
        actor=actor,
        action="ballot.paper_batch",
        obj=batch,
        area=box.area,
        after={"ballots": len(rows), "label": batch.label},
    )
    return batch


# --- counting -------------------------------------------------------------------------------------


def box_tally(*, box, actor=None) -> BallotBox:
    """Compute, store and publish the results of a closed box; winning proposals become adopted. Idempotent.
    A person counting needs `deliberation.manage_box`; the tick counts without one (actor None)."""
    if actor is not None:
        require_perm(actor, "deliberation.manage_box", BallotBox.objects.select_related("area").get(pk=box.pk).area)
    return _tally(box=box, actor=actor)[0]


def _tally(*, box, actor) -> tuple[BallotBox, bool]:
    """(the box, whether this call counted it): a box another process counted first is returned as found."""
    from proposals.models import ProposalState
    from proposals.services import proposal_decide

    with transaction.atomic():
        box = _locked(box)
        if box.state == BoxState.TALLIED:
            return box, False
        if box.phase() != "closed":
            raise Conflict("box_not_closed", _("Results are counted only after the vote has closed."))
        if box.kind == BoxKind.QUESTION:
            box.eligible_count = eligible_people(box.area).count()
        box.result = ballot_selectors.count(box)
        box.turnout = box.result["turnout"]  # every ballot: the online ballots' shares are folded in
        TurnoutShare.objects.filter(box=box).delete()
        box.__dict__["turnout_online"] = 0
        box.state, box.tallied_at = BoxState.TALLIED, timezone.now()
        box.save(update_fields=["result", "turnout", "state", "tallied_at", "eligible_count"])
        audit_record(
            actor=actor,
            action="ballot.tallied",
            obj=box,
            area=box.area,
            after={"selected": box.result.get("selected"), "turnout": box.turnout},
        )
        timeline_record(
            subject=box,
            verb="ballot.tallied",
            params={"title": box.title, "turnout": box.turnout},
            url=box.get_absolute_url(),
            actor=actor,
            area=box.area,
        )
        winners = set(box.result.get("selected", []))
        for option in box.options.select_related("proposal").filter(proposal__isnull=False):
            if option.proposal.state in (ProposalState.QUALIFIED, ProposalState.SCHEDULED):
                proposal_decide(
                    proposal=option.proposal,
                    adopted=option.project_id in winners,
                    actor=actor,
                    by="vote",
                    where=box.title,
                )
    return box, True


def tally_closed_boxes() -> int:
    """The tick's job: count every box that has closed. Safe on two machines at once (row lock, idempotent).
    Returns how many boxes this call counted: a box another process counted meanwhile is not one of them."""
    due = BallotBox.objects.filter(state=BoxState.SCHEDULED, closes_at__lte=timezone.now()).values_list("pk", flat=True)
    done = 0
    for pk in list(due):
        done += _tally(box=BallotBox(pk=pk), actor=None)[1]
    return done


# --- open data ------------------------------------------------------------------------------------

RULES_FROM_PABULIB = {
    "greedy": BudgetRule.GREEDY,
    "equalshares": BudgetRule.MES,
    "equalshares/add1": BudgetRule.MES_ADD1,
}


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def pb_import(*, data: bytes, area, actor=None, progress=None) -> BallotBox:
    """Import a pabulib election as a closed, counted PB box in one transaction, ballots in bulk."""
    election = pabulib.parse(data)
    now = timezone.now()
    # The vote happened elsewhere: its own dates (the whole first and last day), the moment of import if the
    # file gives none. Where it comes from is shown from `source_meta`, in the reader's language.
    first, last = pabulib.voting_dates(election.meta)
    opens_at = _day_start(first) if first else now
    closes_at = _day_start(last + timedelta(days=1)) if last else now
    if closes_at > now or closes_at < opens_at:
        opens_at = closes_at = now
    with transaction.atomic():
        box = BallotBox.objects.create(
            area=area,
            area_path=area.path,
            kind=BoxKind.BUDGET,
            imported=True,
            secret=True,
            allow_change=False,
            title=(election.meta.get("description") or election.meta.get("unit") or _("Imported election"))[:120],
            budget=Decimal(election.meta["budget"].replace(",", ".")),
            rule=RULES_FROM_PABULIB.get(election.meta.get("rule", ""), BudgetRule.GREEDY),
            state=BoxState.SCHEDULED,
            opens_at=opens_at,
            closes_at=closes_at,
            source_meta=election.meta,
            created_by=actor,
        )
        BallotOption.objects.bulk_create(
            [
                BallotOption(
                    box=box,
                    project_id=pid,
                    title=(row.get("name") or pid)[:200],
                    cost=Decimal(row["cost"].replace(",", ".")),
                    position=i,
                    extra={k: v for k, v in row.items() if k not in ("project_id", "name", "cost", "_line")},
                )
                for i, (pid, row) in enumerate(election.projects.items())
            ]
        )
        batch, total = [], len(election.votes)
        for i, (voter_id, approved) in enumerate(election.votes, start=1):
            batch.append(Ballot(box=box, choices=approved, channel=Channel.IMPORTED, external_id=str(voter_id)[:60]))
            if len(batch) == 5000 or i == total:
                Ballot.objects.bulk_create(batch)
                batch = []
                if progress:
                    progress(i, total)
        box.turnout = total
        box.save(update_fields=["turnout"])
        audit_record(
            actor=actor,
            action="ballot.imported",
            obj=box,
            area=area,
            after={"ballots": total, "projects": len(election.projects)},
        )
    return _tally(box=box, actor=actor)[0]  # whoever may import may publish the file's count
