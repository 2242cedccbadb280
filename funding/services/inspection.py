"""The acceptance inspection (验收): the official's scored checklist, accepted or back to work."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.money import format_yuan, parse_amount
from civic.services import require_perm
from civic.text import clean_text

from ..models import Inspection, InspectionResult
from ..models import ProjectState as S
from ..predicates import works_for_implementer
from .common import (
    DEFECTS_MAX,
    INVOICES_MAX,
    ITEM_MAX,
    REMARKS_MAX,
    locked_project,
    number,
    project_move,
    project_photos,
)

MAX_CHECKLIST = 50


def _points(value, field: str, *, positive: bool = False) -> Decimal:
    """A checklist score or maximum: a number of points, not negative (above zero for a maximum), at most
    1,000, with at most two decimals."""
    points = number(value, field)
    if points is None:
        raise InvalidInput("required", _("Enter the points."), field=field)
    if not (Decimal(0) < points if positive else Decimal(0) <= points) or points > 1000:
        raise InvalidInput(
            "points_range",
            _("Points are between 0 and 1,000.") if not positive else _("The maximum is above 0 and at most 1,000."),
            field=field,
        )
    if points != points.quantize(Decimal("0.01")):
        raise InvalidInput("points_precision", _("Points have at most two decimals."), field=field)
    return points.quantize(Decimal("0.01"))


def _clean_checklist(rows) -> tuple[list[dict], Decimal]:
    clean, total, most = [], Decimal(0), Decimal(0)
    for index, row in enumerate(rows or []):
        item = clean_text(row.get("item"), field=f"checklist.{index}.item", limit=ITEM_MAX)
        if not item and row.get("score") in (None, ""):
            continue
        if not item:
            raise InvalidInput("required", _("Name each item of the checklist."), field=f"checklist.{index}.item")
        top = row.get("max")
        top = _points(10 if top in (None, "") else top, f"checklist.{index}.max", positive=True)
        score = _points(row.get("score"), f"checklist.{index}.score")
        if score > top:
            raise InvalidInput(
                "score_above_max",
                _("“%(item)s” scores at most %(max)s.") % {"item": item, "max": top.normalize()},
                field=f"checklist.{index}.score",
            )
        clean.append({"item": item, "score": str(score), "max": str(top)})
        total += score
        most += top
    if not clean:
        raise InvalidInput("checklist_required", _("Score at least one item of the checklist."), field="checklist")
    if len(clean) > MAX_CHECKLIST:
        raise InvalidInput(
            "too_many_items", _("At most %(n)s checklist items.") % {"n": MAX_CHECKLIST}, field="checklist"
        )
    score = (total * 100 / most).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return clean, score


def inspection_allowed(*, actor, project) -> None:
    """Who may inspect this project, asked before anything the inspector sent is read (API and service)."""
    if actor.has_perm("funding.manage_project", project) and works_for_implementer(actor, project):
        # the permission refuses an official who belongs to the implementer: say why
        raise NotAllowed(
            "inspects_own_organisation", _("You cannot inspect a project of an organisation you belong to.")
        )
    require_perm(actor, "funding.inspect", project, _("Only an official of this area can inspect its projects."))


@transaction.atomic
def inspection_record(
    *,
    actor,
    project,
    checklist: list[dict],
    verified_cost,
    result: str,
    invoices: str = "",
    remarks: str = "",
    defects: str = "",
    files=(),
) -> Inspection:
    """The official's signed acceptance inspection: accepted, or back to work with the defects listed."""
    project = locked_project(project)
    inspection_allowed(actor=actor, project=project)
    if project.state != S.COMPLETED:
        raise Conflict("not_completed", _("A project is inspected after the implementer reports completion."))
    if result not in InspectionResult.values:
        raise InvalidInput("result_invalid", _("Choose accepted or rework."), field="result")
    items, score = _clean_checklist(checklist)
    cost = parse_amount(verified_cost, field="verified_cost", required=result == InspectionResult.ACCEPTED)
    defects = clean_text(defects, field="defects", limit=DEFECTS_MAX)
    if result == InspectionResult.REWORK and not defects:
        raise InvalidInput("defects_required", _("List the defects to put right."), field="defects")
    inspection = Inspection.objects.create(
        project=project,
        inspector=actor,
        checklist=items,
        score=score,
        verified_cost=cost if cost is not None else Decimal("0.00"),
        invoices=clean_text(invoices, field="invoices", limit=INVOICES_MAX),
        remarks=clean_text(remarks, field="remarks", limit=REMARKS_MAX),
        defects=defects,
        result=result,
    )
    project_photos(project, files, inspection=inspection)
    if result == InspectionResult.ACCEPTED:
        project.accepted_at = inspection.signed_at
        project_move(
            project,
            S.ACCEPTED,
            actor=actor,
            verb="project.accepted",
            params={"score": f"{score}", "cost": format_yuan(cost)},
            fields=["accepted_at"],
        )
    else:
        project.rework_count += 1
        project.completed_at = None
        project_move(
            project,
            S.IN_PROGRESS,
            actor=actor,
            verb="project.rework",
            reason=defects,
            params={"defects": defects},
            fields=["rework_count", "completed_at"],
        )
    return inspection
