"""What the funding services share: the project row locked for a change, its moves and its public story,
its photos, the milestone rows of a plan, the officials to tell; and checks for what civic has no one
rule for: plain numbers that are not amounts (inspection points, policy shares) and dates. Amounts go
through civic.money.parse_amount, texts through civic.text.clean_text."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from civic import pagecache
from civic.errors import InvalidInput
from civic.services import audit_record, timeline_record
from civic.text import clean_text
from civic.uploads import IMAGE, accept_uploads

from ..models import PROJECT_STATES, AwardObjection, MicroProject, ObjectionStatus, ProjectPhoto, SubsidyAward


def objections_follow(award: SubsidyAward, *, actor, reason: str, successor: SubsidyAward | None = None) -> int:
    """The open objections of an award that is no longer live: carried to the award that replaced it
    (`successor`; answered there, and approval waits for them), or, the award being cancelled, closed with
    the cancellation's reason as their answer. Never left open on a dead award. Returns how many."""
    open_ = AwardObjection.objects.select_for_update().filter(award=award, status=ObjectionStatus.OPEN)
    ids = list(open_.values_list("pk", flat=True))
    if not ids:
        return 0
    rows = AwardObjection.objects.filter(pk__in=ids)
    if successor is not None:
        rows.update(award=successor, carried_from=award)
        action, after = "award.objections_carried", {"objections": ids, "to": successor.pk}
    else:
        answer = _("Closed: the award this objection was filed on was cancelled (%(reason)s).") % {"reason": reason}
        rows.update(status=ObjectionStatus.CLOSED, answer=answer[:3000], answered_by=actor, answered_at=timezone.now())
        action, after = "award.objections_closed", {"objections": ids, "reason": reason}
    audit_record(actor=actor, action=action, obj=award, area=award.project.area, after=after)
    pagecache.bump(f"project:{award.project_id}")  # an update sends no signal (funding.pages)
    return len(ids)


def number(value, field: str) -> Decimal | None:
    """A finite Decimal (a score, a share) from what was typed, or None for nothing typed."""
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput("not_a_number", _("Enter a number."), field=field) from None
    if not result.is_finite():
        raise InvalidInput("not_a_number", _("Enter a number."), field=field)
    return result


def text(value, field: str, *, limit: int, required: bool = False, message=None) -> str:
    """Kept only for the outcome-notice service, which moves to civic on its own; everything else calls
    civic.text.clean_text directly."""
    return clean_text(value, field=field, limit=limit, required=required, message=message)


MAX_PHOTOS = 6

# The longest text each funding service takes (civic.text.clean_text refuses longer); the API's serializers
# declare the same limits from here, so the schema and docs/api.md show them.
PROJECT_TITLE_MAX = 80
SCOPE_MAX = 5000
LOCATION_MAX = 120
ITEM_MAX = 120  # a budget line's or a checklist row's item
MILESTONE_TITLE_MAX = 120
PROJECT_REASON_MAX = 1000  # suspending or cancelling a project
REPORT_MAX = 5000  # the completion report
PROGRESS_TEXT_MAX = 5000
FUNDER_MAX = 120
COMMITMENT_DESCRIPTION_MAX = 200
REFERENCE_MAX = 120  # of a receipt or a recovery
INVOICES_MAX = 500
REMARKS_MAX = 3000
DEFECTS_MAX = 3000
RATING_COMMENT_MAX = 500
POLICY_NOTE_MAX = 2000
AWARD_REASON_MAX = 1000  # recomputing or cancelling an award
OBJECTION_TEXT_MAX = 3000
OBJECTION_ANSWER_MAX = 3000
LEDGER_REASON_MAX = 300
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a plan or a receipt outside these years is a typing mistake


def day(value, field: str, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput("required", _("Enter a date."), field=field)
        return None
    parsed = value if isinstance(value, date) else None
    if parsed is None:
        try:
            parsed = parse_date(str(value))
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput("date_invalid", _("Enter a date as YYYY-MM-DD."), field=field)
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise InvalidInput(
            "date_out_of_range",
            _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )
    return parsed


def locked_project(project) -> MicroProject:
    return (
        MicroProject.objects.select_for_update(of=("self",))
        .select_related("area", "implementer", "proposal")
        .get(pk=project.pk)
    )


def project_story(project: MicroProject, verb: str, *, actor=None, params=None) -> None:
    """One line on the project's public story, and the same line on its proposal's (the story continues)."""
    params = {"title": project.title, **(params or {})}
    for subject in (project, project.proposal) if project.proposal_id else (project,):
        timeline_record(
            subject=subject,
            verb=verb,
            params=params,
            url=project.get_absolute_url(),
            actor=actor,
            organisation=project.implementer,
            area=project.area,
        )


def project_move(project: MicroProject, target: str, *, actor, verb: str, reason: str = "", params=None, fields=()):
    """One arrow of the state table: PROJECT_STATES guards, saves and audits; the story line follows."""
    PROJECT_STATES.move(
        project, target, actor=actor, area=project.area, fields=fields, after={"reason": reason} if reason else None
    )
    project_story(project, verb, actor=actor, params=params)


def project_photos(project, files, *, report=None, inspection=None) -> list[ProjectPhoto]:
    cleaned = accept_uploads(files, field="photos", kinds=(IMAGE,), max_files=MAX_PHOTOS)
    return [
        ProjectPhoto.objects.create(project=project, report=report, inspection=inspection, image=clean.file)
        for clean in cleaned
    ]


def clean_milestones(milestones, start, end) -> list[tuple[str, object, bool]]:
    clean = []
    for index, row in enumerate(milestones or []):
        title = clean_text(row.get("title"), field=f"milestones.{index}.title", limit=MILESTONE_TITLE_MAX)
        if not title and not row.get("due_on"):
            continue
        if not title:
            raise InvalidInput("required", _("Name each milestone."), field=f"milestones.{index}.title")
        due = day(row.get("due_on"), f"milestones.{index}.due_on")
        if not start <= due <= end:
            raise InvalidInput(
                "milestone_outside_plan",
                _("A milestone falls between the planned start and end."),
                field=f"milestones.{index}.due_on",
            )
        clean.append((title, due, bool(row.get("is_midpoint"))))
    if sum(1 for *_x, midpoint in clean if midpoint) > 1:
        raise InvalidInput("one_midpoint", _("Only one milestone can be the mid-point."), field="milestones")
    if len(clean) > 20:
        raise InvalidInput("too_many_milestones", _("At most 20 milestones."), field="milestones")
    return clean


def officials_of(project):
    from civic.models import User

    paths = [*project.area.ancestor_codes, project.area.code]
    return User.objects.filter(is_active=True, area_roles__role="official", area_roles__area__code__in=paths).distinct()
