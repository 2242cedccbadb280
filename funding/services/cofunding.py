"""Co-funding (共建共享): what residents, enterprises and others commit to a project, and what arrives."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput
from civic.money import format_yuan, parse_amount
from civic.services import require_perm
from civic.text import clean_text

from ..models import Commitment, EntryKind, FundingSource, Receipt
from ..models import ProjectState as S
from .common import COMMITMENT_DESCRIPTION_MAX, FUNDER_MAX, REFERENCE_MAX, day, locked_project
from .ledger import ledger_post


@transaction.atomic
def commitment_add(
    *, actor, project, source: str, funder: str, amount, organisation=None, description: str = ""
) -> Commitment:
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can record co-funding."))
    if project.state in (S.CLOSED, S.CANCELLED):
        raise Conflict("project_finished", _("This project is finished."))
    if source not in FundingSource.values:
        raise InvalidInput("source_invalid", _("Choose where the money comes from."), field="source")
    funder = clean_text(
        funder or (organisation.name if organisation else ""),
        field="funder",
        limit=FUNDER_MAX,
        required=True,
        message=_("Name who pays."),
    )
    amount = parse_amount(amount, field="amount", required=True, positive=True)
    description = clean_text(description, field="description", limit=COMMITMENT_DESCRIPTION_MAX)
    if source == FundingSource.IN_KIND and not description:
        raise InvalidInput("required", _("Describe what is given in kind."), field="description")
    commitment = Commitment.objects.create(
        project=project,
        source=source,
        funder=funder,
        organisation=organisation,
        amount=amount,
        description=description,
        created_by=actor,
    )
    ledger_post(
        project=project,
        kind=EntryKind.COMMITMENT,
        amount=amount,
        actor=actor,
        commitment=commitment,
        memo=funder,
        audit=("project.commitment_added", project, {"source": source, "funder": funder, "amount": str(amount)}),
        story="project.commitment",
        story_params={"funder": funder, "amount": format_yuan(amount), "source": source},
    )
    return commitment


@transaction.atomic
def receipt_record(*, actor, commitment, amount, received_on=None, reference: str = "") -> Receipt:
    """Money (or goods) that arrived; never more than what is still outstanding on the commitment."""
    project = locked_project(commitment.project)  # the project first, in the order ledger_correct locks
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can record receipts."))
    if project.state in (S.CLOSED, S.CANCELLED):
        raise Conflict("project_finished", _("This project is finished."))
    amount = parse_amount(amount, field="amount", required=True, positive=True)
    received_on = day(received_on, "received_on", required=False) or timezone.localdate()
    if received_on > timezone.localdate():
        raise InvalidInput("date_in_future", _("A receipt cannot be dated in the future."), field="received_on")
    reference = clean_text(reference, field="reference", limit=REFERENCE_MAX)
    if amount > commitment.outstanding:
        raise InvalidInput(
            "receipt_above_commitment",
            _("Only %(left)s of this commitment is still outstanding.") % {"left": format_yuan(commitment.outstanding)},
            field="amount",
        )
    receipt = Receipt.objects.create(
        commitment=commitment, amount=amount, received_on=received_on, reference=reference, recorded_by=actor
    )
    commitment.received += amount
    commitment.save(update_fields=["received"])
    ledger_post(
        project=project,
        kind=EntryKind.RECEIPT,
        amount=amount,
        actor=actor,
        commitment=commitment,
        memo=reference or commitment.funder,
        audit=("project.receipt_recorded", project, {"commitment": commitment.pk, "amount": str(amount)}),
    )
    return receipt
