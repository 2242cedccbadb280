"""Ballot boxes: every write in one transaction; one ballot per person by a unique constraint; results
computed once by deliberation/counting.py when the box has closed."""

import hashlib
import secrets
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.selectors import eligible_people, is_eligible
from civic.services import audit_record, require_perm, timeline_record

from .. import counting, pabulib
from ..models import Ballot, BallotBox, BallotOption, BoxKind, BoxState, BudgetRule, Channel, PaperBatch, Participation

User = get_user_model()
QUESTION_OPTIONS = [("yes", "yes"), ("no", "no"), ("abstain", "abstain")]


def _locked(box) -> BallotBox:
    return BallotBox.objects.select_for_update(of=("self",)).select_related("area").get(pk=box.pk)


def receipt_hash(code: str) -> str:
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(f"civic-receipt:{normalised}".encode()).hexdigest()


def _new_receipt() -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


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
    title = " ".join((title or "").split())
    if len(title) < 4:
        raise InvalidInput("title_too_short", _("The title needs at least 4 characters."), field="title")
    if kind not in BoxKind.values:
        raise InvalidInput("kind_invalid", _("Choose the kind of vote."), field="kind")
    if kind == BoxKind.BUDGET:
        if budget in (None, "") or Decimal(str(budget)) <= 0:
            raise InvalidInput("budget_missing", _("A participatory budget needs its budget in yuan."), field="budget")
        if rule not in BudgetRule.values:
            raise InvalidInput("rule_invalid", _("Choose a counting rule."), field="rule")
    quorum = Decimal(str(quorum_share or 0))
    if not Decimal(0) <= quorum <= Decimal(1):
        raise InvalidInput("quorum_invalid", _("The turnout needed is a share between 0 and 1."), field="quorum_share")
    if max_choices and min_choices > max_choices:
        raise InvalidInput("choices_invalid", _("The fewest choices cannot exceed the most."), field="min_choices")
    box = BallotBox.objects.create(
        area=area,
        area_path=area.path,
        kind=kind,
        title=title[:120],
        description=(description or "").strip(),
        secret=secret,
        allow_change=allow_change,
        budget=Decimal(str(budget)) if kind == BoxKind.BUDGET else None,
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
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("title_missing", _("An option needs a title."), field="title")
    amount = None
    if box.kind == BoxKind.BUDGET:
        try:
            amount = Decimal(str(cost))
        except Exception as error:
            raise InvalidInput("cost_invalid", _("Enter the project's cost in yuan."), field="cost") from error
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidInput(
                "cost_invalid", _("Amounts are in yuan, not negative, with at most two decimals."), field="cost"
            )
    position = box.options.count()
    return BallotOption.objects.create(
        box=box,
        title=title[:200],
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


def _validate_choices(box: BallotBox, choices: list[str]) -> list[str]:
    options = {o.project_id: o for o in box.options.all()}
    chosen = list(dict.fromkeys(str(c) for c in choices))
    unknown = [c for c in chosen if c not in options]
    if unknown:
        raise InvalidInput(
            "option_unknown", _("This vote has no option “%(option)s”.") % {"option": unknown[0]}, field="choices"
        )
    if box.kind == BoxKind.QUESTION:
        if len(chosen) != 1:
            raise InvalidInput("one_answer", _("Answer yes, no or abstain."), field="choices")
        return chosen
    if len(chosen) < max(box.min_choices, 1):
        raise InvalidInput(
            "too_few", _("Choose at least %(n)s options.") % {"n": max(box.min_choices, 1)}, field="choices"
        )
    if box.max_choices and len(chosen) > box.max_choices:
        raise InvalidInput("too_many", _("Choose at most %(n)s options.") % {"n": box.max_choices}, field="choices")
    if box.kind == BoxKind.BUDGET:
        total = sum((options[c].cost for c in chosen), Decimal(0))
        if total > box.budget:
            raise InvalidInput(
                "over_budget",
                _("Your choice costs ¥%(total)s, more than the budget of ¥%(budget)s.")
                % {"total": total, "budget": box.budget},
                field="choices",
            )
    return sorted(chosen, key=lambda c: options[c].position)


def vote_cast(*, user, box, choices: list[str], receipt: str | None = None) -> tuple[Ballot, str | None]:
    """Cast or change a ballot. Returns the ballot and, for a new ballot, its receipt code (shown once)."""
    box = BallotBox.objects.select_related("area").get(pk=box.pk)
    if box.phase() != "open":
        raise Conflict("box_not_open", _("This vote is not open."))
    if not is_eligible(user, box.area):
        raise NotAllowed(
            "not_eligible", _("Only residents verified in %(area)s can vote here.") % {"area": box.area.name}
        )
    chosen = _validate_choices(box, choices)
    with transaction.atomic():
        # Re-checked under the box's row lock: a count that has locked the box first closes it to this
        # ballot, and a ballot that got here first is committed before the count reads the ballots.
        # Voters already queue on this row for the turnout update, so the lock costs them nothing more.
        box = BallotBox.objects.select_for_update(no_key=True, of=("self",)).select_related("area").get(pk=box.pk)
        if box.phase() != "open":
            raise Conflict("box_not_open", _("This vote is not open."))
        try:
            with transaction.atomic():
                Participation.objects.create(box=box, user=user)
        except IntegrityError:
            if Participation.objects.filter(box=box, user=user, channel=Channel.PAPER).exists():
                raise Conflict("voted_on_paper", _("You voted on paper; you cannot also vote online.")) from None
            return _change(box, user, chosen, receipt), None
        code = _new_receipt()
        ballot = Ballot.objects.create(
            box=box,
            choices=chosen,
            receipt_hash=receipt_hash(code),
            voter=None if box.secret else user,
            channel=Channel.ONLINE,
        )
        BallotBox.objects.filter(pk=box.pk).update(turnout=F("turnout") + 1)
    return ballot, code


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


def receipt_check(code: str) -> Ballot | None:
    return Ballot.objects.select_related("box").filter(receipt_hash=receipt_hash(code)).first()


@transaction.atomic
def paper_batch_enter(*, actor, box, label: str, voters, ballots: list[list[str]]) -> PaperBatch:
    """Paper ballots cast in person: the people who voted are marked (so they cannot also vote online)
    and, separately, the batch's choices are entered; nothing links a person to a ballot."""
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
    chosen = [_validate_choices(box, b) for b in ballots]
    batch = PaperBatch.objects.create(
        box=box,
        entered_by=actor,
        label=(label or "").strip()[:60] or timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        ballots=len(chosen),
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
    audit_record(
        actor=actor,
        action="ballot.paper_batch",
        obj=batch,
        area=box.area,
        after={"ballots": len(rows), "label": batch.label},
    )
    return batch


# --- counting -------------------------------------------------------------------------------------


def _fmt(value) -> str:
    if isinstance(value, Fraction):
        return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01")))
    return str(value)


def count(box: BallotBox, rule: str | None = None) -> dict:
    """The result of a box from its stored ballots (pure reading; nothing is written)."""
    options = list(box.options.all())
    ballots = list(Ballot.objects.filter(box=box).values_list("choices", flat=True))
    groups = counting.group_ballots(ballots)
    result = {"kind": box.kind, "turnout": len(ballots), "options": []}
    if box.kind == BoxKind.QUESTION:
        tally = counting.approvals(groups, ["yes", "no", "abstain"])
        eligible = box.eligible_count if box.eligible_count is not None else eligible_people(box.area).count()
        threshold = Fraction(2, 3) if box.threshold == "2/3" else Fraction(1, 2)
        question = counting.Question(
            tally["yes"], tally["no"], tally["abstain"], eligible, Fraction(box.quorum_share), threshold
        )
        result.update(
            votes=tally,
            eligible=eligible,
            quorum_met=question.quorum_met,
            passed=question.passed,
            selected=["yes"] if question.passed else [],
        )
        return result
    if box.kind == BoxKind.APPROVAL:
        tally = counting.approvals(groups, [o.project_id for o in options])
        k = box.max_choices or 1
        ranked = counting.choose_k(groups, [o.project_id for o in options], 0)
        winners = [pid for pid, _votes in ranked[:k] if _votes > 0]
        for o in options:
            result["options"].append(
                {
                    "project_id": o.project_id,
                    "title": o.title,
                    "votes": tally[o.project_id],
                    "selected": o.project_id in winners,
                }
            )
        result["selected"] = winners
        return result
    rule = rule or box.rule
    costs = {o.project_id: Fraction(o.cost) for o in options}
    budget = Fraction(box.budget)
    if ballots:
        outcome = {"greedy": counting.greedy, "mes": counting.mes, "mes-add1": counting.mes_add1}[rule](
            costs, groups, budget
        )
    else:  # nobody voted: nothing is funded (and equal shares of no voters would divide by zero)
        outcome = counting.Outcome([], 0)
    for o in options:
        code, params = outcome.reasons.get(o.project_id, ("no_votes", {}))
        result["options"].append(
            {
                "project_id": o.project_id,
                "title": o.title,
                "cost": str(o.cost),
                "votes": outcome.approvals.get(o.project_id, 0),
                "selected": o.project_id in outcome.selected,
                "reason": code,
                "params": {k: _fmt(v) for k, v in params.items()},
            }
        )
    result.update(rule=rule, budget=str(box.budget), selected=outcome.selected, spent=_fmt(Fraction(outcome.cost)))
    return result


def box_tally(*, box, actor=None) -> BallotBox:
    """Compute, store and publish the results of a closed box; winning proposals become adopted. Idempotent."""
    from proposals.models import ProposalState
    from proposals.services import proposal_decide

    with transaction.atomic():
        box = _locked(box)
        if box.state == BoxState.TALLIED:
            return box
        if box.phase() != "closed":
            raise Conflict("box_not_closed", _("Results are counted only after the vote has closed."))
        if box.kind == BoxKind.QUESTION:
            box.eligible_count = eligible_people(box.area).count()
        box.result = count(box)
        box.turnout = box.result["turnout"]
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
                    how=_("(community vote “%(title)s”)") % {"title": box.title},
                )
    return box


def tally_closed_boxes() -> int:
    """The tick's job: count every box that has closed. Safe on two machines at once (row lock, idempotent)."""
    due = BallotBox.objects.filter(state=BoxState.SCHEDULED, closes_at__lte=timezone.now()).values_list("pk", flat=True)
    done = 0
    for pk in list(due):
        box = box_tally(box=BallotBox(pk=pk))
        done += box.state == BoxState.TALLIED
    return done


# --- open data ------------------------------------------------------------------------------------

RULES_FROM_PABULIB = {
    "greedy": BudgetRule.GREEDY,
    "equalshares": BudgetRule.MES,
    "equalshares/add1": BudgetRule.MES_ADD1,
}


def pb_import(*, data: bytes, area, actor=None, progress=None) -> BallotBox:
    """Import a pabulib election as a closed, counted PB box in one transaction, ballots in bulk."""
    election = pabulib.parse(data)
    now = timezone.now()
    with transaction.atomic():
        box = BallotBox.objects.create(
            area=area,
            area_path=area.path,
            kind=BoxKind.BUDGET,
            imported=True,
            secret=True,
            allow_change=False,
            title=(election.meta.get("description") or election.meta.get("unit") or _("Imported election"))[:120],
            description=", ".join(
                f"{k}: {v}"
                for k, v in election.meta.items()
                if k in ("country", "unit", "subunit", "instance", "date_begin", "date_end")
            ),
            budget=Decimal(election.meta["budget"].replace(",", ".")),
            rule=RULES_FROM_PABULIB.get(election.meta.get("rule", ""), BudgetRule.GREEDY),
            state=BoxState.SCHEDULED,
            opens_at=now,
            closes_at=now,
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
    return box_tally(box=box, actor=actor)


def pb_export(box: BallotBox) -> str:
    """The box as a pabulib file: voters anonymised; `selected` from the published outcome (an imported
    box keeps its own file's)."""
    options = list(box.options.all())
    selected = set((box.result or {}).get("selected", []))
    meta = (
        dict(box.source_meta)
        if box.imported
        else {
            "description": box.title,
            "country": "China",
            "unit": box.area.name,
            "instance": str(box.closes_at.year if box.closes_at else ""),
            "num_projects": str(len(options)),
            "budget": str(box.budget),
            "vote_type": "approval",
            "rule": box.rule.replace("mes-add1", "equalshares/add1").replace("mes", "equalshares"),
        }
    )
    meta["num_votes"] = str(box.turnout)
    projects = {}
    for o in options:
        row = {
            "cost": str(o.cost).rstrip("0").rstrip(".") if "." in str(o.cost) else str(o.cost),
            "name": o.title,
            **o.extra,
        }
        if not box.imported:
            row["selected"] = "1" if o.project_id in selected else "0"
        projects[o.project_id] = row
    votes = [
        (str(i), list(c))
        for i, c in enumerate(Ballot.objects.filter(box=box).values_list("choices", flat=True), start=1)
    ]
    return pabulib.write(pabulib.Election(meta, projects, votes))
